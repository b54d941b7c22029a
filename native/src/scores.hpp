// The scoring functions' math, shared by score() and the materialised attention path.
#pragma once

#include <cmath>
#include <cstddef>

#include "attn/scoring.hpp"
#include "checks.hpp"

namespace attn::detail {

// scaled_dot's division of n dot products by √d, in float as every path divides them (the
// streaming kernel's overflow report recomputes scores and must get the same floats).
inline void divide_by_root_d(float* s, std::size_t n, std::size_t d) {
  const float root = std::sqrt(static_cast<float>(d));
  for (std::size_t i = 0; i < n; ++i) s[i] /= root;
}

// Scores [q.b, q.r, k.r] into `out`, after check_score.
void score_into(const View3& q, const View3& k, const ScoreOptions& options, float* out);

}  // namespace attn::detail
