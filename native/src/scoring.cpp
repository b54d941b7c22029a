#include "attn/scoring.hpp"

#include <cmath>
#include <vector>

#include "../kernels/kernels.hpp"
#include "attn/error.hpp"
#include "checks.hpp"
#include "matmul.hpp"
#include "scores.hpp"

namespace attn {

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

void score_into(const View3& q, const View3& k, const ScoreOptions& o, float* out) {
  const kernels::Table& kt = kernels::active();
  const std::size_t Q = q.r, K = k.r, dq = q.c, dk = k.c;
  std::vector<float> qp, kp;  // projections for additive and bilinear, reused across the batch
  for (std::size_t b = 0; b < q.b; ++b) {
    float* s = out + b * Q * K;  // scores [Q, K] of batch element b
    switch (o.scoring) {
      case Scoring::dot: kt.gemm_nt(Q, K, dq, q.at(b), dq, k.at(b), dk, s, K); break;
      case Scoring::scaled_dot: {
        kt.gemm_nt(Q, K, dq, q.at(b), dq, k.at(b), dk, s, K);
        divide_by_root_d(s, Q * K, dq);
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
  const detail::ScoreCall c = detail::check_score_call(queries, keys, options);
  Tensor s = detail::make_tensor(detail::shape3(c.q.batched, c.q.b, c.q.r, c.k.r), "scores");
  detail::score_into(c.q, c.k, options, s.data());
  detail::check_overflow(s.data(), s.size(), "scores", "scale queries and keys down");
  return s;
}

}  // namespace attn
