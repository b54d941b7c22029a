// The projections' matrix product, through the active gemm kernel.
#pragma once

#include <cstddef>

#include "../kernels/kernels.hpp"

namespace attn::detail {

// out [m, n] = a [m, k] · w [k, n] (contiguous).
inline void matmul(const float* a, std::size_t m, std::size_t k, const float* w, std::size_t n,
                   float* out) {
  kernels::active().gemm_nn(m, n, k, a, k, w, n, out, n);
}

}  // namespace attn::detail
