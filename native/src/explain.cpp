#include "attn/explain.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include <xtensor/xmath.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xtensor.hpp>

#include "../kernels/kernels.hpp"
#include "checks.hpp"
#include "logits.hpp"
#include "random.hpp"

namespace attn {

SoftmaxSteps softmax_steps(const Tensor& x, double temperature) {
  detail::check_softmax_steps_call(x, temperature);
  const std::size_t n = x.shape().back(), rows = x.size() / n;
  Tensor::shape_type row_shape(x.shape().begin(), x.shape().end() - 1);
  if (row_shape.empty()) row_shape = {1};

  SoftmaxSteps s;
  s.logits = x;
  s.exp = Tensor::from_shape(x.shape());
  s.weights = Tensor::from_shape(x.shape());
  s.max = Tensor::from_shape(row_shape);
  s.sum = Tensor::from_shape(row_shape);
  detail::divide_by_temperature(s.logits.data(), s.logits.size(), temperature, "x / temperature",
                                "use a larger temperature");
  // the numbers of THE reference softmax (kernels/scalar/rows.cpp), pass by pass
  for (std::size_t r = 0; r < rows; ++r) {
    const kernels::SoftmaxRowSteps row = kernels::softmax_row_steps__scalar(
        n, s.logits.data() + r * n, s.exp.data() + r * n, s.weights.data() + r * n);
    s.max.data()[r] = row.max;
    s.sum.data()[r] = static_cast<float>(row.sum);
  }
  return s;
}

Tensor random_tensor(const Tensor::shape_type& shape, std::uint64_t seed, Distribution d,
                     double scale, int decimals, double offset) {
  detail::check_random_call(scale, decimals, offset);
  Tensor t = detail::make_tensor(shape, "random");
  detail::SplitMix64 rng(seed);
  const double unit = decimals >= 0 ? std::pow(10.0, decimals) : 0.0;
  for (float& v : t) {
    double x = offset + (d == Distribution::normal ? rng.normal() * scale
                                                   : (2.0 * rng.uniform() - 1.0) * scale);
    if (decimals >= 0) x = std::round(x * unit) / unit;
    v = x == 0.0 ? 0.0f : static_cast<float>(x);  // no -0: it would not survive JSON (permalinks)
  }
  return t;
}

namespace {

// a op b after check_elementwise_call, refused if it overflows.
template <class Op>
Tensor elementwise(const Tensor& a, const Tensor& b, Op op, const char* what) {
  detail::check_elementwise_call(a, b);
  Tensor out = op(a, b);
  detail::check_overflow(out.data(), out.size(), what, "scale the inputs down");
  return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  return elementwise(
      a, b, [](const Tensor& x, const Tensor& y) -> Tensor { return x + y; }, "a + b");
}

Tensor subtract(const Tensor& a, const Tensor& b) {
  return elementwise(
      a, b, [](const Tensor& x, const Tensor& y) -> Tensor { return x - y; }, "a - b");
}

ScaleExperiment scale_experiment(const std::vector<std::size_t>& dims, std::size_t keys,
                                 std::size_t samples, std::uint64_t seed) {
  detail::check_scale_experiment_call(dims, keys, samples);
  const std::size_t n = dims.size();
  ScaleExperiment r;
  for (Tensor* t : {&r.dims, &r.variance, &r.variance_scaled, &r.entropy, &r.entropy_scaled,
                    &r.max_weight, &r.max_weight_scaled}) {
    *t = Tensor::from_shape({n});
  }
  detail::SplitMix64 rng(seed);
  std::vector<double> q, k(keys * 4096), s(keys);
  xt::xtensor<float, 1> logits = xt::zeros<float>({keys}), weights = xt::zeros<float>({keys});
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t d = dims[i];
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    double mean = 0, m2 = 0, count = 0;  // Welford over every score
    double entropy[2] = {0, 0}, max_weight[2] = {0, 0};
    q.resize(d);
    for (std::size_t t = 0; t < samples; ++t) {
      for (double& v : q) v = rng.normal();
      for (std::size_t j = 0; j < keys * d; ++j) k[j] = rng.normal();
      for (std::size_t j = 0; j < keys; ++j) {
        double dot = 0;
        for (std::size_t p = 0; p < d; ++p) dot += q[p] * k[j * d + p];
        s[j] = dot;
        count += 1;
        const double delta = dot - mean;
        mean += delta / count;
        m2 += delta * (dot - mean);
      }
      for (int scaled = 0; scaled < 2; ++scaled) {
        // the weights by THE reference softmax, on the logits in float as attention has them
        const double f = scaled ? scale : 1.0;
        for (std::size_t j = 0; j < keys; ++j) logits[j] = static_cast<float>(s[j] * f);
        const kernels::SoftmaxRowSteps row =
            kernels::softmax_row_steps__scalar(keys, logits.data(), weights.data(), weights.data());
        // entropy -Σ w log w (in double), with 0 log 0 = 0
        const auto w = xt::cast<double>(weights);
        entropy[scaled] -= xt::sum(xt::where(w > 0.0, w * xt::log(w), 0.0))();
        max_weight[scaled] += 1.0 / row.sum;  // the largest weight is exp(0) / sum
      }
    }
    const double variance = m2 / count;
    r.dims.data()[i] = static_cast<float>(d);
    r.variance.data()[i] = static_cast<float>(variance);
    r.variance_scaled.data()[i] = static_cast<float>(variance * scale * scale);
    r.entropy.data()[i] = static_cast<float>(entropy[0] / samples);
    r.entropy_scaled.data()[i] = static_cast<float>(entropy[1] / samples);
    r.max_weight.data()[i] = static_cast<float>(max_weight[0] / samples);
    r.max_weight_scaled.data()[i] = static_cast<float>(max_weight[1] / samples);
  }
  return r;
}

}  // namespace attn
