// SIMD128 kernels: the same passes and names as ../scalar/kernels_scalar.cpp, 4 lanes at a time,
// accumulating in float, with the scalar tail at the end of each loop.
//
// The matrix products run in 4x8 register tiles (XNNPACK's wasmsimd "loadsplat" gemm shape): per
// step p, one broadcast of a[r][p] for each of the 4 rows against 8 values of row p of b (two
// loads), 8 multiplies and 8 adds into 8 accumulators. 8 accumulators + 2 b vectors + 1 broadcast
// fit the 16 vector registers V8 has on x86-64, so nothing spills; WASM SIMD has no FMA, so a
// multiply and an add it is. Measured on the target machine, this shape beat 2x16, 5x8, 6x8, 3x12,
// a k-unrolled 4x8 and the dot-product (horizontal-sum) 2x4 form.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "../kernels.hpp"
#include "v128.hpp"

#define ATTN_INLINE inline __attribute__((always_inline))

namespace attn::kernels {
namespace {

using namespace v128;

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// exp(x) on 4 lanes, within 2 ulp of expf (tested against it across [-104, 89]).
// Range reduction x = n·ln2 + r with |r| <= ln2/2 (Cody–Waite: ln2 split in two so n·ln2_hi is
// exact), Cephes' degree-6 polynomial for e^r, then the scale 2^n built in the exponent bits in two
// halves so that results down to the subnormals (n < -126) stay right. Below -103.97 expf is 0;
// above 88.72 it is +inf: both are selected explicitly, so -inf (a masked score) gives exactly 0.
inline f32x4 exp4(f32x4 x) {
  const f32x4 underflow = splat(-103.972084f), overflow = splat(88.7228394f);
  const f32x4 xc = min(max(x, splat(-104.5f)), splat(88.8f));
  const i32x4 n = round_to_i32(mul(xc, splat(1.44269504088896341f)));
  const f32x4 nf = i32_to_f32(n);
  f32x4 r = sub(xc, mul(nf, splat(0.693359375f)));
  r = sub(r, mul(nf, splat(-2.12194440e-4f)));
  f32x4 p = splat(1.9875691500e-4f);
  p = add(mul(p, r), splat(1.3981999507e-3f));
  p = add(mul(p, r), splat(8.3334519073e-3f));
  p = add(mul(p, r), splat(4.1665795894e-2f));
  p = add(mul(p, r), splat(1.6666665459e-1f));
  p = add(mul(p, r), splat(5.0000001201e-1f));
  p = add(add(mul(p, mul(r, r)), r), splat(1.0f));
  const i32x4 n1 = i32_shr(n, 1), n2 = i32_sub(n, n1);
  const f32x4 scale1 = as_f32(i32_shl(i32_add(n1, i32_splat(127)), 23));
  const f32x4 scale2 = as_f32(i32_shl(i32_add(n2, i32_splat(127)), 23));
  f32x4 y = mul(mul(p, scale1), scale2);
  y = select(lt(x, underflow), splat(0.0f), y);
  y = select(gt(x, overflow), splat(std::numeric_limits<float>::infinity()), y);
  return y;
}

// exp(x) on 4 lanes for x <= 0 (softmax's x - max), the short way (XNNPACK's rr2_p5): n = round(x
// log2e) by the magic-bias trick (adding 1.5·2^23 + 127 leaves n + 127 in the low mantissa bits, so
// one shift makes 2^n), a two-step Cody–Waite reduction t = x - n·ln2, a degree-5 polynomial, and
// e^x = 2^n (1 + t p(t)). About 20 operations where exp4 takes 45. Below kExpCutoff (-87.34, where
// e^x leaves the normal floats) the result is 0, so -1e6 and -inf fills give exactly 0.
constexpr float kExpCutoff = -0x1.5D589Ep6f;
ATTN_INLINE f32x4 expminus4(f32x4 x) {
  const f32x4 magic_bias = splat(0x1.8000FEp23f);
  f32x4 n = add(mul(x, splat(0x1.715476p+0f)), magic_bias);
  const f32x4 s = as_f32(i32_shl(as_i32(n), 23));
  n = sub(n, magic_bias);
  f32x4 t = add(mul(n, splat(-0x1.62E400p-1f)), x);
  t = add(mul(n, splat(-0x1.7F7D1Cp-20f)), t);
  f32x4 p = add(mul(splat(0x1.0F9F9Cp-7f), t), splat(0x1.573A1Ap-5f));
  p = add(mul(p, t), splat(0x1.555A80p-3f));
  p = add(mul(p, t), splat(0x1.FFFDC6p-2f));
  p = add(mul(p, t), splat(0x1.FFFFF6p-1f));
  t = mul(t, s);
  const f32x4 y = add(mul(t, p), s);
  return bit_andnot(y, lt(x, splat(kExpCutoff)));
}

// 2^x on 4 lanes for x <= 0 (the softmax in base 2, see flash_attention__simd128_4x8): n = round(x)
// by the same magic bias, t = x - n exactly (no Cody–Waite split is needed in base 2), and
// rr2_p5's polynomial with its coefficients scaled by ln2^k, since 2^t = e^(t ln2). 16 operations.
// x is first clamped to -127, where the exponent field of 2^n is 0, so the result is exactly 0 at
// or below kExp2Zero (-126.5 rounds to n = -127, ties to even) and for -inf; between -126.5 and
// -126 it is the subnormal 2^x within a few units of its last place. (The clamp is one operation
// where a compare and a mask were two: about 1% of the flash kernel at N = 1024 and 4096.)
constexpr float kExp2Zero = -126.5f;
ATTN_INLINE f32x4 exp2minus4(f32x4 x) {
  x = max(x, splat(-127.0f));
  const f32x4 magic_bias = splat(0x1.8000FEp23f);
  f32x4 n = add(x, magic_bias);
  const f32x4 s = as_f32(i32_shl(as_i32(n), 23));
  n = sub(n, magic_bias);
  f32x4 t = sub(x, n);
  f32x4 p = add(mul(splat(0x1.5baf140000000p-10f), t), splat(0x1.3cea520000000p-7f));
  p = add(mul(p, t), splat(0x1.c6b7700000000p-5f));
  p = add(mul(p, t), splat(0x1.ebf9bc0000000p-3f));
  p = add(mul(p, t), splat(0x1.62e42a0000000p-1f));
  t = mul(t, s);
  return add(mul(t, p), s);
}

// tanh on 4 lanes from exp4: tanh|x| = (1 - t) / (1 + t) with t = exp(-2|x|), sign restored.
inline f32x4 tanh4(f32x4 x) {
  const f32x4 negative = lt(x, splat(0.0f));
  const f32x4 ax = select(negative, sub(splat(0.0f), x), x);
  const f32x4 t = exp4(mul(ax, splat(-2.0f)));
  const f32x4 y = div(sub(splat(1.0f), t), add(splat(1.0f), t));
  return select(negative, sub(splat(0.0f), y), y);
}

// Copies the last n < 4 values into a 4-wide buffer padded with `pad`, so a tail runs through the
// same lane code as the body.
inline f32x4 load_tail(const float* p, std::size_t n, float pad) {
  alignas(16) float t[4] = {pad, pad, pad, pad};
  std::memcpy(t, p, n * sizeof(float));
  return load(t);
}
inline void store_tail(float* p, std::size_t n, f32x4 v) {
  alignas(16) float t[4];
  store(t, v);
  std::memcpy(p, t, n * sizeof(float));
}

// --- the 4x8 register tile -------------------------------------------------------------------------

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

// t += a[0..3][0..k) · b[0..k)[0..8), row p of b at b + p·ldb.
ATTN_INLINE void tile_mac(Tile4x8& t, std::size_t k, Rows4 a, const float* b, std::size_t ldb) {
  f32x4 vacc0x0123 = t.vacc0x0123, vacc0x4567 = t.vacc0x4567, vacc1x0123 = t.vacc1x0123,
        vacc1x4567 = t.vacc1x4567, vacc2x0123 = t.vacc2x0123, vacc2x4567 = t.vacc2x4567,
        vacc3x0123 = t.vacc3x0123, vacc3x4567 = t.vacc3x4567;
  const float *a0 = a.a0, *a1 = a.a1, *a2 = a.a2, *a3 = a.a3;
  for (std::size_t p = 0; p < k; ++p) {
    const f32x4 vb0123 = load(b), vb4567 = load(b + 4);
    b += ldb;
    const f32x4 va0 = load_splat(a0 + p);
    vacc0x0123 = add(vacc0x0123, mul(va0, vb0123));
    vacc0x4567 = add(vacc0x4567, mul(va0, vb4567));
    const f32x4 va1 = load_splat(a1 + p);
    vacc1x0123 = add(vacc1x0123, mul(va1, vb0123));
    vacc1x4567 = add(vacc1x4567, mul(va1, vb4567));
    const f32x4 va2 = load_splat(a2 + p);
    vacc2x0123 = add(vacc2x0123, mul(va2, vb0123));
    vacc2x4567 = add(vacc2x4567, mul(va2, vb4567));
    const f32x4 va3 = load_splat(a3 + p);
    vacc3x0123 = add(vacc3x0123, mul(va3, vb0123));
    vacc3x4567 = add(vacc3x4567, mul(va3, vb4567));
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
  return Tile4x8{load(c), load(c + 4), load(c1), load(c1 + 4), load(c2), load(c2 + 4), load(c3), load(c3 + 4)};
}

// tile_load, each row r multiplied by scale[r] (the online softmax's rescale).
ATTN_INLINE Tile4x8 tile_load_scaled(std::size_t rows, std::size_t cols, const float* c,
                                     std::size_t ldc, const float* scale) {
  const Tile4x8 t = tile_load(rows, cols, c, ldc);
  const f32x4 s0 = load_splat(scale), s1 = load_splat(scale + (rows > 1 ? 1 : 0)),
              s2 = load_splat(scale + (rows > 2 ? 2 : 0)), s3 = load_splat(scale + (rows > 3 ? 3 : 0));
  return Tile4x8{mul(t.vacc0x0123, s0), mul(t.vacc0x4567, s0), mul(t.vacc1x0123, s1), mul(t.vacc1x4567, s1),
                 mul(t.vacc2x0123, s2), mul(t.vacc2x4567, s2), mul(t.vacc3x0123, s3), mul(t.vacc3x4567, s3)};
}

// The 4x4 tile for gemm_nn's columns past the last multiple of 8.
ATTN_INLINE void tile4x4_mac_store(std::size_t rows, std::size_t k, Rows4 a, const float* b,
                                   std::size_t ldb, float* c, std::size_t ldc) {
  f32x4 vacc0 = splat(0.0f), vacc1 = vacc0, vacc2 = vacc0, vacc3 = vacc0;
  for (std::size_t p = 0; p < k; ++p) {
    const f32x4 vb = load(b + p * ldb);
    vacc0 = add(vacc0, mul(load_splat(a.a0 + p), vb));
    vacc1 = add(vacc1, mul(load_splat(a.a1 + p), vb));
    vacc2 = add(vacc2, mul(load_splat(a.a2 + p), vb));
    vacc3 = add(vacc3, mul(load_splat(a.a3 + p), vb));
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

}  // namespace

void exp__simd128(std::size_t n, const float* x, float* y) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(y + i, exp4(load(x + i)));
  if (i < n) store_tail(y + i, n - i, exp4(load_tail(x + i, n - i, 0.0f)));
}

void expminus__simd128_rr2_p5(std::size_t n, const float* x, float max, float* y) noexcept {
  const f32x4 maxv = splat(max);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(y + i, expminus4(sub(load(x + i), maxv)));
  if (i < n) store_tail(y + i, n - i, expminus4(sub(load_tail(x + i, n - i, max), maxv)));
}

void exp2minus__simd128_rr1_p5(std::size_t n, const float* x, float max, float* y) noexcept {
  const f32x4 maxv = splat(max);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(y + i, exp2minus4(sub(load(x + i), maxv)));
  if (i < n) store_tail(y + i, n - i, exp2minus4(sub(load_tail(x + i, n - i, max), maxv)));
}

void softmax_row__simd128(std::size_t n, const float* x, float* y) noexcept {
  // pass 1: row max
  f32x4 max4 = splat(kNegInf);
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) max4 = max(max4, load(x + j));
  float max = hmax(max4);
  for (; j < n; ++j) max = x[j] > max ? x[j] : max;
  if (max == kNegInf) {
    for (j = 0; j < n; ++j) y[j] = 0.0f;
    return;
  }
  // pass 2: exp and sum (the tail is padded with -inf, whose exp is 0)
  const f32x4 maxv = splat(max);
  f32x4 sum4 = splat(0.0f);
  for (j = 0; j + 4 <= n; j += 4) {
    const f32x4 e = expminus4(sub(load(x + j), maxv));
    store(y + j, e);
    sum4 = add(sum4, e);
  }
  if (j < n) {
    const f32x4 e = expminus4(sub(load_tail(x + j, n - j, kNegInf), maxv));
    store_tail(y + j, n - j, e);
    sum4 = add(sum4, e);
  }
  const float sum = hsum(sum4);
  // pass 3: normalise
  const f32x4 inv = splat(1.0f / sum);
  for (j = 0; j + 4 <= n; j += 4) store(y + j, mul(load(y + j), inv));
  for (; j < n; ++j) y[j] *= 1.0f / sum;
}

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
        tile_mac(t, kb, rows4(a + i * lda + p0, lda, mr), panel, 8);
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
      tile_mac(t, k, rows, b + j, ldb);
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

void additive__simd128(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                       const float* kp, const float* v, float* c) noexcept {
  // c[i, j] = vᵀ tanh(qp[i] + kp[j]), 4 features at a time; the tail is padded with v = 0
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      f32x4 acc4 = splat(0.0f);
      std::size_t p = 0;
      for (; p + 4 <= h; p += 4) {
        const f32x4 feature = tanh4(add(load(qp + i * h + p), load(kp + j * h + p)));
        acc4 = add(acc4, mul(load(v + p), feature));
      }
      if (p < h) {
        const std::size_t rest = h - p;
        const f32x4 feature =
            tanh4(add(load_tail(qp + i * h + p, rest, 0.0f), load_tail(kp + j * h + p, rest, 0.0f)));
        acc4 = add(acc4, mul(load_tail(v + p, rest, 0.0f), feature));
      }
      c[i * n + j] = hsum(acc4);
    }
  }
}

// --- flash attention -------------------------------------------------------------------------------

namespace {

// t += a (k-major: a[p·lda + r] is row r's value at step p, rows 0..3 at fixed offsets from one
// pointer, so no per-row address arithmetic) · b [k][8] (row p at b + p·ldb).
ATTN_INLINE void tile_mac_kmajor(Tile4x8& t, std::size_t k, const float* a, std::size_t lda,
                                 const float* b, std::size_t ldb) {
  f32x4 vacc0x0123 = t.vacc0x0123, vacc0x4567 = t.vacc0x4567, vacc1x0123 = t.vacc1x0123,
        vacc1x4567 = t.vacc1x4567, vacc2x0123 = t.vacc2x0123, vacc2x4567 = t.vacc2x4567,
        vacc3x0123 = t.vacc3x0123, vacc3x4567 = t.vacc3x4567;
  // the loop runs on the a pointer alone: no separate counter to increment and compare
  for (const float* const a_end = a + k * lda; a != a_end;) {
    const f32x4 vb0123 = load(b), vb4567 = load(b + 4);
    b += ldb;
    const f32x4 va0 = load_splat(a);
    vacc0x0123 = add(vacc0x0123, mul(va0, vb0123));
    vacc0x4567 = add(vacc0x4567, mul(va0, vb4567));
    const f32x4 va1 = load_splat(a + 1);
    vacc1x0123 = add(vacc1x0123, mul(va1, vb0123));
    vacc1x4567 = add(vacc1x4567, mul(va1, vb4567));
    const f32x4 va2 = load_splat(a + 2);
    vacc2x0123 = add(vacc2x0123, mul(va2, vb0123));
    vacc2x4567 = add(vacc2x4567, mul(va2, vb4567));
    const f32x4 va3 = load_splat(a + 3);
    vacc3x0123 = add(vacc3x0123, mul(va3, vb0123));
    vacc3x4567 = add(vacc3x4567, mul(va3, vb4567));
    a += lda;
  }
  t = Tile4x8{vacc0x0123, vacc0x4567, vacc1x0123, vacc1x4567,
              vacc2x0123, vacc2x4567, vacc3x0123, vacc3x4567};
}

// panel[p·w + r] = x[r·ldx + p] for r < rows, 0 for rows <= r < w: `rows` rows of x made k-major.
ATTN_INLINE void pack_kmajor(std::size_t rows, std::size_t w, std::size_t k, const float* x,
                             std::size_t ldx, float* panel) {
  std::size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float* x0 = x + r * ldx;
    std::size_t p = 0;
    for (; p + 4 <= k; p += 4) {
      f32x4 c0 = load(x0 + p), c1 = load(x0 + ldx + p), c2 = load(x0 + 2 * ldx + p), c3 = load(x0 + 3 * ldx + p);
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

constexpr std::size_t kGroups = kFlashRows / 4;  // 4-row lane groups of a query block
static_assert(kFlashRows % 8 == 0 && kFlashKeys % 4 == 0, "the 4x8 tiles must tile the blocks");

}  // namespace

namespace {

// A fill in base-2 logit units: -inf stays -inf, a finite fill stays finite (-FLT_MAX at most), so
// a fully masked row stays uniform under a finite fill, however large.
inline float base2_fill(float fill) {
  if (fill == -std::numeric_limits<float>::infinity()) return fill;
  const float f = fill * 1.44269504088896341f;
  return f < -FLT_MAX ? -FLT_MAX : (f > FLT_MAX ? FLT_MAX : f);
}

// weights [rows][cols] (row stride ldw) = st [cols][kFlashRows]ᵀ: a block's logits for the
// weights output, 4x4 transposes where the block is whole.
void store_logits_t(const float* st, std::size_t rows, std::size_t cols, float* weights, std::size_t ldw) {
  for (std::size_t r = 0; r < rows; r += 4) {
    std::size_t jj = 0;
    if (r + 4 <= rows) {
      for (; jj + 4 <= cols; jj += 4) {
        const float* s = st + jj * kFlashRows + r;
        f32x4 c0 = load(s), c1 = load(s + kFlashRows), c2 = load(s + 2 * kFlashRows), c3 = load(s + 3 * kFlashRows);
        transpose4(c0, c1, c2, c3);
        float* w = weights + r * ldw + jj;
        store(w, c0), store(w + ldw, c1), store(w + 2 * ldw, c2), store(w + 3 * ldw, c3);
      }
    }
    for (std::size_t u = r; u < rows && u < r + 4; ++u) {
      for (std::size_t j = jj; j < cols; ++j) weights[u * ldw + j] = st[j * kFlashRows + u];
    }
  }
}

// The state of one span of query rows (see flash_attention__simd128_4x8).
struct Span {
  const FlashArgs* args;
  const float* kp;
  float *qt, *st, *mx, *sum, *rescale, *endf;
  std::size_t s0, blocks;
  const std::size_t *end_min, *end_max;
  f32x4 ok;
};

// Passes 1-4 for the key tile at j0 against every block of the span; false when every block
// skipped it (and so every later tile). It must stay a separate WASM function (see span_tile_fn).
bool span_tile(Span& sp, std::size_t j0) noexcept {
  const FlashArgs& a = *sp.args;
  const KeyMask& mask = a.mask;
  const std::size_t n = a.n, d = a.d, dv = a.dv, s0 = sp.s0, blocks = sp.blocks;
  const float* kp = sp.kp;
  float *qt = sp.qt, *st = sp.st, *mx = sp.mx, *sum = sp.sum, *rescale = sp.rescale, *endf = sp.endf;
  const std::size_t *end_min = sp.end_min, *end_max = sp.end_max;
  f32x4 ok = sp.ok;
  // unchecked, the logits are in base 2 (log2 e folded into the queries' scale): so is the fill
  const bool base2 = !a.checked;
  const float fill = base2 ? base2_fill(mask.fill) : mask.fill;
  const float cutoff = base2 ? kExp2Zero : kExpCutoff;
  const f32x4 vscale = splat(a.scale), vfill = splat(fill), vneginf = splat(kNegInf);
  const std::size_t cols = n - j0 < kFlashKeys ? n - j0 : kFlashKeys;
  const std::size_t cols4 = (cols + 3) & ~std::size_t{3};
  bool any = false;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t i0 = s0 + b * kFlashRows, rows = a.m - i0 < kFlashRows ? a.m - i0 : kFlashRows;
    float* out = a.out + i0 * a.ldo;
    const float* qtb = qt + b * d * kFlashRows;
    float *mxb = mx + b * kFlashRows, *sumb = sum + b * kFlashRows, *rescaleb = rescale + b * kFlashRows;
    const float* endfb = endf + b * kFlashRows;
    if (!a.checked && mask.keep == nullptr && j0 >= end_max[b]) {
      // this and every later key tile is blocked for every row of the block: skip them when
      // their weight is exactly 0, i.e. the fill is -inf or far enough below each row's max
      // that the exp below flushes it (the max only grows, so it would flush later too)
      bool zero = true;
      for (std::size_t r = 0; r < rows; ++r) {
        zero = zero && (fill == kNegInf || fill - mxb[r] < cutoff);
      }
      if (zero) {
        // for the weights, the fill as these logits: it weighs exactly 0 against the final max
        if (a.weights != nullptr) {
          for (std::size_t r = 0; r < rows; ++r) std::fill_n(a.weights + (i0 + r) * a.ldw + j0, cols, fill);
        }
        continue;
      }
    }
    any = true;
    // pass 1: st [cols4][kFlashRows] = (q kᵀ)ᵀ; fused with pass 2 for a tile that is unchecked,
    // unmasked and a whole number of 4-key panels (the last panel's padding keys give 0)
    const bool by_end = j0 + cols > end_min[b];  // some row's lengths or causality block keys here
    const bool fused = !a.checked && !by_end && mask.keep == nullptr && cols4 == cols;
    f32x4 vmax[kGroups], vend[kGroups];
    for (std::size_t g = 0; g < kGroups; ++g) vmax[g] = vneginf, vend[g] = load(endfb + 4 * g);
    for (std::size_t jj = 0; jj < cols; jj += 4) {
      const float* kpanel = kp + (j0 + jj) * d;
      for (std::size_t ii = 0; ii < kFlashRows; ii += 8) {
        Tile4x8 t = tile_zero();
        tile_mac_kmajor(t, d, kpanel, 4, qtb + ii, kFlashRows);
        tile_store(t, 4, 8, st + jj * kFlashRows + ii, kFlashRows);
        if (fused) {
          // rows of the tile are 4 keys, columns 8 query rows: the max over the keys, lane-wise
          vmax[ii / 4] = max(vmax[ii / 4], max(max(t.vacc0x0123, t.vacc1x0123), max(t.vacc2x0123, t.vacc3x0123)));
          vmax[ii / 4 + 1] = max(vmax[ii / 4 + 1], max(max(t.vacc0x4567, t.vacc1x4567), max(t.vacc2x4567, t.vacc3x4567)));
        }
      }
    }

    // pass 2: logits (scaled here when checked), checks, masks, tile max per row (lane-wise)
    for (std::size_t jj = 0; jj < cols && !fused; ++jj) {
      float* sj = st + jj * kFlashRows;
      const f32x4 key = splat(static_cast<float>(j0 + jj));
      for (std::size_t g = 0; g < kGroups; ++g) {
        f32x4 x = load(sj + 4 * g);
        if (a.checked) {
          x = mul(x, vscale);
          ok = bit_and(ok, le(abs(x), splat(FLT_MAX)));  // false for ±inf and NaN
        }
        if (by_end) x = select(le(vend[g], key), vfill, x);
        store(sj + 4 * g, x);
        vmax[g] = max(vmax[g], x);
      }
    }
    if (mask.keep != nullptr) {
      for (std::size_t r = 0; r < rows; ++r) {
        const float* keep = mask.keep + (i0 + r) * mask.ldkeep + j0;
        for (std::size_t jj = 0; jj < cols; ++jj) {
          if (keep[jj] == 0.0f) st[jj * kFlashRows + r] = fill;
        }
      }
      for (std::size_t g = 0; g < kGroups; ++g) vmax[g] = vneginf;
      for (std::size_t jj = 0; jj < cols; ++jj) {
        for (std::size_t g = 0; g < kGroups; ++g) vmax[g] = max(vmax[g], load(st + jj * kFlashRows + 4 * g));
      }
    }
    for (std::size_t jj = cols; jj < cols4; ++jj) {
      for (std::size_t g = 0; g < kGroups; ++g) store(st + jj * kFlashRows + 4 * g, vneginf);
    }
    if (a.weights != nullptr) store_logits_t(st, rows, cols, a.weights + i0 * a.ldw + j0, a.ldw);

    // pass 3: online softmax, lane-wise per row; a row with nothing attended yet (max -inf) takes
    // 0 as its max, so that its exps are exp(-inf) = 0 rather than NaN
    f32x4 vmaxsafe[kGroups], vsum[kGroups];
    for (std::size_t g = 0; g < kGroups; ++g) {
      const f32x4 old = load(mxb + 4 * g);
      const f32x4 m_new = max(old, vmax[g]);
      vmaxsafe[g] = select(eq(m_new, vneginf), splat(0.0f), m_new);
      const f32x4 x = sub(old, vmaxsafe[g]);
      store(rescaleb + 4 * g, base2 ? exp2minus4(x) : expminus4(x));  // 1 exactly when x = 0
      store(mxb + 4 * g, m_new);
      vsum[g] = splat(0.0f);
    }
    // the same loop twice, so the choice of exp stays out of it
    if (base2) {
      for (std::size_t jj = 0; jj < cols4; ++jj) {
        float* sj = st + jj * kFlashRows;
        for (std::size_t g = 0; g < kGroups; ++g) {
          const f32x4 p = exp2minus4(sub(load(sj + 4 * g), vmaxsafe[g]));
          store(sj + 4 * g, p);
          vsum[g] = add(vsum[g], p);
        }
      }
    } else {
      for (std::size_t jj = 0; jj < cols4; ++jj) {
        float* sj = st + jj * kFlashRows;
        for (std::size_t g = 0; g < kGroups; ++g) {
          const f32x4 p = expminus4(sub(load(sj + 4 * g), vmaxsafe[g]));
          store(sj + 4 * g, p);
          vsum[g] = add(vsum[g], p);
        }
      }
    }
    for (std::size_t g = 0; g < kGroups; ++g) {
      store(sumb + 4 * g, add(mul(load(sumb + 4 * g), load(rescaleb + 4 * g)), vsum[g]));
    }

    // pass 4: out = rescale · out + p · v[j0 : j0 + cols]
    const float* vt = a.v + j0 * a.ldv;
    for (std::size_t ii = 0; ii < rows; ii += 4) {
      const std::size_t mr = rows - ii < 4 ? rows - ii : 4;
      float* o = out + ii * a.ldo;
      std::size_t c = 0;
      // once the rows' maxima have settled (most key tiles), there is nothing to rescale: load the
      // accumulators as they are (measured: 1% of the kernel at N = 4096)
      const bool unit = mr == 4 && all(eq(load(rescaleb + ii), splat(1.0f)));
      for (; c + 8 <= dv; c += 8) {
        Tile4x8 t = unit ? tile_load(4, 8, o + c, a.ldo) : tile_load_scaled(mr, 8, o + c, a.ldo, rescaleb + ii);
        tile_mac_kmajor(t, cols, st + ii, kFlashRows, vt + c, a.ldv);
        tile_store(t, mr, 8, o + c, a.ldo);
      }
      for (; c < dv; ++c) {
        for (std::size_t r = 0; r < mr; ++r) {
          float acc = o[r * a.ldo + c] * rescaleb[ii + r];
          for (std::size_t j = 0; j < cols; ++j) acc += st[j * kFlashRows + ii + r] * vt[j * a.ldv + c];
          o[r * a.ldo + c] = acc;
        }
      }
    }
  }
  sp.ok = ok;
  return any;
}

// V8 moves a call onto optimised (TurboFan) code only when a function is entered, never inside a
// running loop, and a fresh module starts in baseline (Liftoff) code: a first, long attention()
// call would run the whole kernel at Liftoff speed (measured: 6 instead of 36 GFLOP/s at
// N = 4096) if the kernel were one function. Entering span_tile once per key tile lets the call
// switch as soon as V8 has optimised it. The call goes through a volatile pointer because
// binaryen (emcc's wasm-opt) inlines a function called from one place whatever clang was told.
bool (*volatile const span_tile_fn)(Span&, std::size_t) noexcept = span_tile;

// The weights of a span's rows once every key tile is done: the stored logits of keys [0, seen)
// become exp(logit - max) / sum with the final max and sum (in base 2 when unchecked, as the
// logits are); keys from `seen` on and rows whose every logit is -inf weigh 0.
void span_weights(const FlashArgs& a, std::size_t s0, std::size_t span, std::size_t seen,
                  const float* mx, const float* sum) noexcept {
  for (std::size_t r = 0; r < span; ++r) {
    float* w = a.weights + (s0 + r) * a.ldw;
    std::size_t j = 0;
    if (sum[r] > 0.0f) {
      const f32x4 vmax = splat(mx[r]), vinv = splat(1.0f / sum[r]);
      if (!a.checked) {
        for (; j + 4 <= seen; j += 4) store(w + j, mul(exp2minus4(sub(load(w + j), vmax)), vinv));
        if (j < seen) store_tail(w + j, seen - j, mul(exp2minus4(sub(load_tail(w + j, seen - j, mx[r]), vmax)), vinv));
      } else {
        for (; j + 4 <= seen; j += 4) store(w + j, mul(expminus4(sub(load(w + j), vmax)), vinv));
        if (j < seen) store_tail(w + j, seen - j, mul(expminus4(sub(load_tail(w + j, seen - j, mx[r]), vmax)), vinv));
      }
      j = seen;
    }
    std::fill(w + j, w + a.n, 0.0f);
  }
}

}  // namespace

bool flash_attention__simd128_4x8(const FlashArgs& a) noexcept {
  // The same definition as flash_attention__scalar, in blocks of kFlashRows query rows against
  // kFlashKeys keys. The block of logits is kept transposed, st [key][row], so that a 4-lane
  // vector holds one key for 4 rows: every per-row statistic (running max, sum, rescale) is then
  // lane-wise, with no horizontal reductions, and the probabilities are already laid out k-major
  // for the P·V tiles.
  //   pass 0  the keys packed once, k-major in 4-key panels; per block, the queries k-major
  //           (times the scale when unchecked)
  //   pass 1  stᵀ = q kᵀ: 4x8 tiles of 4 keys (broadcast) × 8 query rows (loaded); for an
  //           unchecked, unmasked tile also its per-row max, and pass 2 is skipped
  //   pass 2  logits = scale · s (checked), masked; per-row max of the tile
  //   pass 3  online softmax: max' = max(max, tile max), rescale = exp(max - max'),
  //           p = exp(s - max'), sum = rescale · sum + Σ p
  //   pass 4  out = rescale · out + p · v: 4x8 tiles of 4 query rows (broadcast) × 8 values
  //   pass 5  out /= sum, once every key tile is done
  const KeyMask& mask = a.mask;
  const std::size_t n = a.n, d = a.d, dv = a.dv;
  const std::size_t n4 = (n + 3) & ~std::size_t{3};
  float* kp = a.work;                   // [n4 / 4][d][4]
  float* qt = kp + n4 * d;              // [kFlashSpan / kFlashRows][d][kFlashRows]
  float* st = qt + d * kFlashSpan;      // [kFlashKeys][kFlashRows]
  float* mx = st + kFlashKeys * kFlashRows;  // [kFlashSpan] each
  float* sum = mx + kFlashSpan;
  float* rescale = sum + kFlashSpan;
  float* endf = rescale + kFlashSpan;   // first blocked key per row (lengths, causality), as float
  constexpr std::size_t kBlocks = kFlashSpan / kFlashRows;
  std::size_t end_min[kBlocks], end_max[kBlocks];  // per block, over its rows

  // pass 0: the keys, packed once for every query block, k-major in 4-key panels (broadcast in
  // pass 1), zero-padded
  for (std::size_t j = 0; j < n; j += 4) pack_kmajor(n - j < 4 ? n - j : 4, 4, d, a.k + j * a.ldk, a.ldk, kp + j * d);

  f32x4 ok = eq(splat(0.0f), splat(0.0f));  // all lanes true until a logit is not finite
  // Spans of up to kFlashSpan query rows: each key tile is used by every block of the span while
  // it is in L1/L2, so the keys and values stream through the cache once per span, not per block
  // (at N = 32768 the packed keys and the values are 16 MiB).
  for (std::size_t s0 = 0; s0 < a.m; s0 += kFlashSpan) {
    const std::size_t span = a.m - s0 < kFlashSpan ? a.m - s0 : kFlashSpan;
    const std::size_t blocks = (span + kFlashRows - 1) / kFlashRows;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t i0 = s0 + b * kFlashRows, rows = a.m - i0 < kFlashRows ? a.m - i0 : kFlashRows;
      float* qtb = qt + b * d * kFlashRows;
      pack_kmajor(rows, kFlashRows, d, a.q + i0 * a.ldq, a.ldq, qtb);
      if (!a.checked) {
        // unchecked (nothing can overflow): the scale goes into the queries, so the logits come
        // straight out of pass 1, which also takes the tile max for the usual unmasked tile; and
        // the softmax runs in base 2, 2^(x log2 e - m) = e^(x - m'), where exp costs 17
        // operations instead of 21 (measured +3.5% for the kernel)
        const f32x4 vscale2 = splat(a.scale * 1.44269504088896341f);  // and base 2: times log2 e
        for (std::size_t i = 0; i < d * kFlashRows; i += 4) store(qtb + i, mul(load(qtb + i), vscale2));
      }
      end_min[b] = n, end_max[b] = 0;
      for (std::size_t r = 0; r < kFlashRows; ++r) {
        std::size_t e = n;
        if (r < rows) {
          if (mask.ends != nullptr && mask.ends[i0 + r] < e) e = mask.ends[i0 + r];
          if (mask.causal && i0 + r + 1 < e) e = i0 + r + 1;
          end_min[b] = e < end_min[b] ? e : end_min[b];
          end_max[b] = e > end_max[b] ? e : end_max[b];
          std::memset(a.out + (i0 + r) * a.ldo, 0, dv * sizeof(float));
        }
        endf[b * kFlashRows + r] = static_cast<float>(e);  // exact: n <= 2^24
        mx[b * kFlashRows + r] = kNegInf;
        sum[b * kFlashRows + r] = 0.0f;
      }
    }
    Span sp{&a, kp, qt, st, mx, sum, rescale, endf, s0, blocks, end_min, end_max, ok};
    std::size_t seen = n;  // keys whose logits are stored in the weights (the rest weigh 0)
    for (std::size_t j0 = 0; j0 < n; j0 += kFlashKeys) {
      if (!span_tile_fn(sp, j0)) {  // every block skips this tile, and so every later one
        seen = j0 + kFlashKeys < n ? j0 + kFlashKeys : n;
        break;
      }
    }
    ok = sp.ok;
    if (a.weights != nullptr) span_weights(a, s0, span, seen, mx, sum);

    // pass 5: normalise; a row whose every logit is -inf has sum 0 and stays all zeros
    for (std::size_t r = 0; r < span; ++r) {
      if (sum[r] == 0.0f) continue;
      const f32x4 inv = splat(1.0f / sum[r]);
      float* o = a.out + (s0 + r) * a.ldo;
      std::size_t c = 0;
      for (; c + 4 <= dv; c += 4) store(o + c, mul(load(o + c), inv));
      for (; c < dv; ++c) o[c] *= 1.0f / sum[r];
    }
  }
  return all(ok);
}

}  // namespace attn::kernels
