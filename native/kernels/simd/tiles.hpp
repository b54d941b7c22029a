// The 4x8 register tile of the SIMD128 matrix products (gemm.cpp) and of the flash kernel's Q·Kᵀ
// and P·V (flash.cpp), XNNPACK's wasmsimd "loadsplat" gemm shape: per step p, one broadcast of
// a[r][p] for each of the 4 rows against 8 values of row p of b (two loads), 8 multiplies and 8
// adds into 8 accumulators (8 fused multiply-adds in the relaxed-SIMD build: v128::madd). 8
// accumulators + 2 b vectors + 1 broadcast fit the 16 vector registers V8 has on x86-64, so nothing
// spills.
// Measured on the target machine, this shape beat 2x16, 5x8, 6x8, 3x12, a k-unrolled 4x8 and the
// dot-product (horizontal-sum) 2x4 form.
//
// Everything here is ATTN_INLINE: these helpers are the inner loops of kernels in other files.
#pragma once

#include <cstddef>
#include <cstring>

#include "v128.hpp"

namespace attn::kernels::v128 {

// Rows 0..3 of a block of c, columns 0..7 as two 4-lane halves.
struct Tile4x8 {
  f32x4 vacc0x0123, vacc0x4567, vacc1x0123, vacc1x4567, vacc2x0123, vacc2x4567, vacc3x0123,
      vacc3x4567;
};

ATTN_INLINE Tile4x8 tile_zero() {
  const f32x4 z = splat(0.0f);
  return Tile4x8{z, z, z, z, z, z, z, z};
}

// The rows of a 4-row block: rows past `rows` repeat the last one (computed, never stored), which
// keeps the tile code free of row tails.
struct Rows4 {
  const float *a0, *a1, *a2, *a3;
};
ATTN_INLINE Rows4 rows4(const float* a, std::size_t lda, std::size_t rows) {
  const float* a0 = a;
  const float* a1 = rows > 1 ? a0 + lda : a0;
  const float* a2 = rows > 2 ? a1 + lda : a1;
  const float* a3 = rows > 3 ? a2 + lda : a2;
  return {a0, a1, a2, a3};
}

// The a operand of a tile as the tile reads it: at step p, row r's value is at row(r) (r = 0..3),
// and next() moves to step p + 1. Two layouts, one tile_mac body:
//   RowsA   4 rows of a row-major a (pointer per row, the step is the column): gemm_nt, gemm_nn
//   KmajorA a k-major panel (a[p·lda + r]: the 4 rows at fixed offsets from one pointer, so no
//           per-row address arithmetic): the flash kernel's packed keys and probabilities
struct RowsA {
  Rows4 a;
  std::size_t p = 0;
  ATTN_INLINE const float* row(int r) const {
    return (r == 0 ? a.a0 : r == 1 ? a.a1 : r == 2 ? a.a2 : a.a3) + p;
  }
  ATTN_INLINE void next() { ++p; }
};
struct KmajorA {
  const float* a;
  std::size_t lda;
  ATTN_INLINE const float* row(int r) const { return a + r; }
  ATTN_INLINE void next() { a += lda; }
};

// t += a[0..3][0..k) · b[0..k)[0..8), row p of b at b + p·ldb. The loop runs on the b pointer
// alone: no separate counter to increment and compare.
template <class A>
ATTN_INLINE void tile_mac(Tile4x8& t, std::size_t k, A a, const float* b, std::size_t ldb) {
  f32x4 vacc0x0123 = t.vacc0x0123, vacc0x4567 = t.vacc0x4567, vacc1x0123 = t.vacc1x0123,
        vacc1x4567 = t.vacc1x4567, vacc2x0123 = t.vacc2x0123, vacc2x4567 = t.vacc2x4567,
        vacc3x0123 = t.vacc3x0123, vacc3x4567 = t.vacc3x4567;
  for (const float* const b_end = b + k * ldb; b != b_end;) {
    const f32x4 vb0123 = load(b), vb4567 = load(b + 4);
    b += ldb;
    const f32x4 va0 = load_splat(a.row(0));
    vacc0x0123 = madd(va0, vb0123, vacc0x0123);
    vacc0x4567 = madd(va0, vb4567, vacc0x4567);
    const f32x4 va1 = load_splat(a.row(1));
    vacc1x0123 = madd(va1, vb0123, vacc1x0123);
    vacc1x4567 = madd(va1, vb4567, vacc1x4567);
    const f32x4 va2 = load_splat(a.row(2));
    vacc2x0123 = madd(va2, vb0123, vacc2x0123);
    vacc2x4567 = madd(va2, vb4567, vacc2x4567);
    const f32x4 va3 = load_splat(a.row(3));
    vacc3x0123 = madd(va3, vb0123, vacc3x0123);
    vacc3x4567 = madd(va3, vb4567, vacc3x4567);
    a.next();
  }
  t = Tile4x8{vacc0x0123, vacc0x4567, vacc1x0123, vacc1x4567,
              vacc2x0123, vacc2x4567, vacc3x0123, vacc3x4567};
}

// Stores rows [0, rows) and columns [0, cols) of the tile to c.
ATTN_INLINE void tile_store(const Tile4x8& t, std::size_t rows, std::size_t cols, float* c,
                            std::size_t ldc) {
  if (rows == 4 && cols == 8) {
    store(c, t.vacc0x0123), store(c + 4, t.vacc0x4567), c += ldc;
    store(c, t.vacc1x0123), store(c + 4, t.vacc1x4567), c += ldc;
    store(c, t.vacc2x0123), store(c + 4, t.vacc2x4567), c += ldc;
    store(c, t.vacc3x0123), store(c + 4, t.vacc3x4567);
    return;
  }
  alignas(16) float buf[4][8];
  store(buf[0], t.vacc0x0123), store(buf[0] + 4, t.vacc0x4567);
  store(buf[1], t.vacc1x0123), store(buf[1] + 4, t.vacc1x4567);
  store(buf[2], t.vacc2x0123), store(buf[2] + 4, t.vacc2x4567);
  store(buf[3], t.vacc3x0123), store(buf[3] + 4, t.vacc3x4567);
  for (std::size_t r = 0; r < rows; ++r) std::memcpy(c + r * ldc, buf[r], cols * sizeof(float));
}

// Loads rows [0, rows) and columns [0, cols) of c; missing rows and columns are 0. A full tile is
// loaded straight from c: clearing a buffer it does not need cost the flash kernel 3% (its output
// tile is reloaded for every key tile).
ATTN_INLINE Tile4x8 tile_load(std::size_t rows, std::size_t cols, const float* c, std::size_t ldc) {
  alignas(16) float buf[4][8];
  if (rows < 4 || cols < 8) {
    std::memset(buf, 0, sizeof buf);
    for (std::size_t r = 0; r < rows; ++r) std::memcpy(buf[r], c + r * ldc, cols * sizeof(float));
    c = buf[0], ldc = 8;
  }
  const float *c1 = c + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
  return Tile4x8{load(c),  load(c + 4),  load(c1), load(c1 + 4),
                 load(c2), load(c2 + 4), load(c3), load(c3 + 4)};
}

// tile_load, each row r multiplied by scale[r] (the online softmax's rescale).
ATTN_INLINE Tile4x8 tile_load_scaled(std::size_t rows, std::size_t cols, const float* c,
                                     std::size_t ldc, const float* scale) {
  const Tile4x8 t = tile_load(rows, cols, c, ldc);
  const f32x4 s0 = load_splat(scale), s1 = load_splat(scale + (rows > 1 ? 1 : 0)),
              s2 = load_splat(scale + (rows > 2 ? 2 : 0)),
              s3 = load_splat(scale + (rows > 3 ? 3 : 0));
  return Tile4x8{mul(t.vacc0x0123, s0), mul(t.vacc0x4567, s0), mul(t.vacc1x0123, s1),
                 mul(t.vacc1x4567, s1), mul(t.vacc2x0123, s2), mul(t.vacc2x4567, s2),
                 mul(t.vacc3x0123, s3), mul(t.vacc3x4567, s3)};
}

// The 4x4 tile for gemm_nn's columns past the last multiple of 8.
ATTN_INLINE void tile4x4_mac_store(std::size_t rows, std::size_t k, Rows4 a, const float* b,
                                   std::size_t ldb, float* c, std::size_t ldc) {
  f32x4 vacc0 = splat(0.0f), vacc1 = vacc0, vacc2 = vacc0, vacc3 = vacc0;
  for (std::size_t p = 0; p < k; ++p) {
    const f32x4 vb = load(b + p * ldb);
    vacc0 = madd(load_splat(a.a0 + p), vb, vacc0);
    vacc1 = madd(load_splat(a.a1 + p), vb, vacc1);
    vacc2 = madd(load_splat(a.a2 + p), vb, vacc2);
    vacc3 = madd(load_splat(a.a3 + p), vb, vacc3);
  }
  const f32x4 acc[4] = {vacc0, vacc1, vacc2, vacc3};
  for (std::size_t r = 0; r < rows; ++r) store(c + r * ldc, acc[r]);
}

// panel[p][c] = b[c][p] for the nr <= 8 rows of b in this panel, 0 for c >= nr: row p of the
// panel holds feature p of 8 keys, one 8-wide load in tile_mac.
ATTN_INLINE void pack_panel(std::size_t nr, std::size_t k, const float* b, std::size_t ldb,
                            float* panel) {
  std::size_t p = 0;
  if (nr == 8) {
    // 4x4 blocks through registers
    for (; p + 4 <= k; p += 4) {
      for (std::size_t h = 0; h < 8; h += 4) {
        const float* r = b + h * ldb + p;
        f32x4 x0 = load(r), x1 = load(r + ldb), x2 = load(r + 2 * ldb), x3 = load(r + 3 * ldb);
        transpose4(x0, x1, x2, x3);
        store(panel + p * 8 + h, x0);
        store(panel + (p + 1) * 8 + h, x1);
        store(panel + (p + 2) * 8 + h, x2);
        store(panel + (p + 3) * 8 + h, x3);
      }
    }
  }
  for (; p < k; ++p) {
    for (std::size_t c = 0; c < 8; ++c) panel[p * 8 + c] = c < nr ? b[c * ldb + p] : 0.0f;
  }
}

// panel[p·w + r] = x[r·ldx + p] for r < rows, 0 for rows <= r < w: `rows` rows of x made k-major.
ATTN_INLINE void pack_kmajor(std::size_t rows, std::size_t w, std::size_t k, const float* x,
                             std::size_t ldx, float* panel) {
  std::size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float* x0 = x + r * ldx;
    std::size_t p = 0;
    for (; p + 4 <= k; p += 4) {
      f32x4 c0 = load(x0 + p), c1 = load(x0 + ldx + p), c2 = load(x0 + 2 * ldx + p),
            c3 = load(x0 + 3 * ldx + p);
      transpose4(c0, c1, c2, c3);
      store(panel + p * w + r, c0);
      store(panel + (p + 1) * w + r, c1);
      store(panel + (p + 2) * w + r, c2);
      store(panel + (p + 3) * w + r, c3);
    }
    for (; p < k; ++p) {
      for (std::size_t c = 0; c < 4; ++c) panel[p * w + r + c] = x0[c * ldx + p];
    }
  }
  for (; r < w; ++r) {
    for (std::size_t p = 0; p < k; ++p) panel[p * w + r] = r < rows ? x[r * ldx + p] : 0.0f;
  }
}

}  // namespace attn::kernels::v128
