// Scoring functions (dot, scaled_dot, additive, bilinear), batched and unbatched, against float64
// scores computed from the definitions, plus closed-form cases that pin the weight layout.
#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::random_tensor;
using test::reference_scores;
using test::tensor_near;
using test::throws_range;
using test::throws_type;

// The reference over every batch element of rank-2 or rank-3 queries and keys.
std::vector<double> scores_ref(const Tensor& q, const Tensor& k, const ScoreOptions& o) {
  const bool batched = q.dimension() == 3;
  const std::size_t B = batched ? q.shape()[0] : 1, Q = q.shape()[batched ? 1 : 0],
                    K = k.shape()[batched ? 1 : 0], dq = q.shape().back(), dk = k.shape().back();
  std::vector<double> all;
  for (std::size_t b = 0; b < B; ++b) {
    const auto s = reference_scores(q.data() + b * Q * dq, k.data() + b * K * dk, Q, K, dq, dk, o);
    all.insert(all.end(), s.begin(), s.end());
  }
  return all;
}

ScoreOptions with(Scoring s) {
  ScoreOptions o;
  o.scoring = s;
  return o;
}

ScoreOptions additive(std::size_t dq, std::size_t dk, std::size_t h, std::uint32_t seed) {
  ScoreOptions o = with(Scoring::additive);
  o.wq = random_tensor({dq, h}, seed);
  o.wk = random_tensor({dk, h}, seed + 1);
  o.v = random_tensor({h}, seed + 2);
  return o;
}

ScoreOptions bilinear(std::size_t dq, std::size_t dk, std::uint32_t seed) {
  ScoreOptions o = with(Scoring::bilinear);
  o.w = random_tensor({dq, dk}, seed);
  return o;
}

TEST(Score, HeaderExample) {
  const Tensor s =
      score(Tensor{{1.0f, 0.0f}}, Tensor{{1.0f, 0.0f}, {0.0f, 1.0f}}, with(Scoring::dot));
  EXPECT_EQ(dims(s), (std::vector<std::size_t>{1, 2}));
  EXPECT_TRUE(tensor_near(s, {1.0, 0.0}));
}

TEST(Score, DotAndScaledDotClosedForm) {
  // q = [1, 2, 3, 4], k = [[1, 1, 1, 1], [0, -1, 0, 2]]: q·k = [10, 6]; d = 4, so scaled = [5, 3]
  const Tensor q{{1.0f, 2.0f, 3.0f, 4.0f}};
  const Tensor k{{1.0f, 1.0f, 1.0f, 1.0f}, {0.0f, -1.0f, 0.0f, 2.0f}};
  EXPECT_TRUE(tensor_near(score(q, k, with(Scoring::dot)), {10.0, 6.0}));
  EXPECT_TRUE(tensor_near(score(q, k, with(Scoring::scaled_dot)), {5.0, 3.0}));
  EXPECT_TRUE(tensor_near(score(q, k), {5.0, 3.0})) << "scaled_dot is the default";
}

TEST(Score, DotAndScaledDotBatchedAndUnbatched) {
  for (Scoring s : {Scoring::dot, Scoring::scaled_dot}) {
    const Tensor q2 = random_tensor({3, 7}, 1), k2 = random_tensor({6, 7}, 2);
    const Tensor s2 = score(q2, k2, with(s));
    EXPECT_EQ(dims(s2), (std::vector<std::size_t>{3, 6}));
    EXPECT_TRUE(tensor_near(s2, scores_ref(q2, k2, with(s)))) << to_string(s);

    const Tensor q3 = random_tensor({2, 5, 4}, 3), k3 = random_tensor({2, 9, 4}, 4);
    const Tensor s3 = score(q3, k3, with(s));
    EXPECT_EQ(dims(s3), (std::vector<std::size_t>{2, 5, 9}));
    EXPECT_TRUE(tensor_near(s3, scores_ref(q3, k3, with(s)))) << to_string(s);
  }
}

TEST(Score, AdditiveClosedFormInXWLayout) {
  // q = [1, 0], k = [0, 1, 0]; W_q [2, 3] and W_k [3, 3] in the "x W" layout, so q W_q is W_q's first
  // row and k W_k is W_k's second: tanh([0.1, 0.2, 0.3] + [0.5, -0.2, 1.0]) · [1, 2, -1]
  ScoreOptions o = with(Scoring::additive);
  o.wq = Tensor{{0.1f, 0.2f, 0.3f}, {9.0f, 9.0f, 9.0f}};
  o.wk = Tensor{{7.0f, 7.0f, 7.0f}, {0.5f, -0.2f, 1.0f}, {-7.0f, -7.0f, -7.0f}};
  o.v = Tensor{1.0f, 2.0f, -1.0f};
  const Tensor s = score(Tensor{{1.0f, 0.0f}}, Tensor{{0.0f, 1.0f, 0.0f}}, o);
  const double want = std::tanh(0.1 + 0.5) + 2 * std::tanh(0.2 - 0.2) - std::tanh(0.3 + 1.0);
  EXPECT_EQ(dims(s), (std::vector<std::size_t>{1, 1}));
  EXPECT_NEAR(s(0, 0), want, 1e-6);
}

TEST(Score, AdditiveWithDifferentWidthsBatchedAndUnbatched) {
  const ScoreOptions o = additive(3, 5, 4, 10);
  const Tensor q2 = random_tensor({4, 3}, 11), k2 = random_tensor({6, 5}, 12);
  const Tensor s2 = score(q2, k2, o);
  EXPECT_EQ(dims(s2), (std::vector<std::size_t>{4, 6}));
  EXPECT_TRUE(tensor_near(s2, scores_ref(q2, k2, o)));

  const Tensor q3 = random_tensor({2, 3, 3}, 13, -2.0f, 2.0f),
               k3 = random_tensor({2, 7, 5}, 14, -2.0f, 2.0f);
  const Tensor s3 = score(q3, k3, o);
  EXPECT_EQ(dims(s3), (std::vector<std::size_t>{2, 3, 7}));
  EXPECT_TRUE(tensor_near(s3, scores_ref(q3, k3, o)));

  // hidden sizes around the SIMD tile
  for (std::size_t h : {1u, 3u, 4u, 5u, 9u}) {
    const ScoreOptions oh = additive(2, 3, h, std::uint32_t(20 + h));
    const Tensor q = random_tensor({2, 2}, 30), k = random_tensor({3, 3}, 31);
    EXPECT_TRUE(tensor_near(score(q, k, oh), scores_ref(q, k, oh))) << "h=" << h;
  }
}

TEST(Score, BilinearClosedForm) {
  // q W kᵀ with q = [1, 2], W = [[1, 0, 0], [0, 1, 0]], k = [3, 4, 5]: q W = [1, 2, 0], · k = 11
  ScoreOptions o = with(Scoring::bilinear);
  o.w = Tensor{{1.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}};
  EXPECT_TRUE(tensor_near(
      score(Tensor{{1.0f, 2.0f}}, Tensor{{3.0f, 4.0f, 5.0f}, {0.0f, 0.0f, 1.0f}}, o), {11.0, 0.0}));
}

TEST(Score, BilinearWithDifferentWidthsBatchedAndUnbatched) {
  const ScoreOptions o = bilinear(3, 5, 40);
  const Tensor q2 = random_tensor({4, 3}, 41), k2 = random_tensor({6, 5}, 42);
  const Tensor s2 = score(q2, k2, o);
  EXPECT_EQ(dims(s2), (std::vector<std::size_t>{4, 6}));
  EXPECT_TRUE(tensor_near(s2, scores_ref(q2, k2, o)));

  const Tensor q3 = random_tensor({3, 2, 3}, 43), k3 = random_tensor({3, 5, 5}, 44);
  const Tensor s3 = score(q3, k3, o);
  EXPECT_EQ(dims(s3), (std::vector<std::size_t>{3, 2, 5}));
  EXPECT_TRUE(tensor_near(s3, scores_ref(q3, k3, o)));
}

TEST(Score, MissingParametersAreTypeErrors) {
  const Tensor q = random_tensor({2, 3}, 50), k = random_tensor({4, 5}, 51);
  const ScoreOptions full = additive(3, 5, 4, 52);
  ScoreOptions o = full;
  o.wq.reset();
  EXPECT_TRUE(throws_type("wq", [&] { score(q, k, o); }));
  o = full;
  o.wk.reset();
  EXPECT_TRUE(throws_type("wk", [&] { score(q, k, o); }));
  o = full;
  o.v.reset();
  EXPECT_TRUE(throws_type("v", [&] { score(q, k, o); }));
  EXPECT_TRUE(throws_type("w", [&] { score(q, k, with(Scoring::bilinear)); }));
}

TEST(Score, ParametersOfTheWrongShapeAreRangeErrors) {
  const Tensor q = random_tensor({2, 3}, 60), k = random_tensor({4, 5}, 61);
  const ScoreOptions full = additive(3, 5, 4, 62);
  ScoreOptions o = full;
  o.wq = random_tensor({4, 3}, 63);  // transposed ([hidden, dq])
  EXPECT_TRUE(throws_range("wq", [&] { score(q, k, o); }));
  o = full;
  o.wq = random_tensor({3}, 63);  // rank 1
  EXPECT_TRUE(throws_range("wq", [&] { score(q, k, o); }));
  o = full;
  o.wk = random_tensor({5, 3}, 64);  // hidden differs from wq's
  EXPECT_TRUE(throws_range("wk", [&] { score(q, k, o); }));
  o = full;
  o.wk = random_tensor({3, 4}, 64);  // rows are not dk
  EXPECT_TRUE(throws_range("wk", [&] { score(q, k, o); }));
  o = full;
  o.v = random_tensor({5}, 65);
  EXPECT_TRUE(throws_range("v", [&] { score(q, k, o); }));
  o = full;
  o.v = random_tensor({4, 1}, 65);
  EXPECT_TRUE(throws_range("v", [&] { score(q, k, o); }));

  ScoreOptions b = bilinear(5, 3, 66);  // transposed
  EXPECT_TRUE(throws_range("w", [&] { score(q, k, b); }));
  b.w = random_tensor({3, 5, 1}, 66);
  EXPECT_TRUE(throws_range("w", [&] { score(q, k, b); }));
}

TEST(Score, ParseScoringAndToStringRoundTrip) {
  for (Scoring s : {Scoring::dot, Scoring::scaled_dot, Scoring::additive, Scoring::bilinear}) {
    EXPECT_EQ(parse_scoring(to_string(s)), s);
  }
  EXPECT_EQ(parse_scoring("scaled_dot"), Scoring::scaled_dot);
  EXPECT_TRUE(throws_type("scoring", [] { parse_scoring("cosine"); }));
  EXPECT_TRUE(throws_type("scoring", [] { parse_scoring("Dot"); }));
}

}  // namespace
}  // namespace attn
