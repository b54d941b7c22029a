// Flat-pointer kernels for the hot rows of attention.
//
// Every kernel exists as `NAME__scalar` (kernels/scalar/, THE reference: double accumulation,
// step comments, compiled without auto-vectorisation) and, where the build has 128-bit SIMD
// (WASM SIMD128, or SSE2 in native builds), as `NAME__simd128` (kernels/simd/: same steps, same
// variable names, 4 lanes at a time, scalar tail at the end).
//
// The math in src/ calls the `active` table (dispatch.hpp), never a variant by name; tests iterate
// `registry()` and check each SIMD kernel against its scalar reference.
//
// Conventions: row-major; `ld*` is the distance in floats between consecutive rows, so a kernel can
// work on a column slice of a wider matrix (one head of multi-head attention). No kernel throws,
// allocates or validates: the callers in src/ have already checked shapes.
#pragma once

#include <cstddef>
#include <vector>

namespace attn::kernels {

// y = softmax(x) over one row of n values, with the row max subtracted first. A row whose max is
// -inf (every entry masked with a -inf fill) becomes all zeros, never NaN. x == y is allowed.
using softmax_row_fn = void (*)(std::size_t n, const float* x, float* y);

// c[i, j] = sum_p a[i, p] * b[j, p]   (C = A Bᵀ: queries against keys)        a [m, k], b [n, k]
using gemm_nt_fn = void (*)(std::size_t m, std::size_t n, std::size_t k, const float* a,
                            std::size_t lda, const float* b, std::size_t ldb, float* c,
                            std::size_t ldc);

// c[i, j] = sum_p a[i, p] * b[p, j]   (C = A B: weights times values, x times W) a [m, k], b [k, n]
using gemm_nn_fn = gemm_nt_fn;

// c[i, j] = sum_h v[h] * tanh(qp[i, h] + kp[j, h])   (additive scoring after the projections)
using additive_fn = void (*)(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                             const float* kp, const float* v, float* c);

// y[i] = exp(x[i]) for a whole array (the vectorised exp is tested on its own against expf).
using exp_fn = void (*)(std::size_t n, const float* x, float* y);

void softmax_row__scalar(std::size_t n, const float* x, float* y);
void gemm_nt__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc);
void gemm_nn__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc);
void additive__scalar(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                      const float* kp, const float* v, float* c);
void exp__scalar(std::size_t n, const float* x, float* y);

#if defined(ATTN_HAVE_SIMD128)
void softmax_row__simd128(std::size_t n, const float* x, float* y);
void gemm_nt__simd128(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                      const float* b, std::size_t ldb, float* c, std::size_t ldc);
void gemm_nn__simd128(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                      const float* b, std::size_t ldb, float* c, std::size_t ldc);
void additive__simd128(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                       const float* kp, const float* v, float* c);
void exp__simd128(std::size_t n, const float* x, float* y);
#endif

// The kernels the math uses in this build: the SIMD variants where the build has them.
struct Table {
  const char* isa;  // "simd128" or "scalar"
  softmax_row_fn softmax_row;
  gemm_nt_fn gemm_nt;
  gemm_nn_fn gemm_nn;
  additive_fn additive;
  exp_fn exp;
};
const Table& active();

// One row per kernel variant, for tests and benchmarks.
enum class Family { softmax_row, gemm_nt, gemm_nn, additive, exp };
struct Entry {
  const char* name;    // e.g. "gemm_nt__simd128"
  Family family;
  const char* isa;     // "scalar" | "simd128"
  std::size_t tile;    // the block the SIMD variant works in, along its innermost blocked axis
  // Exactly one of these is set, the one of `family`.
  softmax_row_fn softmax_row = nullptr;
  gemm_nt_fn gemm = nullptr;  // gemm_nt and gemm_nn share the signature
  additive_fn additive = nullptr;
  exp_fn exp = nullptr;
};
const std::vector<Entry>& registry();

}  // namespace attn::kernels
