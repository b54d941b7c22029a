// Test helpers: deterministic random inputs, float64 references of the attention math, a tolerant
// comparison (|got - want| <= abs_tol + rel_tol * |want|) and an attn::Error matcher.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "attn/attn.hpp"

namespace attn::test {

inline std::vector<float> random_vector(std::size_t n, float lo, float hi, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

inline Tensor random_tensor(const Tensor::shape_type& shape, std::uint32_t seed, float lo = -1.0f,
                            float hi = 1.0f) {
  Tensor t = Tensor::from_shape(shape);
  const auto v = random_vector(t.size(), lo, hi, seed);
  std::copy(v.begin(), v.end(), t.begin());
  return t;
}

// Nested-list literal for small tensors: T2({{1, 2}, {3, 4}}).
inline Tensor T2(std::initializer_list<std::initializer_list<float>> rows) {
  const std::size_t r = rows.size(), c = rows.begin()->size();
  Tensor t = Tensor::from_shape({r, c});
  std::size_t i = 0;
  for (const auto& row : rows)
    for (float x : row) t.data()[i++] = x;
  return t;
}

inline ::testing::AssertionResult near(const float* got, const double* want, std::size_t n,
                                       double abs_tol, double rel_tol) {
  for (std::size_t i = 0; i < n; ++i) {
    const double g = got[i], w = want[i];
    const bool both_inf = std::isinf(g) && std::isinf(w) && (g > 0) == (w > 0);
    if (!both_inf && !(std::fabs(g - w) <= abs_tol + rel_tol * std::fabs(w))) {
      return ::testing::AssertionFailure()
             << "element " << i << ": got " << g << ", want " << w << " (diff " << g - w << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult tensor_near(const Tensor& got, const std::vector<double>& want,
                                              double abs_tol = 1e-6, double rel_tol = 1e-5) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << "size " << got.size() << " != " << want.size();
  }
  return near(got.data(), want.data(), want.size(), abs_tol, rel_tol);
}

// Row-wise softmax of `x` (rows of n) in float64; a row of all -inf gives zeros.
inline std::vector<double> reference_softmax(const std::vector<double>& x, std::size_t n) {
  std::vector<double> y(x.size(), 0.0);
  for (std::size_t r = 0; r * n < x.size(); ++r) {
    const double* row = x.data() + r * n;
    double max = -INFINITY;
    for (std::size_t j = 0; j < n; ++j) max = std::max(max, row[j]);
    if (max == -INFINITY) continue;
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += std::exp(row[j] - max);
    for (std::size_t j = 0; j < n; ++j) y[r * n + j] = std::exp(row[j] - max) / sum;
  }
  return y;
}

// The float64 reference of downsample: every block by its definition (edges ⌊i·M/rows⌋), mean or max.
inline std::vector<double> reference_downsample(const Tensor& x, std::size_t rows, std::size_t cols,
                                                bool max) {
  const std::size_t m = x.shape()[0], n = x.shape()[1];
  std::vector<double> out;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      double sum = 0, best = -INFINITY, count = 0;
      for (std::size_t i = r * m / rows; i < (r + 1) * m / rows; ++i) {
        for (std::size_t j = c * n / cols; j < (c + 1) * n / cols; ++j) {
          sum += x(i, j);
          best = std::max(best, static_cast<double>(x(i, j)));
          count += 1;
        }
      }
      out.push_back(max ? best : sum / count);
    }
  }
  return out;
}

// float64 reference of masked attention from given scores [Q, K] (one batch element):
// logits = scores / temperature with blocked entries (keep[i][j] false) replaced by `fill`, weights =
// row-wise softmax of the logits (a row whose logits are all -inf has zero weights and a zero
// output), output = weights · v. `keep` empty keeps everything.
struct Reference {
  std::vector<double> scores, logits, weights, output;
};
inline Reference reference_from_scores(std::vector<double> scores, const float* v, std::size_t Q,
                                       std::size_t K, std::size_t dv, double temperature,
                                       const std::vector<std::vector<bool>>& keep, double fill) {
  Reference r;
  r.scores = std::move(scores);
  r.logits.assign(Q * K, 0.0);
  for (std::size_t i = 0; i < Q; ++i) {
    for (std::size_t j = 0; j < K; ++j) {
      r.logits[i * K + j] = keep.empty() || keep[i][j] ? r.scores[i * K + j] / temperature : fill;
    }
  }
  r.weights = reference_softmax(r.logits, K);
  r.output.assign(Q * dv, 0.0);
  for (std::size_t i = 0; i < Q; ++i) {
    for (std::size_t c = 0; c < dv; ++c) {
      double acc = 0;
      for (std::size_t j = 0; j < K; ++j) acc += r.weights[i * K + j] * double(v[j * dv + c]);
      r.output[i * dv + c] = acc;
    }
  }
  return r;
}

// float64 scores [Q, K] of one batch element from the definitions in scoring.hpp, reading the
// weights of `o` (test inputs) element by element in the "x W" layout [in, out].
inline std::vector<double> reference_scores(const float* q, const float* k, std::size_t Q,
                                            std::size_t K, std::size_t dq, std::size_t dk,
                                            const ScoreOptions& o) {
  std::vector<double> s(Q * K, 0.0);
  for (std::size_t i = 0; i < Q; ++i) {
    for (std::size_t j = 0; j < K; ++j) {
      double acc = 0;
      switch (o.scoring) {
        case Scoring::dot:
        case Scoring::scaled_dot:
          for (std::size_t p = 0; p < dq; ++p) acc += double(q[i * dq + p]) * double(k[j * dk + p]);
          if (o.scoring == Scoring::scaled_dot) acc /= std::sqrt(double(dq));
          break;
        case Scoring::additive: {
          const std::size_t h = o.wq->shape()[1];
          for (std::size_t p = 0; p < h; ++p) {
            double a = 0;  // (q W_q)[i, p] + (k W_k)[j, p]
            for (std::size_t c = 0; c < dq; ++c) a += double(q[i * dq + c]) * double((*o.wq)(c, p));
            for (std::size_t c = 0; c < dk; ++c) a += double(k[j * dk + c]) * double((*o.wk)(c, p));
            acc += double((*o.v)(p)) * std::tanh(a);
          }
          break;
        }
        case Scoring::bilinear:
          for (std::size_t a = 0; a < dq; ++a) {
            for (std::size_t b = 0; b < dk; ++b) {
              acc += double(q[i * dq + a]) * double((*o.w)(a, b)) * double(k[j * dk + b]);
            }
          }
          break;
      }
      s[i * K + j] = acc;
    }
  }
  return s;
}

// float64 reference of masked dot-product attention on one [Q, K] problem, scores multiplied by
// `scale`, straight from the definitions (independent of src/ and kernels/).
inline Reference reference_attention(const float* q, const float* k, const float* v, std::size_t Q,
                                     std::size_t K, std::size_t d, std::size_t dv, double scale,
                                     double temperature, const std::vector<std::vector<bool>>& keep,
                                     double fill) {
  ScoreOptions dot;
  dot.scoring = Scoring::dot;
  std::vector<double> scores = reference_scores(q, k, Q, K, d, d, dot);
  for (double& s : scores) s *= scale;
  return reference_from_scores(std::move(scores), v, Q, K, dv, temperature, keep, fill);
}

// Whether key j may be attended by query i of batch element b (for the batched references).
using KeepFn = std::function<bool(std::size_t b, std::size_t i, std::size_t j)>;

// The float64 reference over every batch element of rank-2 or rank-3 q, k, v (concatenated in
// row-major order, so it lines up with the engine's flat data). `keep` empty keeps everything.
inline Reference reference_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                     const ScoreOptions& so, double temperature,
                                     const KeepFn& keep = {}, double fill = kDefaultFill) {
  const bool batched = q.dimension() == 3;
  const std::size_t B = batched ? q.shape()[0] : 1, Q = q.shape()[batched ? 1 : 0],
                    K = k.shape()[batched ? 1 : 0], dq = q.shape().back(), dk = k.shape().back(),
                    dv = v.shape().back();
  Reference all;
  for (std::size_t b = 0; b < B; ++b) {
    std::vector<std::vector<bool>> kept;
    if (keep) {
      kept.assign(Q, std::vector<bool>(K));
      for (std::size_t i = 0; i < Q; ++i) {
        for (std::size_t j = 0; j < K; ++j) kept[i][j] = keep(b, i, j);
      }
    }
    const float* qb = q.data() + b * Q * dq;
    const float* kb = k.data() + b * K * dk;
    Reference r = reference_from_scores(reference_scores(qb, kb, Q, K, dq, dk, so),
                                        v.data() + b * K * dv, Q, K, dv, temperature, kept, fill);
    for (auto [from, to] :
         {std::pair{&r.scores, &all.scores}, std::pair{&r.logits, &all.logits},
          std::pair{&r.weights, &all.weights}, std::pair{&r.output, &all.output}}) {
      to->insert(to->end(), from->begin(), from->end());
    }
  }
  return all;
}

inline std::vector<double> to_doubles(const Tensor& t) { return {t.begin(), t.end()}; }

// --- float64 references of multi-head attention and the transformer-block ops ---------------------
// Straight from the formulas of attn/multihead.hpp and attn/block.hpp, on float64 rows, reading the
// float32 weights element by element in the "x W" layout [in, out].

// rows x [n, din] · w [din, dout] + bias [dout] (bias may be null)
inline std::vector<double> reference_linear(const double* x, std::size_t n, std::size_t din,
                                            const Tensor& w, const Tensor* bias = nullptr) {
  const std::size_t dout = w.shape()[1];
  std::vector<double> out(n * dout, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < dout; ++c) {
      double acc = bias ? double(bias->data()[c]) : 0.0;
      for (std::size_t p = 0; p < din; ++p) acc += x[r * din + p] * double(w(p, c));
      out[r * dout + c] = acc;
    }
  }
  return out;
}

struct MultiHeadReference {
  std::vector<double> q, k, v;                  // [B, Q|K, D]
  std::vector<double> scores, logits, weights;  // [B, H, Q, K]
  std::vector<double> heads, output;            // [B, Q, D], [B, Q, dout]
};

// Multi-head attention of B batch elements of Q query rows qin [B, Q, dq] and K key rows kin
// [B, K, dk], vin [B, K, dv]: project (+ biases), split the last axis into H contiguous chunks,
// scaled dot per head with 1/sqrt(D/H), temperature, masks (`keep`), softmax, concatenate, · W_O + b_O.
inline MultiHeadReference reference_multi_head(const std::vector<double>& qin,
                                               const std::vector<double>& kin,
                                               const std::vector<double>& vin, std::size_t B,
                                               std::size_t Q, std::size_t K,
                                               const MultiHeadOptions& o, const KeepFn& keep = {}) {
  const std::size_t H = o.num_heads, D = o.wq->shape()[1], d = D / H;
  auto bias = [](const std::optional<Tensor>& b) { return b ? &*b : nullptr; };
  MultiHeadReference r;
  // 1. project
  r.q = reference_linear(qin.data(), B * Q, qin.size() / (B * Q), *o.wq, bias(o.bq));
  r.k = reference_linear(kin.data(), B * K, kin.size() / (B * K), *o.wk, bias(o.bk));
  r.v = reference_linear(vin.data(), B * K, vin.size() / (B * K), *o.wv, bias(o.bv));
  r.scores.assign(B * H * Q * K, 0.0);
  r.logits = r.weights = r.scores;
  r.heads.assign(B * Q * D, 0.0);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t h = 0; h < H; ++h) {
      const std::size_t base = (b * H + h) * Q * K;
      // 2-3. head h owns columns [h d, (h + 1) d)
      for (std::size_t i = 0; i < Q; ++i) {
        for (std::size_t j = 0; j < K; ++j) {
          double s = 0;
          for (std::size_t c = h * d; c < (h + 1) * d; ++c)
            s += r.q[(b * Q + i) * D + c] * r.k[(b * K + j) * D + c];
          s /= std::sqrt(double(d));
          r.scores[base + i * K + j] = s;
          r.logits[base + i * K + j] =
              !keep || keep(b, i, j) ? s / o.temperature : double(o.mask.fill);
        }
      }
      const std::vector<double> block(r.logits.begin() + base, r.logits.begin() + base + Q * K);
      const std::vector<double> w = reference_softmax(block, K);
      std::copy(w.begin(), w.end(), r.weights.begin() + base);
      for (std::size_t i = 0; i < Q; ++i) {
        for (std::size_t c = h * d; c < (h + 1) * d; ++c) {
          double acc = 0;
          for (std::size_t j = 0; j < K; ++j) acc += w[i * K + j] * r.v[(b * K + j) * D + c];
          r.heads[(b * Q + i) * D + c] = acc;
        }
      }
    }
  }
  // 4. concatenated heads · W_O + b_O
  r.output = reference_linear(r.heads.data(), B * Q, D, *o.wo, bias(o.bo));
  return r;
}

// The same from float32 tensors [(B,) Q|K, d].
inline MultiHeadReference reference_multi_head(const Tensor& queries, const Tensor& keys,
                                               const Tensor& values, const MultiHeadOptions& o,
                                               const KeepFn& keep = {}) {
  const bool batched = queries.dimension() == 3;
  const std::size_t B = batched ? queries.shape()[0] : 1, Q = queries.shape()[batched ? 1 : 0],
                    K = keys.shape()[batched ? 1 : 0];
  return reference_multi_head(to_doubles(queries), to_doubles(keys), to_doubles(values), B, Q, K, o,
                              keep);
}

// Layer norm of each row of D: (x - mean) / sqrt(var + eps) · gamma + beta, biased variance.
inline std::vector<double> reference_layer_norm(const std::vector<double>& x, std::size_t D,
                                                const Tensor* gamma, const Tensor* beta,
                                                double eps) {
  std::vector<double> y(x.size());
  for (std::size_t r = 0; r * D < x.size(); ++r) {
    const double* row = x.data() + r * D;
    double mean = 0, var = 0;
    for (std::size_t j = 0; j < D; ++j) mean += row[j];
    mean /= double(D);
    for (std::size_t j = 0; j < D; ++j) var += (row[j] - mean) * (row[j] - mean);
    var /= double(D);
    for (std::size_t j = 0; j < D; ++j) {
      y[r * D + j] =
          (row[j] - mean) / std::sqrt(var + eps) * (gamma ? double(gamma->data()[j]) : 1.0) +
          (beta ? double(beta->data()[j]) : 0.0);
    }
  }
  return y;
}

// The feed-forward network on rows x [n, D]: hidden = activation(x W1 + b1), output = hidden W2 + b2.
struct FeedForwardReference {
  std::vector<double> hidden, output;
};
inline FeedForwardReference reference_feed_forward(const std::vector<double>& x, std::size_t D,
                                                   const Tensor& w1, const Tensor* b1,
                                                   const Tensor& w2, const Tensor* b2,
                                                   Activation activation) {
  const std::size_t n = x.size() / D, F = w1.shape()[1];
  FeedForwardReference r;
  r.hidden = reference_linear(x.data(), n, D, w1, b1);
  for (double& h : r.hidden) {
    h = activation == Activation::relu ? std::max(h, 0.0)
                                       : 0.5 * h * (1.0 + std::erf(h / std::sqrt(2.0)));
  }
  r.output = reference_linear(r.hidden.data(), n, F, w2, b2);
  return r;
}

// Random multi-head options: W_Q [dq, D], W_K [dk, D], W_V [dv, D], W_O [D, dout], and with `biases`
// b_Q, b_K, b_V [D], b_O [dout].
inline MultiHeadOptions multi_head_options(std::size_t dq, std::size_t dk, std::size_t dv,
                                           std::size_t D, std::size_t dout, std::size_t heads,
                                           std::uint32_t seed, bool biases = false) {
  MultiHeadOptions o;
  o.num_heads = heads;
  o.wq = random_tensor({dq, D}, seed);
  o.wk = random_tensor({dk, D}, seed + 1);
  o.wv = random_tensor({dv, D}, seed + 2);
  o.wo = random_tensor({D, dout}, seed + 3);
  if (biases) {
    o.bq = random_tensor({D}, seed + 4);
    o.bk = random_tensor({D}, seed + 5);
    o.bv = random_tensor({D}, seed + 6);
    o.bo = random_tensor({dout}, seed + 7);
  }
  return o;
}

// One transformer encoder layer (attn/block.hpp) on x [B, T, D] (unbatched: B = 1), every
// intermediate kept under the names of TransformerBlockResult.
struct TransformerBlockReference {
  MultiHeadReference attention;  // its output is the attention sublayer's
  std::vector<double> residual1, norm1, hidden, feed_forward, residual2, norm2, output;
};
inline TransformerBlockReference reference_transformer_block(const Tensor& x,
                                                             const TransformerBlockOptions& o,
                                                             const KeepFn& keep = {}) {
  const bool batched = x.dimension() == 3;
  const std::size_t B = batched ? x.shape()[0] : 1, T = x.shape()[batched ? 1 : 0],
                    D = x.shape().back();
  auto ptr = [](const std::optional<Tensor>& t) { return t ? &*t : nullptr; };
  MultiHeadOptions mo;
  mo.num_heads = o.num_heads;
  mo.wq = o.wq, mo.wk = o.wk, mo.wv = o.wv, mo.wo = o.wo, mo.bq = o.bq, mo.bk = o.bk, mo.bv = o.bv,
  mo.bo = o.bo;
  mo.mask.fill = o.mask.fill;
  auto attend = [&](const std::vector<double>& in) {
    return reference_multi_head(in, in, in, B, T, T, mo, keep);
  };
  auto norm = [&](const std::vector<double>& in, const std::optional<Tensor>& g,
                  const std::optional<Tensor>& b) {
    return reference_layer_norm(in, D, ptr(g), ptr(b), o.eps);
  };
  auto sum = [](const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> s(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) s[i] = a[i] + b[i];
    return s;
  };
  const std::vector<double> xs = to_doubles(x);
  TransformerBlockReference r;
  FeedForwardReference f;
  if (o.norm == Norm::post) {
    r.attention = attend(xs);
    r.residual1 = sum(xs, r.attention.output);
    r.norm1 = norm(r.residual1, o.gamma1, o.beta1);
    f = reference_feed_forward(r.norm1, D, *o.w1, ptr(o.b1), *o.w2, ptr(o.b2), o.activation);
    r.residual2 = sum(r.norm1, f.output);
    r.norm2 = norm(r.residual2, o.gamma2, o.beta2);
    r.output = r.norm2;
  } else {
    r.norm1 = norm(xs, o.gamma1, o.beta1);
    r.attention = attend(r.norm1);
    r.residual1 = sum(xs, r.attention.output);
    r.norm2 = norm(r.residual1, o.gamma2, o.beta2);
    f = reference_feed_forward(r.norm2, D, *o.w1, ptr(o.b1), *o.w2, ptr(o.b2), o.activation);
    r.residual2 = sum(r.residual1, f.output);
    r.output = r.residual2;
  }
  r.hidden = std::move(f.hidden);
  r.feed_forward = std::move(f.output);
  return r;
}

// The shape as a std::vector, which GoogleTest prints on failure.
inline std::vector<std::size_t> dims(const Tensor& t) {
  return {t.shape().begin(), t.shape().end()};
}

// A 0-d Lengths: one valid length for every row.
inline Lengths scalar_length(double len) { return Lengths(len); }

// Success when `f` throws attn::Error of `kind` whose message contains `needle` (the argument name).
template <class F>
::testing::AssertionResult throws_error(ErrorKind kind, const std::string& needle, F&& f) {
  const char* want = kind == ErrorKind::type ? "type" : "range";
  try {
    f();
  } catch (const Error& e) {
    const char* got = e.kind() == ErrorKind::type ? "type" : "range";
    if (e.kind() != kind) {
      return ::testing::AssertionFailure()
             << "threw a " << got << " error, want " << want << ": " << e.what();
    }
    if (std::string(e.what()).find(needle) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "message does not mention '" << needle << "': " << e.what();
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw something other than attn::Error: " << e.what();
  }
  return ::testing::AssertionFailure()
         << "did not throw (want a " << want << " error naming '" << needle << "')";
}
template <class F>
::testing::AssertionResult throws_range(const std::string& needle, F&& f) {
  return throws_error(ErrorKind::range, needle, std::forward<F>(f));
}
template <class F>
::testing::AssertionResult throws_type(const std::string& needle, F&& f) {
  return throws_error(ErrorKind::type, needle, std::forward<F>(f));
}

}  // namespace attn::test
