#include "layers.hpp"

#include <cmath>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>

#include "attn/error.hpp"

namespace attn::detail {

void affine(const float* x, std::size_t rows, std::size_t k, const Tensor& w, const Tensor* bias,
            float* out, const char* what) {
  const std::size_t n = w.shape()[1];
  matmul(x, rows, k, w.data(), n, out);
  if (bias != nullptr) {
    const float* b = bias->data();
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t j = 0; j < n; ++j) out[r * n + j] += b[j];
    }
  }
  check_overflow(out, rows * n, what, "scale the inputs or the weights down");
}

Tensor affine(const Tensor& x, const Tensor& w, const Tensor* bias, const char* what) {
  Tensor::shape_type shape = x.shape();
  const std::size_t k = shape.back(), rows = x.size() / k;
  shape.back() = w.shape()[1];
  Tensor out = make_tensor(shape, what);
  affine(x.data(), rows, k, w, bias, out.data(), what);
  return out;
}

Tensor normalize(const Tensor& x, const Tensor* gamma, const Tensor* beta, double eps) {
  const std::size_t D = x.shape().back(), rows = x.size() / D;
  const std::array<std::size_t, 2> shape{rows, D};
  const auto xs = xt::adapt(x.data(), x.size(), xt::no_ownership(), shape);  // [rows, D]
  // mean and biased variance of each row, in double; evaluated here, not inside an expression over
  // x, where a lazy reduction would be recomputed for every element
  const xt::xtensor<double, 2> mean =
      xt::mean<double>(xs, {1}, xt::keep_dims | xt::evaluation_strategy::immediate);
  const xt::xtensor<double, 2> var = xt::mean<double>(
      xt::square(xs - mean), {1}, xt::keep_dims | xt::evaluation_strategy::immediate);
  // y = (x - mean) / sqrt(var + eps) · gamma + beta, rounded once (a loop: each xtensor broadcast
  // would add its own assignment code to the WASM module)
  Tensor y = make_tensor(x.shape(), "layer norm output");
  for (std::size_t r = 0; r < rows; ++r) {
    const double m = mean(r, 0), inv_std = 1.0 / std::sqrt(var(r, 0) + eps);
    const float* in = x.data() + r * D;
    float* out = y.data() + r * D;
    for (std::size_t j = 0; j < D; ++j) {
      double v = (in[j] - m) * inv_std;
      if (gamma != nullptr) v *= gamma->data()[j];
      if (beta != nullptr) v += beta->data()[j];
      out[j] = static_cast<float>(v);
    }
  }
  // gamma and beta near the float range can carry a normalised value past it
  check_overflow(y.data(), y.size(), "layer norm output", "scale gamma or beta down");
  return y;
}

void activate(Tensor& h, Activation activation) {
  float* p = h.data();
  const std::size_t n = h.size();
  switch (activation) {
    case Activation::relu:
      for (std::size_t i = 0; i < n; ++i) p[i] = p[i] > 0.0f ? p[i] : 0.0f;
      return;
    case Activation::gelu:
      // x Φ(x) with the normal CDF Φ(x) = (1 + erf(x / √2)) / 2, in double (PyTorch's exact form)
      for (std::size_t i = 0; i < n; ++i) {
        const double x = p[i];
        p[i] = static_cast<float>(0.5 * x * (1.0 + std::erf(x * 0.70710678118654752440)));
      }
      return;
  }
}

void check_vector(const Tensor& t, const char* name, std::size_t n, const std::string& why) {
  if (t.dimension() != 1 || t.shape()[0] != n) {
    throw_range_error(std::string(name) + ": expected shape [" + std::to_string(n) + "], got " +
                      shape_string(t.shape()) + (why.empty() ? "" : " (" + why + ")"));
  }
  check_finite(t, name);
}

void check_eps(double eps) {
  if (!(std::isfinite(eps) && eps > 0)) {
    throw_range_error("eps: must be a finite number > 0, got " + std::to_string(eps));
  }
}

const Tensor& required(const std::optional<Tensor>& t, const char* name, const char* fn) {
  if (!t) throw_type_error(std::string(name) + ": required by " + fn);
  return *t;
}

}  // namespace attn::detail
