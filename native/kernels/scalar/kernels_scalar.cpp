// THE reference kernels. Read top to bottom; every SIMD kernel in ../simd/ follows the same passes
// with the same variable names. Accumulation is in double so the ground truth is of high quality.
// This file is compiled with auto-vectorisation off (see CMakeLists.txt) so that comparing the SIMD
// kernels against it compares two different instruction streams.
#include <cfloat>
#include <cmath>
#include <limits>

#include "../kernels.hpp"

namespace attn::kernels {

void softmax_row__scalar(std::size_t n, const float* x, float* y) noexcept {
  // pass 1: row max (subtracting it keeps exp() from overflowing on inputs such as [90, 100])
  float max = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < n; ++j) max = x[j] > max ? x[j] : max;
  if (max == -std::numeric_limits<float>::infinity()) {
    // every entry masked with a -inf fill: no key may be attended, so no weight at all
    for (std::size_t j = 0; j < n; ++j) y[j] = 0.0f;
    return;
  }
  // pass 2: exp and sum; exp(-inf - max) = 0 exactly, so -inf-masked keys get weight 0
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double e = std::exp(static_cast<double>(x[j]) - static_cast<double>(max));
    y[j] = static_cast<float>(e);
    sum += e;
  }
  // pass 3: normalise (y may alias x, so only y is read from here on)
  for (std::size_t j = 0; j < n; ++j) y[j] = static_cast<float>(static_cast<double>(y[j]) / sum);
}

void gemm_nt__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept {
  // c [m, n] = a [m, k] · b [n, k]ᵀ: row i of a against row j of b
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        acc += static_cast<double>(a[i * lda + p]) * static_cast<double>(b[j * ldb + p]);
      }
      c[i * ldc + j] = static_cast<float>(acc);
    }
  }
}

void gemm_nn__scalar(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda,
                     const float* b, std::size_t ldb, float* c, std::size_t ldc) noexcept {
  // c [m, n] = a [m, k] · b [k, n]: row i of a against column j of b
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        acc += static_cast<double>(a[i * lda + p]) * static_cast<double>(b[p * ldb + j]);
      }
      c[i * ldc + j] = static_cast<float>(acc);
    }
  }
}

void additive__scalar(std::size_t m, std::size_t n, std::size_t h, const float* qp,
                      const float* kp, const float* v, float* c) noexcept {
  // c [m, n]: c[i, j] = vᵀ tanh(qp[i] + kp[j]), qp [m, h] = q W_q and kp [n, h] = k W_k
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < h; ++p) {
        const double feature = std::tanh(static_cast<double>(qp[i * h + p]) +
                                         static_cast<double>(kp[j * h + p]));
        acc += static_cast<double>(v[p]) * feature;
      }
      c[i * n + j] = static_cast<float>(acc);
    }
  }
}

void exp__scalar(std::size_t n, const float* x, float* y) noexcept {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(std::exp(static_cast<double>(x[i])));
}

void expminus__scalar(std::size_t n, const float* x, float max, float* y) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    // the difference in float, as the SIMD kernels take it; exp in double, rounded once
    const float d = x[i] - max;
    const double e = std::exp(static_cast<double>(d));
    y[i] = e < FLT_MIN ? 0.0f : static_cast<float>(e);  // below FLT_MIN: 0 (see kernels.hpp)
  }
}

void exp2minus__scalar(std::size_t n, const float* x, float max, float* y) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const float d = x[i] - max;
    // at or below 2^-126.5: 0; between that and FLT_MIN the subnormal float (see kernels.hpp)
    y[i] = d <= -126.5f ? 0.0f : static_cast<float>(std::exp2(static_cast<double>(d)));
  }
}

bool flash_attention__scalar(const FlashArgs& a) noexcept {
  // out [m, dv] = softmax(mask(scale · q kᵀ)) · v, one query row at a time, the keys in order,
  // the softmax kept online (Milakov & Gimelshein 2018): after key j,
  //   mx  = max of the logits so far,
  //   sum = Σ exp(logit - mx),
  //   acc = Σ exp(logit - mx) · v_j   [dv]
  // and when a logit above mx arrives, sum and acc are rescaled by exp(mx - logit) first.
  // No tile is skipped here: this is the definition the SIMD kernel's shortcuts must agree with.
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  const KeyMask& mask = a.mask;
  double* acc = reinterpret_cast<double*>(a.work);  // [dv]
  bool finite = true;
  for (std::size_t i = 0; i < a.m; ++i) {
    const float* qi = a.q + i * a.ldq;
    std::size_t end = a.n;  // keys j >= end are blocked by the lengths and causality
    if (mask.ends != nullptr && mask.ends[i] < end) end = mask.ends[i];
    if (mask.causal && i + 1 < end) end = i + 1;
    double mx = kNegInf, sum = 0.0;
    for (std::size_t c = 0; c < a.dv; ++c) acc[c] = 0.0;
    for (std::size_t j = 0; j < a.n; ++j) {
      // step 1: the logit, stored in float as the materialised path stores the scores
      const float* kj = a.k + j * a.ldk;
      double dot = 0.0;
      for (std::size_t p = 0; p < a.d; ++p) dot += static_cast<double>(qi[p]) * static_cast<double>(kj[p]);
      float logit = static_cast<float>(dot) * a.scale;
      if (!std::isfinite(logit)) finite = false;
      // step 2: the mask
      const bool blocked = j >= end || (mask.keep != nullptr && mask.keep[i * mask.ldkeep + j] == 0.0f);
      if (blocked) logit = mask.fill;
      // step 3: the online softmax; a -inf logit weighs exactly 0 (and -inf - -inf is NaN)
      if (logit == -INFINITY) continue;
      const float* vj = a.v + j * a.ldv;
      if (logit > mx) {
        const double rescale = std::exp(mx - logit);  // exp(-inf) = 0 for the first key
        sum *= rescale;
        for (std::size_t c = 0; c < a.dv; ++c) acc[c] *= rescale;
        mx = logit;
      }
      const double p = std::exp(static_cast<double>(logit) - mx);
      sum += p;
      for (std::size_t c = 0; c < a.dv; ++c) acc[c] += p * static_cast<double>(vj[c]);
    }
    // step 4: normalise; a row whose every logit is -inf has sum 0 and a zero output
    float* oi = a.out + i * a.ldo;
    for (std::size_t c = 0; c < a.dv; ++c) oi[c] = sum > 0.0 ? static_cast<float>(acc[c] / sum) : 0.0f;
    // step 5 (weights wanted): each key's weight exp(logit - mx) / sum, its logit computed again
    if (a.weights == nullptr) continue;
    for (std::size_t j = 0; j < a.n; ++j) {
      const float* kj = a.k + j * a.ldk;
      double dot = 0.0;
      for (std::size_t p = 0; p < a.d; ++p) dot += static_cast<double>(qi[p]) * static_cast<double>(kj[p]);
      float logit = static_cast<float>(dot) * a.scale;
      if (j >= end || (mask.keep != nullptr && mask.keep[i * mask.ldkeep + j] == 0.0f)) logit = mask.fill;
      const bool zero = logit == -INFINITY || !(sum > 0.0);
      a.weights[i * a.ldw + j] = zero ? 0.0f : static_cast<float>(std::exp(static_cast<double>(logit) - mx) / sum);
    }
  }
  return finite;
}

}  // namespace attn::kernels
