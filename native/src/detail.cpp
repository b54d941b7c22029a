#include "detail.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "../kernels/kernels.hpp"

namespace attn::detail {

View3 view3(const Tensor& t, const char* name, const char* dims) {
  const auto& s = t.shape();
  if (t.dimension() != 2 && t.dimension() != 3) {
    throw_range_error(std::string(name) + ": expected shape " + dims + ", got " +
                      shape_string(s) + " (rank " + std::to_string(t.dimension()) + ")");
  }
  for (std::size_t d : s) {
    if (d == 0) {
      throw_range_error(std::string(name) + ": every dimension must be at least 1, got " +
                        shape_string(s));
    }
  }
  check_size(t.size(), name);
  const float largest = check_finite(t, name);
  const bool batched = t.dimension() == 3;
  return View3{t.data(), batched ? s[0] : 1, s[batched ? 1 : 0], s[batched ? 2 : 1], batched, largest};
}

void check_rows(const Tensor& x, const char* name) {
  if (x.dimension() == 0) throw_range_error(std::string(name) + ": expected at least one axis, got a scalar");
  for (std::size_t d : x.shape()) {
    if (d == 0) {
      throw_range_error(std::string(name) + ": every dimension must be at least 1, got " + shape_string(x.shape()));
    }
  }
  check_size(x.size(), name);
}

void check_matrix(const Tensor& w, const char* name, std::size_t rows, std::size_t cols,
                  const std::string& why) {
  const bool rank_ok = w.dimension() == 2;
  const bool fits = rank_ok && (rows == 0 || w.shape()[0] == rows) &&
                    (cols == 0 || w.shape()[1] == cols) && w.shape()[0] > 0 && w.shape()[1] > 0;
  if (!fits) {
    const std::string want = "[" + (rows ? std::to_string(rows) : std::string("any")) + ", " +
                             (cols ? std::to_string(cols) : std::string("any")) + "]";
    throw_range_error(std::string(name) + ": expected shape " + want + ", got " +
                      shape_string(w.shape()) + (why.empty() ? "" : " (" + why + ")"));
  }
  check_size(w.size(), name);
  check_finite(w, name);
}

Tensor::shape_type shape3(bool batched, std::size_t b, std::size_t r, std::size_t c) {
  return batched ? Tensor::shape_type{b, r, c} : Tensor::shape_type{r, c};
}

Tensor make_tensor(const Tensor::shape_type& shape, const char* name) {
  std::size_t n = 1;
  for (std::size_t d : shape) n = checked_product({n, d});
  check_size(n, name);
  return Tensor::from_shape(shape);
}

void matmul(const float* a, std::size_t m, std::size_t k, const float* w, std::size_t n,
            float* out) {
  kernels::active().gemm_nn(m, n, k, a, k, w, n, out, n);
}

void check_temperature(double temperature) {
  if (!(std::isfinite(temperature) && temperature > 0)) {
    throw_range_error("temperature: must be a finite number > 0, got " + std::to_string(temperature));
  }
}

void check_fill(float fill) {
  if (std::isnan(fill) || fill == INFINITY) {
    throw_range_error("fill: must be a number or -Infinity (not NaN or +Infinity), got " +
                      std::to_string(fill));
  }
}

void to_logits(float* block, std::size_t b, std::size_t q, std::size_t k, double temperature,
               const ResolvedMask& mask) {
  // before the mask: here a -inf is an overflow, not a -inf fill
  divide_by_temperature(block, q * k, temperature, "logits", "use a larger temperature");
  if (mask.empty()) return;
  for (std::size_t i = 0; i < q; ++i) mask.apply_row(b, i, block + i * k);
}

float max_abs(const float* x, std::size_t n) noexcept {
  // For |x| the IEEE bits order like the values, and +inf < NaN above every finite float, so an
  // unsigned max over the bits finds both the largest magnitude and any non-finite entry, with no
  // early exit and no float compare to keep the loop from vectorising.
  std::uint32_t top = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, x + i, sizeof bits);
    bits &= 0x7fffffffu;
    top = bits > top ? bits : top;
  }
  float out;
  std::memcpy(&out, &top, sizeof out);
  return out;
}

std::size_t divide_by_temperature_until_overflow(float* data, std::size_t n, double temperature) noexcept {
  if (temperature == 1.0) return n;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(data[i]) / temperature;
    if (!(std::fabs(x) <= FLT_MAX)) return i;
    data[i] = static_cast<float>(x);
  }
  return n;
}

void divide_by_temperature(float* data, std::size_t n, double temperature, const char* what,
                           const char* hint) {
  const std::size_t i = divide_by_temperature_until_overflow(data, n, temperature);
  if (i != n) throw_overflow_at(i, what, hint);
}

void check_overflow(const float* data, std::size_t n, const char* what, const char* hint) {
  if (std::isfinite(max_abs(data, n))) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i])) throw_overflow_at(i, what, hint);
  }
}

void throw_overflow_at(std::size_t index, const char* what, const char* hint) {
  throw_range_error(std::string(what) + ": entry " + std::to_string(index) +
                    " (flat) overflowed float32 (|x| > 3.4e38) although every input is finite; " +
                    hint);
}

void softmax_rows(const float* src, float* dst, std::size_t rows, std::size_t n) {
  const auto softmax_row = kernels::active().softmax_row;
  for (std::size_t r = 0; r < rows; ++r) softmax_row(n, src + r * n, dst + r * n);
}

}  // namespace attn::detail
