// The list of every kernel variant in this build, and the table the math dispatches through.
#include "kernels.hpp"

namespace attn::kernels {

const Table& active() {
#if defined(ATTN_HAVE_SIMD128)
  static const Table table{"simd128",         softmax_row__simd128, gemm_nt__simd128,
                           gemm_nn__simd128,  additive__simd128,    exp__simd128};
#else
  static const Table table{"scalar",         softmax_row__scalar, gemm_nt__scalar,
                           gemm_nn__scalar,  additive__scalar,    exp__scalar};
#endif
  return table;
}

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = [] {
    std::vector<Entry> e;
    auto softmax = [&](const char* name, const char* isa, std::size_t tile, softmax_row_fn fn) {
      Entry x{name, Family::softmax_row, isa, tile};
      x.softmax_row = fn;
      e.push_back(x);
    };
    auto gemm = [&](const char* name, Family f, const char* isa, std::size_t tile, gemm_nt_fn fn) {
      Entry x{name, f, isa, tile};
      x.gemm = fn;
      e.push_back(x);
    };
    auto additive = [&](const char* name, const char* isa, std::size_t tile, additive_fn fn) {
      Entry x{name, Family::additive, isa, tile};
      x.additive = fn;
      e.push_back(x);
    };
    auto exp = [&](const char* name, const char* isa, std::size_t tile, exp_fn fn) {
      Entry x{name, Family::exp, isa, tile};
      x.exp = fn;
      e.push_back(x);
    };
    softmax("softmax_row__scalar", "scalar", 1, softmax_row__scalar);
    gemm("gemm_nt__scalar", Family::gemm_nt, "scalar", 1, gemm_nt__scalar);
    gemm("gemm_nn__scalar", Family::gemm_nn, "scalar", 1, gemm_nn__scalar);
    additive("additive__scalar", "scalar", 1, additive__scalar);
    exp("exp__scalar", "scalar", 1, exp__scalar);
#if defined(ATTN_HAVE_SIMD128)
    softmax("softmax_row__simd128", "simd128", 4, softmax_row__simd128);
    gemm("gemm_nt__simd128", Family::gemm_nt, "simd128", 4, gemm_nt__simd128);
    gemm("gemm_nn__simd128", Family::gemm_nn, "simd128", 16, gemm_nn__simd128);
    additive("additive__simd128", "simd128", 4, additive__simd128);
    exp("exp__simd128", "simd128", 4, exp__simd128);
#endif
    return e;
  }();
  return entries;
}

}  // namespace attn::kernels
