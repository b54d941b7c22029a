// The seed article's worked example in closed form, and self_attention() against a float64
// reference (project in double, then attend).
#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::random_tensor;
using test::tensor_near;
using test::throws_range;
using test::throws_type;

using Shape = std::vector<std::size_t>;

// X = I3, W_Q = W_K = W_V = [[1, 0], [0, 1], [1, 1]], d_k = 2.
const Tensor kX{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
const Tensor kW{{1, 0}, {0, 1}, {1, 1}};

// The closed forms, with a = 1/sqrt(2): QKᵀ = [[1, 0, 1], [0, 1, 1], [1, 1, 2]], scores = QKᵀ a.
struct Worked {
  std::vector<double> qkt, scores, weights, output;
};
Worked worked() {
  const double a = 1 / std::sqrt(2.0), ea = std::exp(a);
  Worked w;
  w.qkt = {1, 0, 1, 0, 1, 1, 1, 1, 2};
  for (double x : w.qkt) w.scores.push_back(x * a);
  // row 0: [e^a, 1, e^a] / (2e^a + 1); row 1: [1, e^a, e^a] / (1 + 2e^a); row 2: [1, 1, e^a] / (2 + e^a)
  const double s0 = 2 * ea + 1, s2 = 2 + ea;
  w.weights = {ea / s0, 1 / s0, ea / s0, 1 / s0, ea / s0, ea / s0, 1 / s2, 1 / s2, ea / s2};
  // output = weights · V with V = [[1, 0], [0, 1], [1, 1]]
  w.output = {2 * ea / s0, (1 + ea) / s0, (1 + ea) / s0, 2 * ea / s0, (1 + ea) / s2, (1 + ea) / s2};
  return w;
}

TEST(SeedExample, ProjectionsOfTheIdentityAreTheWeights) {
  const SelfAttentionResult r = self_attention(kX, kW, kW, kW);
  for (const Tensor* t : {&r.q, &r.k, &r.v}) {
    EXPECT_EQ(dims(*t), (Shape{3, 2}));
    EXPECT_TRUE(tensor_near(*t, {1, 0, 0, 1, 1, 1}, 0, 0));
  }
}

TEST(SeedExample, ScoresWeightsAndOutputInClosedForm) {
  const Worked w = worked();
  const SelfAttentionResult r = self_attention(kX, kW, kW, kW);
  // the widely copied version claims 2×3 scores and output [[1/2, 1/2], [0, 0]]: both wrong
  EXPECT_EQ(dims(r.scores), (Shape{3, 3}));
  EXPECT_EQ(dims(r.logits), (Shape{3, 3}));
  EXPECT_EQ(dims(r.weights), (Shape{3, 3}));
  EXPECT_EQ(dims(r.output), (Shape{3, 2}));
  EXPECT_TRUE(tensor_near(r.scores, w.scores));
  EXPECT_TRUE(tensor_near(r.logits, w.scores));
  EXPECT_TRUE(tensor_near(r.weights, w.weights));
  EXPECT_TRUE(tensor_near(r.output, w.output));
  EXPECT_GT(std::fabs(r.output(0, 0) - 0.5f), 0.1f);
  EXPECT_GT(r.output(1, 1), 0.5f);
  // row 0 in numbers: a = 0.7071, weights [0.4011, 0.1978, 0.4011]
  EXPECT_NEAR(r.weights(0, 0), 0.4011, 1e-4);
  EXPECT_NEAR(r.weights(0, 1), 0.1978, 1e-4);
}

TEST(SeedExample, AttentionOnTheProjectionsAgrees) {
  const Worked w = worked();
  AttentionOptions o;
  o.score.scoring = Scoring::dot;
  o.trace = true;
  EXPECT_TRUE(tensor_near(attention(kW, kW, kW, o).scores, w.qkt, 0, 0)) << "QKᵀ is exact";
  o.score.scoring = Scoring::scaled_dot;
  const AttentionResult r = attention(kW, kW, kW, o);
  EXPECT_TRUE(tensor_near(r.scores, w.scores));
  EXPECT_TRUE(tensor_near(r.weights, w.weights));
  EXPECT_TRUE(tensor_near(r.output, w.output));
}

TEST(SeedExample, CausalVariant) {
  // row 0 sees only itself (output = V[0]); row 1 softmax([0, a]) over V[0..1]; row 2 unchanged
  AttentionOptions o;
  o.mask.causal = true;
  o.mask.fill = -INFINITY;
  const SelfAttentionResult r = self_attention(kX, kW, kW, kW, o);
  const double a = 1 / std::sqrt(2.0), ea = std::exp(a), w = worked().output[4];
  EXPECT_TRUE(tensor_near(r.weights, {1, 0, 0, 1 / (1 + ea), ea / (1 + ea), 0, worked().weights[6],
                                      worked().weights[7], worked().weights[8]}));
  EXPECT_TRUE(tensor_near(r.output, {1, 0, 1 / (1 + ea), ea / (1 + ea), w, w}));
}

// Self-attention in float64: Q = X W_Q, K = X W_K, V = X W_V, then the attention reference.
test::Reference self_ref(const Tensor& x, const Tensor& wq, const Tensor& wk, const Tensor& wv,
                         const ScoreOptions& so, double temperature, Tensor* q, Tensor* k,
                         Tensor* v) {
  auto project = [&](const Tensor& w) {
    const std::size_t d = x.shape().back(), n = w.shape()[1], rows = x.size() / d;
    auto shape = x.shape();
    shape.back() = n;
    Tensor out = Tensor::from_shape(shape);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < n; ++c) {
        double acc = 0;
        for (std::size_t p = 0; p < d; ++p) acc += double(x.data()[r * d + p]) * double(w(p, c));
        out.data()[r * n + c] = float(acc);
      }
    }
    return out;
  };
  *q = project(wq);
  *k = project(wk);
  *v = project(wv);
  return test::reference_attention(*q, *k, *v, so, temperature);
}

TEST(SelfAttention, BatchedAgainstTheReference) {
  const Tensor x = random_tensor({2, 5, 4}, 1), wq = random_tensor({4, 3}, 2),
               wk = random_tensor({4, 3}, 3), wv = random_tensor({4, 6}, 4);
  for (Scoring s : {Scoring::dot, Scoring::scaled_dot}) {
    AttentionOptions o;
    o.score.scoring = s;
    o.temperature = 0.8;
    const SelfAttentionResult r = self_attention(x, wq, wk, wv, o);
    Tensor q, k, v;
    const auto want = self_ref(x, wq, wk, wv, o.score, 0.8, &q, &k, &v);
    EXPECT_EQ(dims(r.q), (Shape{2, 5, 3}));
    EXPECT_EQ(dims(r.v), (Shape{2, 5, 6}));
    EXPECT_EQ(dims(r.output), (Shape{2, 5, 6}));
    EXPECT_TRUE(tensor_near(r.q, test::to_doubles(q)));
    EXPECT_TRUE(tensor_near(r.k, test::to_doubles(k)));
    EXPECT_TRUE(tensor_near(r.v, test::to_doubles(v)));
    EXPECT_TRUE(tensor_near(r.scores, want.scores)) << to_string(s);
    EXPECT_TRUE(tensor_near(r.logits, want.logits)) << to_string(s);
    EXPECT_TRUE(tensor_near(r.weights, want.weights)) << to_string(s);
    EXPECT_TRUE(tensor_near(r.output, want.output)) << to_string(s);
  }
  // bilinear over the projections: W [dk, dk]
  AttentionOptions o;
  o.score.scoring = Scoring::bilinear;
  o.score.w = random_tensor({3, 3}, 5);
  Tensor q, k, v;
  const auto want = self_ref(x, wq, wk, wv, o.score, 1.0, &q, &k, &v);
  EXPECT_TRUE(tensor_near(self_attention(x, wq, wk, wv, o).output, want.output));
}

TEST(SelfAttention, RefusesAdditiveScoringAndMismatchedWeights) {
  const Tensor x = random_tensor({4, 3}, 6);
  AttentionOptions o;
  o.score.scoring = Scoring::additive;
  EXPECT_TRUE(throws_type("scoring", [&] { self_attention(x, kW, kW, kW, o); }));
  EXPECT_TRUE(throws_range("wq", [&] { self_attention(x, random_tensor({2, 2}, 7), kW, kW); }));
  EXPECT_TRUE(throws_range("wk", [&] { self_attention(x, kW, random_tensor({3, 3}, 8), kW); }));
  EXPECT_TRUE(throws_range("wv", [&] { self_attention(x, kW, kW, random_tensor({4, 2}, 9)); }));
  EXPECT_TRUE(throws_range("x", [&] { self_attention(random_tensor({3}, 10), kW, kW, kW); }));
}

}  // namespace
}  // namespace attn
