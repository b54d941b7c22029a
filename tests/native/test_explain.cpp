// softmax_steps, random_tensor, subtract, scale_experiment and downsample: what the playground shows to explain
// its numbers, checked against closed forms and statistics.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "support.hpp"

namespace attn {
namespace {

TEST(SoftmaxSteps, ShowsTheMaxTheExpTermsTheSumAndTheWeights) {
  const SoftmaxSteps s = softmax_steps(test::T2({{1, 2, 3}, {0, 0, -INFINITY}}), 0.5);
  // logits = x / 0.5 = [2, 4, 6]; m = 6; e = [e^-4, e^-2, 1]; s = Σe
  const double e0 = std::exp(-4.0), e1 = std::exp(-2.0), sum = e0 + e1 + 1.0;
  EXPECT_TRUE(test::tensor_near(s.logits, {2, 4, 6, 0, 0, -INFINITY}));
  EXPECT_TRUE(test::tensor_near(s.max, {6, 0}));
  EXPECT_TRUE(test::tensor_near(s.exp, {e0, e1, 1, 1, 1, 0}));
  EXPECT_TRUE(test::tensor_near(s.sum, {sum, 2}));
  EXPECT_TRUE(test::tensor_near(s.weights, {e0 / sum, e1 / sum, 1 / sum, 0.5, 0.5, 0}));
  EXPECT_EQ(s.max.shape(), (Tensor::shape_type{2}));
}

TEST(SoftmaxSteps, AFullyMaskedRowHasNothingToAttend) {
  const SoftmaxSteps s = softmax_steps(test::T2({{-INFINITY, -INFINITY}}));
  EXPECT_EQ(s.sum(0), 0.0f);
  EXPECT_EQ(s.weights(0, 0), 0.0f);
  EXPECT_EQ(s.weights(0, 1), 0.0f);
  EXPECT_THROW(softmax_steps(test::T2({{NAN, 1}})), Error);
  EXPECT_THROW(softmax_steps(test::T2({{INFINITY, 1}})), Error);
}

TEST(Random, IsSeededRoundedAndHasTheRequestedDistribution) {
  const Tensor a = random_tensor({200, 50}, 7, Distribution::normal);
  const Tensor b = random_tensor({200, 50}, 7, Distribution::normal);
  const Tensor c = random_tensor({200, 50}, 8, Distribution::normal);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  double mean = 0, var = 0;
  for (float x : a) mean += x;
  mean /= double(a.size());
  for (float x : a) var += (x - mean) * (x - mean);
  var /= double(a.size());
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(var, 1.0, 0.06);
  const Tensor u = random_tensor({1000}, 1, Distribution::uniform, 2.0, 2);
  for (float x : u) {
    EXPECT_GE(x, -2.0f);
    EXPECT_LE(x, 2.0f);
    EXPECT_NEAR(x * 100, std::round(x * 100), 1e-3) << "rounded to 2 decimals";
  }
  EXPECT_THROW(random_tensor({2}, 1, Distribution::normal, 0.0), Error);
  EXPECT_THROW(random_tensor({2}, 1, Distribution::normal, 1.0, 9), Error);
  EXPECT_THROW(parse_distribution("cauchy"), Error);
}

TEST(Subtract, IsElementwiseAndChecksShapes) {
  EXPECT_TRUE(test::tensor_near(subtract(test::T2({{1, 2}}), test::T2({{0.5, 3}})), {0.5, -1}));
  EXPECT_THROW(subtract(test::T2({{1, 2}}), test::T2({{1}, {2}})), Error);
}

TEST(Add, IsElementwiseChecksShapesAndRefusesOverflow) {
  EXPECT_TRUE(test::tensor_near(add(test::T2({{1, 2}}), test::T2({{0.5, -3}})), {1.5, -1}));
  EXPECT_THROW(add(test::T2({{1, 2}}), test::T2({{1}, {2}})), Error);
  EXPECT_THROW(add(test::T2({{3e38f}}), test::T2({{3e38f}})), Error);  // 6e38 is beyond float32
}

TEST(ScaleExperiment, UnscaledVarianceGrowsWithDScaledStaysNearOne) {
  const ScaleExperiment r = scale_experiment({1, 16, 256}, 16, 200, 3);
  // q·k of N(0, 1) entries has variance d; scaled by 1/√d it has variance 1
  EXPECT_NEAR(r.variance(0), 1.0, 0.15);
  EXPECT_NEAR(r.variance(1), 16.0, 16 * 0.15);
  EXPECT_NEAR(r.variance(2), 256.0, 256 * 0.15);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(r.variance_scaled(i), 1.0, 0.15);
  // without scaling the softmax saturates: low entropy, one weight near 1
  EXPECT_LT(r.entropy(2), 0.5);
  EXPECT_GT(r.max_weight(2), 0.85);
  EXPECT_GT(r.entropy_scaled(2), 2.0);  // near log 16 = 2.77 minus the spread of the scores
  EXPECT_LT(r.entropy_scaled(2), std::log(16.0));
  EXPECT_THROW(scale_experiment({}, 16, 10, 0), Error);
  EXPECT_THROW(scale_experiment({4096}, 1024, 4096, 0),
               Error);  // too much work: refused, not frozen
}

TEST(Downsample, ReducesEachBlockToItsMeanOrMaxWithItsEdges) {
  // awkward sizes: blocks of unequal size (7 rows in 3, 10 columns in 4), one block, no reduction
  const Tensor x = random_tensor({7, 10}, 5, Distribution::normal);
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{3, 4}, {1, 1}, {7, 10}, {2, 9}}) {
    for (bool max : {false, true}) {
      const Downsampled d = downsample(x, rows, cols, max ? Reduce::max : Reduce::mean);
      EXPECT_EQ(d.values.shape(), (Tensor::shape_type{rows, cols}));
      EXPECT_TRUE(test::tensor_near(d.values, test::reference_downsample(x, rows, cols, max)));
      EXPECT_EQ(d.row_edges(0), 0.0f);
      EXPECT_EQ(d.row_edges(rows), 7.0f);
      EXPECT_EQ(d.col_edges(cols), 10.0f);
    }
  }
  const Downsampled d = downsample(x, 3, 4, Reduce::mean);
  EXPECT_TRUE(test::tensor_near(d.row_edges, {0, 2, 4, 7}));
  EXPECT_TRUE(test::tensor_near(d.col_edges, {0, 2, 5, 7, 10}));
}

TEST(Downsample, RefusesWhatItCannotShrink) {
  const Tensor x = random_tensor({4, 6}, 1, Distribution::normal);
  EXPECT_THROW(downsample(x, 0, 2, Reduce::mean), Error);
  EXPECT_THROW(downsample(x, 5, 2, Reduce::mean), Error);  // more rows than x has
  EXPECT_THROW(downsample(x, 2, 7, Reduce::max), Error);
  EXPECT_THROW(downsample(random_tensor({2, 2, 2}, 1, Distribution::normal), 1, 1, Reduce::mean),
               Error);
  EXPECT_THROW(downsample(test::T2({{1, NAN}}), 1, 1, Reduce::mean), Error);
  EXPECT_THROW(parse_reduce("sum"), Error);
}

}  // namespace
}  // namespace attn
