// Sinusoidal positional encoding (Vaswani et al., 2017).
#pragma once

#include "tensor.hpp"

namespace attn {

// PE[p, 2i] = sin(p / 10000^(2i/dim)), PE[p, 2i+1] = cos(p / 10000^(2i/dim)), computed in double.
// length >= 1, dim >= 1 (an odd dim ends with a sine column). -> [length, dim]
Tensor positional_encoding(std::size_t length, std::size_t dim);

}  // namespace attn
