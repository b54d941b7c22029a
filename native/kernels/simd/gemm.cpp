// The SIMD128 matrix products, C = A Bᵀ and C = A B, in the 4x8 register tiles of tiles.hpp.
#include "../kernels.hpp"
#include "tiles.hpp"

namespace attn::kernels {

using namespace v128;

void gemm_nt__simd128_4x8(std::size_t m, std::size_t n, std::size_t k, const float* a,
                          std::size_t lda, const float* b, std::size_t ldb, float* c,
                          std::size_t ldc) noexcept {
  // c [m, n] = a [m, k] · b [n, k]ᵀ in 4x8 tiles: 8 rows of b at a time packed k-major (a panel row
  // is one 8-wide load), k in chunks of kc so that the panel lives on the stack. Each element
  // sums its products in p order, chunk after chunk: the same float dot products as
  // flash_attention__simd128_4x8's when it runs checked.
  constexpr std::size_t kc = 256;
  alignas(16) float panel[kc * 8];
  for (std::size_t j = 0; j < n; j += 8) {
    const std::size_t nr = n - j < 8 ? n - j : 8;
    for (std::size_t p0 = 0; p0 < k; p0 += kc) {
      const std::size_t kb = k - p0 < kc ? k - p0 : kc;
      pack_panel(nr, kb, b + j * ldb + p0, ldb, panel);
      for (std::size_t i = 0; i < m; i += 4) {
        const std::size_t mr = m - i < 4 ? m - i : 4;
        float* ct = c + i * ldc + j;
        Tile4x8 t = p0 == 0 ? tile_zero() : tile_load(mr, nr, ct, ldc);
        tile_mac(t, kb, RowsA{rows4(a + i * lda + p0, lda, mr)}, panel, 8);
        tile_store(t, mr, nr, ct, ldc);
      }
    }
  }
}

void gemm_nn__simd128_4x8(std::size_t m, std::size_t n, std::size_t k, const float* a,
                          std::size_t lda, const float* b, std::size_t ldb, float* c,
                          std::size_t ldc) noexcept {
  // c [m, n] = a [m, k] · b [k, n] in 4x8 tiles: a[r][p] broadcast against 8 columns of row p of b
  // (b needs no packing: its rows are already contiguous along n); then a 4x4 tile and a scalar
  // tail for the last columns.
  for (std::size_t i = 0; i < m; i += 4) {
    const std::size_t mr = m - i < 4 ? m - i : 4;
    const Rows4 rows = rows4(a + i * lda, lda, mr);
    float* crow = c + i * ldc;
    std::size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      Tile4x8 t = tile_zero();
      tile_mac(t, k, RowsA{rows}, b + j, ldb);
      tile_store(t, mr, 8, crow + j, ldc);
    }
    if (j + 4 <= n) {
      tile4x4_mac_store(mr, k, rows, b + j, ldb, crow + j, ldc);
      j += 4;
    }
    for (; j < n; ++j) {
      const float* ar[4] = {rows.a0, rows.a1, rows.a2, rows.a3};
      for (std::size_t r = 0; r < mr; ++r) {
        float acc = 0.0f;
        for (std::size_t p = 0; p < k; ++p) acc += ar[r][p] * b[p * ldb + j];
        crow[r * ldc + j] = acc;
      }
    }
  }
}

}  // namespace attn::kernels
