// Flat-pointer kernels for the hot rows of attention.
//
// Every kernel exists as `NAME__scalar` (kernels/scalar/, THE reference: double accumulation,
// step comments, compiled without auto-vectorisation) and, where the build has 128-bit SIMD
// (WASM SIMD128, or SSE2 in native builds), as `NAME__simd128[_MRxNR]` (kernels/simd/: same steps,
// same variable names, 4 lanes at a time, scalar tail at the end; the suffix names the register
// tile of the blocked ones). One file per concern in both folders: exp.cpp (the exponentials),
// rows.cpp (softmax_row, additive), gemm.cpp (the matrix products), flash.cpp (flash attention);
// simd/ adds the inline lane helpers its kernels share: v128.hpp (the lanes), exp.hpp, tiles.hpp.
//
// The math in src/ calls the `active` table, never a variant by name; tests iterate `registry()`
// and check each SIMD kernel against its scalar reference.
//
// Conventions: row-major; `ld*` is the distance in floats between consecutive rows, so a kernel can
// work on a column slice of a wider matrix (one head of multi-head attention). No kernel throws,
// allocates or validates: the callers in src/ have already checked shapes and allocated any
// workspace. Every kernel is noexcept, which also keeps Emscripten's JS exception wrappers
// (invoke_*) off the calls into them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace attn::kernels {

// y = softmax(x) over one row of n values, with the row max subtracted first. A row whose max is
// -inf (every entry masked with a -inf fill) becomes all zeros, never NaN. x == y is allowed.
using softmax_row_fn = void (*)(std::size_t n, const float* x, float* y) noexcept;

// softmax_row__scalar, THE reference, with the results of its passes kept: the row max, the exp
// terms e[j] = exp(x[j] - max) rounded to float, and their sum in double; y[j] = e[j] / sum. What
// the playground shows of a softmax (src/explain.cpp). softmax_row__scalar is this with e == y; x,
// e and y may alias.
struct SoftmaxRowSteps {
  float max;  // -inf when every entry is -inf (e, y and sum are then 0)
  double sum;
};

// c[i, j] = sum_p a[i, p] * b[j, p]   (C = A Bᵀ: queries against keys)        a [m, k], b [n, k]
using gemm_nt_fn = void (*)(std::size_t m, std::size_t n, std::size_t k, const float* a,
                            std::size_t lda, const float* b, std::size_t ldb, float* c,
                            std::size_t ldc) noexcept;

// c[i, j] = sum_p a[i, p] * b[p, j]   (C = A B: weights times values, x times W) a [m, k], b [k, n]
using gemm_nn_fn = gemm_nt_fn;

// c[i, j] = sum_h v[h] * tanh(qp[i, h] + kp[j, h])   (additive scoring after the projections)
using additive_fn = void (*)(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                             const float* kp, const float* v, float* c) noexcept;

// y[i] = exp(x[i]) for a whole array (the vectorised exp is tested on its own against expf).
using exp_fn = void (*)(std::size_t n, const float* x, float* y) noexcept;

// y[i] = exp(x[i] - max) for x[i] <= max: the numerators of a softmax row. Results below FLT_MIN
// (x[i] - max < -87.34) are 0: next to the row max's exp(0) = 1 they cannot change a float sum,
// and flushing them keeps the SIMD exp short. -inf gives exactly 0.
using expminus_fn = void (*)(std::size_t n, const float* x, float max, float* y) noexcept;

// y[i] = 2^(x[i] - max) for x[i] <= max: the softmax numerators when the logits are in base 2
// (flash_attention__simd128_4x8, unchecked). Exactly 0 at or below 2^-126.5 (x[i] - max <= -126.5)
// and for -inf; between 2^-126.5 and FLT_MIN the subnormal result, within a few units of its last
// place.
using exp2minus_fn = expminus_fn;

// THE mask rule: which (query row, key) pairs are blocked. src/checks.cpp resolves and validates
// the caller's options (attn/mask.hpp: valid lengths, a 0/1 mask, causal), ResolvedMask::for_batch
// turns them into this plain data for one batch element, the materialised path applies it through
// apply_row (src/logits.cpp), and the flash kernels ask end() and kept() as they go.
//   Key j is blocked for query row i when j >= ends[i] (valid lengths), when causal and j > i
//   (top-left aligned, as PyTorch's is_causal), or when keep[i * ldkeep + j] == 0.
//   The sentinel: blocked logits become `fill` before the softmax. -1e6 (the default, as d2l)
//   makes a fully blocked row uniform; -inf makes blocked weights exactly 0 and a fully blocked
//   row all zeros (never NaN).
struct KeyMask {
  const std::uint32_t* ends = nullptr;  // [m], or null: no lengths
  bool causal = false;
  const float* keep = nullptr;  // [m, n] 0/1 with row stride ldkeep, or null: no mask
  std::size_t ldkeep = 0;
  float fill = -1e6f;

  // Keys [end(i, n), n) of row i are blocked by the lengths and causality.
  std::size_t end(std::size_t i, std::size_t n) const noexcept {
    std::size_t e = n;
    if (ends != nullptr && ends[i] < e) e = ends[i];
    if (causal && i + 1 < e) e = i + 1;
    return e;
  }
  // False when the 0/1 mask blocks key j of row i.
  bool kept(std::size_t i, std::size_t j) const noexcept {
    return keep == nullptr || keep[i * ldkeep + j] != 0.0f;
  }
  // Whether key j of row i is blocked, with end = end(i, n) computed once per row.
  bool blocked(std::size_t i, std::size_t j, std::size_t end) const noexcept {
    return j >= end || !kept(i, j);
  }
  // Row i of the logits, n long, with its blocked entries replaced by the fill.
  void apply_row(std::size_t i, std::size_t n, float* row) const noexcept {
    const std::size_t e = end(i, n);
    for (std::size_t j = 0; j < e; ++j) {
      if (!kept(i, j)) row[j] = fill;
    }
    for (std::size_t j = e; j < n; ++j) row[j] = fill;
  }
};

// Attention of one batch element without the [m, n] matrix:
//   out [m, dv] = softmax_rows(mask(scale · q kᵀ)) · v,   q [m, d], k [n, d], v [n, dv]
// The softmax is kept online over the keys (running max and sum; the output accumulator is
// rescaled whenever the max grows), so memory is O(n·d), not O(m·n).
//   checked = true:  every logit is computed and checked; the kernel returns false if one (before
//                    the mask) is not finite, and `out` is then unspecified.
//   checked = false: the caller has proven that no logit, and no query times scale, can
//                    overflow (with room for a factor log2 e). The kernel may then fold the scale
//                    into the queries and work in base 2 (the logits differ from scale · (q·k)
//                    by float rounding only) and skip key tiles in which
//                    every logit of every row is blocked and weighs exactly 0 (fill -inf, or a
//                    finite fill more than exp's range below every row's running max), which is
//                    what makes causal attention cheaper. It returns true.
// `work` holds flash_attention_workspace(n, d, dv) floats.
// With `weights` set, the kernel also writes the attention weights softmax_rows(mask(logits))
// [m, n] there (row stride ldw): the logits of each key tile are stored as they are computed and
// turned into weights, exp(logit - max) / sum, once a span of rows has seen every key (blocked
// weights are exactly 0 under a -inf fill, as in the materialised path).
struct FlashArgs {
  std::size_t m, n, d, dv;
  const float* q;
  std::size_t ldq;
  const float* k;
  std::size_t ldk;
  const float* v;
  std::size_t ldv;
  float* out;
  std::size_t ldo;
  float scale;  // 1/√d (scaled_dot) or 1 (dot), divided by the temperature
  KeyMask mask;
  bool checked;
  float* work;
  float* weights = nullptr;  // [m, ldw], or null: the weights are not wanted
  std::size_t ldw = 0;
};
using flash_attention_fn = bool (*)(const FlashArgs& args) noexcept;
// The blocks of flash_attention__simd128_4x8: kFlashRows query rows (4-row register tiles) against
// kFlashKeys keys at a time, so the logits of a block stay in L1; the blocks of a span of
// kFlashSpan rows take each key tile in turn, so it is reused while in cache.
inline constexpr std::size_t kFlashRows = 16, kFlashKeys = 64, kFlashSpan = 256;
// Floats of workspace any flash_attention variant needs (the keys packed for the SIMD tiles).
std::size_t flash_attention_workspace(std::size_t n, std::size_t d, std::size_t dv) noexcept;

void softmax_row__scalar(std::size_t n, const float* x, float* y) noexcept;
SoftmaxRowSteps softmax_row_steps__scalar(std::size_t n, const float* x, float* e,
                                          float* y) noexcept;
void gemm_nt__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept;
void gemm_nn__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept;
void additive__scalar(std::size_t m, std::size_t n, std::size_t h, const float* qp, const float* kp,
                      const float* v, float* c) noexcept;
void exp__scalar(std::size_t n, const float* x, float* y) noexcept;
void expminus__scalar(std::size_t n, const float* x, float max, float* y) noexcept;
void exp2minus__scalar(std::size_t n, const float* x, float max, float* y) noexcept;
bool flash_attention__scalar(const FlashArgs& args) noexcept;

#if defined(ATTN_HAVE_SIMD128)
void softmax_row__simd128(std::size_t n, const float* x, float* y) noexcept;
void gemm_nt__simd128_4x8(std::size_t m, std::size_t n, std::size_t k, const float* a,
                          std::size_t lda, const float* b, std::size_t ldb, float* c,
                          std::size_t ldc) noexcept;
void gemm_nn__simd128_4x8(std::size_t m, std::size_t n, std::size_t k, const float* a,
                          std::size_t lda, const float* b, std::size_t ldb, float* c,
                          std::size_t ldc) noexcept;
void additive__simd128(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                       const float* kp, const float* v, float* c) noexcept;
void exp__simd128(std::size_t n, const float* x, float* y) noexcept;
void expminus__simd128_rr2_p5(std::size_t n, const float* x, float max, float* y) noexcept;
void exp2minus__simd128_rr1_p5(std::size_t n, const float* x, float max, float* y) noexcept;
bool flash_attention__simd128_4x8(const FlashArgs& args) noexcept;
#endif

// The kernels the math uses in this build: the SIMD variants where the build has them.
struct Table {
  const char* isa;  // "relaxed-simd", "simd128" or "scalar"
  softmax_row_fn softmax_row;
  gemm_nt_fn gemm_nt;
  gemm_nn_fn gemm_nn;
  additive_fn additive;
  exp_fn exp;
  expminus_fn expminus;
  flash_attention_fn flash_attention;
};
const Table& active();

// One row per kernel variant, for tests and benchmarks.
enum class Family {
  softmax_row,
  gemm_nt,
  gemm_nn,
  additive,
  exp,
  expminus,
  exp2minus,
  flash_attention
};
struct Entry {
  const char* name;  // e.g. "gemm_nt__simd128_4x8"
  Family family;
  const char* isa;  // "scalar" | "simd128" | "relaxed-simd" (the build's SIMD kernels)
  // The register tile: mr rows of the output by nr columns (1 x 1 for the scalar references; a
  // 1-D kernel has mr = 1). Tests probe sizes 1 … 3·tile + 1 along both axes so every tail runs.
  std::size_t mr, nr;
  // Exactly one of these is set, the one of `family`.
  softmax_row_fn softmax_row = nullptr;
  gemm_nt_fn gemm = nullptr;  // gemm_nt and gemm_nn share the signature
  additive_fn additive = nullptr;
  exp_fn exp = nullptr;
  expminus_fn expminus = nullptr;  // expminus and exp2minus share the signature
  flash_attention_fn flash_attention = nullptr;
};
const std::vector<Entry>& registry();

}  // namespace attn::kernels
