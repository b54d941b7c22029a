#include "logits.hpp"

#include <cfloat>
#include <cmath>

#include "../kernels/kernels.hpp"
#include "checks.hpp"

namespace attn {

kernels::KeyMask ResolvedMask::for_batch(std::size_t b) const {
  return kernels::KeyMask{lengths(b), causal_, keep(b), keys_, fill_};
}

void ResolvedMask::apply_row(std::size_t b, std::size_t i, float* row) const {
  for_batch(b).apply_row(i, keys_, row);
}

}  // namespace attn

namespace attn::detail {

void to_logits(float* block, std::size_t b, std::size_t q, std::size_t k, double temperature,
               const ResolvedMask& mask) {
  // the scores were checked for overflow, so no -inf arrives here: a -inf out of the division is
  // an overflow, reported as such
  divide_by_temperature(block, q * k, temperature, "logits", "use a larger temperature");
  if (mask.empty()) return;
  const kernels::KeyMask rule = mask.for_batch(b);
  for (std::size_t i = 0; i < q; ++i) rule.apply_row(i, k, block + i * k);
}

std::size_t divide_by_temperature_until_overflow(float* data, std::size_t n,
                                                 double temperature) noexcept {
  if (temperature == 1.0) return n;
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] == -INFINITY) continue;  // a masked logit
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

void softmax_rows(const float* src, float* dst, std::size_t rows, std::size_t n) {
  const auto softmax_row = kernels::active().softmax_row;
  for (std::size_t r = 0; r < rows; ++r) softmax_row(n, src + r * n, dst + r * n);
}

}  // namespace attn::detail
