#pragma once
/// @file
/// @brief exp(x) for x ≤ 0 without calls or branches, for loops that take one exponential per
/// cell and month (the vegetation's cover from leaf area): inline, it costs a few multiplications
/// instead of a library call, and a loop around it can vectorise.
///
/// Range reduction x = n ln2 + r with |r| ≤ ln2/2 in two parts (Cody & Waite 1980; the split
/// of ln2 is fdlibm's), e^r by its Taylor series to r^13/13! (truncation below 4e-18; Estrin's
/// scheme), and 2^n put into the exponent bits. Within 1 ulp of glibc's exp on a sweep of [−708, 0]
/// (9.7 % of the results differ from it by that ulp); tests/unit/test_fast_exp.cpp checks 2 ulp.
/// Below −708 the result would be subnormal; there it is 2^−1021·e^r instead, which differs from
/// the true value by less than 1e-307. NaN stays NaN.

#include <algorithm>
#include <bit>
#include <cstdint>

namespace minetwin {

namespace detail {

// exp(x) for x in [-708, 709] (the callers clamp).
inline double exp_in_range(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kShift = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  const double shifted = x * kLog2e + kShift;
  const double n = shifted - kShift;
  const std::int64_t k = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kShift);
  constexpr double kLn2High = 6.93147180369123816490e-01, kLn2Low = 1.90821492927058770002e-10;
  const double r = (x - n * kLn2High) - n * kLn2Low;
  // 1 + r + r^2 (sum r^(j-2) / j!, j = 2..13): the small terms first, 1 last (for accuracy),
  // and the tail in Estrin's form (pairs, then r^2, r^4, r^8), a dependent chain of about 30
  // cycles instead of Horner's 80, which matters in a loop whose cells wait on it.
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double a = 1.0 / 2 + r * (1.0 / 6), b = 1.0 / 24 + r * (1.0 / 120),
               d = 1.0 / 720 + r * (1.0 / 5040), e = 1.0 / 40320 + r * (1.0 / 362880),
               f = 1.0 / 3628800 + r * (1.0 / 39916800),
               g = 1.0 / 479001600 + r * (1.0 / 6227020800);
  const double tail = ((a + b * r2) + (d + e * r2) * r4) + (f + g * r2) * r8;
  const double p = 1.0 + (r + r2 * tail);
  return p * std::bit_cast<double>((k + 1023) << 52);
}

}  // namespace detail

inline double exp_of_nonpositive(double x) {
  return detail::exp_in_range(std::max(x, -708.0));
}

/// exp(x) for any x the same way: clamped to [−708, 709] (709 is the largest whole number whose
/// exp is finite), so above it gives exp(709) ≈ 8.2e307 instead of infinity. For powers computed
/// as exp(y ln x) (fast_log.hpp).
inline double exp_of_bounded(double x) {
  return detail::exp_in_range(std::min(std::max(x, -708.0), 709.0));
}

}  // namespace minetwin
