// THE reference matrix products: one dot product per output, accumulated in double.
#include <cfloat>
#include <cmath>
#include <limits>

#include "../kernels.hpp"

namespace attn::kernels {

void gemm_nt__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept {
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
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept {
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

}  // namespace attn::kernels
