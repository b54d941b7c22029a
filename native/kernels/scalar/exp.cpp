// THE reference exponentials: exp in double, rounded once, with the same flush-to-zero rules the
// SIMD exponentials promise (kernels.hpp).
#include <cfloat>
#include <cmath>
#include <limits>

#include "../kernels.hpp"

namespace attn::kernels {

void exp__scalar(std::size_t n, const float* x, float* y) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    y[i] = static_cast<float>(std::exp(static_cast<double>(x[i])));
}

void expminus__scalar(std::size_t n, const float* x, float max, float* y) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    // the difference in float, as the SIMD kernels take it; exp in double, rounded once
    const float d = x[i] - max;
    const double e = std::exp(static_cast<double>(d));
    y[i] = e < FLT_MIN ? 0.0f : static_cast<float>(e);  // below FLT_MIN: 0 (see kernels.hpp)
  }
}

void exp2minus__scalar(std::size_t n, const float* x, float max, float* y) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const float d = x[i] - max;
    // at or below 2^-126.5: 0; between that and FLT_MIN the subnormal float (see kernels.hpp)
    y[i] = d <= -126.5f ? 0.0f : static_cast<float>(std::exp2(static_cast<double>(d)));
  }
}

}  // namespace attn::kernels
