// A thin 4-lane float layer: WASM SIMD128 under Emscripten, SSE2 in native x86-64 builds, so the
// native test suite runs the same SIMD kernels that ship in the browser. Only what the kernels use.
//
// Semantics chosen to agree on both targets: max/min are the "pseudo" forms (b < a ? a : b), which
// is what SSE's maxps does and what wasm's pmax does; inputs never hold NaN (validated upstream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define ATTN_V128_WASM 1
#elif defined(__SSE2__)
#include <immintrin.h>
#define ATTN_V128_SSE2 1
#else
#error "v128.hpp needs WASM SIMD128 (-msimd128) or SSE2"
#endif

// For the helpers of the hot loops that live in headers (exp.hpp, tiles.hpp): they must inline into
// every kernel file that uses them, which a plain `inline` does not promise.
#define ATTN_INLINE inline __attribute__((always_inline))

namespace attn::kernels::v128 {

#if ATTN_V128_WASM
using f32x4 = v128_t;
using i32x4 = v128_t;
inline f32x4 load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, f32x4 v) { wasm_v128_store(p, v); }
inline f32x4 splat(float x) { return wasm_f32x4_splat(x); }
// *p in all four lanes, straight from memory (v128.load32_splat: vbroadcastss under V8 with AVX)
inline f32x4 load_splat(const float* p) { return wasm_v128_load32_splat(p); }
inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return wasm_f32x4_sub(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }
#if defined(__wasm_relaxed_simd__)
// a·b + c: f32x4.relaxed_madd, a fused multiply-add where the CPU has one (x86 FMA3, Arm). Clang 14
// only knows the pre-standard opcode f32x4.fma (0xfd 0xaf 0x01), which computes its first operand
// plus the product of the other two, so the operands go in as (c, a, b); scripts/relaxed-madd.mjs
// rewrites each one after linking into the standard f32x4.relaxed_madd(a, b, c) (0xfd 0x85 0x02),
// which shipping engines accept. Which lanes are fused is the engine's choice: every result is within
// float32 rounding of mul-then-add.
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) { return __builtin_wasm_fma_f32x4(c, a, b); }
#else
// a·b + c as a multiply and an add (WASM SIMD128 has no fused multiply-add)
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
#endif
inline f32x4 div(f32x4 a, f32x4 b) { return wasm_f32x4_div(a, b); }
inline f32x4 max(f32x4 a, f32x4 b) { return wasm_f32x4_pmax(a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return wasm_f32x4_pmin(a, b); }
inline f32x4 lt(f32x4 a, f32x4 b) { return wasm_f32x4_lt(a, b); }
inline f32x4 gt(f32x4 a, f32x4 b) { return wasm_f32x4_gt(a, b); }
inline f32x4 le(f32x4 a, f32x4 b) { return wasm_f32x4_le(a, b); }
inline f32x4 eq(f32x4 a, f32x4 b) { return wasm_f32x4_eq(a, b); }
inline f32x4 abs(f32x4 a) { return wasm_f32x4_abs(a); }
inline f32x4 bit_or(f32x4 a, f32x4 b) { return wasm_v128_or(a, b); }
inline f32x4 bit_and(f32x4 a, f32x4 b) { return wasm_v128_and(a, b); }
inline f32x4 bit_andnot(f32x4 a, f32x4 mask) { return wasm_v128_andnot(a, mask); }  // a & ~mask
// true when any lane of a comparison mask is set
inline bool any(f32x4 mask) { return wasm_v128_any_true(mask); }
inline bool all(f32x4 mask) { return wasm_i32x4_all_true(mask); }
// mask ? a : b, lane by lane, for a mask made by a comparison
inline f32x4 select(f32x4 mask, f32x4 a, f32x4 b) { return wasm_v128_bitselect(a, b, mask); }
// round to the nearest integer (ties to even), as int32 lanes
inline i32x4 round_to_i32(f32x4 a) { return wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(a)); }
inline f32x4 i32_to_f32(i32x4 a) { return wasm_f32x4_convert_i32x4(a); }
inline i32x4 i32_splat(int32_t x) { return wasm_i32x4_splat(x); }
inline i32x4 i32_add(i32x4 a, i32x4 b) { return wasm_i32x4_add(a, b); }
inline i32x4 i32_sub(i32x4 a, i32x4 b) { return wasm_i32x4_sub(a, b); }
inline i32x4 i32_shr(i32x4 a, int n) { return wasm_i32x4_shr(a, n); }  // arithmetic
inline i32x4 i32_shl(i32x4 a, int n) { return wasm_i32x4_shl(a, n); }
inline f32x4 as_f32(i32x4 a) { return a; }
inline i32x4 as_i32(f32x4 a) { return a; }
// lane i of the result is the sum of the four lanes of input i (a 4x4 transpose-and-add)
inline f32x4 hsum4(f32x4 a, f32x4 b, f32x4 c, f32x4 d) {
  const f32x4 ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5),
              ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  const f32x4 cd_lo = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5),
              cd_hi = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
  const f32x4 ab = wasm_f32x4_add(ab_lo, ab_hi);  // a0+a2 b0+b2 a1+a3 b1+b3
  const f32x4 cd = wasm_f32x4_add(cd_lo, cd_hi);
  const f32x4 lo = wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5),
              hi = wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7);
  return wasm_f32x4_add(lo, hi);
}
inline float lane(f32x4 a, int i) {
  alignas(16) float t[4];
  wasm_v128_store(t, a);
  return t[i];
}
// the rows a, b, c, d of a 4x4 block become its columns
inline void transpose4(f32x4& a, f32x4& b, f32x4& c, f32x4& d) {
  const f32x4 ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5),
              ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  const f32x4 cd_lo = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5),
              cd_hi = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
  a = wasm_i32x4_shuffle(ab_lo, cd_lo, 0, 1, 4, 5);
  b = wasm_i32x4_shuffle(ab_lo, cd_lo, 2, 3, 6, 7);
  c = wasm_i32x4_shuffle(ab_hi, cd_hi, 0, 1, 4, 5);
  d = wasm_i32x4_shuffle(ab_hi, cd_hi, 2, 3, 6, 7);
}
#else
using f32x4 = __m128;
using i32x4 = __m128i;
inline f32x4 load(const float* p) { return _mm_loadu_ps(p); }
inline void store(float* p, f32x4 v) { _mm_storeu_ps(p, v); }
inline f32x4 splat(float x) { return _mm_set1_ps(x); }
inline f32x4 load_splat(const float* p) { return _mm_load1_ps(p); }
inline f32x4 add(f32x4 a, f32x4 b) { return _mm_add_ps(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return _mm_sub_ps(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return _mm_mul_ps(a, b); }
#if defined(__FMA__)
// the relaxed-SIMD build's fused multiply-add, natively (x86 FMA3): the fuzzer's relaxed target,
// whose engine is compiled with -mfma, runs the kernels with the arithmetic V8 gives relaxed_madd
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) { return _mm_fmadd_ps(a, b, c); }
#else
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
#endif
inline f32x4 div(f32x4 a, f32x4 b) { return _mm_div_ps(a, b); }
inline f32x4 max(f32x4 a, f32x4 b) { return _mm_max_ps(b, a); }  // a < b ? b : a, as pmax
inline f32x4 min(f32x4 a, f32x4 b) { return _mm_min_ps(b, a); }
inline f32x4 lt(f32x4 a, f32x4 b) { return _mm_cmplt_ps(a, b); }
inline f32x4 gt(f32x4 a, f32x4 b) { return _mm_cmpgt_ps(a, b); }
inline f32x4 le(f32x4 a, f32x4 b) { return _mm_cmple_ps(a, b); }
inline f32x4 eq(f32x4 a, f32x4 b) { return _mm_cmpeq_ps(a, b); }
inline f32x4 abs(f32x4 a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
inline f32x4 bit_or(f32x4 a, f32x4 b) { return _mm_or_ps(a, b); }
inline f32x4 bit_and(f32x4 a, f32x4 b) { return _mm_and_ps(a, b); }
inline f32x4 bit_andnot(f32x4 a, f32x4 mask) { return _mm_andnot_ps(mask, a); }
inline bool any(f32x4 mask) { return _mm_movemask_ps(mask) != 0; }
inline bool all(f32x4 mask) { return _mm_movemask_ps(mask) == 0xF; }
inline f32x4 select(f32x4 mask, f32x4 a, f32x4 b) {
  return _mm_or_ps(_mm_and_ps(mask, a), _mm_andnot_ps(mask, b));
}
inline i32x4 round_to_i32(f32x4 a) { return _mm_cvtps_epi32(a); }  // MXCSR default: nearest even
inline f32x4 i32_to_f32(i32x4 a) { return _mm_cvtepi32_ps(a); }
inline i32x4 i32_splat(int32_t x) { return _mm_set1_epi32(x); }
inline i32x4 i32_add(i32x4 a, i32x4 b) { return _mm_add_epi32(a, b); }
inline i32x4 i32_sub(i32x4 a, i32x4 b) { return _mm_sub_epi32(a, b); }
inline i32x4 i32_shr(i32x4 a, int n) { return _mm_srai_epi32(a, n); }
inline i32x4 i32_shl(i32x4 a, int n) { return _mm_slli_epi32(a, n); }
inline f32x4 as_f32(i32x4 a) { return _mm_castsi128_ps(a); }
inline i32x4 as_i32(f32x4 a) { return _mm_castps_si128(a); }
inline f32x4 hsum4(f32x4 a, f32x4 b, f32x4 c, f32x4 d) {
  _MM_TRANSPOSE4_PS(a, b, c, d);
  return _mm_add_ps(_mm_add_ps(a, b), _mm_add_ps(c, d));
}
inline float lane(f32x4 a, int i) {
  alignas(16) float t[4];
  _mm_store_ps(t, a);
  return t[i];
}
inline void transpose4(f32x4& a, f32x4& b, f32x4& c, f32x4& d) { _MM_TRANSPOSE4_PS(a, b, c, d); }
#endif

inline float hsum(f32x4 a) { return lane(hsum4(a, a, a, a), 0); }
inline float hmax(f32x4 a) {
  const float x0 = lane(a, 0), x1 = lane(a, 1), x2 = lane(a, 2), x3 = lane(a, 3);
  const float m01 = x1 > x0 ? x1 : x0, m23 = x3 > x2 ? x3 : x2;
  return m23 > m01 ? m23 : m01;
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

}  // namespace attn::kernels::v128
