// The ceiling `npm run bench` measures attention against: how many float32 multiply + add pairs
// per second 128-bit WASM SIMD sustains on this machine. Independent chains acc = acc · c + d on 4
// lanes (v128::madd: a multiply and an add in SIMD128, f32x4.relaxed_madd when compiled with
// -mrelaxed-simd), enough of them to cover the latencies; the bench takes the best chain count. No
// loads or stores: a kernel with any cannot go faster.
// Built twice as a bare module (no imports) by CMakeLists.txt: attn_ceiling (multiply + add) and
// attn_ceiling_relaxed (fused; on Intel its peak is about twice the other, on AMD Zen 4 the same).
#include "../../native/kernels/simd/v128.hpp"

namespace {

template <int N>
float chains(int iterations, float c, float d) {
  using namespace attn::kernels::v128;
  const v128_t vc = wasm_f32x4_splat(c), vd = wasm_f32x4_splat(d);
  v128_t acc[N];
#pragma clang loop unroll(full)
  for (int i = 0; i < N; ++i) acc[i] = wasm_f32x4_splat(0.01f * static_cast<float>(i));
  for (int it = 0; it < iterations; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < N; ++i) acc[i] = madd(acc[i], vc, vd);
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
