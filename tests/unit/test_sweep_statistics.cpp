// Issue 7: the sweep's designs, distributions and statistics against exact values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/core/random.hpp"
#include "engine/sweep/distribution.hpp"
#include "engine/sweep/sampling.hpp"
#include "engine/sweep/statistics.hpp"

using namespace minetwin::sweep;

namespace {
Distribution make(DistributionKind kind) {
  Distribution d;
  d.kind = kind;
  return d;
}
}  // namespace

TEST(Distribution, QuantilesMatchClosedForms) {
  Distribution normal = make(DistributionKind::normal);
  normal.mean = 2;
  normal.sd = 0.5;
  EXPECT_NEAR(normal.quantile(0.975), 2 + 0.5 * 1.959963984540054, 1e-9);
  EXPECT_NEAR(normal.quantile(0.5), 2.0, 1e-12);

  Distribution lognormal = make(DistributionKind::lognormal);
  lognormal.median = 3;
  lognormal.sigma = 0.2;
  EXPECT_NEAR(lognormal.quantile(0.5), 3.0, 1e-12);
  EXPECT_NEAR(lognormal.quantile(0.8413447460685429), 3.0 * std::exp(0.2), 1e-9);

  // Triangular: F(x) = (x - a)^2 / ((b - a)(c - a)) below the mode c.
  Distribution triangular = make(DistributionKind::triangular);
  triangular.min = 1;
  triangular.mode = 2;
  triangular.max = 5;
  const double x = 1.5;
  EXPECT_NEAR(triangular.quantile((x - 1) * (x - 1) / ((5 - 1) * (2 - 1))), x, 1e-9);

  Distribution uniform = make(DistributionKind::uniform);
  uniform.min = -1;
  uniform.max = 3;
  EXPECT_NEAR(uniform.quantile(0.25), 0.0, 1e-12);

  // beta(1, 1) on [min, max] is uniform; beta(2, 1) has F(x) = x^2.
  Distribution beta = make(DistributionKind::beta);
  beta.alpha = 2;
  beta.beta = 1;
  beta.min = 10;
  beta.max = 20;
  EXPECT_NEAR(beta.quantile(0.25), 15.0, 1e-9);

  // A symmetric truncation keeps the median at the mean and stays inside the bounds.
  Distribution truncated = make(DistributionKind::truncated_normal);
  truncated.mean = 0.3;
  truncated.sd = 0.1;
  truncated.min = 0.2;
  truncated.max = 0.4;
  EXPECT_NEAR(truncated.quantile(0.5), 0.3, 1e-12);
  EXPECT_GE(truncated.quantile(1e-9), 0.2);
  EXPECT_LE(truncated.quantile(1 - 1e-9), 0.4);
  // Its quartile: z = Phi^-1(Phi(-1) + 0.25 (Phi(1) - Phi(-1))) = Phi^-1(0.3293276) = -0.4417705
  // (Python's statistics.NormalDist, an independent implementation).
  EXPECT_NEAR(truncated.quantile(0.25), 0.3 - 0.1 * 0.4417705, 1e-8);
}

TEST(Distribution, ChoiceFollowsItsWeights) {
  Distribution choice = make(DistributionKind::choice);
  choice.choice_values = {"robinia", "pine", "poplar"};
  choice.choice_weights = {0.5, 0.25, 0.25};
  EXPECT_EQ(choice.quantile(0.49), 0.0);
  EXPECT_EQ(choice.quantile(0.51), 1.0);
  EXPECT_EQ(choice.quantile(0.76), 2.0);
  EXPECT_EQ(choice.scenario_text(1.0), "pine");
}

TEST(Distribution, ImpossibleArgumentsAreNamed) {
  Distribution normal = make(DistributionKind::normal);
  normal.sd = -1;
  EXPECT_EQ(normal.check(), "normal needs sd > 0");
  Distribution triangular = make(DistributionKind::triangular);
  triangular.min = 0;
  triangular.max = 1;
  triangular.mode = 2;
  EXPECT_EQ(triangular.check(), "triangular needs min <= mode <= max");
  Distribution truncated = make(DistributionKind::truncated_normal);
  truncated.mean = 0;
  truncated.sd = 1;
  truncated.min = 50;
  truncated.max = 60;
  EXPECT_NE(truncated.check().find("holds no probability"), std::string::npos);
  Distribution ok = make(DistributionKind::beta);
  ok.alpha = 2;
  ok.beta = 3;
  EXPECT_EQ(ok.check(), "");
}

TEST(Design, LatinHypercubeHasOneMemberInEachStratum) {
  const std::size_t n = 50, inputs = 4;
  const Design design = make_design(SamplingMethod::lhs, n, inputs, 11);
  ASSERT_EQ(design.members(), n);
  for (std::size_t i = 0; i < inputs; ++i) {
    std::set<std::size_t> strata;
    for (std::size_t m = 0; m < n; ++m) {
      const double u = design.at(m, i);
      ASSERT_GT(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<std::size_t>(u * static_cast<double>(n)));
    }
    EXPECT_EQ(strata.size(), n) << "input " << i;
  }
  // The pairing differs between inputs and with the seed.
  const Design other = make_design(SamplingMethod::lhs, n, inputs, 12);
  EXPECT_NE(design.u, other.u);
  int same_stratum = 0;
  for (std::size_t m = 0; m < n; ++m)
    same_stratum += static_cast<int>(design.at(m, 0) * n) == static_cast<int>(design.at(m, 1) * n);
  EXPECT_LT(same_stratum, 10);
}

TEST(Design, SobolStartsWithTheKnownPoints) {
  const Design design = make_design(SamplingMethod::sobol, 4, 2, 0);
  // The Sobol sequence after the origin: (1/2, 1/2), (3/4, 1/4), (1/4, 3/4), (3/8, 3/8).
  EXPECT_DOUBLE_EQ(design.at(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(design.at(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(design.at(1, 0), 0.75);
  EXPECT_DOUBLE_EQ(design.at(1, 1), 0.25);
  EXPECT_DOUBLE_EQ(design.at(2, 0), 0.25);
  EXPECT_DOUBLE_EQ(design.at(2, 1), 0.75);
}

TEST(Design, SaltelliRowsTakeOneColumnFromB) {
  const std::size_t n = 8, k = 3;
  const Design design = make_design(SamplingMethod::saltelli, n, k, 0);
  ASSERT_EQ(design.members(), n * (k + 2));
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t a = j * (k + 2), b = a + 1;
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t c = 0; c < k; ++c) {
        EXPECT_EQ(design.at(a + 2 + i, c), design.at(c == i ? b : a, c));
      }
    }
  }
}

TEST(Statistics, QuantilesMomentsAndIntervals) {
  const Moments m = describe({4, 1, 3, 2, 5});
  EXPECT_DOUBLE_EQ(m.mean, 3.0);
  EXPECT_NEAR(m.sd, std::sqrt(2.5), 1e-12);
  EXPECT_DOUBLE_EQ(m.p25, 2.0);
  EXPECT_DOUBLE_EQ(m.p5, 1.2);  // type 7: 1 + 0.05 * 4 * (2 - 1)
  // Wilson (1927) interval of 8 successes in 10: 0.4902 to 0.9433.
  const Interval w = wilson_interval(8, 10);
  EXPECT_NEAR(w.low, 0.4902, 5e-5);
  EXPECT_NEAR(w.high, 0.9433, 5e-5);
  // Spearman with a tie: ranks of y = 1, 2, 3.5, 5, 3.5; r = 8 / sqrt(10 * 9.5).
  EXPECT_NEAR(spearman({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}), 8 / std::sqrt(95.0), 1e-12);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3}, {1, 8, 27}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3}, {3, 2, 1}), -1.0);
  EXPECT_TRUE(std::isnan(spearman({1, 2, 3}, {4, 4, 4})));
}

TEST(Statistics, PSquareTracksTheExactQuantiles) {
  P2Quantile p5(0.05), p50(0.5), p95(0.95);
  std::vector<double> values;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    const double v = minetwin::random_normal({3, 0, 0, i, 0});
    values.push_back(v);
    p5.add(v);
    p50.add(v);
    p95.add(v);
  }
  std::sort(values.begin(), values.end());
  EXPECT_NEAR(p5.value(), sorted_quantile(values, 0.05), 0.03);
  EXPECT_NEAR(p50.value(), sorted_quantile(values, 0.5), 0.03);
  EXPECT_NEAR(p95.value(), sorted_quantile(values, 0.95), 0.03);
  // Exact while it holds five values or fewer.
  P2Quantile few(0.5);
  for (double v : {5.0, 1.0, 3.0}) few.add(v);
  EXPECT_DOUBLE_EQ(few.value(), 3.0);
}

TEST(Statistics, CellStatisticsAreOnlineMoments) {
  const double fill = -9999;
  CellStatistics cells(3, {1.5}, fill);
  cells.add({1.0, 2.0, fill});
  cells.add({2.0, 4.0, fill});
  cells.add({3.0, 0.0, fill});
  const auto mean = cells.mean(), sd = cells.sd(), above = cells.exceedance(0);
  EXPECT_DOUBLE_EQ(mean[0], 2.0);
  EXPECT_DOUBLE_EQ(mean[1], 2.0);
  EXPECT_DOUBLE_EQ(sd[0], 1.0);
  EXPECT_DOUBLE_EQ(sd[1], 2.0);
  EXPECT_DOUBLE_EQ(mean[2], fill);  // nodata stays nodata
  EXPECT_DOUBLE_EQ(above[0], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(above[1], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(cells.quantile(1)[0], 2.0);
}

TEST(Statistics, CellQuantilesAreExactForFewMembersAndCloseBeyond) {
  // 32 members: exact (type 7); 400 members: P-square started from the first 32, within a
  // tenth of a standard deviation of the exact quantiles.
  for (std::size_t members : {std::size_t{32}, std::size_t{400}}) {
    CellStatistics cells(1, {}, -9999);
    std::vector<double> values;
    for (std::uint64_t i = 0; i < members; ++i) {
      const double v = 10 + 2 * minetwin::random_normal({8, 0, 0, i, 0});
      values.push_back(v);
      cells.add({v});
    }
    std::sort(values.begin(), values.end());
    const double tolerance = members <= CellStatistics::kExactMembers ? 1e-12 : 0.2;
    EXPECT_NEAR(cells.quantile(0)[0], sorted_quantile(values, 0.05), tolerance);
    EXPECT_NEAR(cells.quantile(1)[0], sorted_quantile(values, 0.5), tolerance);
    EXPECT_NEAR(cells.quantile(2)[0], sorted_quantile(values, 0.95), tolerance);
  }
}
