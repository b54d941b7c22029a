#include "attn/explain.hpp"

#include <cfloat>
#include <cmath>
#include <limits>

#include "attn/error.hpp"
#include "detail.hpp"
#include "random.hpp"

namespace attn {

SoftmaxSteps softmax_steps(const Tensor& x, double temperature) {
  detail::check_rows(x, "x");
  // -inf is allowed here: it is how a -inf fill arrives from a trace's logits
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x.data()[i];
    if (std::isnan(v) || v == INFINITY) {
      throw_range_error("x: element " + std::to_string(i) + " (flat) is " +
                        (std::isnan(v) ? "NaN" : "Infinity") + "; logits must be finite or -Infinity");
    }
  }
  detail::check_temperature(temperature);
  const std::size_t n = x.shape().back(), rows = x.size() / n;
  Tensor::shape_type row_shape(x.shape().begin(), x.shape().end() - 1);
  if (row_shape.empty()) row_shape = {1};

  SoftmaxSteps s;
  s.logits = x;
  s.exp = Tensor::from_shape(x.shape());
  s.weights = Tensor::from_shape(x.shape());
  s.max = Tensor::from_shape(row_shape);
  s.sum = Tensor::from_shape(row_shape);
  if (temperature != 1.0) {
    for (float& v : s.logits) {
      if (v == -INFINITY) continue;  // a -inf (masked) entry stays -inf
      // in double, as detail::divide_by_temperature: a float32 temperature rounds to 0 below 1e-45
      // and divided by zero (found by fuzzing under UBSan)
      const double x = static_cast<double>(v) / temperature;
      if (!(std::fabs(x) <= FLT_MAX)) {
        throw_range_error("x / temperature: overflowed float32 (|x| > 3.4e38); use a larger temperature");
      }
      v = static_cast<float>(x);
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const float* l = s.logits.data() + r * n;
    // pass 1: row max
    double max = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < n; ++j) max = std::max(max, static_cast<double>(l[j]));
    // pass 2: exp and sum (a fully -inf row has nothing to attend)
    double sum = 0.0;
    std::vector<double> e(n, 0.0);
    if (max != -std::numeric_limits<double>::infinity()) {
      for (std::size_t j = 0; j < n; ++j) sum += e[j] = std::exp(static_cast<double>(l[j]) - max);
    }
    // pass 3: normalise
    for (std::size_t j = 0; j < n; ++j) {
      s.exp.data()[r * n + j] = static_cast<float>(e[j]);
      s.weights.data()[r * n + j] = sum > 0 ? static_cast<float>(e[j] / sum) : 0.0f;
    }
    s.max.data()[r] = static_cast<float>(max);
    s.sum.data()[r] = static_cast<float>(sum);
  }
  return s;
}

Distribution parse_distribution(const std::string& name) {
  if (name == "normal") return Distribution::normal;
  if (name == "uniform") return Distribution::uniform;
  throw_type_error("distribution: unknown distribution '" + name + "'; expected 'normal' or 'uniform'");
}

Tensor random_tensor(const Tensor::shape_type& shape, std::uint64_t seed, Distribution d, double scale,
                     int decimals, double offset) {
  if (!(std::isfinite(offset) && std::fabs(offset) <= 1e30)) {
    throw_range_error("offset: must be a finite number within ±1e30, got " + std::to_string(offset));
  }
  if (!(std::isfinite(scale) && scale > 0 && scale <= 1e30)) {
    throw_range_error("scale: must be a finite number in (0, 1e30], got " + std::to_string(scale));
  }
  if (decimals < -1 || decimals > 6) {
    throw_range_error("decimals: must be an integer in [0, 6] (or omitted), got " + std::to_string(decimals));
  }
  Tensor t = detail::make_tensor(shape, "random");
  detail::SplitMix64 rng(seed);
  const double unit = decimals >= 0 ? std::pow(10.0, decimals) : 0.0;
  for (float& v : t) {
    double x = offset + (d == Distribution::normal ? rng.normal() * scale : (2.0 * rng.uniform() - 1.0) * scale);
    if (decimals >= 0) x = std::round(x * unit) / unit;
    v = x == 0.0 ? 0.0f : static_cast<float>(x);  // no -0: it would not survive JSON (permalinks)
  }
  return t;
}

namespace {

// Validates a and b (same shape, size limit, finite), then `a op b`, refused if it overflows.
template <class Op>
Tensor elementwise(const Tensor& a, const Tensor& b, Op op, const char* what) {
  if (a.shape() != b.shape()) {
    throw_range_error("b: shape " + shape_string(b.shape()) + " does not match a " + shape_string(a.shape()));
  }
  check_size(a.size(), "a");
  check_finite(a, "a");
  check_finite(b, "b");
  Tensor out = op(a, b);
  detail::check_overflow(out.data(), out.size(), what, "scale the inputs down");
  return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  return elementwise(a, b, [](const Tensor& x, const Tensor& y) -> Tensor { return x + y; }, "a + b");
}

Tensor subtract(const Tensor& a, const Tensor& b) {
  return elementwise(a, b, [](const Tensor& x, const Tensor& y) -> Tensor { return x - y; }, "a - b");
}

ScaleExperiment scale_experiment(const std::vector<std::size_t>& dims, std::size_t keys,
                                 std::size_t samples, std::uint64_t seed) {
  if (dims.empty() || dims.size() > 64) throw_range_error("dims: expected 1 to 64 widths");
  for (std::size_t d : dims) {
    if (d < 1 || d > 4096) throw_range_error("dims: every width must be in [1, 4096], got " + std::to_string(d));
  }
  if (keys < 1 || keys > 1024) throw_range_error("keys: must be in [1, 1024], got " + std::to_string(keys));
  if (samples < 1 || samples > 4096) throw_range_error("samples: must be in [1, 4096], got " + std::to_string(samples));
  // bound the work (multiply-adds) so a call can never freeze a page: about 0.1 s at most
  std::size_t width = 0;
  for (std::size_t d : dims) width += d;
  const std::size_t work = checked_product({samples, keys, width});
  constexpr std::size_t kMaxWork = std::size_t{1} << 26;
  if (work > kMaxWork) {
    throw_range_error("samples: samples × keys × Σdims = " + std::to_string(work) + " is over the limit of " +
                      std::to_string(kMaxWork) + "; use fewer samples, keys or widths");
  }

  const std::size_t n = dims.size();
  ScaleExperiment r;
  for (Tensor* t : {&r.dims, &r.variance, &r.variance_scaled, &r.entropy, &r.entropy_scaled,
                    &r.max_weight, &r.max_weight_scaled}) {
    *t = Tensor::from_shape({n});
  }
  detail::SplitMix64 rng(seed);
  std::vector<double> q, k(keys * 4096), s(keys);
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
        const double f = scaled ? scale : 1.0;
        double max = -INFINITY, sum = 0, h = 0;
        for (double v : s) max = std::max(max, v * f);
        for (double v : s) sum += std::exp(v * f - max);
        for (double v : s) {
          const double w = std::exp(v * f - max) / sum;
          if (w > 0) h -= w * std::log(w);
        }
        entropy[scaled] += h;
        max_weight[scaled] += 1.0 / sum;  // the largest weight is exp(0) / sum
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
