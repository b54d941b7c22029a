// THE reference matrix products: one dot product per output, accumulated in double.
#include "../kernels.hpp"

namespace attn::kernels {

namespace {
// c [m, n] = a [m, k] · B [k, n], element (p, j) of B at b[p·bp + j·bj]: gemm_nt and gemm_nn differ
// only in these two strides.
void gemm_strided(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                  const float* b, std::size_t bp, std::size_t bj, float* c,
                  std::size_t ldc) noexcept {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        acc += static_cast<double>(a[i * lda + p]) * static_cast<double>(b[p * bp + j * bj]);
      }
      c[i * ldc + j] = static_cast<float>(acc);
    }
  }
}
}  // namespace

void gemm_nt__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept {
  // c [m, n] = a [m, k] · b [n, k]ᵀ: row i of a against row j of b
  gemm_strided(m, n, k, a, lda, b, 1, ldb, c, ldc);
}

void gemm_nn__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept {
  // c [m, n] = a [m, k] · b [k, n]: row i of a against column j of b
  gemm_strided(m, n, k, a, lda, b, ldb, 1, c, ldc);
}

}  // namespace attn::kernels
