// Requirements (issue 23, long-term landform check): the surface lowering of each year is the
// landform evolution's plus the soil profile's thinning; it accumulates, wears the engineered
// cover down and marks it breached where it is worn through; the deepest cut and where it is,
// and the areas with cover left and breached, reach the summary. A cover measure restores it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "component_step.hpp"
#include "engine/core/component.hpp"
#include "engine/core/measure.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/terrain/landform_check.hpp"

using namespace minetwin;

namespace {

// Two rows of three 10 m cells, the grid's west edge at x = 1000 and its north edge at y = 500.
// Cells 0-2 carry 0.5 m of cover, cell 5 is outside the site.
struct Site {
  std::unique_ptr<State> state;
  terrain::LandformCheck component;

  Site() {
    std::vector<std::uint8_t> valid{1, 1, 1, 1, 1, 0};
    state = std::make_unique<State>(RasterGrid(GridGeometry{3, 2, 10.0, 1000, 500, ""}, valid), 1);
    test::add_declared_fields(*state, component);
    for (std::size_t c = 0; c < 3; ++c) state->at("cover__thickness").set(c, 0.5);
  }
  // One year: @p landform the elevation change, @p soil the profile's thickness change (m).
  SummaryRow year(std::vector<double> landform, std::vector<double> soil) {
    for (std::size_t c = 0; c < 6; ++c) {
      state->at("topographic__elevation_change").set(c, landform[c]);
      state->at("soil__thickness_change").set(c, soil[c]);
    }
    return test::step_once(component, *state);
  }
  double get(const char* name, std::size_t c) const { return state->at(name).get(c); }
};

}  // namespace

TEST(LandformCheck, LoweringAddsUpAndWearsTheCoverThrough) {
  Site site;
  // Year 1: cell 0 loses 0.1 m by landform evolution and 0.05 m of soil; cell 1 gains 0.02 m of
  // deposit; cell 4 (no cover) is cut 0.3 m; cell 5 is outside and ignored.
  SummaryRow row = site.year({-0.1, 0.0, 0.0, 0.0, -0.3, -9.0}, {-0.05, 0.02, 0.0, 0.0, 0.0, 0.0});
  EXPECT_NEAR(site.get("landform__cumulative_lowering", 0), 0.15, 1e-7);
  EXPECT_NEAR(site.get("landform__cumulative_lowering", 1), -0.02, 1e-7);
  EXPECT_NEAR(site.get("cover__thickness", 0), 0.35, 1e-7);
  EXPECT_NEAR(site.get("cover__thickness", 1), 0.52, 1e-7);  // the deposit thickens the cover
  EXPECT_EQ(site.get("cover__thickness", 4), 0.0);           // no cover to wear: not breached
  EXPECT_EQ(site.get("cover__breached", 4), 0.0);
  // The deepest cut: cell 4 (column 1, row 1), centre at (1015, 485).
  EXPECT_NEAR(row.get("deepest_gully_m"), 0.3, 1e-7);
  EXPECT_EQ(row.get("deepest_gully_x_m"), 1015.0);
  EXPECT_EQ(row.get("deepest_gully_y_m"), 485.0);
  EXPECT_NEAR(row.get("cover_area_ha"), 3 * 100.0 / 1e4, 1e-12);
  EXPECT_EQ(row.get("cover_breached_ha"), 0.0);

  // Year 2: cell 0 loses another 0.4 m: 0.55 in all, through its 0.5 m cover.
  row = site.year({-0.3, 0.0, 0.0, 0.0, 0.0, 0.0}, {-0.1, 0.0, 0.0, 0.0, 0.0, 0.0});
  EXPECT_NEAR(site.get("landform__cumulative_lowering", 0), 0.55, 1e-7);
  EXPECT_EQ(site.get("cover__thickness", 0), 0.0);
  EXPECT_EQ(site.get("cover__breached", 0), 1.0);
  EXPECT_NEAR(row.get("deepest_gully_m"), 0.55, 1e-7);
  EXPECT_EQ(row.get("deepest_gully_x_m"), 1005.0);
  EXPECT_EQ(row.get("deepest_gully_y_m"), 495.0);
  EXPECT_NEAR(row.get("cover_area_ha"), 2 * 100.0 / 1e4, 1e-12);
  EXPECT_NEAR(row.get("cover_breached_ha"), 100.0 / 1e4, 1e-12);

  // A deposit on a breached cell does not make a cover again.
  site.year({0.2, 0.0, 0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
  EXPECT_EQ(site.get("cover__thickness", 0), 0.0);
  EXPECT_EQ(site.get("cover__breached", 0), 1.0);
}

TEST(LandformCheck, ASiteThatOnlyGainsHasNoGully) {
  Site site;
  const SummaryRow row = site.year({0.1, 0.1, 0.1, 0.1, 0.1, 0.0}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
  EXPECT_EQ(row.get("deepest_gully_m"), 0.0);
}
