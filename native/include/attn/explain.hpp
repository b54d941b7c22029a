// What the playground needs to show its work without doing math in JavaScript: the arithmetic of a
// softmax, seeded random inputs, element-wise differences, and the "why scale by √d_k" experiment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace attn {

// The arithmetic behind softmax(x / temperature) along the last axis, in double and rounded once:
//   m_i = max_k l_ik,  e_ij = exp(l_ij - m_i),  s_i = Σ_k e_ik,  w_ij = e_ij / s_i,   l = x / T.
// A row whose max is -inf (every key masked with -inf) has e = 0, s = 0 and w = 0.
struct SoftmaxSteps {
  Tensor logits;   // x / temperature, shape of x
  Tensor max;      // m, shape of x without its last axis ([1] for a vector)
  Tensor exp;      // e, shape of x
  Tensor sum;      // s, shape of max
  Tensor weights;  // w, shape of x
};
SoftmaxSteps softmax_steps(const Tensor& x, double temperature = 1.0);

enum class Distribution { normal, uniform };
Distribution parse_distribution(const std::string& name);

// Seeded random inputs: offset + normal(0, scale²) or offset + uniform[-scale, scale), rounded to
// `decimals` places (0..6, or -1 for none) so that the numbers a learner sees are the numbers used.
// d2l's torch.rand is uniform with scale 0.5, offset 0.5.
Tensor random_tensor(const Tensor::shape_type& shape, std::uint64_t seed, Distribution d,
                     double scale = 1.0, int decimals = -1, double offset = 0.0);

// a + b and a - b, element-wise, same shapes (RangeError otherwise; also when a result overflows
// float32). add() is how the playground shows embeddings plus positional encodings.
Tensor add(const Tensor& a, const Tensor& b);
Tensor subtract(const Tensor& a, const Tensor& b);

// Why scaled dot-product attention divides by √d_k: for each d in `dims`, draws `samples` queries
// and `keys` keys with N(0, 1) entries (seeded), and reports, over all query rows, the variance of
// the scores q·k and the mean entropy (nats) and mean max weight of softmax over the keys, without
// and with the 1/√d scaling. Unscaled variance grows like d; scaled stays near 1.
struct ScaleExperiment {
  Tensor dims;                           // [n]
  Tensor variance, variance_scaled;      // [n]
  Tensor entropy, entropy_scaled;        // [n]
  Tensor max_weight, max_weight_scaled;  // [n]
};
ScaleExperiment scale_experiment(const std::vector<std::size_t>& dims, std::size_t keys,
                                 std::size_t samples, std::uint64_t seed);

// A matrix shrunk for a heatmap of `rows` × `cols` pixels: x [M, N] cut into blocks, block (r, c)
// covering rows [⌊r·M/rows⌋, ⌊(r+1)·M/rows⌋) and columns [⌊c·N/cols⌋, ⌊(c+1)·N/cols⌋), each
// reduced to its mean (in double) or its max. 1 <= rows <= M and 1 <= cols <= N, so no block is
// empty. row_edges [rows + 1] and col_edges [cols + 1] are the block boundaries (exact as float32:
// M, N <= 2^24), so a hover can say which rows and columns a pixel holds.
enum class Reduce { mean, max };
Reduce parse_reduce(const std::string& name);
struct Downsampled {
  Tensor values;     // [rows, cols]
  Tensor row_edges;  // [rows + 1]
  Tensor col_edges;  // [cols + 1]
};
Downsampled downsample(const Tensor& x, std::size_t rows, std::size_t cols, Reduce reduce);

}  // namespace attn
