#include "attn/softmax.hpp"

#include "attn/error.hpp"
#include "checks.hpp"
#include "logits.hpp"

namespace attn {

Tensor softmax(const Tensor& x, double temperature) {
  detail::check_rows(x, "x");
  check_finite(x, "x");
  detail::check_temperature(temperature);
  Tensor y = x;
  const std::size_t n = x.shape().back(), rows = x.size() / n;
  detail::divide_by_temperature(y.data(), y.size(), temperature, "x / temperature",
                                "use a larger temperature");
  detail::softmax_rows(y.data(), y.data(), rows, n);
  return y;
}

Tensor apply_mask(const Tensor& x, const MaskOptions& options) {
  const detail::View3 v = detail::view3(x, "x", "[Q, K] or [B, Q, K]");
  const ResolvedMask mask(options, v.b, v.r, v.c, v.batched);
  Tensor y = x;
  for (std::size_t b = 0; b < v.b; ++b) {
    detail::to_logits(y.data() + b * v.r * v.c, b, v.r, v.c, 1.0, mask);
  }
  return y;
}

Tensor masked_softmax(const Tensor& x, const std::optional<Lengths>& valid_lens, float fill) {
  MaskOptions options;
  options.valid_lens = valid_lens;
  options.fill = fill;
  Tensor y = apply_mask(x, options);
  const std::size_t n = x.shape().back();
  detail::softmax_rows(y.data(), y.data(), y.size() / n, n);
  return y;
}

}  // namespace attn
