#include "attn/multihead.hpp"

#include <cstring>

#include "attn/error.hpp"
#include "layers.hpp"
#include "pipeline.hpp"

namespace attn {

namespace detail {

namespace {

// [B, T, H·d] -> [B·H, T, d]: head h of batch element b becomes problem b·H + h, contiguous.
Tensor split_heads(const Tensor& x, std::size_t B, std::size_t T, std::size_t H, const char* name) {
  const std::size_t D = x.shape().back(), d = D / H;
  Tensor out = make_tensor({B * H, T, d}, name);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t h = 0; h < H; ++h) {
      for (std::size_t t = 0; t < T; ++t) {
        std::memcpy(out.data() + ((b * H + h) * T + t) * d, x.data() + (b * T + t) * D + h * d,
                    d * sizeof(float));
      }
    }
  }
  return out;
}

// The inverse: [B·H, T, d] -> [(B,) T, H·d], the heads concatenated in order along the last axis.
Tensor merge_heads(const Tensor& x, std::size_t B, std::size_t H, bool batched) {
  const std::size_t T = x.shape()[1], d = x.shape()[2], D = H * d;
  Tensor out = make_tensor(shape3(batched, B, T, D), "heads [B, Q, D]");
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t h = 0; h < H; ++h) {
      for (std::size_t t = 0; t < T; ++t) {
        std::memcpy(out.data() + (b * T + t) * D + h * d, x.data() + ((b * H + h) * T + t) * d,
                    d * sizeof(float));
      }
    }
  }
  return out;
}

// A view of problem-major [G, T, d] data for the pipeline.
View3 problems(const Tensor& t) {
  return View3{t.data(),     t.shape()[0], t.shape()[1],
               t.shape()[2], true,         max_abs(t.data(), t.size())};
}

}  // namespace

MultiHeadWeights check_multi_head(const std::optional<Tensor>& wq, const std::optional<Tensor>& wk,
                                  const std::optional<Tensor>& wv, const std::optional<Tensor>& wo,
                                  const std::optional<Tensor>& bq, const std::optional<Tensor>& bk,
                                  const std::optional<Tensor>& bv, const std::optional<Tensor>& bo,
                                  std::size_t dq, std::size_t dk, std::size_t dv,
                                  std::size_t num_heads, const char* fn) {
  MultiHeadWeights w{&required(wq, "wq", fn),
                     &required(wk, "wk", fn),
                     &required(wv, "wv", fn),
                     &required(wo, "wo", fn),
                     optional(bq),
                     optional(bk),
                     optional(bv),
                     optional(bo)};
  check_matrix(*w.wq, "wq", dq, 0, "[dq, D], dq = " + std::to_string(dq));
  const std::size_t D = w.wq->shape()[1], H = num_heads;
  const std::string Ds = std::to_string(D);
  check_matrix(*w.wk, "wk", dk, D, "[dk, D], D = " + Ds + " from wq");
  check_matrix(*w.wv, "wv", dv, D, "[dv, D], D = " + Ds + " from wq");
  check_matrix(*w.wo, "wo", D, 0, "[D, dout], D = " + Ds + " from wq");
  if (w.bq) check_vector(*w.bq, "bq", D, "[D], D = " + Ds + " from wq");
  if (w.bk) check_vector(*w.bk, "bk", D, "[D], D = " + Ds + " from wq");
  if (w.bv) check_vector(*w.bv, "bv", D, "[D], D = " + Ds + " from wq");
  if (w.bo)
    check_vector(*w.bo, "bo", w.wo->shape()[1],
                 "[dout], dout = " + std::to_string(w.wo->shape()[1]) + " from wo");
  if (H < 1 || D % H != 0) {
    throw_range_error("numHeads: " + std::to_string(H) + " does not divide the model width D = " +
                      Ds + " (the columns of wq); pick a divisor of " + Ds);
  }
  return w;
}

void check_multi_head_sizes(std::size_t B, std::size_t Q, std::size_t K, std::size_t D,
                            std::size_t dout, std::size_t H, bool matrices) {
  check_size(checked_product({B, Q, D}), "q projection [B, Q, D]");
  check_size(checked_product({B, K, D}), "k, v projections [B, K, D]");
  check_size(checked_product({B, Q, dout}), "output [B, Q, dout]");
  if (matrices) check_size(checked_product({B, H, Q, K}), "weights [B, H, Q, K]");
}

MultiHeadResult multi_head(const View3& qx, const View3& kx, const View3& vx,
                           const MultiHeadWeights& w, std::size_t H, const ResolvedMask& mask,
                           double temperature, bool trace, bool weights) {
  const std::size_t B = qx.b, Q = qx.r, K = kx.r, D = w.wq->shape()[1], dout = w.wo->shape()[1];
  const bool batched = qx.batched;
  MultiHeadResult r;
  // 1. projections [(B,) Q|K, D]
  auto project = [&](const View3& x, const Tensor& wx, const Tensor* bias, const char* name) {
    Tensor out = make_tensor(shape3(batched, x.b, x.r, D), name);
    affine(x.data, x.b * x.r, x.c, wx, bias, out.data(), name);
    return out;
  };
  Tensor q = project(qx, *w.wq, w.bq, "q projection");
  Tensor k = project(kx, *w.wk, w.bk, "k projection");
  Tensor v = project(vx, *w.wv, w.bv, "v projection");

  // 2-3. every head of every batch element is one problem of the attention pipeline
  AttentionOptions o;
  o.temperature = temperature;
  o.trace = trace;
  o.weights = weights;
  const Tensor qh = split_heads(q, B, Q, H, "q heads"), kh = split_heads(k, B, K, H, "k heads"),
               vh = split_heads(v, B, K, H, "v heads");
  AttentionResult a = attend_heads(problems(qh), problems(kh), problems(vh), o, mask, H);

  // 4. concatenated heads [(B,) Q, D] · W_O + b_O
  Tensor heads = merge_heads(a.output, B, H, batched);
  r.output = make_tensor(shape3(batched, B, Q, dout), "output");
  affine(heads.data(), B * Q, D, *w.wo, w.bo, r.output.data(), "output");
  const auto bhqk = batched ? Tensor::shape_type{B, H, Q, K} : Tensor::shape_type{H, Q, K};
  auto per_head = [&](Tensor& t) {
    if (t.dimension() != 0) t.reshape(bhqk);
    return std::move(t);
  };
  r.weights = per_head(a.weights);
  if (trace) {
    r.q = std::move(q);
    r.k = std::move(k);
    r.v = std::move(v);
    r.scores = per_head(a.scores);
    r.logits = per_head(a.logits);
    r.heads = std::move(heads);
  }
  return r;
}

}  // namespace detail

MultiHeadResult multi_head_attention(const Tensor& queries, const Tensor& keys,
                                     const Tensor& values, const MultiHeadOptions& o) {
  // every check first, then the math
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
                      shape_string(values.shape()) +
                      " must have one row per key and the batch of queries " +
                      shape_string(queries.shape()));
  }
  const detail::MultiHeadWeights w =
      detail::check_multi_head(o.wq, o.wk, o.wv, o.wo, o.bq, o.bk, o.bv, o.bo, qx.c, kx.c, vx.c,
                               o.num_heads, "multiHeadAttention");
  detail::check_temperature(o.temperature);
  const ResolvedMask mask(o.mask, qx.b, qx.r, kx.r, qx.batched);
  detail::check_multi_head_sizes(qx.b, qx.r, kx.r, w.wq->shape()[1], w.wo->shape()[1], o.num_heads,
                                 o.weights || o.trace);
  return detail::multi_head(qx, kx, vx, w, o.num_heads, mask, o.temperature, o.trace, o.weights);
}

}  // namespace attn
