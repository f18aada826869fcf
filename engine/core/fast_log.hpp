#pragma once
/// @file
/// @brief ln(x) for positive normal x, and x^y as exp(y ln x), without calls or branches, for
/// per-cell loops that take a power of each cell (RUSLE's LS and transport capacity): inline,
/// a loop around them vectorises, where the C library's pow is a call per cell.
///
/// ln: fdlibm's e_log.c (Sun Microsystems 1993): x = 2^k m with m in [√2/2, √2), f = m − 1,
/// s = f/(2 + f), ln(1 + f) = f − f²/2 + s(f²/2 + R(s²)), R of degree 7 in s² (Remez, error below
/// 2^−58.45), k ln2 added in two parts. fdlibm picks between two equal forms of the last step for
/// the final bit; one form here, so the result is within 2 ulp of the library's
/// (tests/unit/test_fast_exp.cpp), not 1. Zero, negative, subnormal, infinite and NaN inputs are
/// outside its domain.
///
/// x^y = exp(y ln x): the error of y ln x (|y ln x| ulp of 1) carries into the result, so its
/// relative error grows with |y ln x|: within 1e-14 relative for |y ln x| < 40
/// (x^0.4 of 1e40, x^1.3 of 1e13), checked in the same test. x = 0 gives exactly 0 (y > 0).

#include <bit>
#include <cstdint>
#include <numbers>

#include "engine/core/fast_exp.hpp"

namespace minetwin {

inline double log_of_positive(double x) {
  // x = 2^k m: m in [1, 2) from the mantissa bits, halved (and k raised) at or above √2. The
  // exponent field becomes a double by the 2^52 trick (no 64-bit integer conversion, which
  // SSE2 and AVX2 lack, so the loops around this vectorise).
  const auto bits = std::bit_cast<std::uint64_t>(x);
  constexpr std::uint64_t kMantissa = (std::uint64_t{1} << 52) - 1;
  constexpr std::uint64_t kOne = std::uint64_t{1023} << 52;
  constexpr double kTwo52 = 0x1p52;
  const double m_in_1_2 = std::bit_cast<double>((bits & kMantissa) | kOne);
  const bool upper = m_in_1_2 >= std::numbers::sqrt2;
  const double m = upper ? 0.5 * m_in_1_2 : m_in_1_2;
  const double exponent_field =
      std::bit_cast<double>(std::bit_cast<std::uint64_t>(kTwo52) | (bits >> 52)) - kTwo52;
  const double k = exponent_field - 1023.0 + (upper ? 1.0 : 0.0);
  constexpr double kLn2High = 6.93147180369123816490e-01, kLn2Low = 1.90821492927058770002e-10;
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01,
                   kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01,
                   kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                   kLg7 = 1.479819860511658591e-01;
  const double f = m - 1.0;
  const double half_f_squared = 0.5 * f * f;
  const double s = f / (2.0 + f);
  const double z = s * s, w = z * z;
  const double odd = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double even = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = even + odd;
  return k * kLn2High - ((half_f_squared - (s * (half_f_squared + r) + k * kLn2Low)) - f);
}

/// x^y for x ≥ 0 (normal or zero) and y > 0.
inline double power_of_nonnegative(double x, double y) {
  const double power = exp_of_bounded(y * log_of_positive(x));
  return x > 0.0 ? power : 0.0;
}

}  // namespace minetwin
