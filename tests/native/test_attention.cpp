// attention(): output = softmax(mask(score / temperature)) · V against a float64 reference, the three
// masks alone and combined, both fills, the trace, and the hard modes (argmax, sample).
#include <algorithm>

#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::KeepFn;
using test::random_tensor;
using test::reference_attention;
using test::tensor_near;
using test::throws_type;

using Shape = std::vector<std::size_t>;

// keep(b, i, j) straight from mask.hpp: j < len(b, i) and mask[(b,) i, j] == 1 and, when causal,
// j <= i. `row_len` holds one length per (b, i) row, or nothing.
KeepFn keep_from(std::vector<double> row_len, std::optional<Tensor> mask, bool causal,
                 std::size_t Q) {
  return [=](std::size_t b, std::size_t i, std::size_t j) {
    if (!row_len.empty() && double(j) >= row_len[b * Q + i]) return false;
    if (mask) {
      const std::size_t K = mask->shape().back();
      const std::size_t row = mask->dimension() == 3 ? b * Q + i : i;
      if (mask->data()[row * K + j] == 0.0f) return false;
    }
    return !(causal && j > i);
  };
}

ScoreOptions scoring(Scoring s) {
  ScoreOptions o;
  o.scoring = s;
  return o;
}

// Checks output and weights (and the trace when present) against the reference.
void expect_matches(const AttentionResult& r, const test::Reference& want, const char* what) {
  EXPECT_TRUE(tensor_near(r.output, want.output)) << what << ": output";
  EXPECT_TRUE(tensor_near(r.weights, want.weights)) << what << ": weights";
  if (r.scores.dimension() != 0) {
    EXPECT_TRUE(tensor_near(r.scores, want.scores)) << what << ": scores";
    EXPECT_TRUE(tensor_near(r.logits, want.logits)) << what << ": logits";
    EXPECT_TRUE(tensor_near(r.probabilities, want.weights)) << what << ": probabilities";
  }
}

TEST(Attention, DefaultIsScaledDotProductAttention) {
  // unbatched, against the pointer-level reference with scale 1/sqrt(d)
  const Tensor q = random_tensor({3, 4}, 1), k = random_tensor({5, 4}, 2),
               v = random_tensor({5, 6}, 3);
  const AttentionResult r = attention(q, k, v);
  EXPECT_EQ(dims(r.output), (Shape{3, 6}));
  EXPECT_EQ(dims(r.weights), (Shape{3, 5}));
  const auto want = test::reference_attention(q.data(), k.data(), v.data(), 3, 5, 4, 6,
                                              1 / std::sqrt(4.0), 1.0, {}, kDefaultFill);
  EXPECT_TRUE(tensor_near(r.output, want.output));
  EXPECT_TRUE(tensor_near(r.weights, want.weights));
  EXPECT_EQ(r.scores.dimension(), 0u) << "no trace unless asked";
  EXPECT_EQ(r.logits.dimension(), 0u);
  EXPECT_EQ(r.probabilities.dimension(), 0u);

  // batched
  const Tensor q3 = random_tensor({2, 3, 4}, 4), k3 = random_tensor({2, 7, 4}, 5),
               v3 = random_tensor({2, 7, 2}, 6);
  const AttentionResult r3 = attention(q3, k3, v3);
  EXPECT_EQ(dims(r3.output), (Shape{2, 3, 2}));
  EXPECT_EQ(dims(r3.weights), (Shape{2, 3, 7}));
  expect_matches(r3, reference_attention(q3, k3, v3, scoring(Scoring::scaled_dot), 1.0), "batched");
}

TEST(Attention, OneKeyGivesItsValue) {
  // softmax over a single key is 1 whatever the score: output = v
  const Tensor v{{0.25f, -3.0f, 7.5f}};
  const AttentionResult r = attention(random_tensor({4, 2}, 7), random_tensor({1, 2}, 8), v);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_FLOAT_EQ(r.weights(i, 0), 1.0f);
    for (std::size_t c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(r.output(i, c), v(0, c));
  }
}

TEST(Attention, EveryScoringFunctionBatchedAndUnbatched) {
  std::vector<ScoreOptions> options = {scoring(Scoring::dot), scoring(Scoring::scaled_dot),
                                       scoring(Scoring::additive), scoring(Scoring::bilinear)};
  // additive and bilinear get dq = 3, dk = 5
  options[2].wq = random_tensor({3, 4}, 10);
  options[2].wk = random_tensor({5, 4}, 11);
  options[2].v = random_tensor({4}, 12);
  options[3].w = random_tensor({3, 5}, 13);
  for (const ScoreOptions& so : options) {
    const bool same = so.scoring == Scoring::dot || so.scoring == Scoring::scaled_dot;
    const std::size_t dq = same ? 5 : 3;
    AttentionOptions o;
    o.score = so;
    o.trace = true;
    const Tensor q2 = random_tensor({4, dq}, 20, -2, 2), k2 = random_tensor({6, 5}, 21, -2, 2),
                 v2 = random_tensor({6, 3}, 22);
    expect_matches(attention(q2, k2, v2, o), reference_attention(q2, k2, v2, so, 1.0),
                   to_string(so.scoring));
    const Tensor q3 = random_tensor({2, 4, dq}, 23, -2, 2),
                 k3 = random_tensor({2, 6, 5}, 24, -2, 2), v3 = random_tensor({2, 6, 3}, 25);
    const AttentionResult r3 = attention(q3, k3, v3, o);
    EXPECT_EQ(dims(r3.scores), (Shape{2, 4, 6}));
    expect_matches(r3, reference_attention(q3, k3, v3, so, 1.0), to_string(so.scoring));
  }
}

TEST(Attention, TemperatureDividesTheScoresBeforeTheSoftmax) {
  const Tensor q = random_tensor({2, 3, 4}, 30, -2, 2), k = random_tensor({2, 5, 4}, 31, -2, 2),
               v = random_tensor({2, 5, 3}, 32);
  for (double t : {0.2, 0.5, 1.0, 4.0}) {
    AttentionOptions o;
    o.temperature = t;
    o.trace = true;
    const AttentionResult r = attention(q, k, v, o);
    const auto want = reference_attention(q, k, v, scoring(Scoring::scaled_dot), t);
    expect_matches(r, want, "temperature");
    // the trace keeps scores before the temperature and logits after it
    EXPECT_TRUE(tensor_near(r.logits,
                            [&] {
                              auto l = want.scores;
                              for (double& x : l) x /= t;
                              return l;
                            }()))
        << "T=" << t;
  }
}

TEST(Attention, TinyTemperaturesWithZeroScoresGiveUniformWeights) {
  // Regression: scores / T with T rounded to float32 first made 0 / 0 = NaN out of T = 1e-50 and
  // refused the call as an overflow. Zero scores are zero logits at any temperature.
  const Tensor q = xt::zeros<float>({2, 3}), k = random_tensor({4, 3}, 33),
               v = random_tensor({4, 2}, 34);
  for (double t : {1e-50, 1e-300, 1e300}) {
    AttentionOptions o;
    o.temperature = t;
    const AttentionResult r = attention(q, k, v, o);
    EXPECT_TRUE(tensor_near(r.weights, std::vector<double>(8, 0.25))) << "T=" << t;
  }
}

TEST(Attention, ValidLensInEveryShape) {
  const Tensor q = random_tensor({2, 3, 4}, 40), k = random_tensor({2, 5, 4}, 41),
               v = random_tensor({2, 5, 3}, 42);
  const ScoreOptions sd = scoring(Scoring::scaled_dot);
  struct Case {
    Lengths lens;
    std::vector<double> row_len;
  };
  const std::vector<Case> cases = {
      {test::scalar_length(2), {2, 2, 2, 2, 2, 2}},
      {Lengths{1, 4}, {1, 1, 1, 4, 4, 4}},
      {Lengths{{0, 3, 5}, {2, 1, 4}}, {0, 3, 5, 2, 1, 4}},
  };
  for (double fill : {double(kDefaultFill), -double(INFINITY)}) {
    for (const Case& c : cases) {
      AttentionOptions o;
      o.mask.valid_lens = c.lens;
      o.mask.fill = float(fill);
      o.trace = true;
      expect_matches(
          attention(q, k, v, o),
          reference_attention(q, k, v, sd, 1.0, keep_from(c.row_len, {}, false, 3), fill),
          shape_string(c.lens.shape()).c_str());
    }
    // unbatched: [Q] is per row
    const Tensor q2 = random_tensor({3, 4}, 43), k2 = random_tensor({5, 4}, 44),
                 v2 = random_tensor({5, 2}, 45);
    AttentionOptions o;
    o.mask.valid_lens = Lengths{5, 0, 2};
    o.mask.fill = float(fill);
    expect_matches(
        attention(q2, k2, v2, o),
        reference_attention(q2, k2, v2, sd, 1.0, keep_from({5, 0, 2}, {}, false, 3), fill), "[Q]");
  }
}

TEST(Attention, ExplicitMaskSharedOrPerBatchElement) {
  const Tensor q = random_tensor({2, 3, 4}, 50), k = random_tensor({2, 4, 4}, 51),
               v = random_tensor({2, 4, 3}, 52);
  const Tensor shared{{1, 0, 1, 1}, {0, 0, 1, 0}, {1, 1, 1, 1}};
  const Tensor per_batch{{{1, 1, 0, 0}, {0, 1, 0, 1}, {0, 0, 0, 1}},
                         {{1, 0, 0, 0}, {1, 1, 1, 0}, {0, 1, 1, 1}}};
  for (const Tensor& m : {shared, per_batch}) {
    AttentionOptions o;
    o.mask.mask = m;
    o.trace = true;
    const AttentionResult r = attention(q, k, v, o);
    expect_matches(
        r,
        reference_attention(q, k, v, scoring(Scoring::scaled_dot), 1.0, keep_from({}, m, false, 3)),
        "mask");
    // blocked logits are exactly the fill
    for (std::size_t b = 0; b < 2; ++b) {
      for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < 4; ++j) {
          const float mij = m.dimension() == 3 ? m(b, i, j) : m(i, j);
          if (mij == 0.0f) {
            EXPECT_EQ(r.logits(b, i, j), kDefaultFill);
          }
        }
      }
    }
  }
  // unbatched with a [Q, K] mask
  const Tensor q2 = random_tensor({3, 4}, 53), k2 = random_tensor({4, 4}, 54),
               v2 = random_tensor({4, 3}, 55);
  AttentionOptions o;
  o.mask.mask = shared;
  expect_matches(attention(q2, k2, v2, o),
                 reference_attention(q2, k2, v2, scoring(Scoring::scaled_dot), 1.0,
                                     keep_from({}, shared, false, 3)),
                 "unbatched mask");
}

TEST(Attention, CausalIsTopLeftAlignedForAnyQueryAndKeyCount) {
  for (auto [Q, K] : {std::pair<std::size_t, std::size_t>{4, 4}, {3, 6}, {6, 3}, {1, 5}}) {
    const Tensor q = random_tensor({2, Q, 3}, std::uint32_t(60 + Q)),
                 k = random_tensor({2, K, 3}, std::uint32_t(70 + K)),
                 v = random_tensor({2, K, 2}, 80);
    AttentionOptions o;
    o.mask.causal = true;
    o.mask.fill = -INFINITY;
    o.trace = true;
    const AttentionResult r = attention(q, k, v, o);
    expect_matches(r,
                   reference_attention(q, k, v, scoring(Scoring::scaled_dot), 1.0,
                                       keep_from({}, {}, true, Q), -INFINITY),
                   "causal");
    for (std::size_t b = 0; b < 2; ++b) {
      for (std::size_t i = 0; i < Q; ++i) {
        for (std::size_t j = 0; j < K; ++j) {
          if (j > i) {
            EXPECT_EQ(r.weights(b, i, j), 0.0f) << Q << "x" << K << " (" << i << ", " << j << ")";
            EXPECT_EQ(r.logits(b, i, j), -INFINITY);
          } else {
            EXPECT_EQ(r.logits(b, i, j), r.scores(b, i, j));
          }
        }
      }
    }
    // row 0 sees key 0 only
    EXPECT_FLOAT_EQ(r.weights(1, 0, 0), 1.0f);
  }
}

TEST(Attention, ValidLensMaskAndCausalCombine) {
  const std::size_t Q = 4, K = 5;
  const Tensor q = random_tensor({2, Q, 3}, 90), k = random_tensor({2, K, 3}, 91),
               v = random_tensor({2, K, 4}, 92);
  const Lengths lens{{5, 1, 3, 2}, {0, 4, 5, 5}};
  const std::vector<double> row_len = {5, 1, 3, 2, 0, 4, 5, 5};
  const Tensor m{{{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 0, 1, 1, 1}, {1, 1, 1, 1, 0}},
                 {{1, 1, 1, 1, 1}, {0, 1, 1, 1, 1}, {1, 1, 0, 1, 0}, {0, 0, 0, 0, 1}}};
  for (float fill : {kDefaultFill, -INFINITY, -3.0f}) {
    AttentionOptions o;
    o.mask.valid_lens = lens;
    o.mask.mask = m;
    o.mask.causal = true;
    o.mask.fill = fill;
    o.temperature = 0.7;
    o.trace = true;
    expect_matches(attention(q, k, v, o),
                   reference_attention(q, k, v, scoring(Scoring::scaled_dot), 0.7,
                                       keep_from(row_len, m, true, Q), fill),
                   "combined");
  }
}

TEST(Attention, FullyMaskedRowsUnderMinusInfinityAreZeroNeverNaN) {
  const Tensor q = random_tensor({2, 3, 4}, 100), k = random_tensor({2, 5, 4}, 101),
               v = random_tensor({2, 5, 3}, 102, 1.0f, 2.0f);
  AttentionOptions o;
  o.mask.valid_lens = Lengths{{0, 2, 5}, {3, 0, 0}};
  o.mask.fill = -INFINITY;
  const AttentionResult r = attention(q, k, v, o);
  for (auto [b, i] : {std::pair<std::size_t, std::size_t>{0, 0}, {1, 1}, {1, 2}}) {
    for (std::size_t j = 0; j < 5; ++j) EXPECT_EQ(r.weights(b, i, j), 0.0f);
    for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(r.output(b, i, c), 0.0f) << b << "," << i;
  }
  for (float x : r.weights) EXPECT_FALSE(std::isnan(x));
  for (float x : r.output) EXPECT_FALSE(std::isnan(x));
  // partially masked rows put exactly zero weight on the blocked keys
  for (std::size_t j = 2; j < 5; ++j) EXPECT_EQ(r.weights(0, 1, j), 0.0f);
  EXPECT_NEAR(r.weights(0, 1, 0) + r.weights(0, 1, 1), 1.0, 1e-6);
}

TEST(Attention, FullyMaskedRowsUnderTheDefaultFillAreUniform) {
  const Tensor q = random_tensor({2, 4}, 110), k = random_tensor({4, 4}, 111),
               v = random_tensor({4, 3}, 112);
  AttentionOptions o;
  o.mask.mask = Tensor{{0, 0, 0, 0}, {1, 1, 1, 1}};
  const AttentionResult r = attention(q, k, v, o);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_NEAR(r.weights(0, j), 0.25, 1e-7);
  for (std::size_t c = 0; c < 3; ++c) {
    const double mean = (double(v(0, c)) + v(1, c) + v(2, c) + v(3, c)) / 4;  // the mean value
    EXPECT_NEAR(r.output(0, c), mean, 1e-6);
  }
}

TEST(Attention, WeightsFalseLeavesWeightsEmpty) {
  const Tensor q = random_tensor({2, 3, 4}, 120), k = random_tensor({2, 5, 4}, 121),
               v = random_tensor({2, 5, 3}, 122);
  AttentionOptions o;
  o.weights = false;
  const AttentionResult r = attention(q, k, v, o);
  EXPECT_EQ(r.weights.dimension(), 0u);
  EXPECT_TRUE(tensor_near(r.output,
                          reference_attention(q, k, v, scoring(Scoring::scaled_dot), 1.0).output));
}

// --- hard modes ----------------------------------------------------------------------------------

// The index of the single 1 in a one-hot row, or -1 (all zeros), or -2 (not one-hot).
int one_hot_index(const float* row, std::size_t n) {
  int index = -1;
  for (std::size_t j = 0; j < n; ++j) {
    if (row[j] == 0.0f) continue;
    if (row[j] != 1.0f || index != -1) return -2;
    index = int(j);
  }
  return index;
}

TEST(Attention, ArgmaxIsOneHotOnTheLargestWeight) {
  const Tensor q = random_tensor({2, 6, 4}, 130, -3, 3), k = random_tensor({2, 7, 4}, 131, -3, 3),
               v = random_tensor({2, 7, 3}, 132);
  AttentionOptions o;
  o.mode = Mode::argmax;
  o.trace = true;
  o.mask.valid_lens = Lengths{{7, 7, 3, 1, 5, 7}, {2, 7, 7, 6, 4, 7}};
  const AttentionResult r = attention(q, k, v, o);
  const auto want =
      reference_attention(q, k, v, scoring(Scoring::scaled_dot), 1.0,
                          keep_from({7, 7, 3, 1, 5, 7, 2, 7, 7, 6, 4, 7}, {}, false, 6));
  EXPECT_TRUE(tensor_near(r.probabilities, want.weights)) << "probabilities are the soft weights";
  for (std::size_t row = 0; row < 12; ++row) {
    const double* w = want.weights.data() + row * 7;
    const int best = int(std::max_element(w, w + 7) - w);
    EXPECT_EQ(one_hot_index(r.weights.data() + row * 7, 7), best) << "row " << row;
    for (std::size_t c = 0; c < 3; ++c) {
      EXPECT_EQ(r.output.data()[row * 3 + c], v.data()[(row / 6) * 21 + std::size_t(best) * 3 + c]);
    }
  }
}

TEST(Attention, ArgmaxTakesTheFirstIndexOnTies) {
  AttentionOptions o;
  o.score.scoring = Scoring::dot;
  o.mode = Mode::argmax;
  // scores [0, 1, 1, 0.5], [2, 2, 2, 2], [0, 0.5, 0.5, 0.25]
  const Tensor q{{1, 0}, {0, 1}, {0.5f, 0}};
  const Tensor k{{0, 2}, {1, 2}, {1, 2}, {0.5f, 2}};
  const Tensor v{{10, 0}, {11, 0}, {12, 0}, {13, 0}};
  AttentionOptions o2 = o;
  const AttentionResult r = attention(q, k, v, o);
  EXPECT_EQ(one_hot_index(&r.weights(0, 0), 4), 1);
  EXPECT_EQ(one_hot_index(&r.weights(1, 0), 4), 0);
  EXPECT_EQ(one_hot_index(&r.weights(2, 0), 4), 1);
  EXPECT_EQ(r.output(0, 0), 11.0f);
  EXPECT_EQ(r.output(1, 0), 10.0f);
  // a fully masked row is uniform under the default fill (index 0 wins the tie) and zero under -inf
  o2.mask.mask = Tensor{{0, 0, 0, 0}, {1, 1, 1, 1}, {1, 1, 1, 1}};
  EXPECT_EQ(one_hot_index(&attention(q, k, v, o2).weights(0, 0), 4), 0);
  o2.mask.fill = -INFINITY;
  const AttentionResult z = attention(q, k, v, o2);
  EXPECT_EQ(one_hot_index(&z.weights(0, 0), 4), -1);
  EXPECT_EQ(z.output(0, 0), 0.0f);
  EXPECT_EQ(z.output(0, 1), 0.0f);
}

// q = ones [rows, 1] against keys [log p_j] with dot scoring: every row's weights are p.
struct Rows {
  Tensor q, k, v;
};
Rows rows_with_weights(std::size_t rows, const std::vector<double>& p) {
  Rows r{Tensor::from_shape({rows, 1}), Tensor::from_shape({p.size(), 1}),
         Tensor::from_shape({p.size(), 1})};
  r.q.fill(1.0f);
  for (std::size_t j = 0; j < p.size(); ++j) {
    r.k(j, 0) = float(std::log(p[j]));
    r.v(j, 0) = float(j);  // the output names the key drawn
  }
  return r;
}

std::vector<double> frequencies(const AttentionResult& r, std::size_t n) {
  const std::size_t rows = r.weights.size() / n;
  std::vector<double> f(n, 0.0);
  for (std::size_t i = 0; i < rows; ++i) {
    const int j = one_hot_index(r.weights.data() + i * n, n);
    EXPECT_GE(j, 0) << "row " << i << " is not one-hot";
    if (j >= 0) f[std::size_t(j)] += 1.0 / double(rows);
  }
  return f;
}

AttentionOptions sampling(std::uint64_t seed) {
  AttentionOptions o;
  o.score.scoring = Scoring::dot;
  o.mode = Mode::sample;
  o.seed = seed;
  return o;
}

TEST(Attention, SampleFrequenciesFollowTheWeights) {
  // deterministic for a given seed, so not flaky: 6000 draws put each frequency within ~4.5 standard
  // deviations of 0.03 of its weight
  const Rows in = rows_with_weights(6000, {0.2, 0.3, 0.5});
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 0xDEADBEEFull}) {
    AttentionOptions o = sampling(seed);
    o.trace = true;
    const AttentionResult r = attention(in.q, in.k, in.v, o);
    const auto f = frequencies(r, 3);
    EXPECT_NEAR(f[0], 0.2, 0.03) << "seed " << seed;
    EXPECT_NEAR(f[1], 0.3, 0.03) << "seed " << seed;
    EXPECT_NEAR(f[2], 0.5, 0.03) << "seed " << seed;
    EXPECT_NEAR(r.probabilities(17, 0), 0.2, 1e-6) << "probabilities keep the soft weights";
    // the output is the value of the key drawn
    for (std::size_t i = 0; i < 6000; i += 97) {
      EXPECT_EQ(r.output(i, 0), float(one_hot_index(&r.weights(i, 0), 3)));
    }
  }
}

TEST(Attention, SameSeedSameDrawDifferentSeedsDifferentDraws) {
  const Rows in = rows_with_weights(300, {0.25, 0.25, 0.25, 0.25});
  const AttentionResult a = attention(in.q, in.k, in.v, sampling(7));
  const AttentionResult b = attention(in.q, in.k, in.v, sampling(7));
  const AttentionResult c = attention(in.q, in.k, in.v, sampling(8));
  EXPECT_TRUE(std::equal(a.weights.begin(), a.weights.end(), b.weights.begin()));
  std::size_t differ = 0;
  for (std::size_t i = 0; i < 300; ++i) {
    differ += one_hot_index(&a.weights(i, 0), 4) != one_hot_index(&c.weights(i, 0), 4);
  }
  // independent draws differ in 3/4 of the rows on average
  EXPECT_GT(differ, 150u);
  // and the draws are not all the same key
  const auto f = frequencies(a, 4);
  for (double x : f) EXPECT_GT(x, 0.1);
}

TEST(Attention, SampleDrawsRowsInRowMajorOrderAcrossTheBatch) {
  // [2, 150] rows batched draw exactly as the same 300 rows unbatched, with the same seed
  const Rows flat = rows_with_weights(300, {0.1, 0.2, 0.3, 0.4});
  Tensor q3 = Tensor::from_shape({2, 150, 1}), k3 = Tensor::from_shape({2, 4, 1}),
         v3 = Tensor::from_shape({2, 4, 1});
  q3.fill(1.0f);
  for (std::size_t b = 0; b < 2; ++b) {
    for (std::size_t j = 0; j < 4; ++j) {
      k3(b, j, 0) = flat.k(j, 0);
      v3(b, j, 0) = flat.v(j, 0);
    }
  }
  const AttentionResult batched = attention(q3, k3, v3, sampling(5));
  const AttentionResult unbatched = attention(flat.q, flat.k, flat.v, sampling(5));
  ASSERT_EQ(batched.weights.size(), unbatched.weights.size());
  EXPECT_TRUE(
      std::equal(batched.weights.begin(), batched.weights.end(), unbatched.weights.begin()));
  EXPECT_TRUE(std::equal(batched.output.begin(), batched.output.end(), unbatched.output.begin()));
}

TEST(Attention, SampleNeverDrawsABlockedKey) {
  const Rows in = rows_with_weights(3000, {0.2, 0.3, 0.5});
  for (float fill : {kDefaultFill, -INFINITY}) {
    AttentionOptions o = sampling(3);
    o.mask.valid_lens = test::scalar_length(2);  // key 2 (weight 0.5) blocked: 0.4 / 0.6 left
    o.mask.fill = fill;
    const auto f = frequencies(attention(in.q, in.k, in.v, o), 3);
    EXPECT_EQ(f[2], 0.0);
    EXPECT_NEAR(f[0], 0.4, 0.04);
    EXPECT_NEAR(f[1], 0.6, 0.04);
  }
}

TEST(Attention, SampleLeavesFullyMaskedRowsZeroAndDrawsOncePerRow) {
  const Rows in = rows_with_weights(200, {0.3, 0.3, 0.4});
  Tensor m = Tensor::from_shape({200, 3});
  m.fill(1.0f);
  for (std::size_t i = 0; i < 200; i += 3) m(i, 0) = m(i, 1) = m(i, 2) = 0.0f;
  AttentionOptions masked = sampling(11);
  masked.mask.mask = m;
  masked.mask.fill = -INFINITY;
  const AttentionResult r = attention(in.q, in.k, in.v, masked);
  const AttentionResult free = attention(in.q, in.k, in.v, sampling(11));
  for (std::size_t i = 0; i < 200; ++i) {
    if (i % 3 == 0) {
      EXPECT_EQ(one_hot_index(&r.weights(i, 0), 3), -1) << "row " << i;
      EXPECT_EQ(r.output(i, 0), 0.0f);
    } else {
      // rows draw in order from one stream, so masking other rows does not change this row's draw
      EXPECT_EQ(one_hot_index(&r.weights(i, 0), 3), one_hot_index(&free.weights(i, 0), 3))
          << "row " << i;
    }
  }
}

TEST(Attention, ParseModeAndToStringRoundTrip) {
  for (Mode m : {Mode::soft, Mode::argmax, Mode::sample}) EXPECT_EQ(parse_mode(to_string(m)), m);
  EXPECT_TRUE(throws_type("mode", [] { parse_mode("hard"); }));
}

}  // namespace
}  // namespace attn
