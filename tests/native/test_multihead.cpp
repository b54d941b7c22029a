// multi_head_attention against the float64 reference of support.hpp (from multihead.hpp: project,
// split the last axis into H contiguous chunks, scaled dot per head with 1/sqrt(D/H), concatenate,
// · W_O), with and without biases, streamed and traced.
#include <xtensor/xmanipulation.hpp>

#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::KeepFn;
using test::random_tensor;
using test::tensor_near;
using test::throws_range;
using test::throws_type;

using Shape = std::vector<std::size_t>;

using MhaRef = test::MultiHeadReference;
using test::reference_multi_head;

MultiHeadOptions options(std::size_t dq, std::size_t dk, std::size_t dv, std::size_t D,
                         std::size_t dout, std::size_t heads, std::uint32_t seed) {
  return test::multi_head_options(dq, dk, dv, D, dout, heads, seed);
}

void expect_matches(const MultiHeadResult& r, const MhaRef& want, const std::string& what) {
  EXPECT_TRUE(tensor_near(r.output, want.output)) << what << ": output";
  EXPECT_TRUE(tensor_near(r.weights, want.weights)) << what << ": weights";
  if (r.q.dimension() == 0) return;
  EXPECT_TRUE(tensor_near(r.q, want.q)) << what << ": q";
  EXPECT_TRUE(tensor_near(r.k, want.k)) << what << ": k";
  EXPECT_TRUE(tensor_near(r.v, want.v)) << what << ": v";
  EXPECT_TRUE(tensor_near(r.scores, want.scores)) << what << ": scores";
  EXPECT_TRUE(tensor_near(r.logits, want.logits)) << what << ": logits";
  EXPECT_TRUE(tensor_near(r.heads, want.heads)) << what << ": heads";
}

TEST(MultiHead, MatchesTheReferenceForEveryHeadCount) {
  // dq, dk, dv, D and dout all different, so a transposed or swapped weight cannot pass
  const Tensor q3 = random_tensor({2, 4, 5}, 1), k3 = random_tensor({2, 6, 6}, 2),
               v3 = random_tensor({2, 6, 3}, 3);
  const Tensor q2 = random_tensor({4, 5}, 4), k2 = random_tensor({6, 6}, 5),
               v2 = random_tensor({6, 3}, 6);
  for (std::size_t H : {1u, 2u, 4u, 8u}) {
    MultiHeadOptions o = options(5, 6, 3, 8, 7, H, std::uint32_t(10 * H));
    o.trace = true;
    const MultiHeadResult r3 = multi_head_attention(q3, k3, v3, o);
    EXPECT_EQ(dims(r3.output), (Shape{2, 4, 7}));
    EXPECT_EQ(dims(r3.weights), (Shape{2, H, 4, 6}));
    EXPECT_EQ(dims(r3.q), (Shape{2, 4, 8}));
    EXPECT_EQ(dims(r3.k), (Shape{2, 6, 8}));
    EXPECT_EQ(dims(r3.v), (Shape{2, 6, 8}));
    EXPECT_EQ(dims(r3.scores), (Shape{2, H, 4, 6}));
    EXPECT_EQ(dims(r3.logits), (Shape{2, H, 4, 6}));
    EXPECT_EQ(dims(r3.heads), (Shape{2, 4, 8}));
    expect_matches(r3, reference_multi_head(q3, k3, v3, o), "batched H=" + std::to_string(H));

    const MultiHeadResult r2 = multi_head_attention(q2, k2, v2, o);
    EXPECT_EQ(dims(r2.output), (Shape{4, 7}));
    EXPECT_EQ(dims(r2.weights), (Shape{H, 4, 6}));
    expect_matches(r2, reference_multi_head(q2, k2, v2, o), "unbatched H=" + std::to_string(H));
  }
}

TEST(MultiHead, OneKeyGivesValuesTimesWvTimesWo) {
  // with a single key every head's weight is 1, so output = values W_V W_O whatever the queries
  const MultiHeadOptions o = options(3, 2, 2, 4, 3, 2, 20);
  const Tensor values{{0.5f, -2.0f}};
  const MultiHeadResult r =
      multi_head_attention(random_tensor({3, 3}, 21), random_tensor({1, 2}, 22), values, o);
  const std::vector<double> vin = {0.5, -2.0};
  const auto vwv = test::reference_linear(vin.data(), 1, 2, *o.wv);
  const auto row = test::reference_linear(vwv.data(), 1, 4, *o.wo);
  EXPECT_TRUE(tensor_near(
      r.output, {row[0], row[1], row[2], row[0], row[1], row[2], row[0], row[1], row[2]}));
  for (float w : r.weights) EXPECT_FLOAT_EQ(w, 1.0f);
}

TEST(MultiHead, MasksApplyToEveryHeadAlike) {
  const std::size_t Q = 4, K = 5;
  const Tensor q = random_tensor({2, Q, 6}, 30), k = random_tensor({2, K, 6}, 31),
               v = random_tensor({2, K, 6}, 32);
  const std::vector<double> row_len = {5, 2, 0, 3, 1, 5, 4, 4};
  const Tensor m{
      {1, 1, 0, 1, 1}, {1, 1, 1, 1, 1}, {0, 1, 1, 1, 1}, {1, 1, 1, 1, 0}};  // shared [Q, K]
  const KeepFn keep = [&](std::size_t b, std::size_t i, std::size_t j) {
    return double(j) < row_len[b * Q + i] && m(i, j) == 1.0f && j <= i;
  };
  for (float fill : {kDefaultFill, -INFINITY}) {
    MultiHeadOptions o = options(6, 6, 6, 6, 2, 3, 33);
    o.mask.valid_lens = Lengths{{5, 2, 0, 3}, {1, 5, 4, 4}};
    o.mask.mask = m;
    o.mask.causal = true;
    o.mask.fill = fill;
    o.temperature = 1.5;
    o.trace = true;
    const MultiHeadResult r = multi_head_attention(q, k, v, o);
    expect_matches(r, reference_multi_head(q, k, v, o, keep),
                   fill == kDefaultFill ? "default fill" : "-inf fill");
    for (float x : r.output) EXPECT_FALSE(std::isnan(x));
    if (fill == -INFINITY) {
      // row (0, 2) has valid length 0: zero weights in every head, and a zero head output
      for (std::size_t h = 0; h < 3; ++h) {
        for (std::size_t j = 0; j < K; ++j) EXPECT_EQ(r.weights(0, h, 2, j), 0.0f);
      }
      for (std::size_t c = 0; c < 6; ++c) EXPECT_EQ(r.heads(0, 2, c), 0.0f);
    }
  }
  // [B] lengths and a per-batch [B, Q, K] mask
  MultiHeadOptions o = options(6, 6, 6, 6, 2, 2, 34);
  o.mask.valid_lens = Lengths{3, 5};
  Tensor mb = Tensor::from_shape({2, Q, K});
  mb.fill(1.0f);
  mb(1, 0, 4) = mb(1, 3, 0) = mb(0, 1, 1) = 0.0f;
  o.mask.mask = mb;
  const KeepFn keep2 = [&](std::size_t b, std::size_t i, std::size_t j) {
    return j < (b == 0 ? 3u : 5u) && mb(b, i, j) == 1.0f;
  };
  expect_matches(multi_head_attention(q, k, v, o), reference_multi_head(q, k, v, o, keep2),
                 "[B] lengths, [B, Q, K] mask");
}

TEST(MultiHead, NoTraceLeavesTheTraceFieldsEmpty) {
  const MultiHeadOptions o = options(3, 3, 3, 4, 2, 2, 40);
  const MultiHeadResult r = multi_head_attention(
      random_tensor({2, 3}, 41), random_tensor({5, 3}, 42), random_tensor({5, 3}, 43), o);
  EXPECT_EQ(dims(r.weights), (Shape{2, 2, 5}));
  for (const Tensor* t : {&r.q, &r.k, &r.v, &r.scores, &r.logits, &r.heads})
    EXPECT_EQ(t->dimension(), 0u);
}

TEST(MultiHead, NumHeadsMustDivideTheWidth) {
  const Tensor q = random_tensor({2, 3}, 50), k = random_tensor({4, 3}, 51),
               v = random_tensor({4, 3}, 52);
  for (std::size_t H : {0u, 4u, 5u, 7u, 12u}) {
    const MultiHeadOptions o = options(3, 3, 3, 6, 2, H, 53);  // D = 6
    EXPECT_TRUE(throws_range("numHeads", [&] { multi_head_attention(q, k, v, o); })) << "H=" << H;
  }
  EXPECT_NO_THROW(multi_head_attention(q, k, v, options(3, 3, 3, 6, 2, 6, 53)));
}

TEST(MultiHead, MissingWeightsAreTypeErrorsAndWrongShapesRangeErrors) {
  const Tensor q = random_tensor({2, 3}, 60), k = random_tensor({4, 5}, 61),
               v = random_tensor({4, 2}, 62);
  const MultiHeadOptions full = options(3, 5, 2, 4, 3, 2, 63);
  EXPECT_NO_THROW(multi_head_attention(q, k, v, full));
  for (const char* name : {"wq", "wk", "wv", "wo"}) {
    MultiHeadOptions o = full;
    std::string n = name;
    (n == "wq" ? o.wq : n == "wk" ? o.wk : n == "wv" ? o.wv : o.wo).reset();
    EXPECT_TRUE(throws_type(name, [&] { multi_head_attention(q, k, v, o); }));
    // transposed: [D, d] instead of [d, D] (and [dout, D] for wo)
    o = full;
    auto& w = n == "wq" ? o.wq : n == "wk" ? o.wk : n == "wv" ? o.wv : o.wo;
    w = Tensor(xt::transpose(*w));
    EXPECT_TRUE(throws_range(name, [&] { multi_head_attention(q, k, v, o); }));
  }
}

}  // namespace
}  // namespace attn
