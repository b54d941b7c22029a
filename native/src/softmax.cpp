#include "attn/softmax.hpp"

#include "checks.hpp"
#include "logits.hpp"

namespace attn {

Tensor softmax(const Tensor& x, double temperature) {
  detail::check_softmax_call(x, temperature);
  Tensor y = x;
  const std::size_t n = x.shape().back(), rows = x.size() / n;
  detail::divide_by_temperature(y.data(), y.size(), temperature, "x / temperature",
                                "use a larger temperature");
  detail::softmax_rows(y.data(), y.data(), rows, n);
  return y;
}

namespace {
// x with its blocked entries replaced by the fill, after check_mask_call.
Tensor masked(const Tensor& x, const detail::MaskCall& c) {
  Tensor y = x;
  const detail::View3& v = c.x;
  for (std::size_t b = 0; b < v.b; ++b) {
    detail::to_logits(y.data() + b * v.r * v.c, b, v.r, v.c, 1.0, c.mask);
  }
  return y;
}
}  // namespace

Tensor apply_mask(const Tensor& x, const MaskOptions& options) {
  return masked(x, detail::check_mask_call(x, options));
}

Tensor masked_softmax(const Tensor& x, const std::optional<Lengths>& valid_lens, float fill) {
  MaskOptions options;
  options.valid_lens = valid_lens;
  options.fill = fill;
  Tensor y = masked(x, detail::check_mask_call(x, options));
  const std::size_t n = x.shape().back();
  detail::softmax_rows(y.data(), y.data(), y.size() / n, n);
  return y;
}

}  // namespace attn
