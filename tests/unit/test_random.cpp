// Requirement: random draws depend only on their key (seed, member, year, cell, stream).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/core/random.hpp"

using namespace minetwin;

TEST(Random, SameKeySameNumberOtherKeyOtherNumber) {
  RandomKey a{7, 0, 2030, 123, 0};
  RandomKey b = a;
  EXPECT_EQ(random_bits(a), random_bits(b));
  b.cell = 124;
  EXPECT_NE(random_bits(a), random_bits(b));
  b = a;
  b.seed = 8;
  EXPECT_NE(random_bits(a), random_bits(b));
}

TEST(Random, UniformAndNormalMoments) {
  const int n = 200000;
  double sum_u = 0, sum_z = 0, sum_z2 = 0;
  for (int i = 0; i < n; ++i) {
    RandomKey key{42, 0, 0, static_cast<std::uint64_t>(i), 0};
    const double u = random_uniform(key);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum_u += u;
    const double z = random_normal(key);
    sum_z += z;
    sum_z2 += z * z;
  }
  // Standard errors: uniform mean 0.29/sqrt(n) = 6.5e-4; normal mean 2.2e-3; variance 3.2e-3.
  EXPECT_NEAR(sum_u / n, 0.5, 4e-3);
  EXPECT_NEAR(sum_z / n, 0.0, 1.2e-2);
  EXPECT_NEAR(sum_z2 / n, 1.0, 1.6e-2);
}
