// The one pseudo-random generator of the engine: SplitMix64 (Steele, Lea & Flood 2014) — tiny,
// seedable from any 64-bit value, well mixed — with Box–Muller normals. Same seed, same numbers, on
// every platform and in both WASM builds (integer arithmetic, then IEEE double).
#pragma once

#include <cmath>
#include <cstdint>

namespace attn::detail {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  // uniform in [0, 1) with 53 random bits
  double uniform() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }

  // standard normal; Box–Muller gives two per pair of uniforms
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform(), u2 = uniform();  // u1 in (0, 1]
    const double r = std::sqrt(-2.0 * std::log(u1)), a = 6.283185307179586 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace attn::detail
