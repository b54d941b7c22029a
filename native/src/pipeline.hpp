// The attention pipeline of attention.cpp (score -> logits -> softmax -> weights · values, streamed
// by the flash kernel when nothing asks for the matrices), for the other entry points that attend:
// multi-head attention runs each head through it.
#pragma once

#include "attn/attention.hpp"
#include "attn/mask.hpp"
#include "checks.hpp"

namespace attn::detail {

// Attention of G = B · heads problems laid out problem-major: q [G, Q, dq], k [G, K, dk],
// v [G, K, dv] (validated views with batched = true, so every result is [G, Q, ...]). Problem g
// takes the masks of batch element g / heads of `mask` (resolved for the caller's B, Q, K);
// options.mask is not read. Without options.trace, soft attention streams (result.weights only
// when options.weights). The caller has checked the scoring parameters and, when the weights are
// wanted, their size.
AttentionResult attend_heads(const View3& q, const View3& k, const View3& v,
                             const AttentionOptions& options, const ResolvedMask& mask,
                             std::size_t heads);

}  // namespace attn::detail
