// THE reference kernels. Read top to bottom; every SIMD kernel in ../simd/ follows the same passes
// with the same variable names. Accumulation is in double so the ground truth is of high quality.
// This file is compiled with auto-vectorisation off (see CMakeLists.txt) so that comparing the SIMD
// kernels against it compares two different instruction streams.
#include <cmath>
#include <limits>

#include "../kernels.hpp"

namespace attn::kernels {

void softmax_row__scalar(std::size_t n, const float* x, float* y) {
  // pass 1: row max (subtracting it keeps exp() from overflowing on inputs such as [90, 100])
  float max = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < n; ++j) max = x[j] > max ? x[j] : max;
  if (max == -std::numeric_limits<float>::infinity()) {
    // every entry masked with a -inf fill: no key may be attended, so no weight at all
    for (std::size_t j = 0; j < n; ++j) y[j] = 0.0f;
    return;
  }
  // pass 2: exp and sum; exp(-inf - max) = 0 exactly, so -inf-masked keys get weight 0
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double e = std::exp(static_cast<double>(x[j]) - static_cast<double>(max));
    y[j] = static_cast<float>(e);
    sum += e;
  }
  // pass 3: normalise (y may alias x, so only y is read from here on)
  for (std::size_t j = 0; j < n; ++j) y[j] = static_cast<float>(static_cast<double>(y[j]) / sum);
}

void gemm_nt__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) {
  // c [m, n] = a [m, k] · b [n, k]ᵀ: row i of a against row j of b
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        acc += static_cast<double>(a[i * lda + p]) * static_cast<double>(b[j * ldb + p]);
      }
      c[i * ldc + j] = static_cast<float>(acc);
    }
  }
}

void gemm_nn__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) {
  // c [m, n] = a [m, k] · b [k, n]: row i of a against column j of b
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        acc += static_cast<double>(a[i * lda + p]) * static_cast<double>(b[p * ldb + j]);
      }
      c[i * ldc + j] = static_cast<float>(acc);
    }
  }
}

void additive__scalar(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                      const float* kp, const float* v, float* c) {
  // c [m, n]: c[i, j] = vᵀ tanh(qp[i] + kp[j]), qp [m, h] = q W_q and kp [n, h] = k W_k
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < h; ++p) {
        const double feature = std::tanh(static_cast<double>(qp[i * h + p]) +
                                         static_cast<double>(kp[j * h + p]));
        acc += static_cast<double>(v[p]) * feature;
      }
      c[i * n + j] = static_cast<float>(acc);
    }
  }
}

void exp__scalar(std::size_t n, const float* x, float* y) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(std::exp(static_cast<double>(x[i])));
}

}  // namespace attn::kernels
