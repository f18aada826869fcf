#pragma once
/// @file
/// @brief Counter-based random numbers keyed by (seed, member, year, cell, stream).
///
/// A counter-based generator has no sequential state, so the number drawn for a cell does not
/// depend on which thread or MPI rank computes it (Salmon et al. 2011, "Parallel random numbers:
/// as easy as 1, 2, 3", SC'11). The mixing function is the SplitMix64 finaliser (Steele, Lea &
/// Flood 2014, OOPSLA), applied to each key word in turn.

#include <cmath>
#include <cstdint>

namespace minetwin {

struct RandomKey {
  std::uint64_t seed = 0;
  std::uint64_t member = 0;  ///< sweep member (0 for a single run)
  std::uint64_t year = 0;
  std::uint64_t cell = 0;    ///< or month, block, feature: whatever the draw belongs to
  std::uint64_t stream = 0;  ///< distinguishes independent draws with the same key
};

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// 64 random bits for a key.
inline std::uint64_t random_bits(const RandomKey& key) {
  std::uint64_t h = splitmix64(key.seed);
  h = splitmix64(h ^ key.member);
  h = splitmix64(h ^ key.year);
  h = splitmix64(h ^ key.cell);
  return splitmix64(h ^ key.stream);
}

/// Uniform in (0, 1): 53 bits, never exactly 0 (safe for log).
inline double random_uniform(const RandomKey& key) {
  return (static_cast<double>(random_bits(key) >> 11) + 0.5) * 0x1.0p-53;
}

/// Standard normal by Box-Muller from two keyed uniforms (streams 2k and 2k+1).
inline double random_normal(RandomKey key) {
  const std::uint64_t stream = key.stream * 2;
  key.stream = stream;
  const double u1 = random_uniform(key);
  key.stream = stream + 1;
  const double u2 = random_uniform(key);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace minetwin
