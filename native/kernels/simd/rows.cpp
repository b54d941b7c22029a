// The SIMD128 kernels along a row: the softmax of one row (the same passes and names as
// ../scalar/rows.cpp, 4 lanes at a time, the tail padded) and the additive scores' tanh sum.
#include "../kernels.hpp"
#include "exp.hpp"

namespace attn::kernels {

using namespace v128;

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

void additive__simd128(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                       const float* kp, const float* v, float* c) noexcept {
  // c[i, j] = vᵀ tanh(qp[i] + kp[j]), 4 features at a time; the tail is padded with v = 0
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      f32x4 acc4 = splat(0.0f);
      std::size_t p = 0;
      for (; p + 4 <= h; p += 4) {
        const f32x4 feature = tanh4(add(load(qp + i * h + p), load(kp + j * h + p)));
        acc4 = madd(load(v + p), feature, acc4);
      }
      if (p < h) {
        const std::size_t rest = h - p;
        const f32x4 feature = tanh4(
            add(load_tail(qp + i * h + p, rest, 0.0f), load_tail(kp + j * h + p, rest, 0.0f)));
        acc4 = madd(load_tail(v + p, rest, 0.0f), feature, acc4);
      }
      c[i * n + j] = hsum(acc4);
    }
  }
}

}  // namespace attn::kernels
