// THE reference softmax (and the additive scores' tanh sum), the kernels along a row. Read top to
// bottom; ../simd/rows.cpp follows the same passes with the same variable names. Accumulation is in
// double so the ground truth is of high quality. Every scalar/ file is compiled with
// auto-vectorisation off (see CMakeLists.txt), so that comparing the SIMD kernels against these
// compares two different instruction streams.
#include <cfloat>
#include <cmath>
#include <limits>

#include "../kernels.hpp"

namespace attn::kernels {

SoftmaxRowSteps softmax_row_steps__scalar(std::size_t n, const float* x, float* e,
                                          float* y) noexcept {
  // pass 1: row max (subtracting it keeps exp() from overflowing on inputs such as [90, 100])
  float max = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < n; ++j) max = x[j] > max ? x[j] : max;
  if (max == -std::numeric_limits<float>::infinity()) {
    // every entry masked with a -inf fill: no key may be attended, so no weight at all
    for (std::size_t j = 0; j < n; ++j) e[j] = y[j] = 0.0f;
    return {max, 0.0};
  }
  // pass 2: exp and sum; exp(-inf - max) = 0 exactly, so -inf-masked keys get weight 0
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double ej = std::exp(static_cast<double>(x[j]) - static_cast<double>(max));
    e[j] = static_cast<float>(ej);
    sum += ej;
  }
  // pass 3: normalise (e and y may alias x, so only e is read from here on)
  for (std::size_t j = 0; j < n; ++j) y[j] = static_cast<float>(static_cast<double>(e[j]) / sum);
  return {max, sum};
}

void softmax_row__scalar(std::size_t n, const float* x, float* y) noexcept {
  softmax_row_steps__scalar(n, x, y, y);
}

void additive__scalar(std::size_t m, std::size_t n, std::size_t h, const float* qp, const float* kp,
                      const float* v, float* c) noexcept {
  // c [m, n]: c[i, j] = vᵀ tanh(qp[i] + kp[j]), qp [m, h] = q W_q and kp [n, h] = k W_k
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < h; ++p) {
        const double feature =
            std::tanh(static_cast<double>(qp[i * h + p]) + static_cast<double>(kp[j * h + p]));
        acc += static_cast<double>(v[p]) * feature;
      }
      c[i * n + j] = static_cast<float>(acc);
    }
  }
}

}  // namespace attn::kernels
