// The scoring functions' math, shared by score() and the materialised attention path.
#pragma once

#include "attn/scoring.hpp"
#include "checks.hpp"

namespace attn::detail {

// Scores [q.b, q.r, k.r] into `out`, after check_score.
void score_into(const View3& q, const View3& k, const ScoreOptions& options, float* out);

}  // namespace attn::detail
