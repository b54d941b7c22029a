// Validation, in one place (see checks.hpp): the public tensor checks of attn/tensor.hpp, the
// views and checks of src/, and one check_*_call per public call that validates all of its
// arguments before the math starts.
#include "checks.hpp"

#include "attn/explain.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace attn {

std::string shape_string(const Tensor::shape_type& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) (out += i ? ", " : "") += std::to_string(shape[i]);
  return out += ']';
}

float check_finite(const Tensor& t, const char* name) {
  const float* p = t.data();
  const float largest = detail::max_abs(p, t.size());
  if (std::isfinite(largest)) return largest;  // the usual case, in one vector pass
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (std::isfinite(p[i])) continue;
    // unravel the flat index for the message
    Tensor::shape_type index(t.dimension());
    std::size_t rest = i;
    for (std::size_t d = t.dimension(); d-- > 0;) {
      index[d] = rest % t.shape()[d];
      rest /= t.shape()[d];
    }
    const char* what = std::isnan(p[i]) ? "NaN" : (p[i] > 0 ? "Infinity" : "-Infinity");
    throw_range_error(std::string(name) + ": element " + shape_string(index) + " is " + what +
                      "; every input must be finite (values beyond ±3.4e38 overflow float32)");
  }
  return largest;  // not reached: a non-finite max comes from a non-finite element
}

std::size_t checked_product(std::initializer_list<std::size_t> dims) noexcept {
  std::size_t product = 1;
  for (std::size_t d : dims) {
    if (__builtin_mul_overflow(product, d, &product)) return SIZE_MAX;
  }
  return product;
}

void check_size(std::size_t elements, const char* name) {
  if (elements > kMaxElements) {
    const std::string count = elements == SIZE_MAX ? "more elements than size_t holds"
                                                   : std::to_string(elements) + " elements";
    throw_range_error(std::string(name) + ": " + count + ", over the limit of " +
                      std::to_string(kMaxElements) +
                      " elements (2^24, 64 MiB of float32) per tensor");
  }
}

namespace {

// A length as an index, or a RangeError naming it; `where` describes it, built only for the
// message (a per-row string would cost more than the check).
template <class Where>
std::uint32_t check_length(double len, std::size_t keys, const Where& where) {
  if (!(std::isfinite(len) && len == std::floor(len) && len >= 0 &&
        len <= static_cast<double>(keys))) {
    throw_range_error("validLens: " + std::string(where()) + " is " + std::to_string(len) +
                      "; lengths must be integers in [0, " + std::to_string(keys) +
                      "] (the number of keys)");
  }
  return static_cast<std::uint32_t>(len);
}

}  // namespace

// The mask options resolved against the shapes of a call, and validated: what kernels::KeyMask,
// the one mask rule, reads (see ResolvedMask::for_batch in logits.cpp).
ResolvedMask::ResolvedMask(const MaskOptions& options, std::size_t batch, std::size_t queries,
                           std::size_t keys, bool batched)
    : causal_(options.causal), fill_(options.fill), queries_(queries), keys_(keys) {
  detail::check_fill(options.fill);

  if (options.valid_lens) {
    const Lengths& lens = *options.valid_lens;
    const auto& s = lens.shape();
    lens_.resize(batch * queries);
    if (lens.dimension() == 0) {
      // a scalar: every row
      const std::uint32_t len = check_length(lens.data()[0], keys, [] { return "the length"; });
      std::fill(lens_.begin(), lens_.end(), len);
    } else if (batched && lens.dimension() == 1 && s[0] == batch) {
      // [B]: shared by all query rows of a batch element (d2l's repeat_interleave)
      for (std::size_t bi = 0; bi < batch; ++bi) {
        const auto len = check_length(lens.data()[bi], keys,
                                      [&] { return "element [" + std::to_string(bi) + "]"; });
        std::fill_n(lens_.begin() + bi * queries, queries, len);
      }
    } else if (batched && lens.dimension() == 2 && s[0] == batch && s[1] == queries) {
      // [B, Q]: one length per query row
      for (std::size_t i = 0; i < batch * queries; ++i) {
        lens_[i] = check_length(lens.data()[i], keys, [&] {
          return "element [" + std::to_string(i / queries) + ", " + std::to_string(i % queries) +
                 "]";
        });
      }
    } else if (!batched && lens.dimension() == 1 && s[0] == queries) {
      // [Q] for unbatched scores: one length per query row
      for (std::size_t i = 0; i < queries; ++i) {
        lens_[i] = check_length(lens.data()[i], keys,
                                [&] { return "element [" + std::to_string(i) + "]"; });
      }
    } else {
      const std::string q = std::to_string(queries), b = std::to_string(batch);
      throw_range_error(
          "validLens: shape " + shape_string(s) + " does not fit scores of shape " +
          (batched ? "[" + b + ", " + q + ", " + std::to_string(keys) + "]"
                   : "[" + q + ", " + std::to_string(keys) + "]") +
          "; expected a scalar" +
          (batched ? ", [" + b + "] (per batch element) or [" + b + ", " + q + "] (per query row)"
                   : " or [" + q + "] (per query row)"));
    }
  }

  if (options.mask) {
    const Tensor& m = *options.mask;
    const auto& s = m.shape();
    const bool shared = m.dimension() == 2 && s[0] == queries && s[1] == keys;
    const bool per_batch =
        batched && m.dimension() == 3 && s[0] == batch && s[1] == queries && s[2] == keys;
    if (!shared && !per_batch) {
      throw_range_error("mask: expected shape [" + std::to_string(queries) + ", " +
                        std::to_string(keys) + "]" +
                        (batched ? " or [" + std::to_string(batch) + ", " +
                                       std::to_string(queries) + ", " + std::to_string(keys) + "]"
                                 : "") +
                        " (1 = may attend, 0 = blocked), got " + shape_string(s));
    }
    for (std::size_t i = 0; i < m.size(); ++i) {
      const float x = m.data()[i];
      if (x != 0.0f && x != 1.0f) {
        throw_range_error("mask: entries must be 0 or 1, element " + std::to_string(i) +
                          " (flat) is " + std::to_string(x));
      }
    }
    mask_ = &m;
    mask_batched_ = per_batch;
  }
}

// The names of the choices in the API, parsed where every other argument is checked.
Scoring parse_scoring(const std::string& name) {
  if (name == "dot") return Scoring::dot;
  if (name == "scaled_dot") return Scoring::scaled_dot;
  if (name == "additive") return Scoring::additive;
  if (name == "bilinear") return Scoring::bilinear;
  throw_type_error("scoring: unknown scoring function '" + name +
                   "'; expected 'dot', 'scaled_dot', 'additive' or 'bilinear'");
}

Mode parse_mode(const std::string& name) {
  if (name == "soft") return Mode::soft;
  if (name == "argmax") return Mode::argmax;
  if (name == "sample") return Mode::sample;
  throw_type_error("mode: unknown mode '" + name + "'; expected 'soft', 'argmax' or 'sample'");
}

Distribution parse_distribution(const std::string& name) {
  if (name == "normal") return Distribution::normal;
  if (name == "uniform") return Distribution::uniform;
  throw_type_error("distribution: unknown distribution '" + name +
                   "'; expected 'normal' or 'uniform'");
}

Reduce parse_reduce(const std::string& name) {
  if (name == "mean") return Reduce::mean;
  if (name == "max") return Reduce::max;
  throw_type_error("reduce: unknown reduction '" + name + "'; expected 'mean' or 'max'");
}

}  // namespace attn

namespace attn::detail {

View3 view3(const Tensor& t, const char* name, const char* dims) {
  const auto& s = t.shape();
  if (t.dimension() != 2 && t.dimension() != 3) {
    throw_range_error(std::string(name) + ": expected shape " + dims + ", got " + shape_string(s) +
                      " (rank " + std::to_string(t.dimension()) + ")");
  }
  for (std::size_t d : s) {
    if (d == 0) {
      throw_range_error(std::string(name) + ": every dimension must be at least 1, got " +
                        shape_string(s));
    }
  }
  check_size(t.size(), name);
  const float largest = check_finite(t, name);
  const bool batched = t.dimension() == 3;
  return View3{t.data(), batched ? s[0] : 1, s[batched ? 1 : 0], s[batched ? 2 : 1], batched,
               largest};
}

void check_rows(const Tensor& x, const char* name) {
  if (x.dimension() == 0)
    throw_range_error(std::string(name) + ": expected at least one axis, got a scalar");
  for (std::size_t d : x.shape()) {
    if (d == 0) {
      throw_range_error(std::string(name) + ": every dimension must be at least 1, got " +
                        shape_string(x.shape()));
    }
  }
  check_size(x.size(), name);
}

void check_matrix(const Tensor& w, const char* name, std::size_t rows, std::size_t cols,
                  const std::string& why) {
  const bool rank_ok = w.dimension() == 2;
  const bool fits = rank_ok && (rows == 0 || w.shape()[0] == rows) &&
                    (cols == 0 || w.shape()[1] == cols) && w.shape()[0] > 0 && w.shape()[1] > 0;
  if (!fits) {
    const std::string want = "[" + (rows ? std::to_string(rows) : std::string("any")) + ", " +
                             (cols ? std::to_string(cols) : std::string("any")) + "]";
    throw_range_error(std::string(name) + ": expected shape " + want + ", got " +
                      shape_string(w.shape()) + (why.empty() ? "" : " (" + why + ")"));
  }
  check_size(w.size(), name);
  check_finite(w, name);
}

void check_softmax_call(const Tensor& x, double temperature) {
  check_rows(x, "x");
  check_finite(x, "x");
  check_temperature(temperature);
}

void check_softmax_steps_call(const Tensor& x, double temperature) {
  check_rows(x, "x");
  // -inf is allowed here: it is how a -inf fill arrives from a trace's logits
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x.data()[i];
    if (std::isnan(v) || v == INFINITY) {
      throw_range_error("x: element " + std::to_string(i) + " (flat) is " +
                        (std::isnan(v) ? "NaN" : "Infinity") +
                        "; logits must be finite or -Infinity");
    }
  }
  check_temperature(temperature);
}

MaskCall check_mask_call(const Tensor& x, const MaskOptions& options) {
  const View3 v = view3(x, "x", "[Q, K] or [B, Q, K]");
  return {v, ResolvedMask(options, v.b, v.r, v.c, v.batched)};
}

void check_random_call(double scale, int decimals, double offset) {
  if (!(std::isfinite(offset) && std::fabs(offset) <= 1e30)) {
    throw_range_error("offset: must be a finite number within ±1e30, got " +
                      std::to_string(offset));
  }
  if (!(std::isfinite(scale) && scale > 0 && scale <= 1e30)) {
    throw_range_error("scale: must be a finite number in (0, 1e30], got " + std::to_string(scale));
  }
  if (decimals < -1 || decimals > 6) {
    throw_range_error("decimals: must be an integer in [0, 6] (or omitted), got " +
                      std::to_string(decimals));
  }
}

void check_elementwise_call(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) {
    throw_range_error("b: shape " + shape_string(b.shape()) + " does not match a " +
                      shape_string(a.shape()));
  }
  check_size(a.size(), "a");
  check_finite(a, "a");
  check_finite(b, "b");
}

void check_scale_experiment_call(const std::vector<std::size_t>& dims, std::size_t keys,
                                 std::size_t samples) {
  if (dims.empty() || dims.size() > 64) throw_range_error("dims: expected 1 to 64 widths");
  for (std::size_t d : dims) {
    if (d < 1 || d > 4096)
      throw_range_error("dims: every width must be in [1, 4096], got " + std::to_string(d));
  }
  if (keys < 1 || keys > 1024)
    throw_range_error("keys: must be in [1, 1024], got " + std::to_string(keys));
  if (samples < 1 || samples > 4096)
    throw_range_error("samples: must be in [1, 4096], got " + std::to_string(samples));
  // bound the work (multiply-adds) so a call can never freeze a page: about 0.1 s at most
  std::size_t width = 0;
  for (std::size_t d : dims) width += d;
  const std::size_t work = checked_product({samples, keys, width});
  constexpr std::size_t kMaxWork = std::size_t{1} << 26;
  if (work > kMaxWork) {
    throw_range_error("samples: samples × keys × Σdims = " + std::to_string(work) +
                      " is over the limit of " + std::to_string(kMaxWork) +
                      "; use fewer samples, keys or widths");
  }
}

void check_downsample_call(const Tensor& x, std::size_t rows, std::size_t cols) {
  if (x.dimension() != 2) {
    throw_range_error("x: expected shape [M, N], got " + shape_string(x.shape()) + " (rank " +
                      std::to_string(x.dimension()) + ")");
  }
  check_rows(x, "x");
  check_size(x.size(), "x");
  check_finite(x, "x");
  const std::size_t m = x.shape()[0], n = x.shape()[1];
  if (rows < 1 || rows > m) {
    throw_range_error("rows: must be in [1, " + std::to_string(m) + "] for x " +
                      shape_string(x.shape()) + ", got " + std::to_string(rows));
  }
  if (cols < 1 || cols > n) {
    throw_range_error("cols: must be in [1, " + std::to_string(n) + "] for x " +
                      shape_string(x.shape()) + ", got " + std::to_string(cols));
  }
}

void check_positional_call(std::size_t length, std::size_t dim) {
  if (length < 1 || dim < 1) {
    throw_range_error("positionalEncoding: length and dim must be at least 1, got length = " +
                      std::to_string(length) + ", dim = " + std::to_string(dim));
  }
}

Tensor::shape_type shape3(bool batched, std::size_t b, std::size_t r, std::size_t c) {
  return batched ? Tensor::shape_type{b, r, c} : Tensor::shape_type{r, c};
}

Tensor make_tensor(const Tensor::shape_type& shape, const char* name) {
  std::size_t n = 1;
  for (std::size_t d : shape) n = checked_product({n, d});
  check_size(n, name);
  return Tensor::from_shape(shape);
}

void check_temperature(double temperature) {
  if (!(std::isfinite(temperature) && temperature > 0)) {
    throw_range_error("temperature: must be a finite number > 0, got " +
                      std::to_string(temperature));
  }
}

void check_fill(float fill) {
  if (std::isnan(fill) || fill == INFINITY) {
    throw_range_error("fill: must be a number or -Infinity (not NaN or +Infinity), got " +
                      std::to_string(fill));
  }
}

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
                          " and dk = " + dk() +
                          " (use 'additive' or 'bilinear' for different widths)");
      }
      break;
    case Scoring::additive: {
      const Tensor& wq = require(o.wq, "wq", "additive");
      const Tensor& wk = require(o.wk, "wk", "additive");
      const Tensor& v = require(o.v, "v", "additive");
      check_matrix(wq, "wq", q.c, 0, "[dq, hidden], dq = " + dq());
      const std::size_t hidden = wq.shape()[1];
      check_matrix(
          wk, "wk", k.c, hidden,
          "[dk, hidden], dk = " + dk() + ", hidden = " + std::to_string(hidden) + " from wq");
      if (v.dimension() != 1 || v.shape()[0] != hidden) {
        throw_range_error("v: expected shape [" + std::to_string(hidden) +
                          "] (hidden, from wq), got " + shape_string(v.shape()));
      }
      check_finite(v, "v");
      check_size(checked_product({q.r, hidden}), "wq projection [Q, hidden]");
      check_size(checked_product({k.r, hidden}), "wk projection [K, hidden]");
      break;
    }
    case Scoring::bilinear:
      check_matrix(require(o.w, "w", "bilinear"), "w", q.c, k.c,
                   "[dq, dk] = [" + dq() + ", " + dk() + "]");
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

ScoreCall check_score_call(const Tensor& queries, const Tensor& keys, const ScoreOptions& options) {
  const View3 q = view3(queries, "queries", "[Q, dq] or [B, Q, dq]");
  const View3 k = view3(keys, "keys", "[K, dk] or [B, K, dk]");
  if (q.batched != k.batched) {
    throw_range_error("keys: rank " + std::to_string(keys.dimension()) +
                      " does not match queries' rank " + std::to_string(queries.dimension()) +
                      " (both [.., Q|K, d] or both [B, .., d])");
  }
  check_score(q, k, options);
  check_scores_size(q, k);
  return {q, k};
}

bool streams(const AttentionOptions& o) {
  return !o.trace && o.mode == Mode::soft && o.score.scoring != Scoring::additive;
}

namespace {
// The checks of attention() and self_attention() that follow from the shapes of q, k and v alone.
void check_attention_options(const View3& q, const View3& k, const View3& v,
                             const AttentionOptions& o, bool trace) {
  check_score(q, k, o.score);
  if (trace || !streams(o) || o.weights) check_scores_size(q, k);
  check_temperature(o.temperature);
  check_size(checked_product({q.b, q.r, v.c}), "output [B, Q, dv]");
}
}  // namespace

AttentionCall check_attention_call(const Tensor& queries, const Tensor& keys, const Tensor& values,
                                   const AttentionOptions& o) {
  const View3 q = view3(queries, "queries", "[Q, dq] or [B, Q, dq]");
  const View3 k = view3(keys, "keys", "[K, dk] or [B, K, dk]");
  const View3 v = view3(values, "values", "[K, dv] or [B, K, dv]");
  if (q.batched != k.batched || q.batched != v.batched) {
    throw_range_error("queries, keys, values: ranks " + std::to_string(queries.dimension()) + ", " +
                      std::to_string(keys.dimension()) + ", " + std::to_string(values.dimension()) +
                      " differ; give all three a batch axis or none (shapes " +
                      shape_string(queries.shape()) + ", " + shape_string(keys.shape()) + ", " +
                      shape_string(values.shape()) + ")");
  }
  if (v.b != k.b || v.r != k.r) {
    throw_range_error("values: shape " + shape_string(values.shape()) + " does not match keys " +
                      shape_string(keys.shape()) + "; values need one row per key");
  }
  check_attention_options(q, k, v, o, o.trace);
  return {q, k, v, ResolvedMask(o.mask, q.b, q.r, k.r, q.batched)};
}

SelfAttentionCall check_self_attention_call(const Tensor& x, const Tensor& wq, const Tensor& wk,
                                            const Tensor& wv, const AttentionOptions& o) {
  const View3 xv = view3(x, "x", "[T, d] or [B, T, d]");
  if (o.score.scoring == Scoring::additive) {
    throw_type_error(
        "scoring: 'additive' is not available in selfAttention (its wq/wk would collide with the "
        "projections); project first, then call attention() with scoring 'additive'");
  }
  const std::string d = std::to_string(xv.c);
  check_matrix(wq, "wq", xv.c, 0, "[d, dk], d = " + d + " from x");
  check_matrix(wk, "wk", xv.c, wq.shape()[1],
               "[d, dk], dk = " + std::to_string(wq.shape()[1]) + " from wq");
  check_matrix(wv, "wv", xv.c, 0, "[d, dv], d = " + d + " from x");
  // Q = X W_Q, K = X W_K, V = X W_V: their shapes, before they exist
  const auto projection = [&](const Tensor& w, const char* name) {
    check_size(checked_product({xv.b, xv.r, w.shape()[1]}), name);
    return View3{nullptr, xv.b, xv.r, w.shape()[1], xv.batched, 0.0f};
  };
  const View3 q = projection(wq, "q"), k = projection(wk, "k"), v = projection(wv, "v");
  check_attention_options(q, k, v, o, true);  // self_attention always keeps the trace
  return {xv, q, k, v, ResolvedMask(o.mask, xv.b, xv.r, xv.r, xv.batched)};
}

void check_overflow(const float* data, std::size_t n, const char* what, const char* hint) {
  if (std::isfinite(max_abs(data, n))) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i])) throw_overflow_at(i, what, hint);
  }
}

void throw_overflow_at(std::size_t index, const char* what, const char* hint) {
  throw_range_error(std::string(what) + ": entry " + std::to_string(index) +
                    " (flat) overflowed float32 (|x| > 3.4e38) although every input is finite; " +
                    hint);
}

}  // namespace attn::detail
