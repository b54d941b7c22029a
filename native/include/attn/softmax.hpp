// Softmax and d2l's masked softmax.
#pragma once

#include "mask.hpp"
#include "tensor.hpp"

namespace attn {

// softmax(x / temperature) along the last axis, numerically stable (the row max is subtracted
// before exp). x: any rank >= 1, every dimension >= 1. temperature > 0; RangeError if x / temperature
// overflows float32 (rather than NaN weights).
//   softmax({{1, 2, 3}}) -> {{0.0900, 0.2447, 0.6652}}
Tensor softmax(const Tensor& x, double temperature = 1.0);

// d2l's masked_softmax: x [B, Q, K] or [Q, K]; entry j of a row is kept when j < its valid length,
// otherwise replaced by `fill` before the softmax.
// Lengths (see mask.hpp): none | a scalar (every row) | [B] (all query rows of a batch element) |
// [B, Q] (per row); for a 2-D x, [Q] is per row. Integers in [0, K].
//   masked_softmax(rand(2, 2, 5), {2, 3}) keeps 2 keys in batch 0 and 3 in batch 1.
// fill = -1e6 (default): a row of valid length 0 is uniform. fill = -inf: masked weights are exactly 0
// and a row of valid length 0 is all zeros.
Tensor masked_softmax(const Tensor& x, const std::optional<Lengths>& valid_lens,
                      float fill = kDefaultFill);

// x [B, Q, K] or [Q, K] with the entries blocked by `mask` (valid lengths, 0/1 mask, causal; see
// mask.hpp) replaced by its fill: what enters the softmax.
Tensor apply_mask(const Tensor& x, const MaskOptions& mask);

}  // namespace attn
