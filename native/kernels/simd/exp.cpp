// exp, exp(x - max) and 2^(x - max) over whole arrays: the lane functions of exp.hpp with their
// tails, as kernels of their own so that the registry-driven test checks each against the scalar
// reference (tests/native/test_kernels.cpp).
#include "exp.hpp"
#include "../kernels.hpp"

namespace attn::kernels {

using namespace v128;

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

}  // namespace attn::kernels
