#include "attn/attention.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include <vector>

#include "../kernels/kernels.hpp"
#include "attn/error.hpp"
#include "checks.hpp"
#include "logits.hpp"
#include "matmul.hpp"
#include "pipeline.hpp"
#include "random.hpp"
#include "scores.hpp"

namespace attn {

const char* to_string(Mode m) {
  switch (m) {
    case Mode::soft: return "soft";
    case Mode::argmax: return "argmax";
    case Mode::sample: return "sample";
  }
  return "?";
}

namespace {

// Turns each row of probabilities [rows, n] into a one-hot row in place. A row of zeros (nothing
// may be attended) stays zeros. Sampling draws once per row, rows in order, so a given seed
// gives the same draws whatever the masks are.
void harden(float* p, std::size_t rows, std::size_t n, Mode mode, std::uint64_t seed) {
  detail::SplitMix64 rng(seed);
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = p + r * n;
    const double u = mode == Mode::sample ? rng.uniform() : 0.0;
    double total = 0.0;
    std::size_t best = 0;
    for (std::size_t j = 0; j < n; ++j) {
      total += row[j];
      if (row[j] > row[best]) best = j;  // strict: the first index wins ties
    }
    if (total == 0.0) continue;
    std::size_t pick = best;
    if (mode == Mode::sample) {
      // inverse CDF: the first j whose cumulative weight exceeds u · total (zero weights skipped)
      const double target = u * total;
      double cumulative = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        if (row[j] == 0.0f) continue;
        pick = j;
        cumulative += row[j];
        if (target < cumulative) break;
      }
    }
    std::memset(row, 0, n * sizeof(float));
    row[pick] = 1.0f;
  }
}

// The streaming kernel met a logit that is not finite. Find it the way the materialised path
// does, so that the error names the same step and entry: every score first ("scores", a flat
// index over [B, Q, K]), then the logits batch element by batch element (a flat index within
// [Q, K]). Rows are recomputed with the gemm kernel the materialised path uses, which sums each
// dot product in the same order as the streaming kernel, so the floats are the same. Returns only
// if nothing overflows that way (a logit at the very edge of float range that the kernel's single
// multiplication by scale / temperature rounded the other way).
void throw_overflow(const float* qs, std::size_t Q, std::size_t dq, const detail::View3& k,
                    const AttentionOptions& o) {
  const kernels::Table& kt = kernels::active();
  const std::size_t B = k.b, K = k.r, d = k.c;
  std::vector<float> row(K);
  auto scores = [&](std::size_t b, std::size_t i) {
    kt.gemm_nt(1, K, d, qs + (b * Q + i) * d, d, k.at(b), d, row.data(), K);
    if (o.score.scoring == Scoring::scaled_dot) detail::divide_by_root_d(row.data(), K, dq);
  };
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t i = 0; i < Q; ++i) {
      scores(b, i);
      for (std::size_t j = 0; j < K; ++j) {
        if (!std::isfinite(row[j])) {
          detail::throw_overflow_at((b * Q + i) * K + j, "scores", "scale queries and keys down");
        }
      }
    }
  }
  if (o.temperature == 1.0) return;
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t i = 0; i < Q; ++i) {
      scores(b, i);
      // in double, as divide_by_temperature divides (a float32 temperature below 1e-45 is 0: a
      // division by zero, found by fuzzing under UBSan)
      const std::size_t j =
          detail::divide_by_temperature_until_overflow(row.data(), K, o.temperature);
      if (j != K) detail::throw_overflow_at(i * K + j, "logits", "use a larger temperature");
    }
  }
}

// Attention by the streaming kernel (see detail::streams): one flash_attention kernel call per batch
// element, the output into result.output and, when wanted, the weights into result.weights (the
// kernel writes them as it goes; nothing else of [B, Q, K] is built). Returns false in the edge
// cases described below and by throw_overflow; the caller then lets the materialised path decide.
// Problem b of the views takes the masks of batch element b / heads (multi-head attention lays
// its heads out as problems; attention() has heads = 1).
bool run_streaming(const detail::View3& q, const detail::View3& k, const detail::View3& v,
                   const ResolvedMask& mask, std::size_t heads, const AttentionOptions& o,
                   AttentionResult& result) {
  const std::size_t B = q.b, Q = q.r, K = k.r, d = k.c, dv = v.c;
  // bilinear scores are (q W) kᵀ: project the queries first, as score_into does, and it is a dot
  // product like the others
  std::vector<float> projected;
  const float* qs = q.data;
  if (o.score.scoring == Scoring::bilinear) {
    projected.resize(B * Q * d);
    detail::matmul(q.data, B * Q, q.c, o.score.w->data(), d, projected.data());
    qs = projected.data();
  }
  // logits = scores / temperature with scores = q·k / √dq (scaled_dot) or q·k: one factor; a
  // temperature so small that it is beyond float32 is left to the materialised path (zero scores
  // are zero logits there, any other score overflows)
  const double root =
      o.score.scoring == Scoring::scaled_dot ? std::sqrt(static_cast<double>(q.c)) : 1.0;
  if (!(1.0 / (root * o.temperature) <= FLT_MAX)) return false;
  const float scale = static_cast<float>(1.0 / (root * o.temperature));
  // No dot product can overflow (nor its logit, nor a query times the scale, even in base 2) when
  // d · max|q| · max|k| is far enough below the float range, with room for float rounding; then
  // the kernel runs unchecked (kernels.hpp). A non-finite projection makes the bound non-finite.
  const double grow = std::max(1.0, 1.4426950408889634 * scale),
               max_q = qs == q.data ? q.max_abs : detail::max_abs(qs, B * Q * d);
  const double bound =
      static_cast<double>(d) * max_q * k.max_abs * (1.0 + static_cast<double>(d) * 0x1p-23) * grow;
  const bool checked = !(bound < 0.5 * FLT_MAX && max_q * grow < 0.5 * FLT_MAX);

  result.output = detail::make_tensor(detail::shape3(q.batched, B, Q, dv), "output");
  if (o.weights)
    result.weights = detail::make_tensor(detail::shape3(q.batched, B, Q, K), "weights [B, Q, K]");
  // scratch the kernel fills before it reads: left uninitialised (zeroing it was 1% at H=8, N=256)
  const std::unique_ptr<float[]> work(new float[kernels::flash_attention_workspace(K, d, dv)]);
  const kernels::Table& kt = kernels::active();
  for (std::size_t b = 0; b < B; ++b) {
    kernels::FlashArgs args{};
    args.m = Q, args.n = K, args.d = d, args.dv = dv;
    args.q = qs + b * Q * d, args.ldq = d;
    args.k = k.at(b), args.ldk = d;
    args.v = v.at(b), args.ldv = dv;
    args.out = result.output.data() + b * Q * dv, args.ldo = dv;
    args.scale = scale;
    args.mask = mask.for_batch(b / heads);
    args.checked = checked;
    args.work = work.get();
    if (o.weights) args.weights = result.weights.data() + b * Q * K, args.ldw = K;
    if (!kt.flash_attention(args)) {
      throw_overflow(qs, Q, q.c, k, o);
      return false;
    }
    // The kernel sums e · v before dividing by Σ e, so values near the float range can overflow
    // where the weighted mean would not (found by fuzzing: two values of 3e38 gave +inf): the
    // materialised path, which normalises first, then decides. Checked per batch element, while
    // its output is still in cache.
    if (!std::isfinite(detail::max_abs(args.out, Q * dv))) return false;
  }
  return true;
}

// The shared body of attention() and self_attention(), on validated views.
AttentionResult run(const detail::View3& q, const detail::View3& k, const detail::View3& v,
                    const ResolvedMask& mask, std::size_t heads, const AttentionOptions& o,
                    bool keep_trace) {
  AttentionResult result;  // the one object returned (no moves of its tensors)
  if (!keep_trace && detail::streams(o)) {
    if (run_streaming(q, k, v, mask, heads, o, result)) return result;
    // the rare fallback (see run_streaming) builds the [B, Q, K] matrix that streaming spared, so
    // only now does its size limit apply
    detail::check_scores_size(q, k);
  }
  const std::size_t B = q.b, Q = q.r, K = k.r, dv = v.c;
  const auto qk_shape = detail::shape3(q.batched, B, Q, K);

  Tensor p = detail::make_tensor(qk_shape, "weights [B, Q, K]");  // scores -> logits -> weights
  detail::score_into(q, k, o.score, p.data());
  detail::check_overflow(p.data(), p.size(), "scores", "scale queries and keys down");
  if (keep_trace) result.scores = p;
  for (std::size_t b = 0; b < B; ++b) {
    detail::to_logits(p.data() + b * Q * K, b / heads, Q, K, o.temperature, mask);
  }
  if (keep_trace) result.logits = p;
  detail::softmax_rows(p.data(), p.data(), B * Q, K);
  if (o.mode != Mode::soft) {
    if (keep_trace) result.probabilities = p;
    harden(p.data(), B * Q, K, o.mode, o.seed);
  }

  // output [B, Q, dv] = weights [B, Q, K] · values [B, K, dv]
  result.output = detail::make_tensor(detail::shape3(q.batched, B, Q, dv), "output");
  for (std::size_t b = 0; b < B; ++b) {
    detail::matmul(p.data() + b * Q * K, Q, K, v.at(b), dv, result.output.data() + b * Q * dv);
  }
  // weights rounded up can carry values near ±3.4e38 past the float32 range
  detail::check_overflow(result.output.data(), result.output.size(), "output", "scale values down");
  if (keep_trace && o.mode == Mode::soft) result.probabilities = p;
  if (o.weights || keep_trace) result.weights = std::move(p);
  return result;
}

}  // namespace

AttentionResult detail::attend_heads(const View3& q, const View3& k, const View3& v,
                                     const AttentionOptions& options, const ResolvedMask& mask,
                                     std::size_t heads) {
  return run(q, k, v, mask, heads, options, options.trace);
}

AttentionResult attention(const Tensor& queries, const Tensor& keys, const Tensor& values,
                          const AttentionOptions& options) {
  const detail::AttentionCall c = detail::check_attention_call(queries, keys, values, options);
  return run(c.q, c.k, c.v, c.mask, 1, options, options.trace);
}

SelfAttentionResult self_attention(const Tensor& x, const Tensor& wq, const Tensor& wk,
                                   const Tensor& wv, const AttentionOptions& options) {
  const detail::SelfAttentionCall c = detail::check_self_attention_call(x, wq, wk, wv, options);
  // Q = X W_Q, K = X W_K, V = X W_V over all B·T rows at once
  SelfAttentionResult r;
  const detail::View3& xv = c.x;
  auto project = [&](const Tensor& w, const detail::View3& shape, Tensor& out, const char* name) {
    out = detail::make_tensor(detail::shape3(xv.batched, xv.b, xv.r, shape.c), name);
    detail::matmul(xv.data, xv.b * xv.r, xv.c, w.data(), shape.c, out.data());
    detail::check_overflow(out.data(), out.size(), name, "scale x or the weights down");
    detail::View3 view = shape;
    view.data = out.data();
    view.max_abs = detail::max_abs(out.data(), out.size());
    return view;
  };
  const detail::View3 q = project(wq, c.q, r.q, "q");
  const detail::View3 k = project(wk, c.k, r.k, "k");
  const detail::View3 v = project(wv, c.v, r.v, "v");

  AttentionResult a = run(q, k, v, c.mask, 1, options, true);
  r.scores = std::move(a.scores);
  r.logits = std::move(a.logits);
  r.weights = std::move(a.weights);
  r.output = std::move(a.output);
  return r;
}

}  // namespace attn
