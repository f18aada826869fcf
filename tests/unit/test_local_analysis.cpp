// Issue 25: the state update's localised ensemble Kalman analysis (state_update.hpp) against the
// closed-form Kalman update of a scalar Gaussian state, with and without the distance taper, and
// the Gaspari & Cohn taper against its published values.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/calibration/state_update.hpp"
#include "engine/core/random.hpp"

using namespace minetwin;
using namespace minetwin::calibration;

namespace {

// A row of @p columns cells of 10 m; the first cell's centre is at x = 5, y = -5.
RasterGrid row_grid(std::size_t columns, std::vector<std::uint8_t> valid = {}) {
  GridGeometry g;
  g.columns = columns;
  g.rows = 1;
  g.cell_size_m = 10;
  g.west_m = 0;
  g.north_m = 0;
  if (valid.empty()) valid.assign(columns, 1);
  return RasterGrid(g, std::move(valid));
}

struct Moments {
  double mean = 0, variance = 0;
};

Moments moments(const EnsembleMatrix& m, std::size_t row) {
  Moments out;
  for (std::size_t j = 0; j < m.members; ++j) out.mean += m.at(row, j);
  out.mean /= static_cast<double>(m.members);
  for (std::size_t j = 0; j < m.members; ++j)
    out.variance += (m.at(row, j) - out.mean) * (m.at(row, j) - out.mean);
  out.variance /= static_cast<double>(m.members - 1);
  return out;
}

// Members x_j ~ N(prior_mean, prior_sd^2) in every cell (the same draw in each), one datum of
// the first cell's value at (@p at_x, -5).
struct Case {
  EnsembleMatrix states;
  FieldObservations obs;
};

Case scalar_case(std::size_t cells, std::size_t members, double prior_mean, double prior_sd,
                 double observed, double sd, double at_x) {
  Case c;
  c.states = EnsembleMatrix(cells, members);
  c.obs.x = {at_x};
  c.obs.y = {-5};
  c.obs.value = {observed};
  c.obs.sd = {sd};
  c.obs.predicted = EnsembleMatrix(1, members);
  c.obs.noise = EnsembleMatrix(1, members);
  for (std::size_t j = 0; j < members; ++j) {
    const double x = prior_mean + prior_sd * random_normal({5, j, 0, 0, 1});
    for (std::size_t cell = 0; cell < cells; ++cell) c.states.at(cell, j) = x;
    c.obs.predicted.at(0, j) = x;
    c.obs.noise.at(0, j) = random_normal({5, j, 0, 0, 2});
  }
  return c;
}

}  // namespace

TEST(GaspariCohn, PublishedValues) {
  EXPECT_DOUBLE_EQ(gaspari_cohn(0, 100), 1.0);
  EXPECT_NEAR(gaspari_cohn(50, 100), 5.0 / 24.0, 1e-12);  // z = 1: both branches give 5/24
  EXPECT_NEAR(gaspari_cohn(50 - 1e-9, 100), gaspari_cohn(50 + 1e-9, 100), 1e-9);
  EXPECT_EQ(gaspari_cohn(100, 100), 0.0);
  EXPECT_EQ(gaspari_cohn(150, 100), 0.0);
  double previous = 1.0;
  for (double d = 1; d < 100; d += 1) {  // decreasing on the support
    EXPECT_LT(gaspari_cohn(d, 100), previous) << d;
    previous = gaspari_cohn(d, 100);
  }
}

// x ~ N(2, 1), y = x + e, e ~ N(0, 0.5^2), observed 3.5: the posterior is N(2 + 0.8 * 1.5,
// 0.2) (Kalman: gain 1 / (1 + 0.25) = 0.8, variance 0.8 * 0.25). A large ensemble must give both
// within 2 %.
TEST(LocalAnalysis, ScalarStateMatchesTheKalmanUpdate) {
  const RasterGrid grid = row_grid(1);
  Case c = scalar_case(1, 20000, 2.0, 1.0, 3.5, 0.5, 5);
  const Moments before = moments(c.states, 0);
  LocalAnalysisOptions options;
  options.radius_m = 100;
  local_ensemble_analysis(grid, c.obs, options, c.states);
  const Moments after = moments(c.states, 0);
  const double gain = before.variance / (before.variance + 0.25);
  // The centred perturbations make the mean the Kalman update of the ensemble's own mean.
  EXPECT_NEAR(after.mean, before.mean + gain * (3.5 - before.mean), 1e-9);
  EXPECT_NEAR(after.mean, 3.2, 0.02 * 3.2);
  EXPECT_NEAR(after.variance, 0.2, 0.02 * 0.2);
}

// The same datum 40 m away with a radius of 100 m: its error variance is divided by the taper
// rho = GC(40, 100), so the gain is sb^2 / (sb^2 + sd^2 / rho); beyond the radius nothing moves,
// and a cell that is not valid keeps its values.
TEST(LocalAnalysis, TheTaperWeightsDataByDistanceAndEndsAtTheRadius) {
  const RasterGrid grid = row_grid(12, {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1});
  Case c = scalar_case(12, 4000, 2.0, 1.0, 3.5, 0.5, 5);  // the datum at the first cell
  const EnsembleMatrix background = c.states;
  LocalAnalysisOptions options;
  options.radius_m = 100;
  local_ensemble_analysis(grid, c.obs, options, c.states);
  const Moments b = moments(background, 4);
  const double rho = gaspari_cohn(40, 100);
  const double gain = b.variance / (b.variance + 0.25 / rho);
  EXPECT_NEAR(moments(c.states, 4).mean, b.mean + gain * (3.5 - b.mean), 1e-9);  // 40 m away
  EXPECT_GT(moments(c.states, 0).mean - b.mean, moments(c.states, 4).mean - b.mean);
  for (std::size_t j = 0; j < background.members; ++j) {
    EXPECT_EQ(c.states.at(5, j), background.at(5, j));    // not valid
    EXPECT_EQ(c.states.at(10, j), background.at(10, j));  // 100 m away: weight 0
    EXPECT_EQ(c.states.at(11, j), background.at(11, j));
  }
}

// A non-negative field stays so; a fraction stays within [0, 1].
TEST(LocalAnalysis, TruncatesToTheFieldsBounds) {
  const RasterGrid grid = row_grid(1);
  Case low = scalar_case(1, 200, 0.1, 0.1, -0.5, 0.05, 5);
  LocalAnalysisOptions options;
  options.radius_m = 100;
  options.nonnegative = true;
  local_ensemble_analysis(grid, low.obs, options, low.states);
  Case high = scalar_case(1, 200, 0.9, 0.1, 1.5, 0.05, 5);
  options.fraction = true;
  local_ensemble_analysis(grid, high.obs, options, high.states);
  for (std::size_t j = 0; j < 200; ++j) {
    EXPECT_GE(low.states.at(0, j), 0.0);
    EXPECT_LE(high.states.at(0, j), 1.0);
  }
  EXPECT_LT(moments(low.states, 0).mean, 0.05);
  EXPECT_GT(moments(high.states, 0).mean, 0.95);
}

// More local data than members takes the ensemble-space form: six data of the cell's value
// (sd 0.5 each) and four members; the Kalman update of the mean with n data of one value is that
// of their mean with sd / sqrt(n): gain s^2 / (s^2 + 0.25 / 6).
TEST(LocalAnalysis, EnsembleSpaceFormMatchesTheKalmanUpdate) {
  const RasterGrid grid = row_grid(1);
  const std::size_t members = 4, data = 6;
  EnsembleMatrix states(1, members);
  FieldObservations obs;
  obs.predicted = EnsembleMatrix(data, members);
  obs.noise = EnsembleMatrix(data, members);
  double observed_mean = 0;
  for (std::size_t i = 0; i < data; ++i) {
    obs.x.push_back(5);
    obs.y.push_back(-5);
    obs.value.push_back(3.0 + 0.1 * static_cast<double>(i));
    obs.sd.push_back(0.5);
    observed_mean += obs.value.back() / static_cast<double>(data);
  }
  for (std::size_t j = 0; j < members; ++j) {
    states.at(0, j) = 1.0 + 0.7 * static_cast<double>(j);
    for (std::size_t i = 0; i < data; ++i) {
      obs.predicted.at(i, j) = states.at(0, j);
      obs.noise.at(i, j) = random_normal({6, j, 0, i, 0});
    }
  }
  const Moments before = moments(states, 0);
  LocalAnalysisOptions options;
  options.radius_m = 100;
  local_ensemble_analysis(grid, obs, options, states);
  const double gain = before.variance / (before.variance + 0.25 / static_cast<double>(data));
  EXPECT_NEAR(moments(states, 0).mean, before.mean + gain * (observed_mean - before.mean), 1e-12);
}
