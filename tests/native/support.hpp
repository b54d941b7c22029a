// Test helpers: deterministic random inputs, a float64 reference of the attention math, and a
// tolerant comparison (|got - want| <= abs_tol + rel_tol * |want|).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
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
  for (const auto& row : rows) for (float x : row) t.data()[i++] = x;
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

// float64 reference of masked scaled-dot attention on one [Q, K] problem, straight from the
// definitions (independent of src/ and kernels/).
struct Reference {
  std::vector<double> scores, weights, output;
};
inline Reference reference_attention(const float* q, const float* k, const float* v, std::size_t Q,
                                     std::size_t K, std::size_t d, std::size_t dv, double scale,
                                     double temperature, const std::vector<std::vector<bool>>& keep,
                                     double fill) {
  Reference r;
  r.scores.assign(Q * K, 0.0);
  r.weights.assign(Q * K, 0.0);
  r.output.assign(Q * dv, 0.0);
  for (std::size_t i = 0; i < Q; ++i) {
    std::vector<double> logits(K);
    for (std::size_t j = 0; j < K; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < d; ++p) s += double(q[i * d + p]) * double(k[j * d + p]);
      r.scores[i * K + j] = s * scale;
      logits[j] = keep.empty() || keep[i][j] ? s * scale / temperature : fill;
    }
    double max = -INFINITY;
    for (double x : logits) max = std::max(max, x);
    if (max == -INFINITY) continue;  // nothing to attend: zero weights, zero output
    double sum = 0;
    for (double x : logits) sum += std::exp(x - max);
    for (std::size_t j = 0; j < K; ++j) r.weights[i * K + j] = std::exp(logits[j] - max) / sum;
    for (std::size_t c = 0; c < dv; ++c) {
      double acc = 0;
      for (std::size_t j = 0; j < K; ++j) acc += r.weights[i * K + j] * double(v[j * dv + c]);
      r.output[i * dv + c] = acc;
    }
  }
  return r;
}

}  // namespace attn::test
