// The ceiling `npm run bench` measures attention against: how many float32 multiply + add pairs
// per second 128-bit WASM SIMD sustains on this machine (WASM SIMD has no FMA). Independent chains
// acc = acc · c + d on 4 lanes, enough of them to cover the multiply and add latencies; the bench
// takes the best chain count. No loads or stores: a kernel with any cannot go faster.
// Built as a bare module (no imports) by the attn_ceiling target in CMakeLists.txt.
#include <wasm_simd128.h>

namespace {

template <int N>
float chains(int iterations, float c, float d) {
  const v128_t vc = wasm_f32x4_splat(c), vd = wasm_f32x4_splat(d);
  v128_t acc[N];
#pragma clang loop unroll(full)
  for (int i = 0; i < N; ++i) acc[i] = wasm_f32x4_splat(0.01f * static_cast<float>(i));
  for (int it = 0; it < iterations; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < N; ++i) acc[i] = wasm_f32x4_add(wasm_f32x4_mul(acc[i], vc), vd);
  }
  v128_t sum = acc[0];
#pragma clang loop unroll(full)
  for (int i = 1; i < N; ++i) sum = wasm_f32x4_add(sum, acc[i]);
  return wasm_f32x4_extract_lane(sum, 0);  // keeps the chains alive
}

}  // namespace

// chains_N(iterations, c, d): 8·N·iterations flops (N chains, 4 lanes, a multiply and an add).
extern "C" {
__attribute__((export_name("chains_8"))) float chains_8(int n, float c, float d) {
  return chains<8>(n, c, d);
}
__attribute__((export_name("chains_10"))) float chains_10(int n, float c, float d) {
  return chains<10>(n, c, d);
}
__attribute__((export_name("chains_12"))) float chains_12(int n, float c, float d) {
  return chains<12>(n, c, d);
}
__attribute__((export_name("chains_14"))) float chains_14(int n, float c, float d) {
  return chains<14>(n, c, d);
}
}
