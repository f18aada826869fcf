// exp_of_nonpositive (engine/core/fast_exp.hpp) against the C library's exp: within 2 ulp over
// the whole range where the result is normal, exact at 0, NaN kept, and the documented bound
// below -708.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "engine/core/fast_exp.hpp"
#include "engine/core/fast_log.hpp"

using namespace minetwin;

namespace {

// Distance in units in the last place between two positive normal doubles.
std::int64_t ulps(double a, double b) {
  const auto ia = std::bit_cast<std::int64_t>(a), ib = std::bit_cast<std::int64_t>(b);
  return ia > ib ? ia - ib : ib - ia;
}

}  // namespace

TEST(FastExp, WithinTwoUlpOfTheLibraryOverTheNormalRange) {
  std::int64_t worst = 0;
  double worst_x = 0.0;
  // A dense sweep (step not a multiple of ln2, so r covers its interval) and the small end.
  for (double x = -708.0; x <= 0.0; x += 0.000731) {
    const std::int64_t d = ulps(exp_of_nonpositive(x), std::exp(x));
    if (d > worst) worst = d, worst_x = x;
  }
  for (double x = -1e-3; x < -1e-300; x *= 0.97) {
    const std::int64_t d = ulps(exp_of_nonpositive(x), std::exp(x));
    if (d > worst) worst = d, worst_x = x;
  }
  EXPECT_LE(worst, 2) << "at x = " << worst_x;
}

TEST(FastExp, EdgesOfItsDomain) {
  EXPECT_EQ(exp_of_nonpositive(0.0), 1.0);
  EXPECT_EQ(exp_of_nonpositive(-0.0), 1.0);
  EXPECT_TRUE(std::isnan(exp_of_nonpositive(std::numeric_limits<double>::quiet_NaN())));
  for (double x : {-708.5, -720.0, -1000.0, -std::numeric_limits<double>::infinity()}) {
    EXPECT_GE(exp_of_nonpositive(x), 0.0) << x;
    EXPECT_LT(std::abs(exp_of_nonpositive(x) - std::exp(x)), 1e-307) << x;
  }
  // Near a power of two, where the reduction leaves r close to 0 and 2^n carries the value.
  EXPECT_EQ(exp_of_nonpositive(-std::log(2.0) * 10), std::exp(-std::log(2.0) * 10));
}

TEST(FastExp, BoundedFormMatchesAboveZeroAndStopsAt709) {
  std::int64_t worst = 0;
  for (double x = 0.0; x <= 709.0; x += 0.000731) {
    worst = std::max(worst, ulps(exp_of_bounded(x), std::exp(x)));
    EXPECT_EQ(exp_of_bounded(-x), exp_of_nonpositive(-x));
  }
  EXPECT_LE(worst, 2);
  EXPECT_EQ(exp_of_bounded(800.0), exp_of_bounded(709.0));
  EXPECT_TRUE(std::isfinite(exp_of_bounded(std::numeric_limits<double>::infinity())));
}

// log_of_positive and power_of_nonnegative (engine/core/fast_log.hpp).
TEST(FastLog, WithinTwoUlpOfTheLibraryOverTheNormalRange) {
  std::int64_t worst = 0;
  double worst_x = 0.0;
  auto check = [&](double x) {
    const double exact = std::log(x);
    // Near x = 1 the result is near 0: compare in ulp of the result, which is what fdlibm bounds.
    const std::int64_t d = exact == 0.0 ? (log_of_positive(x) == 0.0 ? 0 : 99)
                                        : ulps(std::abs(log_of_positive(x)), std::abs(exact));
    if (d > worst) worst = d, worst_x = x;
  };
  for (double x = 2.3e-308; x < 1.7e308; x *= 1.0009765) check(x);
  for (double x = 0.5; x <= 2.0; x += 1.17e-6) check(x);
  for (double x : {1.0, 2.0, 0.5, std::sqrt(2.0), std::nextafter(std::sqrt(2.0), 2.0),
                   std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0)})
    check(x);
  EXPECT_LE(worst, 2) << "at x = " << worst_x;
  EXPECT_EQ(log_of_positive(1.0), 0.0);
}

TEST(FastLog, PowersOfRusleWithinTheDocumentedBound) {
  double worst = 0.0;
  for (const double y : {0.4, 0.8, 1.3, 1.61}) {
    for (double x = 1e-12; x < 1e12; x *= 1.0137) {
      const double exact = std::pow(x, y);
      worst = std::max(worst, std::abs(power_of_nonnegative(x, y) - exact) / exact);
    }
  }
  EXPECT_LT(worst, 1e-14);
  EXPECT_EQ(power_of_nonnegative(0.0, 0.4), 0.0);
  EXPECT_EQ(power_of_nonnegative(1.0, 1.3), 1.0);
}
