// THE reference flash attention: the definition the SIMD kernel's blocks and shortcuts must agree
// with, one query row and one key at a time.
//
// Why it does not call softmax_row__scalar: an online softmax never holds a row of logits. It
// shares the exp (std::exp in double, as the row kernel) and the mask rule (KeyMask::end / kept).
#include <cfloat>
#include <cmath>
#include <limits>

#include "../kernels.hpp"

namespace attn::kernels {

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
    const std::size_t end = mask.end(i, a.n);
    // the logit of key j before the mask, in float as the materialised path stores the scores
    auto logit_of = [&](std::size_t j) {
      const float* kj = a.k + j * a.ldk;
      double dot = 0.0;
      for (std::size_t p = 0; p < a.d; ++p)
        dot += static_cast<double>(qi[p]) * static_cast<double>(kj[p]);
      return static_cast<float>(dot) * a.scale;
    };
    double mx = kNegInf, sum = 0.0;
    for (std::size_t c = 0; c < a.dv; ++c) acc[c] = 0.0;
    for (std::size_t j = 0; j < a.n; ++j) {
      // step 1: the logit
      float logit = logit_of(j);
      if (!std::isfinite(logit)) finite = false;
      // step 2: the mask
      if (mask.blocked(i, j, end)) logit = mask.fill;
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
    for (std::size_t c = 0; c < a.dv; ++c)
      oi[c] = sum > 0.0 ? static_cast<float>(acc[c] / sum) : 0.0f;
    // step 5 (weights wanted): each key's weight exp(logit - mx) / sum, its logit computed again
    if (a.weights == nullptr) continue;
    for (std::size_t j = 0; j < a.n; ++j) {
      const float logit = mask.blocked(i, j, end) ? mask.fill : logit_of(j);
      const bool zero = logit == -INFINITY || !(sum > 0.0);
      a.weights[i * a.ldw + j] =
          zero ? 0.0f : static_cast<float>(std::exp(static_cast<double>(logit) - mx) / sum);
    }
  }
  return finite;
}

}  // namespace attn::kernels
