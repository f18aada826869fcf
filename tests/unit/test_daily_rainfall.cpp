// Requirement (issue 23, Verification): the daily rainfall generator reproduces the monthly
// means, the wet-day frequency and the variance of the monthly totals it was fitted to within
// 5 %; the same seed gives the same bytes; a month's total split into days adds up to the total.
//
// Over 1000 years (the figure) the sample variance of these skewed monthly totals has a
// standard error of 4-8 % by itself (three seeds gave -13 % to +11 % for a generator that is
// unbiased), so a 5 % test there would test the seed, not the generator; the means and the
// wet-day shares are checked over 1000 years, the variances over 40000 (standard error about
// 1 %; three seeds within 2.7 %).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "engine/site/daily_rainfall.hpp"

using namespace minetwin;

namespace {

// Tangshan (Weather China normals 1971-2000): precipitation and days with >= 0.1 mm; monthly
// coefficients of variation typical of a monsoon climate (large in the dry winter).
constexpr double kMean[12] = {4.3, 4.4, 9.6, 21.3, 42.7, 86.6, 192.8, 162.5, 48.2, 23.5, 9.9, 4.5};
constexpr double kWetDays[12] = {2.4, 2.4, 3.4, 4.6, 6.6, 9.0, 12.9, 10.7, 6.4, 4.8, 3.0, 2.0};
constexpr double kCv[12] = {1.1, 1.1, 0.9, 0.8, 0.7, 0.55, 0.45, 0.5, 0.7, 0.8, 0.9, 1.1};

struct MonthStatistics {
  double mean = 0, variance = 0, wet_share = 0;
};

MonthStatistics generated(int month, int years, std::uint64_t seed) {
  const MonthlyRainfallModel model =
      fit_month({kMean[month - 1], kWetDays[month - 1], kCv[month - 1] * kMean[month - 1]},
                kDaysInMonth[month - 1], kGengPersistence);
  EXPECT_TRUE(model.variance_reachable) << "month " << month;
  std::vector<double> totals;
  std::array<double, kMostDaysInMonth> days{};
  double wet = 0;
  for (int year = 0; year < years; ++year) {
    totals.push_back(generate_month(model.chain, model.mean_wet_day_mm, model.shape, seed,
                                    2000 + year, month, days));
    for (int d = 0; d < kDaysInMonth[month - 1]; ++d) wet += days[d] > 0 ? 1 : 0;
  }
  MonthStatistics s;
  for (double t : totals) s.mean += t / years;
  for (double t : totals) s.variance += (t - s.mean) * (t - s.mean) / (years - 1);
  s.wet_share = wet / (static_cast<double>(years) * kDaysInMonth[month - 1]);
  return s;
}

}  // namespace

TEST(DailyRainfall, GeneratedYearsMatchTheMonthlyStatisticsWithinFivePercent) {
  for (int month = 1; month <= 12; ++month) {
    SCOPED_TRACE(month);
    const MonthStatistics thousand = generated(month, 1000, 20251124);
    EXPECT_NEAR(thousand.mean, kMean[month - 1], 0.05 * kMean[month - 1]);
    EXPECT_NEAR(thousand.wet_share, kWetDays[month - 1] / kDaysInMonth[month - 1],
                0.05 * kWetDays[month - 1] / kDaysInMonth[month - 1]);
    const MonthStatistics long_run = generated(month, 40000, 20251124);
    const double sd = kCv[month - 1] * kMean[month - 1];
    EXPECT_NEAR(long_run.variance, sd * sd, 0.05 * sd * sd);
  }
}

TEST(DailyRainfall, WetDayCountVarianceIsTheChainsExactValue) {
  // Enumerate every wet/dry sequence of 6 days of a chain with f = 0.3, d = 0.4.
  const WetDayChain chain{0.3, 0.4};
  const int n = 6;
  double mean = 0, second = 0;
  for (int bits = 0; bits < (1 << n); ++bits) {
    double p = 1;
    int count = 0;
    for (int day = 0; day < n; ++day) {
      const bool wet = (bits >> day) & 1;
      const bool before = day > 0 && ((bits >> (day - 1)) & 1);
      const double p_wet = day == 0 ? chain.wet_fraction
                           : before ? chain.wet_after_wet()
                                    : chain.wet_after_dry();
      p *= wet ? p_wet : 1 - p_wet;
      count += wet;
    }
    mean += p * count;
    second += p * count * count;
  }
  EXPECT_NEAR(mean, n * 0.3, 1e-12);
  EXPECT_NEAR(second - mean * mean, wet_day_count_variance(n, chain), 1e-12);
}

TEST(DailyRainfall, GammaVariatesHaveTheirMeanAndVariance) {
  for (double shape : {0.5, 1.0, 3.0}) {
    SCOPED_TRACE(shape);
    double mean = 0, second = 0;
    const int draws = 200000;
    for (int i = 0; i < draws; ++i) {
      const double x = gamma_variate(shape, {7, 0, 0, static_cast<std::uint64_t>(i), 0});
      mean += x / draws;
      second += x * x / draws;
    }
    // Standard errors: sqrt(k / n) for the mean, about sqrt(k^2 (2 + 6/k) / n) for the variance.
    EXPECT_NEAR(mean, shape, 4 * std::sqrt(shape / draws));
    EXPECT_NEAR(second - mean * mean, shape,
                4 * std::sqrt(shape * shape * (2 + 6 / shape) / draws));
  }
}

TEST(DailyRainfall, MonthSplitAddsUpAndRepeatsWithTheSeed) {
  std::array<double, kMostDaysInMonth> a{}, b{}, c{};
  const WetDayChain chain{9.0 / 30.0, kGengPersistence};
  disaggregate_month(86.6, chain, geng_gamma_shape(86.6 / 9.0), 42, 2031, 6, a);
  disaggregate_month(86.6, chain, geng_gamma_shape(86.6 / 9.0), 42, 2031, 6, b);
  disaggregate_month(86.6, chain, geng_gamma_shape(86.6 / 9.0), 43, 2031, 6, c);
  double total = 0;
  for (int d = 0; d < 30; ++d) total += a[d];
  EXPECT_NEAR(total, 86.6, 1e-12);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), sizeof a), 0);
  EXPECT_NE(std::memcmp(a.data(), c.data(), sizeof a), 0);
  EXPECT_EQ(a[30], 0.0);  // June has 30 days
  // A dry month stays dry; rain in a month whose chain draws no wet day falls on one day.
  disaggregate_month(0.0, chain, 1.0, 42, 2031, 6, a);
  for (double day : a) EXPECT_EQ(day, 0.0);
  disaggregate_month(3.0, {0.0, 0.0}, 1.0, 42, 2031, 1, a);
  int wet = 0;
  for (double day : a) wet += day > 0;
  EXPECT_EQ(wet, 1);
  EXPECT_DOUBLE_EQ(*std::max_element(a.begin(), a.end()), 3.0);
}

TEST(DailyRainfall, GengShapeFollowsItsRelation) {
  // beta = -2.16 + 1.83 x 10 = 16.14 mm, shape = 10 / 16.14.
  EXPECT_NEAR(geng_gamma_shape(10.0), 10.0 / 16.14, 1e-12);
  EXPECT_EQ(geng_gamma_shape(1.0), 10.0);  // beta <= 0: the largest shape
}
