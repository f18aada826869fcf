// Requirement (issue 3): the fill that keeps real closed basins (pit lakes) drains every cell of
// the real DEMs of ../shared and of the demo site either over the edge (or into nodata) or into
// exactly one kept sink per closed depression at least the threshold deep; outside the kept
// basins it is the full Priority-Flood fill, and inside them it is never above it.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "engine/io/gdal_raster.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/neighbours.hpp"
#include "models/terrain/priority_flood.hpp"

using namespace minetwin;
using namespace minetwin::terrain;
namespace fs = std::filesystem;

namespace {

// Returns the number of basins kept, after checking the properties above.
std::size_t check_basins(const fs::path& file, double min_depth_m) {
  const RasterData dem = read_dem(file);
  const RasterGrid grid(dem.geometry, dem.valid);
  const FillResult full = priority_flood_fill(grid, dem.values);
  const BasinFill kept = fill_keeping_closed_basins(grid, dem.values, min_depth_m);
  std::set<std::uint32_t> sinks;
  std::size_t basin_cells = 0;
  for (const ClosedBasin& basin : kept.basins) {
    EXPECT_GE(basin.spill_elevation_m - dem.values[basin.sink], min_depth_m) << file;
    EXPECT_EQ(basin.spill_elevation_m, full.elevation[basin.sink]) << file;
    EXPECT_EQ(kept.elevation[basin.sink], dem.values[basin.sink]) << file;
    sinks.insert(basin.sink);
    basin_cells += basin.cell_count;
  }
  EXPECT_EQ(sinks.size(), kept.basins.size()) << file;
  // Where each cell's flow ends, receivers before donors along the stack.
  const FlowGraph graph(grid, kept.elevation);
  const auto& receiver = graph.receivers();
  std::vector<std::uint32_t> outlet(grid.cell_count());
  for (const std::uint32_t c : graph.stack())
    outlet[c] = receiver[c] == c ? c : outlet[receiver[c]];
  const Neighbourhood hood(grid);
  std::set<std::uint32_t> sinks_reached;
  std::size_t changed = 0;
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (!grid.is_valid(c)) continue;
    const std::uint32_t end = outlet[c];
    const bool kept_sink = sinks.count(end) != 0;
    EXPECT_TRUE(hood.is_boundary(end) || kept_sink) << file << ": cell " << c << " ends in " << end;
    if (kept_sink) sinks_reached.insert(end);
    EXPECT_GE(kept.elevation[c], dem.values[c]) << file << ": cell " << c;
    EXPECT_LE(kept.elevation[c], full.elevation[c]) << file << ": cell " << c;
    changed += kept.elevation[c] != full.elevation[c] ? 1 : 0;
  }
  EXPECT_EQ(sinks_reached.size(), sinks.size()) << file;
  EXPECT_LE(changed, basin_cells) << file;
  return kept.basins.size();
}

}  // namespace

TEST(ClosedBasins, DemoSiteDrainsToItsEdgesAndKeptLakes) {
  const fs::path dem = fs::path(MINETWIN_SOURCE_DIR) / "assets/demo_site/dem.tif";
  const std::size_t basins = check_basins(dem, 5.0);
  EXPECT_GE(basins, 1u);
  // A lower threshold keeps at least as many (shallower depressions join them).
  EXPECT_GE(check_basins(dem, 1.0), basins);
}

TEST(ClosedBasins, RealDems) {
  const fs::path shared = fs::path(MINETWIN_SOURCE_DIR) / ".." / "shared" / "data" / "dem";
  if (!fs::exists(shared)) GTEST_SKIP() << "../shared/data/dem not present";
  for (const char* name : {"whiteboxR_DEM.tif", "srtm_bigtujunga30m_utm11.tif", "hugo_site.asc"}) {
    for (const double depth : {1.0, 5.0}) {
      const std::size_t basins = check_basins(shared / name, depth);
      std::cout << name << ": " << basins << " basins at least " << depth << " m deep\n";
    }
  }
}
