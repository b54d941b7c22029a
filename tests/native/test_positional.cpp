// Sinusoidal positional encoding against its definition (Vaswani et al., 2017).
#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::tensor_near;
using test::throws_range;

// PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d))
std::vector<double> pe_ref(std::size_t length, std::size_t d) {
  std::vector<double> out;
  for (std::size_t p = 0; p < length; ++p) {
    for (std::size_t c = 0; c < d; ++c) {
      const std::size_t i = c / 2;
      const double angle = double(p) / std::pow(10000.0, 2.0 * double(i) / double(d));
      out.push_back(c % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  }
  return out;
}

TEST(PositionalEncoding, MatchesTheDefinition) {
  for (auto [length, d] :
       {std::pair<std::size_t, std::size_t>{50, 8}, {7, 7}, {1, 6}, {5, 1}, {3, 2}, {100, 33}}) {
    const Tensor pe = positional_encoding(length, d);
    EXPECT_EQ(dims(pe), (std::vector<std::size_t>{length, d}));
    EXPECT_TRUE(tensor_near(pe, pe_ref(length, d))) << length << " x " << d;
  }
}

TEST(PositionalEncoding, ClosedFormColumnsAndRows) {
  const Tensor pe = positional_encoding(10, 4);
  for (std::size_t p = 0; p < 10; ++p) {
    // i = 0: frequency 1; i = 1: 10000^(2/4) = 100
    EXPECT_NEAR(pe(p, 0), std::sin(double(p)), 1e-6);
    EXPECT_NEAR(pe(p, 1), std::cos(double(p)), 1e-6);
    EXPECT_NEAR(pe(p, 2), std::sin(double(p) / 100), 1e-6);
    EXPECT_NEAR(pe(p, 3), std::cos(double(p) / 100), 1e-6);
  }
  // position 0 is [0, 1, 0, 1, ...]; an odd width ends with a sine column
  const Tensor odd = positional_encoding(2, 5);
  for (std::size_t c = 0; c < 5; ++c) EXPECT_EQ(odd(0, c), c % 2 == 0 ? 0.0f : 1.0f) << c;
  EXPECT_NEAR(odd(1, 4), std::sin(1 / std::pow(10000.0, 4.0 / 5)), 1e-7);
}

TEST(PositionalEncoding, ZeroOrOversizedDimensionsAreRangeErrors) {
  EXPECT_TRUE(throws_range("length", [] { positional_encoding(0, 4); }));
  EXPECT_TRUE(throws_range("dim", [] { positional_encoding(4, 0); }));
  EXPECT_TRUE(throws_range("positionalEncoding", [] { positional_encoding(0, 0); }));
  // 2^13 × 2^12 = 2^25 elements: refused before anything is allocated
  EXPECT_TRUE(throws_range(
      "16777216", [] { positional_encoding(std::size_t{1} << 13, std::size_t{1} << 12); }));
  EXPECT_TRUE(throws_range("limit", [] { positional_encoding(SIZE_MAX, 2); }));
}

}  // namespace
}  // namespace attn
