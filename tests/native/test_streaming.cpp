// attention() without a trace runs the streaming (flash) kernel: with weights: false it never
// builds the [B, Q, K] matrix, with weights: true it writes the weights as it goes. It must agree
// with the materialised path (trace: true) and the float64 reference for every mask kind, both
// fills, temperatures and dot-product scorings, at sizes around its blocks, and report the same
// errors, minus the size limit on a matrix it does not build.
#include <algorithm>
#include <sstream>

#include "kernels/kernels.hpp"
#include "support.hpp"

namespace attn {
namespace {

using test::random_tensor;
using test::random_vector;
using test::throws_range;

// What a case masks with: validLens of each shape, an explicit mask of each shape, causal.
enum class Masking {
  none,
  lens_scalar,
  lens_batch,
  lens_rows,
  mask_shared,
  mask_batch,
  causal,
  causal_lens,
  all
};
const Masking kMaskings[] = {Masking::none,      Masking::lens_scalar, Masking::lens_batch,
                             Masking::lens_rows, Masking::mask_shared, Masking::mask_batch,
                             Masking::causal,    Masking::causal_lens, Masking::all};
const char* name(Masking m) {
  static const char* names[] = {"none",        "lens scalar",   "lens [B]",
                                "lens [B, Q]", "mask [Q, K]",   "mask [B, Q, K]",
                                "causal",      "causal + lens", "all"};
  return names[int(m)];
}

// Lengths and masks with fully blocked rows among them (length 0, a mask row of zeros). Unbatched
// problems (batched false, B = 1) take the per-row [Q] lengths and the [Q, K] mask instead of the
// per-batch shapes.
MaskOptions make_mask(Masking m, bool batched, std::size_t B, std::size_t Q, std::size_t K,
                      float fill, std::uint32_t seed) {
  MaskOptions o;
  o.fill = fill;
  const auto u = random_vector(B * Q * K + B * Q, 0, 1, seed);
  auto len = [&](std::size_t i) { return i % 7 == 1 ? 0.0 : std::floor(u[i] * double(K + 1)); };
  if (m == Masking::lens_scalar) o.valid_lens = Lengths(double(K > 2 ? K - 2 : K));
  if (m == Masking::lens_batch && batched) {
    Lengths l = Lengths::from_shape({B});
    for (std::size_t b = 0; b < B; ++b) l(b) = len(b);
    o.valid_lens = l;
  }
  if (m == Masking::lens_rows || m == Masking::causal_lens || m == Masking::all ||
      (m == Masking::lens_batch && !batched)) {
    Lengths l = batched ? Lengths::from_shape({B, Q}) : Lengths::from_shape({Q});
    for (std::size_t i = 0; i < B * Q; ++i) l.data()[i] = len(i);
    o.valid_lens = l;
  }
  if (m == Masking::mask_shared || m == Masking::mask_batch || m == Masking::all) {
    const bool per_batch = batched && m != Masking::mask_shared;
    Tensor t = per_batch ? Tensor::from_shape({B, Q, K}) : Tensor::from_shape({Q, K});
    for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = u[B * Q + i] < 0.75f ? 1.0f : 0.0f;
    std::fill_n(t.data(), K, 0.0f);  // row 0: nothing to attend
    o.mask = t;
  }
  o.causal = m == Masking::causal || m == Masking::causal_lens || m == Masking::all;
  return o;
}

// The output of weights: false, and the output and weights of weights: true, against the trace
// (the materialised path, which the rest of the suite checks against the float64 reference).
void expect_streaming_matches(std::size_t B, std::size_t Q, std::size_t K, std::size_t d,
                              std::size_t dv, Masking m, float fill, double temperature,
                              Scoring scoring, std::uint32_t seed) {
  // unbatched when B == 0
  const bool batched = B > 0;
  const std::size_t b = batched ? B : 1;
  auto shape = [&](std::size_t r, std::size_t c) {
    return batched ? Tensor::shape_type{B, r, c} : Tensor::shape_type{r, c};
  };
  const Tensor q = random_tensor(shape(Q, d), seed, -2, 2),
               k = random_tensor(shape(K, d), seed + 1, -2, 2),
               v = random_tensor(shape(K, dv), seed + 2);
  AttentionOptions o;
  o.score.scoring = scoring;
  if (scoring == Scoring::bilinear) o.score.w = random_tensor({d, d}, seed + 3);
  o.temperature = temperature;
  o.mask = make_mask(m, batched, b, Q, K, fill, seed + 4);
  o.trace = true;
  const AttentionResult full = attention(q, k, v, o);
  o.trace = false;
  const AttentionResult weighed = attention(q, k, v, o);
  o.weights = false;
  const AttentionResult lean = attention(q, k, v, o);
  std::ostringstream what;
  what << "B=" << B << " Q=" << Q << " K=" << K << " d=" << d << " dv=" << dv << " mask " << name(m)
       << " fill " << fill << " T=" << temperature << " scoring " << to_string(scoring);
  EXPECT_EQ(lean.weights.dimension(), 0u);
  ASSERT_EQ(lean.output.shape(), full.output.shape());
  ASSERT_EQ(weighed.weights.shape(), full.weights.shape());
  EXPECT_TRUE(test::tensor_near(lean.output, test::to_doubles(full.output), 2e-6, 2e-5))
      << what.str();
  EXPECT_TRUE(test::tensor_near(weighed.output, test::to_doubles(full.output), 2e-6, 2e-5))
      << what.str();
  EXPECT_TRUE(test::tensor_near(weighed.weights, test::to_doubles(full.weights), 1e-7, 2e-5))
      << what.str();
  if (fill == -INFINITY) {
    // rows with nothing to attend, and blocked weights, are exact zeros in all of them
    for (std::size_t i = 0; i < full.output.size(); ++i) {
      if (full.output.data()[i] == 0.0f) {
        ASSERT_EQ(lean.output.data()[i], 0.0f) << "flat " << i << " " << what.str();
        ASSERT_EQ(weighed.output.data()[i], 0.0f) << "flat " << i << " " << what.str();
      }
    }
    for (std::size_t i = 0; i < full.weights.size(); ++i) {
      if (full.weights.data()[i] == 0.0f) {
        ASSERT_EQ(weighed.weights.data()[i], 0.0f) << "flat " << i << " " << what.str();
      }
    }
  }
}

TEST(Streaming, MatchesTheMaterialisedPathForEveryMaskAndFill) {
  std::uint32_t seed = 1;
  for (Masking m : kMaskings) {
    for (float fill : {kDefaultFill, -INFINITY}) {
      expect_streaming_matches(2, 37, 70, 16, 8, m, fill, 1.0, Scoring::scaled_dot, seed += 10);
      expect_streaming_matches(0, 21, 21, 8, 5, m, fill, 0.7, Scoring::dot, seed += 10);
      expect_streaming_matches(3, 5, 130, 12, 12, m, fill, 2.5, Scoring::bilinear, seed += 10);
    }
  }
}

TEST(Streaming, MatchesAtTheKernelsBlockBoundaries) {
  // around the query blocks (kFlashRows) and key tiles (kFlashKeys), and their 4- and 8-wide tiles
  using kernels::kFlashKeys;
  using kernels::kFlashRows;
  const std::size_t rows[] = {
      1, 3, 4, 5, 8, kFlashRows - 1, kFlashRows, kFlashRows + 1, 3 * kFlashRows + 1};
  const std::size_t keys[] = {
      1, 4, 7, 8, 9, kFlashKeys - 1, kFlashKeys, kFlashKeys + 1, 3 * kFlashKeys + 1};
  std::uint32_t seed = 500;
  for (std::size_t Q : rows) {
    for (std::size_t K : keys) {
      const Masking m = kMaskings[(Q + K) % std::size(kMaskings)];
      const float fill = (Q + K) % 2 ? kDefaultFill : -INFINITY;
      expect_streaming_matches(2, Q, K, 64, 64, m, fill, 1.0, Scoring::scaled_dot, seed += 10);
    }
  }
  for (std::size_t d : {1u, 3u, 65u}) {
    expect_streaming_matches(1, 20, 70, d, d + 2, Masking::causal_lens, kDefaultFill, 1.0,
                             Scoring::scaled_dot, seed += 10);
  }
}

TEST(Streaming, AgreesWithTheFloat64Reference) {
  const Tensor q = random_tensor({2, 40, 16}, 90), k = random_tensor({2, 90, 16}, 91),
               v = random_tensor({2, 90, 6}, 92);
  AttentionOptions o;
  o.weights = false;
  o.mask.causal = true;
  o.mask.valid_lens = Lengths{3, 0};
  for (float fill : {kDefaultFill, -INFINITY}) {
    o.mask.fill = fill;
    const AttentionResult r = attention(q, k, v, o);
    auto keep = [](std::size_t b, std::size_t i, std::size_t j) {
      return j < (b == 0 ? 3u : 0u) && j <= i;
    };
    const auto want = test::reference_attention(q, k, v, o.score, 1.0, keep, fill);
    EXPECT_TRUE(test::tensor_near(r.output, want.output, 1e-6, 1e-5)) << "fill " << fill;
  }
}

TEST(Streaming, DoesNotNeedTheScoresUnderTheSizeLimit) {
  // [4100, 4100] scores are over the 2^24-element limit: refused when materialised, fine streamed
  const Tensor x = random_tensor({4100, 1}, 7);
  AttentionOptions o;
  EXPECT_TRUE(throws_range("scores [B, Q, K]: 16810000 elements, over the limit",
                           [&] { attention(x, x, x, o); }));
  o.weights = false;
  const AttentionResult r = attention(x, x, x, o);
  EXPECT_EQ(r.output.shape(), (Tensor::shape_type{4100, 1}));
  for (float y : r.output) ASSERT_TRUE(std::abs(y) <= 1.0f);
  // additive scoring has no streaming kernel: its scores are still built, and limited
  o.score.scoring = Scoring::additive;
  o.score.wq = test::T2({{1.0f}});
  o.score.wk = test::T2({{1.0f}});
  o.score.v = Tensor::from_shape({1});
  o.score.v->fill(1.0f);
  EXPECT_TRUE(throws_range("scores [B, Q, K]", [&] { attention(x, x, x, o); }));
}

TEST(Streaming, ReportsOverflowExactlyAsTheMaterialisedPath) {
  // the same message (step and flat entry) whether or not the matrix is built, including for an
  // overflowing score that the mask blocks (the materialised path checks it before masking)
  struct Case {
    const char* what;
    Tensor q, k, v;
    double temperature;
    bool causal;
  };
  Tensor big_q = random_tensor({2, 6, 4}, 30), big_k = random_tensor({2, 9, 4}, 31);
  for (std::size_t c = 0; c < 4; ++c) big_q(1, 2, c) = 2e19f, big_k(1, 7, c) = 2e19f;
  Tensor warm_q = random_tensor({6, 4}, 32), warm_k = random_tensor({9, 4}, 33);
  for (std::size_t c = 0; c < 4; ++c) warm_q(4, c) = 1e18f, warm_k(2, c) = 1e18f;
  const Tensor big_v = random_tensor({2, 9, 3}, 34), warm_v = random_tensor({9, 3}, 35);
  const Case cases[] = {
      {"scores overflow", big_q, big_k, big_v, 1.0, false},
      {"a blocked score overflows", big_q, big_k, big_v, 1.0, true},
      {"logits overflow", warm_q, warm_k, warm_v, 1e-3, false},
  };
  for (const Case& c : cases) {
    AttentionOptions o;
    o.temperature = c.temperature;
    o.mask.causal = c.causal;
    std::string full, lean;
    try {
      attention(c.q, c.k, c.v, o);
    } catch (const Error& e) {
      full = e.what();
    }
    o.weights = false;
    try {
      attention(c.q, c.k, c.v, o);
    } catch (const Error& e) {
      lean = e.what();
    }
    EXPECT_NE(full.find("overflowed float32"), std::string::npos) << c.what << ": " << full;
    EXPECT_EQ(lean, full) << c.what;
  }
}

}  // namespace
}  // namespace attn
