// The exponentials of the SIMD128 kernels on 4 lanes, shared by the softmax rows (rows.cpp), the
// flash kernel (flash.cpp) and the additive scores' tanh (rows.cpp), and tested through the
// exp__simd128 / expminus__simd128_rr2_p5 / exp2minus__simd128_rr1_p5 kernels (exp.cpp). Inline in
// a header so that every kernel keeps them in its own loop: a call per vector would cost the flash
// kernel its speed.
#pragma once

#include <limits>

#include "v128.hpp"

namespace attn::kernels::v128 {

inline constexpr float kNegInf = -std::numeric_limits<float>::infinity();

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
  p = madd(p, r, splat(1.3981999507e-3f));
  p = madd(p, r, splat(8.3334519073e-3f));
  p = madd(p, r, splat(4.1665795894e-2f));
  p = madd(p, r, splat(1.6666665459e-1f));
  p = madd(p, r, splat(5.0000001201e-1f));
  p = add(madd(p, mul(r, r), r), splat(1.0f));
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
inline constexpr float kExpCutoff = -0x1.5D589Ep6f;
ATTN_INLINE f32x4 expminus4(f32x4 x) {
  const f32x4 magic_bias = splat(0x1.8000FEp23f);
  f32x4 n = madd(x, splat(0x1.715476p+0f), magic_bias);
  const f32x4 s = as_f32(i32_shl(as_i32(n), 23));
  n = sub(n, magic_bias);
  f32x4 t = madd(n, splat(-0x1.62E400p-1f), x);
  t = madd(n, splat(-0x1.7F7D1Cp-20f), t);
  f32x4 p = madd(splat(0x1.0F9F9Cp-7f), t, splat(0x1.573A1Ap-5f));
  p = madd(p, t, splat(0x1.555A80p-3f));
  p = madd(p, t, splat(0x1.FFFDC6p-2f));
  p = madd(p, t, splat(0x1.FFFFF6p-1f));
  t = mul(t, s);
  const f32x4 y = madd(t, p, s);
  return bit_andnot(y, lt(x, splat(kExpCutoff)));
}

// 2^x on 4 lanes for x <= 0 (the softmax in base 2, see flash_attention__simd128_4x8): n = round(x)
// by the same magic bias, t = x - n exactly (no Cody–Waite split is needed in base 2), and
// rr2_p5's polynomial with its coefficients scaled by ln2^k, since 2^t = e^(t ln2). 16 operations.
// x is first clamped to -127, where the exponent field of 2^n is 0, so the result is exactly 0 at
// or below kExp2Zero (-126.5 rounds to n = -127, ties to even) and for -inf; between -126.5 and
// -126 it is the subnormal 2^x within a few units of its last place. (The clamp is one operation
// where a compare and a mask were two: about 1% of the flash kernel at N = 1024 and 4096.)
inline constexpr float kExp2Zero = -126.5f;
ATTN_INLINE f32x4 exp2minus4(f32x4 x) {
  x = max(x, splat(-127.0f));
  const f32x4 magic_bias = splat(0x1.8000FEp23f);
  f32x4 n = add(x, magic_bias);
  const f32x4 s = as_f32(i32_shl(as_i32(n), 23));
  n = sub(n, magic_bias);
  f32x4 t = sub(x, n);
  f32x4 p = madd(splat(0x1.5baf140000000p-10f), t, splat(0x1.3cea520000000p-7f));
  p = madd(p, t, splat(0x1.c6b7700000000p-5f));
  p = madd(p, t, splat(0x1.ebf9bc0000000p-3f));
  p = madd(p, t, splat(0x1.62e42a0000000p-1f));
  t = mul(t, s);
  return madd(t, p, s);
}

// tanh on 4 lanes from exp4: tanh|x| = (1 - t) / (1 + t) with t = exp(-2|x|), sign restored.
inline f32x4 tanh4(f32x4 x) {
  const f32x4 negative = lt(x, splat(0.0f));
  const f32x4 ax = select(negative, sub(splat(0.0f), x), x);
  const f32x4 t = exp4(mul(ax, splat(-2.0f)));
  const f32x4 y = div(sub(splat(1.0f), t), add(splat(1.0f), t));
  return select(negative, sub(splat(0.0f), y), y);
}

}  // namespace attn::kernels::v128
