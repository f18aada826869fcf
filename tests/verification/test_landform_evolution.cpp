// Requirements (issue 3): steady-state hillslope diffusion matches its analytic parabola;
// steady-state stream power matches the slope-area relation S = (U/K)^(1/n) A^(-m/n).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "models/terrain/flow_graph.hpp"
#include "models/terrain/landform_evolution.hpp"

using namespace minetwin;
using namespace minetwin::terrain;

TEST(Diffusion, SteadyStateIsTheAnalyticParabola) {
  // 1D hillslope between two fixed channels 100 m apart, uplift U, diffusivity D:
  // D z'' = -U  =>  z(x) = U / (2 D) x (L - x). The 3-point Laplacian is exact for a quadratic,
  // so the discrete steady state equals the parabola at the nodes.
  const std::size_t columns = 101;
  const RasterGrid grid(GridGeometry{columns, 3, 1.0, 0, 0, ""},
                        std::vector<std::uint8_t>(3 * columns, 1));
  const double u = 1e-3, d = 0.01, length = 100.0;
  std::vector<double> z(3 * columns, 0.0);
  for (int step = 0; step < 4000; ++step) {
    diffusion_step(grid, d, u, 500.0, z, DiffusionBoundary::reflective_north_south);
  }
  double worst = 0.0;
  for (std::size_t row = 0; row < 3; ++row) {
    for (std::size_t c = 0; c < columns; ++c) {
      const double x = static_cast<double>(c);
      const double z_we_want = u / (2 * d) * x * (length - x);
      worst = std::max(worst, std::abs(z[row * columns + c] - z_we_want));
    }
  }
  EXPECT_LT(worst / (u / (2 * d) * 50 * 50), 1e-6) << "worst " << worst << " m of 125 m";
}

TEST(Diffusion, ConservesMassWithReflectiveBoundaries) {
  // A bump on a reflective-north-south strip with fixed ends far away: after a short time no
  // material has reached the ends, so the volume is unchanged.
  const std::size_t columns = 201;
  const RasterGrid grid(GridGeometry{columns, 5, 1.0, 0, 0, ""},
                        std::vector<std::uint8_t>(5 * columns, 1));
  std::vector<double> z(5 * columns, 0.0);
  for (std::size_t r = 0; r < 5; ++r) z[r * columns + 100] = 1.0;
  const double before = std::accumulate(z.begin(), z.end(), 0.0);
  for (int step = 0; step < 10; ++step)
    diffusion_step(grid, 0.01, 0.0, 10.0, z, DiffusionBoundary::reflective_north_south);
  EXPECT_NEAR(std::accumulate(z.begin(), z.end(), 0.0), before, 1e-9);
}

TEST(StreamPower, SteadyStateFollowsTheSlopeAreaRelation) {
  // One channel of 40 cells draining east to a fixed outlet; drainage area grows by one cell per
  // node. With uplift U, at steady state U = K A^m S (n = 1): S = (U / K) A^-m.
  const std::size_t columns = 40;
  const double dx = 10.0, u = 1e-3, k = 1e-4, m = 0.5;
  const RasterGrid grid(GridGeometry{columns, 1, dx, 0, 0, ""},
                        std::vector<std::uint8_t>(columns, 1));
  std::vector<double> z(columns);
  for (std::size_t c = 0; c < columns; ++c) z[c] = 0.01 * static_cast<double>(columns - 1 - c);
  const FlowGraph graph(grid, z);  // every node drains east; the east end is the outlet
  ASSERT_EQ(graph.receivers()[0], 1u);
  const auto cells = graph.accumulate({}, -9999.0);
  std::vector<double> area(columns), erodibility(columns, k);
  for (std::size_t c = 0; c < columns; ++c) area[c] = cells[c] * dx * dx;
  for (int step = 0; step < 20000; ++step)
    stream_power_step(graph, area, erodibility, m, u, 100.0, z);
  for (std::size_t c = 0; c + 1 < columns; ++c) {
    SCOPED_TRACE(c);
    const double slope_we_got = (z[c] - z[c + 1]) / dx;
    const double slope_we_want = (u / k) * std::pow(area[c], -m);
    EXPECT_NEAR(slope_we_got / slope_we_want, 1.0, 1e-6);
  }
}
