// softmax (stable, with temperature, any rank) and d2l's masked_softmax with valid lengths, against
// float64 references computed here from the definitions.
#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::random_tensor;
using test::reference_softmax;
using test::scalar_length;
using test::tensor_near;
using test::throws_range;
using test::to_doubles;

// softmax(x / T) along the last axis, in float64.
std::vector<double> softmax_ref(const Tensor& x, double temperature = 1.0) {
  std::vector<double> logits = to_doubles(x);
  for (double& v : logits) v /= temperature;
  return reference_softmax(logits, x.shape().back());
}

// d2l's masked_softmax in float64: `len[r]` is the valid length of flat row r (of K entries).
std::vector<double> masked_ref(const Tensor& x, const std::vector<double>& len, double fill) {
  const std::size_t K = x.shape().back();
  std::vector<double> logits = to_doubles(x);
  for (std::size_t r = 0; r < len.size(); ++r) {
    for (std::size_t j = 0; j < K; ++j) {
      if (double(j) >= len[r]) logits[r * K + j] = fill;
    }
  }
  return reference_softmax(logits, K);
}

// Expands per-batch lengths [B] to one length per row of x [B, Q, K] (d2l's repeat_interleave).
std::vector<double> per_row(const std::vector<double>& per_batch, std::size_t Q) {
  std::vector<double> out;
  for (double l : per_batch) out.insert(out.end(), Q, l);
  return out;
}

TEST(Softmax, HeaderExample) {
  // softmax([1, 2, 3]) = e^x / (e + e^2 + e^3) = [0.0900, 0.2447, 0.6652]
  const Tensor y = softmax(Tensor{{1.0f, 2.0f, 3.0f}});
  const double s = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_EQ(dims(y), (std::vector<std::size_t>{1, 3}));
  EXPECT_TRUE(tensor_near(y, {std::exp(1.0) / s, std::exp(2.0) / s, std::exp(3.0) / s}));
  EXPECT_NEAR(y(0, 0), 0.0900, 5e-5);
  EXPECT_NEAR(y(0, 2), 0.6652, 5e-5);
}

TEST(Softmax, EveryRankFrom1To4AlongTheLastAxis) {
  // awkward lengths (1, tile - 1, tile + 1, ...) so the SIMD tails run as well
  const std::vector<Tensor::shape_type> shapes = {
      {1},       {5},       {9},          {1, 1},       {3, 4},      {2, 17},
      {2, 3, 5}, {1, 4, 1}, {2, 3, 4, 5}, {1, 2, 1, 7}, {3, 1, 2, 8}};
  std::uint32_t seed = 10;
  for (const auto& shape : shapes) {
    const Tensor x = random_tensor(shape, ++seed, -5.0f, 5.0f);
    const Tensor y = softmax(x);
    EXPECT_EQ(dims(y), dims(x));
    EXPECT_TRUE(tensor_near(y, softmax_ref(x))) << "shape " << shape_string(shape);
  }
}

TEST(Softmax, StableOnInputsIn90To100) {
  // exp(90) overflows float32: only the max subtraction keeps these finite
  for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 16u, 33u}) {
    const Tensor x = random_tensor({3, n}, std::uint32_t(100 + n), 90.0f, 100.0f);
    EXPECT_TRUE(tensor_near(softmax(x), softmax_ref(x))) << "n=" << n;
  }
  EXPECT_TRUE(tensor_near(softmax(Tensor{90.0f, 100.0f}),
                          {1.0 / (1.0 + std::exp(10.0)), 1.0 / (1.0 + std::exp(-10.0))}));
}

TEST(Softmax, StableOnPlusMinus1e30) {
  EXPECT_TRUE(tensor_near(softmax(Tensor{{1e30f, -1e30f, 1e30f}, {-1e30f, -1e30f, -1e30f}}),
                          {0.5, 0.0, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3}));
  for (std::size_t n : {1u, 4u, 5u, 13u}) {
    const Tensor x = random_tensor({4, n}, std::uint32_t(200 + n), -1e30f, 1e30f);
    EXPECT_TRUE(tensor_near(softmax(x), softmax_ref(x))) << "n=" << n;
  }
}

TEST(Softmax, TemperatureDividesTheInput) {
  // closed form: softmax([0, ln 2] / T) = [1, 2^(1/T)] / (1 + 2^(1/T))
  const Tensor x{0.0f, float(std::log(2.0))};
  for (double t : {0.25, 0.5, 1.0, 2.0, 10.0}) {
    const double e = std::pow(2.0, 1.0 / t);
    EXPECT_TRUE(tensor_near(softmax(x, t), {1 / (1 + e), e / (1 + e)})) << "T=" << t;
  }
  const Tensor r = random_tensor({2, 3, 6}, 7, -4.0f, 4.0f);
  for (double t : {0.1, 0.3, 3.0, 1e3}) {
    EXPECT_TRUE(tensor_near(softmax(r, t), softmax_ref(r, t))) << "T=" << t;
  }
}

TEST(Softmax, TemperatureThatOverflowsIsARangeErrorNotNaN) {
  // 1e30 / 1e-10 is beyond float32: the engine must say so instead of returning NaN
  EXPECT_TRUE(throws_range("temperature", [] { softmax(Tensor{1e30f, 0.0f}, 1e-10); }));
  EXPECT_TRUE(throws_range("temperature", [] { softmax(Tensor{1.0f, 0.0f}, 1e-300); }));
}

TEST(Softmax, TinyTemperaturesDivideInDoubleNotAfterRoundingToFloat32) {
  // Regression: T was rounded to float32 before dividing. T = 1e-50 became 0, so zeros / T were
  // 0 / 0 = NaN and reported as an overflow, although 0 / T = 0 for every T > 0.
  EXPECT_TRUE(tensor_near(softmax(Tensor{0.0f, 0.0f, 0.0f}, 1e-50), {1 / 3.0, 1 / 3.0, 1 / 3.0}));
  // And among float32's subnormals T lost its digits: 3e-45 rounded to 2 * 2^-149 = 2.8e-45, so
  // x = 4 * 2^-149 gave the logit 2 instead of 1.868.
  const double x0 = std::ldexp(4.0, -149), t = 3e-45;
  const Tensor x{float(x0), 0.0f};
  const double e = std::exp(x0 / t);
  EXPECT_TRUE(tensor_near(softmax(x, t), {e / (1 + e), 1 / (1 + e)}));
  // a huge temperature flattens any finite row
  EXPECT_TRUE(tensor_near(softmax(Tensor{1e30f, -1e30f}, 1e300), {0.5, 0.5}));
}

// --- masked_softmax ------------------------------------------------------------------------------

TEST(MaskedSoftmax, D2lExampleWithPerBatchLengths) {
  // masked_softmax(torch.rand(2, 2, 5), torch.tensor([2, 3]))
  const Tensor x = random_tensor({2, 2, 5}, 1, 0.0f, 1.0f);
  const Tensor y = masked_softmax(x, Lengths{2, 3});
  EXPECT_EQ(dims(y), (std::vector<std::size_t>{2, 2, 5}));
  EXPECT_TRUE(tensor_near(y, masked_ref(x, per_row({2, 3}, 2), -1e6)));
  // the blocked keys get no weight at all (exp(-1e6) underflows)
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t j = 2; j < 5; ++j) EXPECT_EQ(y(0, i, j), 0.0f);
    for (std::size_t j = 3; j < 5; ++j) EXPECT_EQ(y(1, i, j), 0.0f);
  }
}

TEST(MaskedSoftmax, D2lExampleWithPerRowLengths) {
  // masked_softmax(torch.rand(2, 2, 5), torch.tensor([[1, 3], [2, 4]]))
  const Tensor x = random_tensor({2, 2, 5}, 2, 0.0f, 1.0f);
  const Tensor y = masked_softmax(x, Lengths{{1, 3}, {2, 4}});
  EXPECT_TRUE(tensor_near(y, masked_ref(x, {1, 3, 2, 4}, -1e6)));
  EXPECT_FLOAT_EQ(y(0, 0, 0), 1.0f);  // one valid key takes all the weight
}

TEST(MaskedSoftmax, D2lExamplesOn3x8x5) {
  const Tensor x = random_tensor({3, 8, 5}, 3, 0.0f, 1.0f);
  for (const std::vector<double>& lens :
       {std::vector<double>{2, 2, 2}, std::vector<double>{1, 2, 3}}) {
    Lengths l = Lengths::from_shape({3});
    std::copy(lens.begin(), lens.end(), l.begin());
    EXPECT_TRUE(tensor_near(masked_softmax(x, l), masked_ref(x, per_row(lens, 8), -1e6)));
  }
}

TEST(MaskedSoftmax, OneDimensionalLengthsArePerBatchEvenWhenBEqualsQ) {
  // x [3, 3, 4] with lengths [1, 2, 3]: batch element b keeps b + 1 keys in every row (d2l), which
  // differs from a per-row reading
  const Tensor x = random_tensor({3, 3, 4}, 4, -2.0f, 2.0f);
  EXPECT_TRUE(
      tensor_near(masked_softmax(x, Lengths{1, 2, 3}), masked_ref(x, per_row({1, 2, 3}, 3), -1e6)));
}

TEST(MaskedSoftmax, ScalarLengthAppliesToEveryRow) {
  ASSERT_EQ(scalar_length(3).dimension(), 0u);
  const Tensor x3 = random_tensor({2, 3, 5}, 5, -2.0f, 2.0f);
  EXPECT_TRUE(tensor_near(masked_softmax(x3, scalar_length(3)),
                          masked_ref(x3, std::vector<double>(6, 3), -1e6)));
  const Tensor x2 = random_tensor({4, 5}, 6, -2.0f, 2.0f);
  EXPECT_TRUE(tensor_near(masked_softmax(x2, scalar_length(2)),
                          masked_ref(x2, std::vector<double>(4, 2), -1e6)));
}

TEST(MaskedSoftmax, UnbatchedLengthsArePerRow) {
  const Tensor x = random_tensor({3, 5}, 7, -2.0f, 2.0f);
  const Tensor y = masked_softmax(x, Lengths{0, 2, 5});
  EXPECT_TRUE(tensor_near(y, masked_ref(x, {0, 2, 5}, -1e6)));
  for (std::size_t j = 0; j < 5; ++j) EXPECT_NEAR(y(0, j), 0.2, 1e-7) << "length 0 is uniform";
}

TEST(MaskedSoftmax, NoLengthsIsPlainSoftmaxAndFullLengthsMaskNothing) {
  const Tensor x = random_tensor({2, 3, 6}, 8, -3.0f, 3.0f);
  EXPECT_TRUE(tensor_near(masked_softmax(x, std::nullopt), softmax_ref(x)));
  EXPECT_TRUE(tensor_near(masked_softmax(x, Lengths{6, 6}), softmax_ref(x)));
}

TEST(MaskedSoftmax, LengthZeroIsUniformUnderTheDefaultFill) {
  const Tensor x = random_tensor({2, 2, 7}, 9, -3.0f, 3.0f);
  const Tensor y = masked_softmax(x, Lengths{{0, 7}, {0, 0}});
  for (std::size_t j = 0; j < 7; ++j) {
    EXPECT_NEAR(y(0, 0, j), 1.0 / 7, 1e-7);
    EXPECT_NEAR(y(1, 0, j), 1.0 / 7, 1e-7);
    EXPECT_NEAR(y(1, 1, j), 1.0 / 7, 1e-7);
  }
  EXPECT_TRUE(tensor_near(y, masked_ref(x, {0, 7, 0, 0}, -1e6)));
}

TEST(MaskedSoftmax, MinusInfinityFillGivesExactZerosAndZeroRowsNeverNaN) {
  const Tensor x = random_tensor({2, 3, 5}, 10, -3.0f, 3.0f);
  const Tensor y = masked_softmax(x, Lengths{{0, 1, 4}, {5, 0, 2}}, -INFINITY);
  EXPECT_TRUE(tensor_near(y, masked_ref(x, {0, 1, 4, 5, 0, 2}, -INFINITY)));
  const double lens[2][3] = {{0, 1, 4}, {5, 0, 2}};
  for (std::size_t b = 0; b < 2; ++b) {
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 5; ++j) {
        EXPECT_FALSE(std::isnan(y(b, i, j)));
        if (double(j) >= lens[b][i]) {
          EXPECT_EQ(y(b, i, j), 0.0f) << b << "," << i << "," << j;
        }
      }
    }
  }
}

TEST(MaskedSoftmax, TheFillReplacesTheBlockedScores) {
  // a fill of 0 is a logit like any other: blocked keys still get e^0 / sum
  const Tensor x = random_tensor({2, 4}, 11, -3.0f, 3.0f);
  EXPECT_TRUE(tensor_near(masked_softmax(x, Lengths{1, 3}, 0.0f), masked_ref(x, {1, 3}, 0.0)));
  const Tensor big = random_tensor({1, 2, 6}, 12, 90.0f, 100.0f);
  EXPECT_TRUE(tensor_near(masked_softmax(big, Lengths{4}, -5.0f), masked_ref(big, {4, 4}, -5.0)));
}

TEST(MaskedSoftmax, LengthsMustBeIntegersFrom0ToK) {
  const Tensor x3 = random_tensor({2, 3, 5}, 13);
  const Tensor x2 = random_tensor({3, 5}, 14);
  for (double bad : {2.5, -1.0, 6.0, double(NAN), double(INFINITY), -0.5}) {
    EXPECT_TRUE(throws_range("validLens", [&] { masked_softmax(x3, scalar_length(bad)); })) << bad;
    EXPECT_TRUE(throws_range("validLens", [&] { masked_softmax(x3, Lengths{1, bad}); })) << bad;
    EXPECT_TRUE(throws_range("validLens", [&] {
      masked_softmax(x3, Lengths{{1, 2, 3}, {4, bad, 0}});
    })) << bad;
    EXPECT_TRUE(throws_range("validLens", [&] { masked_softmax(x2, Lengths{bad, 1, 1}); })) << bad;
  }
  // the bounds themselves are fine
  EXPECT_NO_THROW(masked_softmax(x3, Lengths{0, 5}));
}

TEST(MaskedSoftmax, LengthsOfTheWrongShapeAreRefused) {
  const Tensor x3 = random_tensor({2, 3, 5}, 15);
  const Tensor x2 = random_tensor({3, 5}, 16);
  EXPECT_TRUE(throws_range("validLens", [&] {
    masked_softmax(x3, Lengths{1, 2, 3});
  }));  // [Q], batched
  EXPECT_TRUE(throws_range("validLens", [&] { masked_softmax(x3, Lengths{{1, 2}, {1, 2}}); }));
  EXPECT_TRUE(throws_range("validLens", [&] {
    masked_softmax(x3, Lengths{{{1, 1, 1}, {1, 1, 1}}});
  }));
  EXPECT_TRUE(throws_range("validLens", [&] { masked_softmax(x2, Lengths{1, 2}); }));
  EXPECT_TRUE(throws_range("validLens", [&] { masked_softmax(x2, Lengths{{1, 2, 3}}); }));
}

}  // namespace
}  // namespace attn
