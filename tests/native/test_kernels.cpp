// Every SIMD kernel against its scalar reference, at sizes below, at and above its tile
// (1 … 3×tile+1), with the inputs that break naive kernels: [90, 100] (overflow without the max
// subtraction), ±1e30, masked (-inf) and fully masked rows.
#include <cstring>
#include <limits>

#include "kernels/kernels.hpp"
#include "support.hpp"

namespace attn::kernels {
namespace {

using test::random_vector;

const Entry& reference_for(const Entry& e) {
  for (const Entry& r : registry()) {
    if (r.family == e.family && std::strcmp(r.isa, "scalar") == 0) return r;
  }
  throw std::logic_error("no scalar reference");
}

std::vector<const Entry*> simd_entries(Family f) {
  std::vector<const Entry*> out;
  for (const Entry& e : registry()) {
    if (e.family == f && std::strcmp(e.isa, "scalar") != 0) out.push_back(&e);
  }
  return out;
}

TEST(Registry, EveryFamilyHasAScalarReferenceAndTheActiveTableIsListed) {
  for (Family f : {Family::softmax_row, Family::gemm_nt, Family::gemm_nn, Family::additive, Family::exp}) {
    int scalar = 0;
    for (const Entry& e : registry()) scalar += e.family == f && std::strcmp(e.isa, "scalar") == 0;
    EXPECT_EQ(scalar, 1);
  }
#if defined(ATTN_HAVE_SIMD128)
  EXPECT_STREQ(active().isa, "simd128");
  EXPECT_EQ(simd_entries(Family::gemm_nt).size(), 1u);
#else
  EXPECT_STREQ(active().isa, "scalar");
#endif
}

std::vector<double> to_double(const std::vector<float>& v) { return {v.begin(), v.end()}; }

void check_softmax(const Entry& e, const std::vector<float>& x, const char* what) {
  const std::size_t n = x.size();
  std::vector<float> want(n), got(n, -7.0f);
  reference_for(e).softmax_row(n, x.data(), want.data());
  e.softmax_row(n, x.data(), got.data());
  EXPECT_TRUE(test::near(got.data(), to_double(want).data(), n, 1e-7, 4e-6))
      << e.name << " " << what << " n=" << n;
  double sum = 0;
  for (float g : got) sum += g;
  bool all_masked = true;
  for (float v : x) all_masked = all_masked && v == -INFINITY;
  EXPECT_NEAR(sum, all_masked ? 0.0 : 1.0, 1e-5) << e.name << " " << what << " n=" << n;
  for (std::size_t j = 0; j < n; ++j) {
    if (x[j] == -INFINITY) {
      EXPECT_EQ(got[j], 0.0f) << e.name << " masked weight must be exactly 0";
    }
  }
}

TEST(SoftmaxRow, SimdMatchesScalarAcrossTileBoundaries) {
  for (const Entry* e : simd_entries(Family::softmax_row)) {
    for (std::size_t n = 1; n <= 3 * e->tile + 1; ++n) {
      check_softmax(*e, random_vector(n, -5, 5, 1 + n), "uniform[-5,5]");
      check_softmax(*e, random_vector(n, 90, 100, 2 + n), "[90,100]");
      auto huge = random_vector(n, -1e30f, 1e30f, 3 + n);
      check_softmax(*e, huge, "±1e30");
      auto masked = random_vector(n, -3, 3, 4 + n);
      for (std::size_t j = 0; j < n; j += 2) masked[j] = -INFINITY;
      check_softmax(*e, masked, "half -inf");
      check_softmax(*e, std::vector<float>(n, -INFINITY), "all -inf");
      check_softmax(*e, std::vector<float>(n, -1e6f), "all -1e6 (uniform)");
    }
    for (std::size_t n : {63u, 64u, 65u, 1000u}) check_softmax(*e, random_vector(n, -20, 20, n), "long");
  }
}

TEST(SoftmaxRow, EveryVariantWorksInPlace) {
  // the math calls softmax_row with x == y; a kernel that rereads x after writing y breaks there
  for (const Entry& e : registry()) {
    if (e.family != Family::softmax_row) continue;
    for (std::size_t n = 1; n <= 13; ++n) {
      const auto x = random_vector(n, -4, 4, std::uint32_t(7 * n));
      std::vector<float> want(n), inplace = x;
      softmax_row__scalar(n, x.data(), want.data());
      e.softmax_row(n, inplace.data(), inplace.data());
      EXPECT_TRUE(test::near(inplace.data(), to_double(want).data(), n, 1e-7, 4e-6)) << e.name << " n=" << n;
    }
  }
}

TEST(SoftmaxRow, ScalarReferenceAgreesWithTheDefinition) {
  // softmax([1, 2, 3]) = e^x / (e + e^2 + e^3)
  const float x[3] = {1, 2, 3};
  float y[3];
  softmax_row__scalar(3, x, y);
  const double s = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_FLOAT_EQ(y[0], float(std::exp(1.0) / s));
  EXPECT_FLOAT_EQ(y[2], float(std::exp(3.0) / s));
  // [90, 100] would overflow float exp without the max subtraction
  const float big[2] = {90, 100};
  softmax_row__scalar(2, big, y);
  EXPECT_FLOAT_EQ(y[1], float(1.0 / (1.0 + std::exp(-10.0))));
}

void check_gemm(const Entry& e, std::size_t m, std::size_t n, std::size_t k, std::uint32_t seed) {
  const bool nt = e.family == Family::gemm_nt;
  // leading dimensions wider than the rows, so the strided (per-head) access is exercised
  const std::size_t lda = k + 3, ldb = (nt ? k : n) + 2, ldc = n + 1;
  const auto a = random_vector(m * lda, -2, 2, seed);
  const auto b = random_vector((nt ? n : k) * ldb, -2, 2, seed + 1);
  std::vector<float> want(m * ldc, 0.0f), got(m * ldc, 0.0f);
  reference_for(e).gemm(m, n, k, a.data(), lda, b.data(), ldb, want.data(), ldc);
  e.gemm(m, n, k, a.data(), lda, b.data(), ldb, got.data(), ldc);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double magnitude = 0;  // float accumulation error scales with sum |a||b|
      for (std::size_t p = 0; p < k; ++p) {
        magnitude += std::fabs(a[i * lda + p]) * std::fabs(nt ? b[j * ldb + p] : b[p * ldb + j]);
      }
      ASSERT_NEAR(got[i * ldc + j], want[i * ldc + j], 1e-6 + 2e-7 * magnitude * std::sqrt(double(k)))
          << e.name << " m=" << m << " n=" << n << " k=" << k << " at (" << i << ", " << j << ")";
    }
  }
}

TEST(Gemm, SimdMatchesScalarAcrossTileBoundaries) {
  for (Family f : {Family::gemm_nt, Family::gemm_nn}) {
    for (const Entry* e : simd_entries(f)) {
      const std::size_t top = 3 * e->tile + 1;
      for (std::size_t m : {1u, 2u, 5u}) {
        for (std::size_t n = 1; n <= top; ++n) {
          for (std::size_t k = 1; k <= 13; ++k) check_gemm(*e, m, n, k, std::uint32_t(m * 1000 + n * 20 + k));
        }
      }
      check_gemm(*e, 7, 100, 64, 99);
      check_gemm(*e, 3, 33, 200, 98);
    }
  }
}

TEST(Additive, SimdMatchesScalarAcrossTileBoundaries) {
  for (const Entry* e : simd_entries(Family::additive)) {
    for (std::size_t h = 1; h <= 3 * e->tile + 1; ++h) {
      for (std::size_t m : {1u, 3u}) {
        const std::size_t n = 5;
        const auto qp = random_vector(m * h, -3, 3, std::uint32_t(h));
        const auto kp = random_vector(n * h, -3, 3, std::uint32_t(h + 50));
        const auto v = random_vector(h, -1, 1, std::uint32_t(h + 100));
        std::vector<float> want(m * n), got(m * n);
        reference_for(*e).additive(m, n, h, qp.data(), kp.data(), v.data(), want.data());
        e->additive(m, n, h, qp.data(), kp.data(), v.data(), got.data());
        EXPECT_TRUE(test::near(got.data(), to_double(want).data(), m * n, 1e-6 * double(h), 1e-6))
            << e->name << " h=" << h;
      }
    }
  }
}

// Distance in units in the last place between two non-negative floats.
std::int64_t ulps(float a, float b) {
  std::int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  return std::llabs(std::int64_t(ia) - std::int64_t(ib));
}

TEST(Exp, SimdWithinTwoUlpOfExpfAcrossTheSoftmaxRange) {
  for (const Entry* e : simd_entries(Family::exp)) {
    // softmax feeds exp with x - max in (-inf, 0]; cover the whole float range of expf too
    std::vector<float> x;
    for (int i = 0; i <= 2000000; ++i) x.push_back(-104.0f + 193.0f * float(i) / 2000000.0f);
    for (float s : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-7f, -88.0f, -87.33f, -103.9f, -103.97f, 88.7f,
                    88.72f, 0.34657359f, -0.34657359f}) {
      x.push_back(s);
    }
    std::vector<float> got(x.size());
    e->exp(x.size(), x.data(), got.data());
    std::int64_t worst = 0;
    float worst_x = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::int64_t u = ulps(got[i], std::exp(x[i]));
      if (u > worst) worst = u, worst_x = x[i];
    }
    EXPECT_LE(worst, 2) << e->name << " worst at x = " << worst_x;
    // the limits softmax relies on
    const float edge[4] = {-INFINITY, -1e6f, -1e30f, 0.0f};
    float y[4];
    e->exp(4, edge, y);
    EXPECT_EQ(y[0], 0.0f);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_EQ(y[2], 0.0f);
    EXPECT_EQ(y[3], 1.0f);
  }
}

}  // namespace
}  // namespace attn::kernels
