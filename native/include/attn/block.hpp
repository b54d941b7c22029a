// The transformer block and its parts: layer norm, linear, feed-forward, and the encoder layer that
// puts them around multi-head self-attention. PyTorch semantics, weights in the "x W" layout
// [in, out] (PyTorch's weight transposed).
#pragma once

#include <string>

#include "mask.hpp"
#include "tensor.hpp"

namespace attn {

// Layer norm over the last axis, as torch.nn.functional.layer_norm(x, [D], gamma, beta, eps):
//   y = (x - mean) / sqrt(var + eps) · gamma + beta,   mean and biased variance of each row of D
// x [..., D] (rank >= 1); gamma, beta [D], optional (1 and 0); eps finite > 0. Computed in double,
// rounded once.
//   layer_norm({{1, 2, 3}}) -> {{-1.2247, 0, 1.2247}}
struct LayerNormOptions {
  std::optional<Tensor> gamma, beta;
  double eps = 1e-5;
};
Tensor layer_norm(const Tensor& x, const LayerNormOptions& options = {});

// x [..., in] · W [in, out] + bias [out] -> [..., out] (torch.nn.functional.linear(x, W.T, bias)).
//   linear({{1, 2}}, {{1, 0, 1}, {0, 1, 1}}) -> {{1, 2, 3}}
Tensor linear(const Tensor& x, const Tensor& w, const std::optional<Tensor>& bias = std::nullopt);

enum class Activation {
  relu,  // max(x, 0)
  gelu,  // x · Φ(x) = x/2 · (1 + erf(x / √2)): PyTorch's exact GELU (approximate='none')
};
Activation parse_activation(const std::string& name);
const char* to_string(Activation a);

// The position-wise feed-forward network of a transformer layer:
//   hidden = activation(x W1 + b1)   [..., F]
//   output = hidden W2 + b2          [..., D]
// x [..., D] (rank >= 1); W1 [D, F] and W2 [F, D'] required; b1 [F], b2 [D'] optional (0).
struct FeedForwardOptions {
  std::optional<Tensor> w1, b1, w2, b2;
  Activation activation = Activation::relu;
};
Tensor feed_forward(const Tensor& x, const FeedForwardOptions& options);

// Where the layer norms sit (torch.nn.TransformerEncoderLayer's norm_first).
enum class Norm {
  post,  // h = norm1(x + attention(x));        output = norm2(h + ff(h))        (the original paper)
  pre,   // h = x + attention(norm1(x));        output = h + ff(norm2(h))
};
Norm parse_norm(const std::string& name);
const char* to_string(Norm n);

// One transformer encoder layer on x [T, D] | [B, T, D], equal to
// torch.nn.TransformerEncoderLayer(D, num_heads, F, dropout=0, activation, batch_first=True,
// norm_first = norm == pre) with its weights transposed:
//   wq, wk, wv = in_proj_weight[0:D].T, [D:2D].T, [2D:3D].T   [D, D]   bq, bk, bv = in_proj_bias thirds
//   wo = out_proj.weight.T [D, D], bo = out_proj.bias; w1 = linear1.weight.T [D, F], b1 = linear1.bias;
//   w2 = linear2.weight.T [F, D], b2 = linear2.bias; gamma1, beta1 = norm1.weight, .bias; same for 2.
// Every weight matrix is required; biases and norm parameters are optional (0, and 1 for gamma).
// Self-attention is multi_head_attention(x, x, x) (attn/multihead.hpp) with the masks of `mask`:
// valid_lens [B] (or a scalar) is PyTorch's src_key_padding_mask; a [T, T] 0/1 mask or causal is its
// src_mask (1 / true = may attend here). num_heads must divide D.
struct TransformerBlockOptions {
  std::size_t num_heads = 1;
  std::optional<Tensor> wq, wk, wv, wo, bq, bk, bv, bo;
  std::optional<Tensor> w1, b1, w2, b2;
  std::optional<Tensor> gamma1, beta1, gamma2, beta2;
  Norm norm = Norm::post;
  Activation activation = Activation::relu;
  double eps = 1e-5;  // of both norms
  MaskOptions mask;
  bool trace = false;   // keep every intermediate in the result
  bool weights = true;  // false: no attention weights (unless trace), and attention streams
};

struct TransformerBlockResult {
  Tensor output;   // [(B,) T, D]
  Tensor weights;  // the attention weights per head [(B,) H, T, T]
  // Only with options.trace, in the order they are computed ([(B,) T, D] unless said); q, k, v,
  // scores, logits and heads are those inside the attention, as in MultiHeadResult:
  Tensor q, k, v, scores, logits, heads;
  Tensor attention;     // the attention sublayer's output, after W_O and b_O
  Tensor residual1;     // post: x + attention;          pre: x + attention
  Tensor norm1;         // post: norm1(residual1);       pre: norm1(x), what the attention reads
  Tensor hidden;        // activation(h W1 + b1), the feed-forward's hidden layer [(B,) T, F]
  Tensor feed_forward;  // hidden W2 + b2
  Tensor residual2;     // post: norm1 + feed_forward;   pre: residual1 + feed_forward (= output)
  Tensor norm2;         // post: norm2(residual2) (= output); pre: norm2(residual1), what ff reads
};

TransformerBlockResult transformer_block(const Tensor& x, const TransformerBlockOptions& options);

}  // namespace attn
