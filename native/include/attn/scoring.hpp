// Scoring functions: how well each query matches each key.
#pragma once

#include "tensor.hpp"

namespace attn {

enum class Scoring {
  dot,         // q · k
  scaled_dot,  // q · k / sqrt(d)          (d = dq = dk)
  additive,    // vᵀ tanh(q W_q + k W_k)   (W_q [dq, h], W_k [dk, h], v [h])
  bilinear,    // q W kᵀ                   (W [dq, dk])
};

// Parses "dot" | "scaled_dot" | "additive" | "bilinear"; TypeError naming the options otherwise.
Scoring parse_scoring(const std::string& name);
const char* to_string(Scoring s);

// Weight matrices are in the "x W" layout [in, out], so Q = X W_Q as in the seed article.
struct ScoreOptions {
  Scoring scoring = Scoring::scaled_dot;
  std::optional<Tensor> wq, wk;  // additive
  std::optional<Tensor> v;       // additive
  std::optional<Tensor> w;       // bilinear
};

// queries [Q, dq] or [B, Q, dq], keys [K, dk] or [B, K, dk] (same rank) -> scores [(B,) Q, K].
// RangeError if a score overflows float32 (as attention() does), never ±inf or NaN.
//   score({{1, 0}}, {{1, 0}, {0, 1}}, {Scoring::dot}) -> {{1, 0}}
Tensor score(const Tensor& queries, const Tensor& keys, const ScoreOptions& options = {});

}  // namespace attn
