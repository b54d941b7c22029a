#include "attn/multihead.hpp"

#include <cmath>

#include "../kernels/kernels.hpp"
#include "attn/error.hpp"
#include "detail.hpp"

namespace attn {

namespace {
const Tensor& require(const std::optional<Tensor>& t, const char* name) {
  if (!t) throw_type_error(std::string(name) + ": required by multiHeadAttention");
  return *t;
}
}  // namespace

MultiHeadResult multi_head_attention(const Tensor& queries, const Tensor& keys,
                                     const Tensor& values, const MultiHeadOptions& o) {
  const detail::View3 qx = detail::view3(queries, "queries", "[Q, dq] or [B, Q, dq]");
  const detail::View3 kx = detail::view3(keys, "keys", "[K, dk] or [B, K, dk]");
  const detail::View3 vx = detail::view3(values, "values", "[K, dv] or [B, K, dv]");
  if (qx.batched != kx.batched || qx.batched != vx.batched) {
    throw_range_error("queries, keys, values: give all three a batch axis or none (shapes " +
                      shape_string(queries.shape()) + ", " + shape_string(keys.shape()) + ", " +
                      shape_string(values.shape()) + ")");
  }
  if (kx.b != qx.b || vx.b != kx.b || vx.r != kx.r) {
    throw_range_error("keys, values: shapes " + shape_string(keys.shape()) + " and " +
                      shape_string(values.shape()) + " must have one row per key and the batch of queries " +
                      shape_string(queries.shape()));
  }
  const Tensor& wq = require(o.wq, "wq");
  const Tensor& wk = require(o.wk, "wk");
  const Tensor& wv = require(o.wv, "wv");
  const Tensor& wo = require(o.wo, "wo");
  detail::check_matrix(wq, "wq", qx.c, 0, "[dq, D], dq = " + std::to_string(qx.c));
  const std::size_t D = wq.shape()[1], H = o.num_heads;
  const std::string Ds = std::to_string(D);
  detail::check_matrix(wk, "wk", kx.c, D, "[dk, D], D = " + Ds + " from wq");
  detail::check_matrix(wv, "wv", vx.c, D, "[dv, D], D = " + Ds + " from wq");
  detail::check_matrix(wo, "wo", D, 0, "[D, dout], D = " + Ds + " from wq");
  if (H < 1 || D % H != 0) {
    throw_range_error("numHeads: " + std::to_string(H) + " does not divide the model width D = " + Ds +
                      " (the columns of wq); pick a divisor of " + Ds);
  }
  detail::check_temperature(o.temperature);
  const std::size_t B = qx.b, Q = qx.r, K = kx.r, d = D / H, dout = wo.shape()[1];
  const ResolvedMask mask(o.mask, B, Q, K, qx.batched);

  // 1. projections [B, Q|K, D]
  auto project = [&](const detail::View3& x, const Tensor& w, const char* name) {
    Tensor out = detail::make_tensor(detail::shape3(x.batched, x.b, x.r, D), name);
    detail::matmul(x.data, x.b * x.r, x.c, w.data(), D, out.data());
    detail::check_overflow(out.data(), out.size(), name, "scale the inputs or wq, wk, wv down");
    return out;
  };
  Tensor q = project(qx, wq, "q projection");
  Tensor k = project(kx, wk, "k projection");
  Tensor v = project(vx, wv, "v projection");

  // 2-3. per batch element and head: weights [B, H, Q, K], head outputs into concat [B, Q, D]
  const auto bhqk = qx.batched ? Tensor::shape_type{B, H, Q, K} : Tensor::shape_type{H, Q, K};
  Tensor weights = detail::make_tensor(bhqk, "weights [B, H, Q, K]");
  Tensor scores, logits;
  if (o.trace) {
    scores = detail::make_tensor(bhqk, "scores [B, H, Q, K]");
    logits = detail::make_tensor(bhqk, "logits [B, H, Q, K]");
  }
  Tensor concat = detail::make_tensor(detail::shape3(qx.batched, B, Q, D), "heads [B, Q, D]");
  const kernels::Table& kt = kernels::active();
  const float scale = std::sqrt(static_cast<float>(d));
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t h = 0; h < H; ++h) {
      const float* qh = q.data() + b * Q * D + h * d;  // columns [h·d, (h+1)·d) of Q_b
      const float* kh = k.data() + b * K * D + h * d;
      const float* vh = v.data() + b * K * D + h * d;
      float* p = weights.data() + (b * H + h) * Q * K;
      kt.gemm_nt(Q, K, d, qh, D, kh, D, p, K);
      for (std::size_t i = 0; i < Q * K; ++i) p[i] /= scale;
      detail::check_overflow(p, Q * K, "scores", "scale queries, keys or wq, wk down");
      if (o.trace) std::copy(p, p + Q * K, scores.data() + (b * H + h) * Q * K);
      detail::to_logits(p, b, Q, K, o.temperature, mask);
      if (o.trace) std::copy(p, p + Q * K, logits.data() + (b * H + h) * Q * K);
      detail::softmax_rows(p, p, Q, K);
      kt.gemm_nn(Q, d, K, p, K, vh, D, concat.data() + b * Q * D + h * d, D);
    }
  }

  // 4. output [B, Q, dout] = concat [B, Q, D] · W_O
  MultiHeadResult r;
  r.output = detail::make_tensor(detail::shape3(qx.batched, B, Q, dout), "output");
  detail::matmul(concat.data(), B * Q, D, wo.data(), dout, r.output.data());
  detail::check_overflow(r.output.data(), r.output.size(), "output", "scale values, wv or wo down");
  r.weights = std::move(weights);
  if (o.trace) {
    r.q = std::move(q);
    r.k = std::move(k);
    r.v = std::move(v);
    r.scores = std::move(scores);
    r.logits = std::move(logits);
    r.heads = std::move(concat);
  }
  return r;
}

}  // namespace attn
