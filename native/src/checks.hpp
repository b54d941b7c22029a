// Validation, in one place: every public call checks all of its arguments here (one check_*_call
// each, the mask options resolved with them) before any math, and the math checks its results for
// float32 overflow with check_overflow. Everything throws
// attn::Error (a TypeError or RangeError in JS) that names the argument and the shapes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "attn/attention.hpp"
#include "attn/error.hpp"
#include "attn/mask.hpp"
#include "attn/scoring.hpp"
#include "attn/tensor.hpp"

namespace attn::detail {

// A rank-2 [r, c] or rank-3 [b, r, c] tensor seen as [b, r, c] (b = 1 when unbatched).
struct View3 {
  const float* data;
  std::size_t b, r, c;
  bool batched;
  float max_abs;  // the largest |element|, found by the finiteness check
  const float* at(std::size_t i) const { return data + i * r * c; }
};

// Validates rank 2 or 3, dimensions >= 1, size limit and finiteness. `dims` names the expected axes
// for the message, e.g. "[Q, dq] or [B, Q, dq]".
View3 view3(const Tensor& t, const char* name, const char* dims);

// Validates a tensor of rows along its last axis: rank >= 1, every dimension >= 1, size limit.
void check_rows(const Tensor& x, const char* name);

// Validates a 2-D weight matrix [rows, cols]; 0 for either means "any". `why` says what fixes it.
void check_matrix(const Tensor& w, const char* name, std::size_t rows, std::size_t cols,
                  const std::string& why);

// Validates temperature (finite, > 0) and fill (not NaN, not +inf).
void check_temperature(double temperature);
void check_fill(float fill);

// Checks the scoring parameters against queries [.., dq] and keys [.., dk] (validated views).
void check_score(const View3& q, const View3& k, const ScoreOptions& options);
// The size limit on the scores [B, Q, K], for the paths that build them (the streaming attention
// kernel does not, so it is exempt).
void check_scores_size(const View3& q, const View3& k);

// The arguments of score(), validated.
struct ScoreCall {
  View3 q, k;
};
ScoreCall check_score_call(const Tensor& queries, const Tensor& keys, const ScoreOptions& options);

// Soft attention on a dot-product scoring without a trace: the streaming kernel computes it (see
// attention.cpp), and builds no [B, Q, K] matrix unless the weights are wanted.
bool streams(const AttentionOptions& o);

// The arguments of attention(), validated, with the mask resolved.
struct AttentionCall {
  View3 q, k, v;
  ResolvedMask mask;
};
AttentionCall check_attention_call(const Tensor& queries, const Tensor& keys, const Tensor& values,
                                   const AttentionOptions& options);

// The arguments of self_attention(), validated: x, the three weights, and the attention options
// against the shapes the projections will have (q, k, v describe them; their data is null).
struct SelfAttentionCall {
  View3 x, q, k, v;
  ResolvedMask mask;
};
SelfAttentionCall check_self_attention_call(const Tensor& x, const Tensor& wq, const Tensor& wk,
                                            const Tensor& wv, const AttentionOptions& options);

// The arguments of softmax(), and of softmax_steps() (which also accepts -inf: masked logits).
void check_softmax_call(const Tensor& x, double temperature);
void check_softmax_steps_call(const Tensor& x, double temperature);

// The arguments of apply_mask() and masked_softmax(): x [Q, K] or [B, Q, K], the mask resolved.
struct MaskCall {
  View3 x;
  ResolvedMask mask;
};
MaskCall check_mask_call(const Tensor& x, const MaskOptions& options);

// The arguments of the calls of attn/explain.hpp and attn/positional.hpp.
void check_random_call(double scale, int decimals, double offset);
void check_elementwise_call(const Tensor& a, const Tensor& b);  // add, subtract
void check_scale_experiment_call(const std::vector<std::size_t>& dims, std::size_t keys,
                                 std::size_t samples);
void check_downsample_call(const Tensor& x, std::size_t rows, std::size_t cols);
void check_positional_call(std::size_t length, std::size_t dim);

// Allocates an uninitialised tensor of the given shape (the caller writes every element) after
// checking the size limit.
Tensor make_tensor(const Tensor::shape_type& shape, const char* name);
// [r, c] or [b, r, c] depending on `batched`.
Tensor::shape_type shape3(bool batched, std::size_t b, std::size_t r, std::size_t c);

// The largest |x| of n floats; +inf or NaN (compare with std::isfinite) when an entry is not
// finite. One pass that the compiler vectorises (an integer max over the bits of |x|).
float max_abs(const float* x, std::size_t n) noexcept;

// RangeError if the math overflowed float32 on finite inputs (any NaN or ±inf in `data`; call it
// before a -inf fill is applied). `what` names the step, `hint` says what to change.
void check_overflow(const float* data, std::size_t n, const char* what, const char* hint);
// The RangeError check_overflow throws, for entry `index` (flat) of the step `what`.
[[noreturn]] void throw_overflow_at(std::size_t index, const char* what, const char* hint);

}  // namespace attn::detail
