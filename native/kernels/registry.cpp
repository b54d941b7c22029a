// The list of every kernel variant in this build, and the table the math dispatches through.
#include "kernels.hpp"

namespace attn::kernels {

#if defined(__wasm_relaxed_simd__) || defined(__FMA__)
// The same SIMD128 kernels with v128::madd fused (f32x4.relaxed_madd; natively FMA3, the fuzzer's
// relaxed target): the build's name in JS.
constexpr const char* kSimdIsa = "relaxed-simd";
#else
constexpr const char* kSimdIsa = "simd128";
#endif

const Table& active() {
#if defined(ATTN_HAVE_SIMD128)
  static const Table table{kSimdIsa,
                           softmax_row__simd128,
                           gemm_nt__simd128_4x8,
                           gemm_nn__simd128_4x8,
                           additive__simd128,
                           exp__simd128,
                           expminus__simd128_rr2_p5,
                           flash_attention__simd128_4x8};
#else
  static const Table table{"scalar",         softmax_row__scalar,    gemm_nt__scalar,
                           gemm_nn__scalar,  additive__scalar,       exp__scalar,
                           expminus__scalar, flash_attention__scalar};
#endif
  return table;
}

std::size_t flash_attention_workspace(std::size_t n, std::size_t d, std::size_t dv) noexcept {
  // scalar: an output accumulator of dv doubles. simd128_4x8: the keys packed k-major in 4-key
  // panels [ceil(n/4)][d][4], a span of queries k-major [d][kFlashSpan], the transposed block of
  // logits [kFlashKeys][kFlashRows], and per row of the span the running max and sum, the rescale
  // factor and the first blocked key [4][kFlashSpan].
  const std::size_t scalar = 2 * dv;
  const std::size_t simd =
      (n + 3) / 4 * 4 * d + d * kFlashSpan + kFlashKeys * kFlashRows + 4 * kFlashSpan;
  return scalar > simd ? scalar : simd;
}

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = [] {
    std::vector<Entry> e;
    auto add = [&](const char* name, Family f, const char* isa, std::size_t mr,
                   std::size_t nr) -> Entry& {
      e.push_back(Entry{name, f, isa, mr, nr});
      return e.back();
    };
    add("softmax_row__scalar", Family::softmax_row, "scalar", 1, 1).softmax_row =
        softmax_row__scalar;
    add("gemm_nt__scalar", Family::gemm_nt, "scalar", 1, 1).gemm = gemm_nt__scalar;
    add("gemm_nn__scalar", Family::gemm_nn, "scalar", 1, 1).gemm = gemm_nn__scalar;
    add("additive__scalar", Family::additive, "scalar", 1, 1).additive = additive__scalar;
    add("exp__scalar", Family::exp, "scalar", 1, 1).exp = exp__scalar;
    add("expminus__scalar", Family::expminus, "scalar", 1, 1).expminus = expminus__scalar;
    add("exp2minus__scalar", Family::exp2minus, "scalar", 1, 1).expminus = exp2minus__scalar;
    add("flash_attention__scalar", Family::flash_attention, "scalar", 1, 1).flash_attention =
        flash_attention__scalar;
#if defined(ATTN_HAVE_SIMD128)
    add("softmax_row__simd128", Family::softmax_row, kSimdIsa, 1, 4).softmax_row =
        softmax_row__simd128;
    add("gemm_nt__simd128_4x8", Family::gemm_nt, kSimdIsa, 4, 8).gemm = gemm_nt__simd128_4x8;
    add("gemm_nn__simd128_4x8", Family::gemm_nn, kSimdIsa, 4, 8).gemm = gemm_nn__simd128_4x8;
    add("additive__simd128", Family::additive, kSimdIsa, 1, 4).additive = additive__simd128;
    add("exp__simd128", Family::exp, kSimdIsa, 1, 4).exp = exp__simd128;
    add("expminus__simd128_rr2_p5", Family::expminus, kSimdIsa, 1, 4).expminus =
        expminus__simd128_rr2_p5;
    add("exp2minus__simd128_rr1_p5", Family::exp2minus, kSimdIsa, 1, 4).expminus =
        exp2minus__simd128_rr1_p5;
    add("flash_attention__simd128_4x8", Family::flash_attention, kSimdIsa, kFlashRows, kFlashKeys)
        .flash_attention = flash_attention__simd128_4x8;
#endif
    return e;
  }();
  return entries;
}

}  // namespace attn::kernels
