#include "attn/positional.hpp"

#include <cmath>

#include "checks.hpp"

namespace attn {

Tensor positional_encoding(std::size_t length, std::size_t dim) {
  detail::check_positional_call(length, dim);
  Tensor pe = detail::make_tensor({length, dim}, "positionalEncoding [length, dim]");
  // Plain loops rather than an xtensor broadcast: the broadcast (position [length, 1] over the
  // frequencies [1, dim]) added 8 KB to the SIMD module (3 KB gzip) for the same numbers.
  for (std::size_t p = 0; p < length; ++p) {
    for (std::size_t c = 0; c < dim; ++c) {
      const std::size_t two_i = c - c % 2;  // columns 2i and 2i+1 share a frequency
      const double angle = static_cast<double>(p) /
                           std::pow(10000.0, static_cast<double>(two_i) / static_cast<double>(dim));
      pe(p, c) = static_cast<float>(c % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  }
  return pe;
}

}  // namespace attn
