// Issue 7: Sobol indices of the Ishigami function (Ishigami & Homma 1990) against their
// analytic values, through the sweep's own design, distributions and estimators.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

#include "engine/sweep/distribution.hpp"
#include "engine/sweep/sampling.hpp"
#include "engine/sweep/statistics.hpp"

using namespace minetwin::sweep;

TEST(SobolIndices, IshigamiMatchesTheAnalyticValues) {
  constexpr double a = 7.0, b = 0.1, pi = std::numbers::pi;
  // Analytic partial variances (e.g. Saltelli et al. 2008, Global Sensitivity Analysis, 4.5).
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = std::pow(b, 2) * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const double expected_first[3] = {v1 / v, v2 / v, 0.0};
  const double expected_total[3] = {(v1 + v13) / v, v2 / v, v13 / v};

  const std::size_t n = 4096, k = 3;
  const Design design = make_design(SamplingMethod::saltelli, n, k, 0);
  Distribution input;
  input.kind = DistributionKind::uniform;
  input.min = -pi;
  input.max = pi;
  std::vector<double> outputs(design.members());
  for (std::size_t m = 0; m < design.members(); ++m) {
    const double x1 = input.quantile(design.at(m, 0)), x2 = input.quantile(design.at(m, 1)),
                 x3 = input.quantile(design.at(m, 2));
    outputs[m] = std::sin(x1) + a * std::pow(std::sin(x2), 2) + b * std::pow(x3, 4) * std::sin(x1);
  }
  const auto indices = sobol_indices(outputs, k, 200, 5);
  for (std::size_t i = 0; i < k; ++i) {
    SCOPED_TRACE("input x" + std::to_string(i + 1));
    std::printf(
        "x%zu: S1 %.4f [%.4f, %.4f] (analytic %.4f), ST %.4f [%.4f, %.4f] (analytic %.4f)\n", i + 1,
        indices[i].first, indices[i].first_low, indices[i].first_high, expected_first[i],
        indices[i].total, indices[i].total_low, indices[i].total_high, expected_total[i]);
    EXPECT_NEAR(indices[i].first, expected_first[i], 0.02);
    EXPECT_NEAR(indices[i].total, expected_total[i], 0.02);
    EXPECT_LE(indices[i].first_low, indices[i].first);
    EXPECT_GE(indices[i].first_high, indices[i].first);
    EXPECT_LE(indices[i].total_low, indices[i].total);
    EXPECT_GE(indices[i].total_high, indices[i].total);
    EXPECT_LT(indices[i].total_high - indices[i].total_low, 0.1);  // intervals that say something
  }
  // Published values: S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
  EXPECT_NEAR(expected_first[0], 0.3139, 1e-4);
  EXPECT_NEAR(expected_total[2], 0.2437, 1e-4);
}
