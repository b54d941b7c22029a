#include "attn/positional.hpp"

#include <cmath>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include "attn/error.hpp"
#include "checks.hpp"

namespace attn {

Tensor positional_encoding(std::size_t length, std::size_t dim) {
  if (length < 1 || dim < 1) {
    throw_range_error("positionalEncoding: length and dim must be at least 1, got length = " +
                      std::to_string(length) + ", dim = " + std::to_string(dim));
  }
  Tensor pe = detail::make_tensor({length, dim}, "positionalEncoding [length, dim]");
  // angle [length, dim] = position [length, 1] / 10000^(2i / dim) [1, dim], in double; columns 2i
  // and 2i+1 share a frequency. The frequencies are evaluated into a tensor first, so that the
  // broadcast does not recompute pow per element.
  const xt::xtensor<double, 1> column = xt::arange<double>(static_cast<double>(dim));
  const xt::xtensor<double, 1> two_i = column - xt::fmod(column, 2.0);
  const xt::xtensor<double, 1> frequency = xt::pow(10000.0, two_i / static_cast<double>(dim));
  const xt::xtensor<double, 2> position =
      xt::view(xt::arange<double>(static_cast<double>(length)), xt::all(), xt::newaxis());
  const xt::xtensor<double, 2> angle = position / xt::view(frequency, xt::newaxis(), xt::all());
  // sin on the even columns, cos on the odd ones
  const auto odd = xt::view(xt::fmod(column, 2.0), xt::newaxis(), xt::all());
  pe = xt::cast<float>(xt::where(xt::equal(odd, 1.0), xt::cos(angle), xt::sin(angle)));
  return pe;
}

}  // namespace attn
