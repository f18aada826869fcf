// exp_of_nonpositive (engine/core/fast_exp.hpp) against the C library's exp: within 2 ulp over
// the whole range where the result is normal, exact at 0, NaN kept, and the documented bound
// below -708.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "engine/core/fast_exp.hpp"

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
