// Multi-head attention, as PyTorch's nn.MultiheadAttention with its weights transposed.
#pragma once

#include "mask.hpp"
#include "tensor.hpp"

namespace attn {

// queries [(B,) Q, dq], keys [(B,) K, dk], values [(B,) K, dv]; W_Q [dq, D], W_K [dk, D],
// W_V [dv, D], W_O [D, dout]; D divisible by num_heads; optional biases b_Q, b_K, b_V [D], b_O [dout]
// (0 when absent).
//   1. project: Q = queries W_Q + b_Q, K = keys W_K + b_K, V = values W_V + b_V      [(B,) Q|K, D]
//   2. split the last axis into num_heads contiguous chunks of d = D / num_heads
//   3. per head: softmax(mask(Q_h K_hᵀ / sqrt(d) / temperature)) V_h             [(B,) Q, d]
//      by the attention pipeline of attention(): streamed by the flash kernel unless trace
//   4. concatenate the heads in order and project: output = concat W_O + b_O    [(B,) Q, dout]
// The masks (validLens, mask, causal) apply to every head alike.
// PyTorch: in_proj_weight = [W_Qᵀ; W_Kᵀ; W_Vᵀ], in_proj_bias = [b_Q; b_K; b_V],
// out_proj.weight = W_Oᵀ, out_proj.bias = b_O (bias=False: no biases).
struct MultiHeadOptions {
  std::size_t num_heads = 1;
  std::optional<Tensor> wq, wk, wv, wo;  // all four required (TypeError when missing)
  std::optional<Tensor> bq, bk, bv, bo;  // optional
  MaskOptions mask;
  double temperature = 1.0;
  bool trace = false;
  bool weights = true;  // false: no weights in the result (unless trace), nor a [B, H, Q, K] matrix
};

struct MultiHeadResult {
  Tensor output;   // [(B,) Q, dout]
  Tensor weights;  // [(B,) H, Q, K] (empty when options.weights is false and there is no trace)
  // Only with options.trace:
  Tensor q, k, v;  // projections [(B,) Q|K, D]
  Tensor scores;   // per head, scaled: [(B,) H, Q, K]
  Tensor logits;   // after temperature and masks: [(B,) H, Q, K]
  Tensor heads;    // the concatenated head outputs before W_O: [(B,) Q, D]
};

MultiHeadResult multi_head_attention(const Tensor& queries, const Tensor& keys,
                                     const Tensor& values, const MultiHeadOptions& options);

}  // namespace attn
