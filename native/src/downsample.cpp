// attn::downsample (declared in attn/explain.hpp): a large matrix shrunk for a heatmap. A file of
// its own so that it compiles for size (-Os, CMakeLists.txt): it runs once per heatmap, in a
// worker, and the eager SIMD module has a byte budget.
#include <algorithm>
#include <cmath>
#include <vector>

#include "attn/explain.hpp"
#include "checks.hpp"

namespace attn {

Downsampled downsample(const Tensor& x, std::size_t rows, std::size_t cols, Reduce reduce) {
  detail::check_downsample_call(x, rows, cols);
  const std::size_t m = x.shape()[0], n = x.shape()[1];
  Downsampled r;
  r.values = Tensor::from_shape({rows, cols});
  r.row_edges = Tensor::from_shape({rows + 1});
  r.col_edges = Tensor::from_shape({cols + 1});
  // edges in 64-bit integers: r·M is up to 2^48 before the division
  auto edge = [](std::size_t i, std::size_t total, std::size_t parts) { return i * total / parts; };
  for (std::size_t i = 0; i <= rows; ++i)
    r.row_edges.data()[i] = static_cast<float>(edge(i, m, rows));
  for (std::size_t j = 0; j <= cols; ++j)
    r.col_edges.data()[j] = static_cast<float>(edge(j, n, cols));
  const float* p = x.data();
  std::vector<double> acc(cols);
  for (std::size_t br = 0; br < rows; ++br) {
    const std::size_t i0 = edge(br, m, rows), i1 = edge(br + 1, m, rows);
    std::fill(acc.begin(), acc.end(), reduce == Reduce::max ? -HUGE_VAL : 0.0);
    // row by row over the block's rows, so x is read once, in order
    for (std::size_t i = i0; i < i1; ++i) {
      const float* row = p + i * n;
      for (std::size_t bc = 0; bc < cols; ++bc) {
        const std::size_t j0 = edge(bc, n, cols), j1 = edge(bc + 1, n, cols);
        double a = acc[bc];
        if (reduce == Reduce::max) {
          for (std::size_t j = j0; j < j1; ++j) a = std::max(a, static_cast<double>(row[j]));
        } else {
          for (std::size_t j = j0; j < j1; ++j) a += row[j];
        }
        acc[bc] = a;
      }
    }
    for (std::size_t bc = 0; bc < cols; ++bc) {
      const double count = static_cast<double>(i1 - i0) *
                           static_cast<double>(edge(bc + 1, n, cols) - edge(bc, n, cols));
      r.values.data()[br * cols + bc] =
          static_cast<float>(reduce == Reduce::max ? acc[bc] : acc[bc] / count);
    }
  }
  return r;
}

}  // namespace attn
