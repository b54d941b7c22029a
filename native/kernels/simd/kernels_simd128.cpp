// SIMD128 kernels: the same passes and names as ../scalar/kernels_scalar.cpp, 4 lanes at a time,
// accumulating in float, with the scalar tail at the end of each loop.
#include <cmath>
#include <cstring>
#include <limits>

#include "../kernels.hpp"
#include "v128.hpp"

namespace attn::kernels {
namespace {

using namespace v128;

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

}  // namespace

void exp__simd128(std::size_t n, const float* x, float* y) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(y + i, exp4(load(x + i)));
  if (i < n) store_tail(y + i, n - i, exp4(load_tail(x + i, n - i, 0.0f)));
}

void softmax_row__simd128(std::size_t n, const float* x, float* y) {
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
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
    const f32x4 e = exp4(sub(load(x + j), maxv));
    store(y + j, e);
    sum4 = add(sum4, e);
  }
  if (j < n) {
    const f32x4 e = exp4(sub(load_tail(x + j, n - j, kNegInf), maxv));
    store_tail(y + j, n - j, e);
    sum4 = add(sum4, e);
  }
  const float sum = hsum(sum4);
  // pass 3: normalise
  const f32x4 inv = splat(1.0f / sum);
  for (j = 0; j + 4 <= n; j += 4) store(y + j, mul(load(y + j), inv));
  for (; j < n; ++j) y[j] *= 1.0f / sum;
}

void gemm_nt__simd128(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                      const float* b, std::size_t ldb, float* c, std::size_t ldc) {
  // c [m, n] = a [m, k] · b [n, k]ᵀ: one row of a against 4 rows of b at a time
  for (std::size_t i = 0; i < m; ++i) {
    const float* arow = a + i * lda;
    std::size_t j = 0;
    for (; j + 4 <= n; j += 4) {
      const float* b0 = b + j * ldb;
      const float* b1 = b0 + ldb;
      const float* b2 = b1 + ldb;
      const float* b3 = b2 + ldb;
      f32x4 acc0 = splat(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      std::size_t p = 0;
      for (; p + 4 <= k; p += 4) {
        const f32x4 av = load(arow + p);
        acc0 = add(acc0, mul(av, load(b0 + p)));
        acc1 = add(acc1, mul(av, load(b1 + p)));
        acc2 = add(acc2, mul(av, load(b2 + p)));
        acc3 = add(acc3, mul(av, load(b3 + p)));
      }
      alignas(16) float acc[4];
      store(acc, hsum4(acc0, acc1, acc2, acc3));
      for (; p < k; ++p) {
        acc[0] += arow[p] * b0[p];
        acc[1] += arow[p] * b1[p];
        acc[2] += arow[p] * b2[p];
        acc[3] += arow[p] * b3[p];
      }
      std::memcpy(c + i * ldc + j, acc, sizeof acc);
    }
    for (; j < n; ++j) {
      const float* brow = b + j * ldb;
      f32x4 acc4 = splat(0.0f);
      std::size_t p = 0;
      for (; p + 4 <= k; p += 4) acc4 = add(acc4, mul(load(arow + p), load(brow + p)));
      float acc = hsum(acc4);
      for (; p < k; ++p) acc += arow[p] * brow[p];
      c[i * ldc + j] = acc;
    }
  }
}

void gemm_nn__simd128(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                      const float* b, std::size_t ldb, float* c, std::size_t ldc) {
  // c [m, n] = a [m, k] · b [k, n]: a[i, p] broadcast against row p of b, 16 columns at a time
  for (std::size_t i = 0; i < m; ++i) {
    const float* arow = a + i * lda;
    float* crow = c + i * ldc;
    std::size_t j = 0;
    for (; j + 16 <= n; j += 16) {
      f32x4 acc0 = splat(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (std::size_t p = 0; p < k; ++p) {
        const f32x4 av = splat(arow[p]);
        const float* brow = b + p * ldb + j;
        acc0 = add(acc0, mul(av, load(brow)));
        acc1 = add(acc1, mul(av, load(brow + 4)));
        acc2 = add(acc2, mul(av, load(brow + 8)));
        acc3 = add(acc3, mul(av, load(brow + 12)));
      }
      store(crow + j, acc0);
      store(crow + j + 4, acc1);
      store(crow + j + 8, acc2);
      store(crow + j + 12, acc3);
    }
    for (; j + 4 <= n; j += 4) {
      f32x4 acc0 = splat(0.0f);
      for (std::size_t p = 0; p < k; ++p) acc0 = add(acc0, mul(splat(arow[p]), load(b + p * ldb + j)));
      store(crow + j, acc0);
    }
    for (; j < n; ++j) {
      float acc = 0.0f;
      for (std::size_t p = 0; p < k; ++p) acc += arow[p] * b[p * ldb + j];
      crow[j] = acc;
    }
  }
}

void additive__simd128(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                       const float* kp, const float* v, float* c) {
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

}  // namespace attn::kernels
