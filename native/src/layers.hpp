// The math of the layers in attn/block.hpp on arguments already validated (block.cpp and
// multihead.cpp check everything first, then call these), and the checks they share.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "attn/block.hpp"
#include "attn/multihead.hpp"
#include "checks.hpp"
#include "matmul.hpp"

namespace attn::detail {

// out [rows, n] = x [rows, k] · w [k, n] + bias [n] (bias may be null), with the GEMM kernel.
// RangeError naming `what` if a result overflows float32.
void affine(const float* x, std::size_t rows, std::size_t k, const Tensor& w, const Tensor* bias,
            float* out, const char* what);
// The same into a new tensor of x's leading axes and w's columns: [..., n].
Tensor affine(const Tensor& x, const Tensor& w, const Tensor* bias, const char* what);

// y = layer norm of each row of x over its last axis (see attn::layer_norm); gamma, beta may be null.
Tensor normalize(const Tensor& x, const Tensor* gamma, const Tensor* beta, double eps);

// h = activation(h), element-wise, in place.
void activate(Tensor& h, Activation activation);

// The feed-forward on validated arguments: hidden = activation(x W1 + b1), output = hidden W2 + b2
// (b1, b2 may be null). The block and the model's decoder layers use it.
struct FeedForward {
  Tensor hidden, output;
};
FeedForward run_feed_forward(const Tensor& x, const Tensor& w1, const Tensor* b1, const Tensor& w2,
                             const Tensor* b2, Activation activation);

// A tensor of shape [n] (rank 1), finite; `why` says where n comes from.
void check_vector(const Tensor& t, const char* name, std::size_t n, const std::string& why);
// eps of a layer norm: finite and > 0.
void check_eps(double eps);
// The required tensor of an option, or a TypeError naming it and `fn`.
const Tensor& required(const std::optional<Tensor>& t, const char* name, const char* fn);
// The optional tensor of an option, as a pointer (null when absent).
inline const Tensor* optional(const std::optional<Tensor>& t) { return t ? &*t : nullptr; }

// Multi-head attention's weights, checked: W_Q, W_K, W_V [d_in, D], W_O [D, dout], biases (or null)
// [D] and [dout].
struct MultiHeadWeights {
  const Tensor *wq, *wk, *wv, *wo;
  const Tensor *bq, *bk, *bv, *bo;
};
// Checks the weights against queries, keys, values of widths dq, dk, dv (named `fn` in messages)
// and num_heads against D.
MultiHeadWeights check_multi_head(const std::optional<Tensor>& wq, const std::optional<Tensor>& wk,
                                  const std::optional<Tensor>& wv, const std::optional<Tensor>& wo,
                                  const std::optional<Tensor>& bq, const std::optional<Tensor>& bk,
                                  const std::optional<Tensor>& bv, const std::optional<Tensor>& bo,
                                  std::size_t dq, std::size_t dk, std::size_t dv,
                                  std::size_t num_heads, const char* fn);
// The size checks of the tensors multi-head attention builds for queries [B, Q, .] and keys
// [B, K, .]: projections, outputs, and the weights [B, H, Q, K] when `matrices` (weights or trace).
void check_multi_head_sizes(std::size_t B, std::size_t Q, std::size_t K, std::size_t D,
                            std::size_t dout, std::size_t H, bool matrices);

// Multi-head attention on validated views (see attn/multihead.hpp): projections, each head through
// the attention pipeline (pipeline.hpp), concatenation, output projection.
// `mask` is resolved for the queries' B, Q and the keys' K.
MultiHeadResult multi_head(const View3& queries, const View3& keys, const View3& values,
                           const MultiHeadWeights& w, std::size_t num_heads,
                           const ResolvedMask& mask, double temperature, bool trace, bool weights);

}  // namespace attn::detail
