#include <cmath>
#include <cstdint>
#include <string>

#include "attn/error.hpp"
#include "attn/tensor.hpp"
#include "detail.hpp"

namespace attn {

std::string shape_string(const Tensor::shape_type& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) (out += i ? ", " : "") += std::to_string(shape[i]);
  return out += ']';
}

float check_finite(const Tensor& t, const char* name) {
  const float* p = t.data();
  const float largest = detail::max_abs(p, t.size());
  if (std::isfinite(largest)) return largest;  // the usual case, in one vector pass
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (std::isfinite(p[i])) continue;
    // unravel the flat index for the message
    Tensor::shape_type index(t.dimension());
    std::size_t rest = i;
    for (std::size_t d = t.dimension(); d-- > 0;) {
      index[d] = rest % t.shape()[d];
      rest /= t.shape()[d];
    }
    const char* what = std::isnan(p[i]) ? "NaN" : (p[i] > 0 ? "Infinity" : "-Infinity");
    throw_range_error(std::string(name) + ": element " + shape_string(index) + " is " + what +
                      "; every input must be finite (values beyond ±3.4e38 overflow float32)");
  }
  return largest;  // not reached: a non-finite max comes from a non-finite element
}

std::size_t checked_product(std::initializer_list<std::size_t> dims) noexcept {
  std::size_t product = 1;
  for (std::size_t d : dims) {
    if (__builtin_mul_overflow(product, d, &product)) return SIZE_MAX;
  }
  return product;
}

void check_size(std::size_t elements, const char* name) {
  if (elements > kMaxElements) {
    const std::string count =
        elements == SIZE_MAX ? "more elements than size_t holds" : std::to_string(elements) + " elements";
    throw_range_error(std::string(name) + ": " + count + ", over the limit of " +
                      std::to_string(kMaxElements) +
                      " elements (2^24, 64 MiB of float32) per tensor");
  }
}

}  // namespace attn
