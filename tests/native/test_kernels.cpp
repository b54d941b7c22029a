// Every SIMD kernel against its scalar reference, at sizes below, at and above its tile
// (1 … 3×tile+1 along each blocked axis), with the inputs that break naive kernels: [90, 100]
// (overflow without the max subtraction), ±1e30, masked (-inf) and fully masked rows.
#include <algorithm>
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
  for (Family f : {Family::softmax_row, Family::gemm_nt, Family::gemm_nn, Family::additive,
                   Family::exp, Family::expminus, Family::exp2minus, Family::flash_attention}) {
    int scalar = 0;
    for (const Entry& e : registry()) scalar += e.family == f && std::strcmp(e.isa, "scalar") == 0;
    EXPECT_EQ(scalar, 1);
  }
#if defined(__wasm_relaxed_simd__) || defined(__FMA__)
  EXPECT_STREQ(active().isa, "relaxed-simd");
  EXPECT_EQ(simd_entries(Family::gemm_nt).size(), 1u);
#elif defined(ATTN_HAVE_SIMD128)
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
    for (std::size_t n = 1; n <= 3 * e->nr + 1; ++n) {
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
    for (std::size_t n : {63u, 64u, 65u, 1000u})
      check_softmax(*e, random_vector(n, -20, 20, n), "long");
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
      EXPECT_TRUE(test::near(inplace.data(), to_double(want).data(), n, 1e-7, 4e-6))
          << e.name << " n=" << n;
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

TEST(SoftmaxRow, TheStepsFormKeepsEachPassOfTheReference) {
  // softmax_row_steps__scalar is what the arithmetic panel shows: its max, exp terms and sum
  // against the definition in double, and its weights bit for bit those of softmax_row__scalar
  const float x[4] = {1, 2, 3, -INFINITY};
  float e[4], y[4], ref[4];
  const SoftmaxRowSteps s = softmax_row_steps__scalar(4, x, e, y);
  softmax_row__scalar(4, x, ref);
  EXPECT_EQ(s.max, 3.0f);
  EXPECT_FLOAT_EQ(e[0], float(std::exp(-2.0)));
  EXPECT_FLOAT_EQ(e[1], float(std::exp(-1.0)));
  EXPECT_EQ(e[2], 1.0f);
  EXPECT_EQ(e[3], 0.0f);
  EXPECT_DOUBLE_EQ(s.sum, std::exp(-2.0) + std::exp(-1.0) + 1.0);
  for (int j = 0; j < 4; ++j) EXPECT_EQ(y[j], ref[j]) << j;
  const float masked[2] = {-INFINITY, -INFINITY};
  const SoftmaxRowSteps none = softmax_row_steps__scalar(2, masked, e, y);
  EXPECT_EQ(none.max, -INFINITY);
  EXPECT_EQ(none.sum, 0.0);
  EXPECT_EQ(e[0] + e[1] + y[0] + y[1], 0.0f);
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
      ASSERT_NEAR(got[i * ldc + j], want[i * ldc + j],
                  1e-6 + 2e-7 * magnitude * std::sqrt(double(k)))
          << e.name << " m=" << m << " n=" << n << " k=" << k << " at (" << i << ", " << j << ")";
    }
  }
}

TEST(Gemm, SimdMatchesScalarAcrossTileBoundaries) {
  for (Family f : {Family::gemm_nt, Family::gemm_nn}) {
    for (const Entry* e : simd_entries(f)) {
      // every row tail and column tail of the mr x nr tile, with short inner products
      for (std::size_t m = 1; m <= 3 * e->mr + 1; ++m) {
        for (std::size_t n = 1; n <= 3 * e->nr + 1; ++n) {
          for (std::size_t k : {1u, 2u, 3u, 4u, 5u, 8u, 13u}) {
            check_gemm(*e, m, n, k, std::uint32_t(m * 1000 + n * 20 + k));
          }
        }
      }
      // long inner products, across gemm_nt's k chunks of 256
      for (std::size_t k : {63u, 64u, 200u, 255u, 256u, 257u, 600u})
        check_gemm(*e, 5, 9, k, std::uint32_t(k));
      check_gemm(*e, 7, 100, 64, 99);
      check_gemm(*e, 33, 70, 64, 97);
    }
  }
}

TEST(Additive, SimdMatchesScalarAcrossTileBoundaries) {
  for (const Entry* e : simd_entries(Family::additive)) {
    for (std::size_t h = 1; h <= 3 * e->nr + 1; ++h) {
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

// exp(x - max) (or 2^(x - max)) against the scalar reference, for x - max given in `x` and
// several maxima: within 2 ulp everywhere, or 4 units of the smallest subnormal where the reference
// is below FLT_MIN (a subnormal keeps fewer bits: exp2minus returns them down to 2^-126.5).
void expect_within_two_ulp_of_reference(const Entry& e, const std::vector<float>& x) {
  for (float max : {0.0f, 7.5f, -1e6f}) {
    std::vector<float> in(x.size()), want(x.size()), got(x.size(), -1.0f);
    for (std::size_t i = 0; i < x.size(); ++i) in[i] = x[i] == -INFINITY ? x[i] : x[i] + max;
    reference_for(e).expminus(in.size(), in.data(), max, want.data());
    e.expminus(in.size(), in.data(), max, got.data());
    std::int64_t worst = 0;
    float worst_x = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const bool tiny = std::fabs(want[i]) < FLT_MIN;
      const std::int64_t u = tiny ? (std::fabs(got[i] - want[i]) <= 4 * FLT_TRUE_MIN ? 0 : 1000)
                                  : ulps(got[i], want[i]);
      if (u > worst) worst = u, worst_x = in[i] - max;
    }
    EXPECT_LE(worst, 2) << e.name << " max " << max << ": worst at x - max = " << worst_x;
  }
}

TEST(ExpMinus, SimdWithinTwoUlpOfTheReferenceAcrossTheSoftmaxRange) {
  for (const Entry* e : simd_entries(Family::expminus)) {
    // x - max over [-87.3, 0], where exp is a normal float, plus the edges of the flush to 0
    std::vector<float> x;
    for (int i = 0; i <= 1000000; ++i) x.push_back(-87.3f * float(i) / 1000000.0f);
    for (float s : {0.0f, -0.0f, -1e-30f, -1e-7f, -0.34657359f, -87.33f, -87.336f, -87.34f, -90.0f,
                    -103.9f, -104.0f, -1e6f, -1e30f, -INFINITY}) {
      x.push_back(s);
    }
    expect_within_two_ulp_of_reference(*e, x);
    // the exact values softmax relies on: the max itself weighs 1, masked entries 0
    const float edge[5] = {3.0f, -INFINITY, -1e6f, 3.0f - 88.0f, 3.0f - 87.0f};
    float y[5];
    e->expminus(5, edge, 3.0f, y);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_EQ(y[2], 0.0f);
    EXPECT_EQ(y[3], 0.0f) << "below FLT_MIN flushes to 0, as the reference";
    EXPECT_GT(y[4], 0.0f);
  }
}

TEST(Exp2Minus, SimdWithinTwoUlpOfTheReferenceAcrossTheSoftmaxRange) {
  for (const Entry* e : simd_entries(Family::exp2minus)) {
    // x - max over [-126, 0], where 2^x is a normal float, plus the edges of the flush to 0
    std::vector<float> x;
    for (int i = 0; i <= 1000000; ++i) x.push_back(-126.0f * float(i) / 1000000.0f);
    for (float s :
         {0.0f, -0.0f, -1e-30f, -1e-7f, -0.5f, -1.5f, -125.5f, -126.0f, -126.01f, -126.25f,
          -126.49f, -126.5f, -126.51f, -127.0f, -150.0f, -1e6f, -1e30f, -INFINITY}) {
      x.push_back(s);
    }
    expect_within_two_ulp_of_reference(*e, x);
    const float edge[7] = {3.0f,        -INFINITY,     -1e6f,         3.0f - 127.0f,
                           3.0f - 1.0f, 3.0f - 126.6f, 3.0f - 126.25f};
    float y[7];
    e->expminus(7, edge, 3.0f, y);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_EQ(y[2], 0.0f);
    EXPECT_EQ(y[3], 0.0f) << "below 2^-126.5: exactly 0, as the reference";
    EXPECT_EQ(y[4], 0.5f);
    EXPECT_EQ(y[5], 0.0f) << "below 2^-126.5: exactly 0, as the reference";
    EXPECT_GT(y[6], 0.0f) << "2^-126.25: a subnormal";
    EXPECT_LT(y[6], FLT_MIN);
  }
}

// --- flash attention -------------------------------------------------------------------------------

// Mask kinds for the flash tests.
enum MaskKind { kNone, kLengths, kCausal, kLengthsCausal, kKeep, kAll, kMaskKinds };
const char* mask_name(int kind) {
  static const char* names[] = {"none", "lengths", "causal", "lengths+causal", "keep", "all"};
  return names[kind];
}

struct FlashProblem {
  std::size_t m, n, d, dv, ldq, ldk, ldv, ldo;
  std::vector<float> q, k, v;
  std::vector<std::uint32_t> ends;
  std::vector<float> keep;
  KeyMask mask;
  float scale;
};

// Random q, k, v with leading dimensions wider than the rows (as one head of multi-head
// attention), lengths in [0, n] including fully blocked rows, and a keep mask with one fully
// blocked row.
FlashProblem flash_problem(std::size_t m, std::size_t n, std::size_t d, std::size_t dv, int kind,
                           float fill, std::uint32_t seed, float lo = -2, float hi = 2) {
  FlashProblem p{m, n, d, dv, d + 1, d + 2, dv + 3, dv + 1, {}, {}, {}, {}, {}, {}, 0.0f};
  p.q = random_vector(m * p.ldq, lo, hi, seed);
  p.k = random_vector(n * p.ldk, lo, hi, seed + 1);
  p.v = random_vector(n * p.ldv, -1, 1, seed + 2);
  const auto u = random_vector(m * n + m, 0, 1, seed + 3);
  p.ends.resize(m);
  for (std::size_t i = 0; i < m; ++i)
    p.ends[i] = std::uint32_t(std::min<double>(n, std::floor(u[i] * (n + 1))));
  if (m > 2) p.ends[1] = 0, p.ends[2] = std::uint32_t(n);
  p.keep.resize(m * n);
  for (std::size_t i = 0; i < m * n; ++i) p.keep[i] = u[m + i] < 0.8f ? 1.0f : 0.0f;
  if (m > 3) std::fill_n(p.keep.begin() + 3 * n, n, 0.0f);
  p.mask.fill = fill;
  if (kind == kLengths || kind == kLengthsCausal || kind == kAll) p.mask.ends = p.ends.data();
  if (kind == kCausal || kind == kLengthsCausal || kind == kAll) p.mask.causal = true;
  if (kind == kKeep || kind == kAll) p.mask.keep = p.keep.data(), p.mask.ldkeep = n;
  p.scale = float(1.0 / std::sqrt(double(d)));
  return p;
}

// Runs one flash kernel on the problem; `out` is [m, ldo]; with `weights`, also the weights
// [m, ldw = n + 2] (the padding between rows must stay untouched).
bool run_flash(const Entry& e, const FlashProblem& p, std::vector<float>& out, bool checked,
               std::vector<float>* weights = nullptr) {
  std::vector<float> work(flash_attention_workspace(p.n, p.d, p.dv), NAN);
  out.assign(p.m * p.ldo, NAN);
  FlashArgs a{};
  a.m = p.m, a.n = p.n, a.d = p.d, a.dv = p.dv;
  a.q = p.q.data(), a.ldq = p.ldq, a.k = p.k.data(), a.ldk = p.ldk, a.v = p.v.data(), a.ldv = p.ldv;
  a.out = out.data(), a.ldo = p.ldo;
  a.scale = p.scale, a.mask = p.mask, a.checked = checked, a.work = work.data();
  if (weights != nullptr) {
    weights->assign(p.m * (p.n + 2), NAN);
    a.weights = weights->data(), a.ldw = p.n + 2;
  }
  return e.flash_attention(a);
}

void check_flash(const Entry& e, std::size_t m, std::size_t n, std::size_t d, std::size_t dv,
                 int kind, float fill, std::uint32_t seed) {
  const FlashProblem p = flash_problem(m, n, d, dv, kind, fill, seed);
  std::vector<float> want, got, want_w, got_w, alone;
  ASSERT_TRUE(run_flash(reference_for(e), p, want, true, &want_w));
  for (bool checked : {true, false}) {
    ASSERT_TRUE(run_flash(e, p, got, checked, &got_w));
    // the weights: the reference's, exact zeros where it has them, padding untouched
    const std::size_t ldw = p.n + 2;
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < ldw; ++j) {
        const float g = got_w[i * ldw + j], w = want_w[i * ldw + j];
        if (j >= n) {
          ASSERT_TRUE(std::isnan(g)) << e.name << " wrote the padding of weights row " << i;
          continue;
        }
        ASSERT_TRUE(std::fabs(g - w) <= 1e-7 + 1e-5 * std::fabs(w) &&
                    (w != 0.0f || g == 0.0f || fill != -INFINITY))
            << e.name << " m=" << m << " n=" << n << " d=" << d << " mask " << mask_name(kind)
            << " fill " << fill << (checked ? " checked" : " unchecked") << " weight (" << i << ", "
            << j << "): got " << g << ", want " << w;
      }
    }
    // asking for the weights does not change the output
    ASSERT_TRUE(run_flash(e, p, alone, checked));
    ASSERT_TRUE(
        std::equal(alone.begin(), alone.end(), got.begin(),
                   [](float x, float y) { return x == y || (std::isnan(x) && std::isnan(y)); }))
        << e.name << " m=" << m << " n=" << n << " mask " << mask_name(kind);
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t c = 0; c < dv; ++c) {
        const float g = got[i * p.ldo + c], w = want[i * p.ldo + c];
        ASSERT_TRUE(std::fabs(g - w) <= 2e-6 + 2e-5 * std::fabs(w))
            << e.name << " m=" << m << " n=" << n << " d=" << d << " dv=" << dv << " mask "
            << mask_name(kind) << " fill " << fill << (checked ? " checked" : " unchecked")
            << " at (" << i << ", " << c << "): got " << g << ", want " << w;
      }
      // the padding between rows of out is never written
      for (std::size_t c = dv; c < p.ldo; ++c)
        ASSERT_TRUE(std::isnan(got[i * p.ldo + c])) << e.name;
    }
  }
}

// softmax(mask(scale q kᵀ)) v of the problem in float64 (support.hpp), from dense copies of q, k, v
// and its own keep[i][j]
test::Reference definition(const FlashProblem& p) {
  const std::size_t m = p.m, n = p.n, d = p.d, dv = p.dv;
  std::vector<float> q(m * d), k(n * d), v(n * dv);
  for (std::size_t i = 0; i < m; ++i) std::copy_n(p.q.begin() + i * p.ldq, d, q.begin() + i * d);
  for (std::size_t j = 0; j < n; ++j) std::copy_n(p.k.begin() + j * p.ldk, d, k.begin() + j * d);
  for (std::size_t j = 0; j < n; ++j) std::copy_n(p.v.begin() + j * p.ldv, dv, v.begin() + j * dv);
  std::vector<std::vector<bool>> keep(m, std::vector<bool>(n, true));
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      keep[i][j] = !(p.mask.ends && j >= p.mask.ends[i]) && !(p.mask.causal && j > i) &&
                   !(p.mask.keep && p.mask.keep[i * n + j] == 0.0f);
    }
  }
  return test::reference_attention(q.data(), k.data(), v.data(), m, n, d, dv, p.scale, 1.0, keep,
                                   p.mask.fill);
}

TEST(FlashAttention, ScalarReferenceMatchesTheDefinition) {
  // the online softmax reference against softmax(mask(scale q kᵀ)) v in float64 (support.hpp)
  const Entry& ref = *std::find_if(registry().begin(), registry().end(), [](const Entry& e) {
    return e.family == Family::flash_attention && std::strcmp(e.isa, "scalar") == 0;
  });
  for (int kind = 0; kind < kMaskKinds; ++kind) {
    for (float fill : {-1e6f, -INFINITY}) {
      const std::size_t m = 9, n = 13, d = 5, dv = 3;
      const FlashProblem p = flash_problem(m, n, d, dv, kind, fill, std::uint32_t(40 + kind));
      std::vector<float> got;
      ASSERT_TRUE(run_flash(ref, p, got, true));
      const test::Reference want = definition(p);
      std::vector<float> weights;
      ASSERT_TRUE(run_flash(ref, p, got, true, &weights));
      for (std::size_t i = 0; i < m; ++i) {
        EXPECT_TRUE(test::near(got.data() + i * p.ldo, want.output.data() + i * dv, dv, 1e-6, 1e-5))
            << "mask " << mask_name(kind) << " fill " << fill << " row " << i;
        EXPECT_TRUE(
            test::near(weights.data() + i * (n + 2), want.weights.data() + i * n, n, 1e-7, 1e-6))
            << "weights: mask " << mask_name(kind) << " fill " << fill << " row " << i;
      }
    }
  }
}

TEST(FlashAttention, SimdMatchesScalarAcrossTileBoundaries) {
  for (const Entry* e : simd_entries(Family::flash_attention)) {
    std::uint32_t seed = 1;
    // every query-row tail of the mr-row blocks (and of the 4-row register tiles inside them)
    for (std::size_t m = 1; m <= 3 * e->mr + 1; ++m) {
      for (std::size_t n : {1u, 9u, 65u}) {
        const int kind = int(m + n) % kMaskKinds;
        check_flash(*e, m, n, 8, 8, kind, m % 2 ? -1e6f : -INFINITY, seed++);
      }
    }
    // every key tail of the nr-key tiles, and of the 8-key panels inside them
    for (std::size_t n = 1; n <= 3 * e->nr + 1; ++n) {
      for (std::size_t m : {1u, 6u}) {
        const int kind = int(n) % kMaskKinds;
        check_flash(*e, m, n, 4, 4, kind, n % 2 ? -1e6f : -INFINITY, seed++);
      }
    }
    // across the spans of query blocks that share each key tile
    for (std::size_t m :
         {kFlashSpan - 1, kFlashSpan, kFlashSpan + 1, 2 * kFlashSpan + kFlashRows + 3}) {
      for (int kind : {int(kNone), int(kLengthsCausal), int(kAll)}) {
        check_flash(*e, m, 70, 4, 4, kind, kind == kAll ? -INFINITY : -1e6f, seed++);
      }
    }
    // every mask kind with both fills, widths with tails (d, dv not multiples of 4 or 8)
    for (int kind = 0; kind < kMaskKinds; ++kind) {
      for (float fill : {-1e6f, -INFINITY}) {
        for (auto [d, dv] : {std::pair<std::size_t, std::size_t>{1, 1},
                             {3, 5},
                             {8, 12},
                             {13, 19},
                             {64, 64},
                             {65, 67}}) {
          check_flash(*e, 35, 130, d, dv, kind, fill, seed++);
        }
      }
    }
  }
}

TEST(FlashAttention, FullyBlockedRowsFollowTheFill) {
  // lengths 0: uniform over all n keys with fill -1e6 (the mean of v), all zeros with -inf
  for (const Entry& e : registry()) {
    if (e.family != Family::flash_attention) continue;
    for (float fill : {-1e6f, -INFINITY}) {
      for (bool causal : {false, true}) {
        const std::size_t m = 21, n = 150, d = 16, dv = 8;
        FlashProblem p = flash_problem(m, n, d, dv, kLengths, fill, 77);
        std::fill(p.ends.begin(), p.ends.end(), 0u);
        p.mask.causal = causal;
        std::vector<float> out;
        ASSERT_TRUE(run_flash(e, p, out, false));
        for (std::size_t i = 0; i < m; ++i) {
          for (std::size_t c = 0; c < dv; ++c) {
            double mean = 0;
            for (std::size_t j = 0; j < n; ++j) mean += p.v[j * p.ldv + c];
            mean /= double(n);
            const double want = fill == -INFINITY ? 0.0 : mean;
            ASSERT_NEAR(out[i * p.ldo + c], want, 2e-6)
                << e.name << " fill " << fill << " row " << i;
            if (fill == -INFINITY) {
              ASSERT_EQ(out[i * p.ldo + c], 0.0f);
            }
          }
        }
      }
    }
  }
}

TEST(FlashAttention, CloseToTheFillTheSkippedTilesStillCount) {
  // logits near the finite fill: a fully blocked key tile still weighs exp(fill - max) > 0, so it
  // must not be skipped (the materialised path counts it too)
  for (const Entry& e : registry()) {
    if (e.family != Family::flash_attention) continue;
    const std::size_t m = 8, n = 200, d = 1, dv = 2;
    FlashProblem p = flash_problem(m, n, d, dv, kCausal, -10.0f, 5);
    for (std::size_t i = 0; i < m; ++i) p.q[i * p.ldq] = -1.0f;
    for (std::size_t j = 0; j < n; ++j) p.k[j * p.ldk] = 9.0f;  // every logit -9, the fill -10
    p.scale = 1.0f;
    std::vector<float> got, want;
    ASSERT_TRUE(run_flash(e, p, got, false));
    ASSERT_TRUE(run_flash(reference_for(e), p, want, true));
    for (std::size_t i = 0; i < m * p.ldo; i += p.ldo) ASSERT_NEAR(got[i], want[i], 1e-6) << e.name;
  }
}

TEST(FlashAttention, FirstKeyTileTrimmedUnderEveryFill) {
  // Causal masks and lengths below kFlashKeys block part of the first key tile for every row of a
  // block, before any row has a running max: unchecked, the SIMD kernel leaves those keys out of
  // pass 1, and out of the tile altogether when the tile's own max shows they weigh 0 (fill -1e6,
  // -200, -inf), or gives them the fill's weight when it does not (fill -10, against logits of a
  // few units). Every fill must match the float64 definition, weights included.
  for (const Entry* e : simd_entries(Family::flash_attention)) {
    std::uint32_t seed = 500;
    for (int kind : {int(kCausal), int(kLengths), int(kLengthsCausal)}) {
      for (float fill : {-1e6f, -200.0f, -10.0f, -INFINITY}) {
        for (auto [m, n] : {std::pair<std::size_t, std::size_t>{kFlashRows, kFlashKeys},
                            {2 * kFlashRows + 5, kFlashKeys + 7},
                            {kFlashKeys + 3, 2 * kFlashKeys + 1}}) {
          FlashProblem p = flash_problem(m, n, 64, 24, kind, fill, seed++);
          // lengths inside the first key tile, a fully blocked row among them
          for (std::size_t i = 0; i < m; ++i) p.ends[i] = std::uint32_t((i * 7) % (kFlashKeys - 3));
          const test::Reference want = definition(p);
          std::vector<float> got, weights;
          ASSERT_TRUE(run_flash(*e, p, got, false, &weights));
          for (std::size_t i = 0; i < m; ++i) {
            ASSERT_TRUE(
                test::near(got.data() + i * p.ldo, want.output.data() + i * p.dv, p.dv, 2e-6, 2e-5))
                << e->name << " m=" << m << " n=" << n << " mask " << mask_name(kind) << " fill "
                << fill << " row " << i;
            ASSERT_TRUE(test::near(weights.data() + i * (n + 2), want.weights.data() + i * n, n,
                                   1e-7, 1e-5))
                << e->name << " weights: m=" << m << " n=" << n << " mask " << mask_name(kind)
                << " fill " << fill << " row " << i;
          }
        }
      }
    }
  }
}

TEST(FlashAttention, CheckedReportsALogitThatIsNotFinite) {
  for (const Entry& e : registry()) {
    if (e.family != Family::flash_attention) continue;
    for (int kind : {int(kNone), int(kCausal), int(kKeep)}) {
      FlashProblem p = flash_problem(20, 70, 8, 4, kind, -INFINITY, 9);
      std::vector<float> out;
      ASSERT_TRUE(run_flash(e, p, out, true)) << e.name;
      // one huge key, blocked for most rows (causal): still reported, as the materialised path does
      for (std::size_t c = 0; c < 8; ++c) p.k[66 * p.ldk + c] = 3e37f;
      for (std::size_t c = 0; c < 8; ++c) p.q[2 * p.ldq + c] = 3e37f;
      EXPECT_FALSE(run_flash(e, p, out, true)) << e.name << " mask " << mask_name(kind);
    }
  }
}

}  // namespace
}  // namespace attn::kernels
