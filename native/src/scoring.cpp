#include "attn/scoring.hpp"

#include <cmath>
#include <vector>

#include "../kernels/kernels.hpp"
#include "attn/error.hpp"
#include "detail.hpp"

namespace attn {

Scoring parse_scoring(const std::string& name) {
  if (name == "dot") return Scoring::dot;
  if (name == "scaled_dot") return Scoring::scaled_dot;
  if (name == "additive") return Scoring::additive;
  if (name == "bilinear") return Scoring::bilinear;
  throw_type_error("scoring: unknown scoring function '" + name +
                   "'; expected 'dot', 'scaled_dot', 'additive' or 'bilinear'");
}

const char* to_string(Scoring s) {
  switch (s) {
    case Scoring::dot: return "dot";
    case Scoring::scaled_dot: return "scaled_dot";
    case Scoring::additive: return "additive";
    case Scoring::bilinear: return "bilinear";
  }
  return "?";
}

namespace detail {

namespace {
const Tensor& require(const std::optional<Tensor>& t, const char* name, const char* scoring) {
  if (!t) throw_type_error(std::string(name) + ": required for scoring '" + scoring + "'");
  return *t;
}
}  // namespace

void check_score(const View3& q, const View3& k, const ScoreOptions& o) {
  // the widths as text, only for messages
  const auto dq = [&] { return std::to_string(q.c); };
  const auto dk = [&] { return std::to_string(k.c); };
  switch (o.scoring) {
    case Scoring::dot:
    case Scoring::scaled_dot:
      if (q.c != k.c) {
        throw_range_error(std::string("keys: ") + to_string(o.scoring) +
                          " scoring needs queries and keys of the same width, got dq = " + dq() +
                          " and dk = " + dk() + " (use 'additive' or 'bilinear' for different widths)");
      }
      break;
    case Scoring::additive: {
      const Tensor& wq = require(o.wq, "wq", "additive");
      const Tensor& wk = require(o.wk, "wk", "additive");
      const Tensor& v = require(o.v, "v", "additive");
      check_matrix(wq, "wq", q.c, 0, "[dq, hidden], dq = " + dq());
      const std::size_t hidden = wq.shape()[1];
      check_matrix(wk, "wk", k.c, hidden,
                   "[dk, hidden], dk = " + dk() + ", hidden = " + std::to_string(hidden) + " from wq");
      if (v.dimension() != 1 || v.shape()[0] != hidden) {
        throw_range_error("v: expected shape [" + std::to_string(hidden) + "] (hidden, from wq), got " +
                          shape_string(v.shape()));
      }
      check_finite(v, "v");
      check_size(checked_product({q.r, hidden}), "wq projection [Q, hidden]");
      check_size(checked_product({k.r, hidden}), "wk projection [K, hidden]");
      break;
    }
    case Scoring::bilinear:
      check_matrix(require(o.w, "w", "bilinear"), "w", q.c, k.c, "[dq, dk] = [" + dq() + ", " + dk() + "]");
      check_size(checked_product({q.r, k.c}), "bilinear q W [Q, dk]");
      break;
  }
  if (q.b != k.b) {
    throw_range_error("keys: batch size " + std::to_string(k.b) + " does not match queries' " +
                      std::to_string(q.b));
  }
}

void check_scores_size(const View3& q, const View3& k) {
  check_size(checked_product({q.b, q.r, k.r}), "scores [B, Q, K]");
}

void score_into(const View3& q, const View3& k, const ScoreOptions& o, float* out) {
  const kernels::Table& kt = kernels::active();
  const std::size_t Q = q.r, K = k.r, dq = q.c, dk = k.c;
  std::vector<float> qp, kp;  // projections for additive and bilinear, reused across the batch
  for (std::size_t b = 0; b < q.b; ++b) {
    float* s = out + b * Q * K;  // scores [Q, K] of batch element b
    switch (o.scoring) {
      case Scoring::dot:
        kt.gemm_nt(Q, K, dq, q.at(b), dq, k.at(b), dk, s, K);
        break;
      case Scoring::scaled_dot: {
        kt.gemm_nt(Q, K, dq, q.at(b), dq, k.at(b), dk, s, K);
        const float scale = std::sqrt(static_cast<float>(dq));
        for (std::size_t i = 0; i < Q * K; ++i) s[i] /= scale;
        break;
      }
      case Scoring::additive: {
        const std::size_t h = o.wq->shape()[1];
        qp.resize(Q * h);
        kp.resize(K * h);
        matmul(q.at(b), Q, dq, o.wq->data(), h, qp.data());  // q W_q [Q, h]
        matmul(k.at(b), K, dk, o.wk->data(), h, kp.data());  // k W_k [K, h]
        // tanh would hide an overflow here: a float32 sum that overflowed on the way is ±inf with
        // either sign, which tanh turns into a plausible ±1 (found by the property tests)
        check_overflow(qp.data(), Q * h, "additive q W_q", "scale queries or wq down");
        check_overflow(kp.data(), K * h, "additive k W_k", "scale keys or wk down");
        kt.additive(Q, K, h, qp.data(), kp.data(), o.v->data(), s);
        break;
      }
      case Scoring::bilinear:
        qp.resize(Q * dk);
        matmul(q.at(b), Q, dq, o.w->data(), dk, qp.data());  // q W [Q, dk]
        kt.gemm_nt(Q, K, dk, qp.data(), dk, k.at(b), dk, s, K);
        break;
    }
  }
}

}  // namespace detail

Tensor score(const Tensor& queries, const Tensor& keys, const ScoreOptions& options) {
  const detail::View3 q = detail::view3(queries, "queries", "[Q, dq] or [B, Q, dq]");
  const detail::View3 k = detail::view3(keys, "keys", "[K, dk] or [B, K, dk]");
  if (q.batched != k.batched) {
    throw_range_error("keys: rank " + std::to_string(keys.dimension()) +
                      " does not match queries' rank " + std::to_string(queries.dimension()) +
                      " (both [.., Q|K, d] or both [B, .., d])");
  }
  detail::check_score(q, k, options);
  detail::check_scores_size(q, k);
  Tensor s = detail::make_tensor(detail::shape3(q.batched, q.b, q.r, k.r), "scores");
  detail::score_into(q, k, options, s.data());
  detail::check_overflow(s.data(), s.size(), "scores", "scale queries and keys down");
  return s;
}

}  // namespace attn
