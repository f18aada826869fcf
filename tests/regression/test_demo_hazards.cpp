// Issue 8 (Done when): in the demo, the rockfall hazard of the dump batters shrinks after
// regrading, and fewer blocks reach the haul road; `minetwin hazard rockfall` runs the same
// model on any DEM and keeps its georeferencing.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "cli.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const std::string kDemo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";

// Cells of zone @p zone where a field of the record of @p year is above @p threshold.
std::size_t zone_cells_above(const fs::path& state_nc, const std::string& field, int year,
                             float zone, double threshold) {
  NetcdfReader reader(state_nc);
  const auto& years = reader.years();
  const auto record =
      static_cast<std::size_t>(std::find(years.begin(), years.end(), year) - years.begin());
  const auto values = reader.read(field, record);
  const auto zones = reader.read("zone__id", 0);
  std::size_t n = 0;
  for (std::size_t c = 0; c < values.size(); ++c) n += zones[c] == zone && values[c] > threshold;
  return n;
}

}  // namespace

TEST(DemoHazards, RegradingShrinksTheDumpsRockfallHazard) {
  const fs::path base = test::scratch_dir("minetwin_demo_hazards");
  fs::remove_all(base);
  // The demo simulates rockfall in 2025 and 2035 (hazards.every_years: 10); the dump is
  // regraded to 18 degrees in 2026.
  const auto run = test::run_cli("run " + kDemo + " --quiet --set simulation.years=11 -o " +
                                 (base / "plan").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const fs::path nc = base / "plan" / "state.nc";
  // zone__id 3 is the waste dump. The record of 2026 holds the hazard of 2025, that of 2036
  // the hazard of 2035.
  const std::size_t sources_before = zone_cells_above(nc, "hazard_rockfall__source", 2026, 3, 0.5);
  const std::size_t sources_after = zone_cells_above(nc, "hazard_rockfall__source", 2036, 3, 0.5);
  const std::size_t hazard_before = zone_cells_above(nc, "hazard_rockfall__class", 2026, 3, 0.5);
  const std::size_t hazard_after = zone_cells_above(nc, "hazard_rockfall__class", 2036, 3, 0.5);
  std::printf("dump: source cells %zu -> %zu, cells with a rockfall hazard %zu -> %zu\n",
              sources_before, sources_after, hazard_before, hazard_after);
  EXPECT_GT(sources_before, 100u);  // the 35 degree batters ravel
  EXPECT_EQ(sources_after, 0u);     // at 18 degrees they do not
  EXPECT_LT(hazard_after, hazard_before / 4);

  const auto low = test::summary_column(base / "plan" / "summary.csv", "rockfall_area_low_ha");
  const auto medium =
      test::summary_column(base / "plan" / "summary.csv", "rockfall_area_medium_ha");
  const auto reaching =
      test::summary_column(base / "plan" / "summary.csv", "rockfall_blocks_reaching_protected");
  EXPECT_LT(low.at(2035) + medium.at(2035), 0.7 * (low.at(2025) + medium.at(2025)));
  EXPECT_LE(reaching.at(2035), reaching.at(2025));
  // Outside the hazard years the map stands and no block is simulated.
  const auto blocks = test::summary_column(base / "plan" / "summary.csv", "rockfall_blocks");
  EXPECT_GT(blocks.at(2025), 0.0);
  EXPECT_EQ(blocks.at(2026), 0.0);
  EXPECT_DOUBLE_EQ(low.at(2026), low.at(2025));
}

TEST(HazardCli, RockfallOnAnyDemKeepsItsGeoreferencing) {
  const fs::path dir = test::scratch_dir("minetwin_hazard_cli");
  fs::remove_all(dir);
  fs::create_directories(dir);
  // A 50 degree face 30 m high above a level floor, 2 m cells, in UTM 50N.
  GridGeometry g{60, 30, 2.0, 500000.0, 4400000.0, crs_wkt_from_epsg(32650)};
  std::vector<double> z;
  for (std::size_t j = 0; j < g.rows; ++j)
    for (std::size_t i = 0; i < g.columns; ++i) {
      const double x = static_cast<double>(i) * g.cell_size_m;
      z.push_back(x < 25 ? 130 - x * std::tan(50 * std::numbers::pi / 180)
                         : 130 - 25 * std::tan(50 * std::numbers::pi / 180));
    }
  write_raster(dir / "face.tif", RasterFormat::geotiff, g, z,
               std::vector<std::uint8_t>(z.size(), 1), kFillValue);
  const auto run = test::run_cli("hazard rockfall " + (dir / "face.tif").string() + " -o " +
                                 (dir / "out").string() + " --blocks 3 --seed 4");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("trajectories per second"), std::string::npos);
  const RasterData reach = read_dem(dir / "out" / "reach_probability.tif");
  EXPECT_EQ(reach.geometry, read_dem(dir / "face.tif").geometry);
  // Blocks come off the face and run out onto the floor; none climbs above the face's top row.
  double on_floor = 0;
  for (std::size_t j = 0; j < g.rows; ++j) {
    EXPECT_EQ(reach.values[j * g.columns + 0], 0.0);
    on_floor += reach.values[j * g.columns + 14];  // 28 m: the floor at the foot
  }
  EXPECT_GT(on_floor, 0.0);
  const RasterData classes = read_dem(dir / "out" / "hazard_class.tif");
  for (double v : classes.values) EXPECT_TRUE(v == 0 || v == 1 || v == 2 || v == 3);

  // Bad input: no source cell on a flat DEM is a clear error, exit 2.
  std::vector<double> flat(z.size(), 100.0);
  write_raster(dir / "flat.tif", RasterFormat::geotiff, g, flat,
               std::vector<std::uint8_t>(flat.size(), 1), kFillValue);
  const auto none = test::run_cli("hazard rockfall " + (dir / "flat.tif").string() + " -o " +
                                  (dir / "flat_out").string());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.output.find("no source cells"), std::string::npos) << none.output;
}
