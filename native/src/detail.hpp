// Shared machinery of src/: validated 3-D views of rank-2/3 tensors, and the one place where scores
// become logits and logits become weights.
#pragma once

#include <cstddef>
#include <string>

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

// Allocates an uninitialised tensor of the given shape (the caller writes every element) after
// checking the size limit.
Tensor make_tensor(const Tensor::shape_type& shape, const char* name);
// [r, c] or [b, r, c] depending on `batched`.
Tensor::shape_type shape3(bool batched, std::size_t b, std::size_t r, std::size_t c);

// out [m, n] = a [m, k] · w [k, n] (contiguous).
void matmul(const float* a, std::size_t m, std::size_t k, const float* w, std::size_t n, float* out);

// Validates temperature (finite, > 0) and fill (not NaN, not +inf).
void check_temperature(double temperature);
void check_fill(float fill);

// In place on one [q, k] block of batch element b: logits = scores / temperature, then the mask's
// blocked entries replaced by its fill.
void to_logits(float* block, std::size_t b, std::size_t q, std::size_t k, double temperature,
               const ResolvedMask& mask);

// The largest |x| of n floats; +inf or NaN (compare with std::isfinite) when an entry is not
// finite. One pass that the compiler vectorises (an integer max over the bits of |x|).
float max_abs(const float* x, std::size_t n) noexcept;
// data[i] /= temperature, computed in double and rounded once (a float32 temperature would round
// to 0 below 1e-45 and lose digits among the subnormals); RangeError naming `what` if a quotient is
// beyond float32. Nothing to do for temperature 1.
void divide_by_temperature(float* data, std::size_t n, double temperature, const char* what,
                           const char* hint);
// The same division without the error: the index of the first quotient beyond float32 (the data
// is then divided up to it), or n when every quotient fits.
std::size_t divide_by_temperature_until_overflow(float* data, std::size_t n, double temperature) noexcept;

// RangeError if the math overflowed float32 on finite inputs (any NaN or ±inf in `data`; call it
// before a -inf fill is applied). `what` names the step, `hint` says what to change.
void check_overflow(const float* data, std::size_t n, const char* what, const char* hint);
// The RangeError check_overflow throws, for entry `index` (flat) of the step `what`.
[[noreturn]] void throw_overflow_at(std::size_t index, const char* what, const char* hint);

// Softmax of each of `rows` rows of length n (src may equal dst).
void softmax_rows(const float* src, float* dst, std::size_t rows, std::size_t n);

// Checks the scoring parameters against queries [.., dq] and keys [.., dk] (validated views).
void check_score(const View3& q, const View3& k, const ScoreOptions& options);
// The size limit on the scores [B, Q, K], for the paths that build them (the streaming attention
// kernel does not, so it is exempt).
void check_scores_size(const View3& q, const View3& k);
// Scores [q.b, q.r, k.r] into `out`, after check_score.
void score_into(const View3& q, const View3& k, const ScoreOptions& options, float* out);

}  // namespace attn::detail
