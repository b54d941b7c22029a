// Scores become logits (divided by the temperature, then masked) and logits become weights (the
// active softmax kernel, row by row): the one place both steps are written.
#pragma once

#include <cstddef>

#include "attn/mask.hpp"

namespace attn::detail {

// In place on one [q, k] block of batch element b: logits = scores / temperature, then the mask's
// blocked entries replaced by its fill (kernels::KeyMask, the mask rule).
void to_logits(float* block, std::size_t b, std::size_t q, std::size_t k, double temperature,
               const ResolvedMask& mask);

// data[i] /= temperature, computed in double and rounded once (a float32 temperature would round
// to 0 below 1e-45 and lose digits among the subnormals); a -inf (a masked logit) stays -inf.
// RangeError naming `what` if a quotient is beyond float32. Nothing to do for temperature 1.
void divide_by_temperature(float* data, std::size_t n, double temperature, const char* what,
                           const char* hint);
// The same division without the error: the index of the first quotient beyond float32 (the data
// is then divided up to it), or n when every quotient fits.
std::size_t divide_by_temperature_until_overflow(float* data, std::size_t n,
                                                 double temperature) noexcept;

// Softmax of each of `rows` rows of length n (src may equal dst), by the active softmax_row kernel.
void softmax_rows(const float* src, float* dst, std::size_t rows, std::size_t n);

}  // namespace attn::detail
