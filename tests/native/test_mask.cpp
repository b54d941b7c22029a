// ResolvedMask, the one place where masks are decided, row by row against the rule in mask.hpp:
// key j of row (b, i) is blocked when j >= len(b, i), mask[(b,) i, j] == 0, or (causal) j > i.
#include "support.hpp"

namespace attn {
namespace {

using test::scalar_length;
using test::throws_range;

// Applies `m` to every row of a [B, Q, K] block of 7s and returns which entries became the fill.
std::vector<bool> blocked(const ResolvedMask& m, std::size_t B, std::size_t Q, std::size_t K) {
  std::vector<bool> out;
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t i = 0; i < Q; ++i) {
      std::vector<float> row(K, 7.0f);
      m.apply_row(b, i, row.data());
      for (float x : row) {
        EXPECT_TRUE(x == 7.0f || x == m.fill()) << "an entry neither kept nor filled: " << x;
        out.push_back(x != 7.0f);
      }
    }
  }
  return out;
}

std::vector<bool> rule(std::size_t B, std::size_t Q, std::size_t K,
                       const std::vector<double>& row_len, const Tensor* mask, bool causal) {
  std::vector<bool> out;
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t i = 0; i < Q; ++i) {
      for (std::size_t j = 0; j < K; ++j) {
        bool block = !row_len.empty() && double(j) >= row_len[b * Q + i];
        if (mask != nullptr) {
          const float mij = mask->dimension() == 3 ? (*mask)(b, i, j) : (*mask)(i, j);
          block = block || mij == 0.0f;
        }
        out.push_back(block || (causal && j > i));
      }
    }
  }
  return out;
}

TEST(ResolvedMask, NothingToMaskIsEmpty) {
  const ResolvedMask m(MaskOptions{}, 2, 3, 4, true);
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.fill(), kDefaultFill);
  MaskOptions causal;
  causal.causal = true;
  EXPECT_FALSE(ResolvedMask(causal, 2, 3, 4, true).empty());
}

TEST(ResolvedMask, LengthsInEveryShape) {
  const std::size_t B = 2, Q = 3, K = 4;
  MaskOptions o;
  o.valid_lens = scalar_length(1);
  EXPECT_EQ(blocked(ResolvedMask(o, B, Q, K, true), B, Q, K),
            rule(B, Q, K, {1, 1, 1, 1, 1, 1}, nullptr, false));
  o.valid_lens = Lengths{3, 0};
  EXPECT_EQ(blocked(ResolvedMask(o, B, Q, K, true), B, Q, K),
            rule(B, Q, K, {3, 3, 3, 0, 0, 0}, nullptr, false));
  o.valid_lens = Lengths{{4, 0, 2}, {1, 3, 4}};
  EXPECT_EQ(blocked(ResolvedMask(o, B, Q, K, true), B, Q, K),
            rule(B, Q, K, {4, 0, 2, 1, 3, 4}, nullptr, false));
  o.valid_lens = Lengths{2, 4, 0};  // unbatched [Q]
  EXPECT_EQ(blocked(ResolvedMask(o, 1, Q, K, false), 1, Q, K),
            rule(1, Q, K, {2, 4, 0}, nullptr, false));
}

TEST(ResolvedMask, CausalForEveryQueryAndKeyCount) {
  MaskOptions o;
  o.causal = true;
  o.fill = -INFINITY;
  for (auto [Q, K] : {std::pair<std::size_t, std::size_t>{1, 1}, {3, 3}, {2, 5}, {5, 2}}) {
    const ResolvedMask m(o, 2, Q, K, true);
    EXPECT_EQ(m.fill(), -INFINITY);
    EXPECT_EQ(blocked(m, 2, Q, K), rule(2, Q, K, {}, nullptr, true)) << Q << "x" << K;
  }
}

TEST(ResolvedMask, ExplicitMasksAndEverythingTogether) {
  const std::size_t B = 2, Q = 3, K = 4;
  const Tensor shared{{1, 0, 1, 1}, {1, 1, 1, 0}, {0, 1, 1, 1}};
  const Tensor per_batch{{{1, 1, 1, 1}, {0, 1, 0, 1}, {1, 1, 1, 0}},
                         {{0, 0, 1, 1}, {1, 1, 1, 1}, {1, 0, 1, 1}}};
  for (const Tensor* m : {&shared, &per_batch}) {
    MaskOptions o;
    o.mask = *m;
    EXPECT_EQ(blocked(ResolvedMask(o, B, Q, K, true), B, Q, K), rule(B, Q, K, {}, m, false));
    o.valid_lens = Lengths{{4, 2, 3}, {3, 0, 4}};
    o.causal = true;
    o.fill = -5.0f;
    EXPECT_EQ(blocked(ResolvedMask(o, B, Q, K, true), B, Q, K),
              rule(B, Q, K, {4, 2, 3, 3, 0, 4}, m, true));
  }
}

TEST(ResolvedMask, RefusesWhatDoesNotFit) {
  MaskOptions o;
  o.valid_lens = Lengths{1, 2, 3};
  EXPECT_TRUE(
      throws_range("validLens", [&] { ResolvedMask(o, 2, 3, 4, true); }));  // [Q] but batched
  EXPECT_NO_THROW(ResolvedMask(o, 1, 3, 4, false));
  o.valid_lens.reset();
  o.mask = Tensor{{1, 1}, {1, 1}};
  EXPECT_TRUE(throws_range("mask", [&] { ResolvedMask(o, 2, 3, 4, true); }));
  o.mask.reset();
  o.fill = NAN;
  EXPECT_TRUE(throws_range("fill", [&] { ResolvedMask(o, 2, 3, 4, true); }));
}

}  // namespace
}  // namespace attn
