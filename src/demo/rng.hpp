// The demo's randomness: splitmix64 (Steele, Lea, Flood; Vigna's constants), tiny, fast and the
// same on every platform, which std::uniform_int_distribution is not, so a seed always gives the
// same region and the same worksheets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace cartable::demo {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound) for bound > 0; the modulo bias (< bound / 2^64) does not matter here.
  int below(std::size_t bound) { return static_cast<int>(next() % bound); }
  int between(int low, int high) { return low + below(static_cast<std::size_t>(high - low + 1)); }
  bool chance(int percent) { return below(100) < percent; }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(below(N))];
  }

 private:
  std::uint64_t state_;
};

}  // namespace cartable::demo
