// Tensor types and the size limit shared by every entry point.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

namespace attn {

// Inputs and outputs at the public boundary: row-major float32 of rank 0..4.
using Tensor = xt::xarray<float>;
// Lengths arrive as doubles so that 2.5 can be refused instead of silently truncated.
using Lengths = xt::xarray<double>;

// The largest tensor any entry point accepts or builds: 2^24 elements (64 MiB of float32). Checked
// on every input and on every intermediate before it is allocated; beyond it, a RangeError that
// names the tensor and this limit.
inline constexpr std::size_t kMaxElements = std::size_t{1} << 24;

// The value masked scores are replaced with unless the caller says otherwise: d2l's -1e6, under
// which a row with no valid key comes out uniform. With -infinity masked weights are exactly 0 and a
// row with no valid key is all zeros (never NaN).
inline constexpr float kDefaultFill = -1e6f;

// "[2, 3, 4]"
std::string shape_string(const Tensor::shape_type& shape);

// RangeError unless every element is finite ("queries: element [1, 2] is NaN; inputs must be
// finite"). Returns the largest |element| (0 for an empty tensor), found on the way.
float check_finite(const Tensor& t, const char* name);

// RangeError if a tensor of `elements` elements (named `name`) is over kMaxElements. Call it with the
// product computed in a way that cannot overflow (see checked_product).
void check_size(std::size_t elements, const char* name);

// The product of the dimensions, or SIZE_MAX if it overflows (so a size check never sees a wrapped
// product).
std::size_t checked_product(std::initializer_list<std::size_t> dims) noexcept;

}  // namespace attn
