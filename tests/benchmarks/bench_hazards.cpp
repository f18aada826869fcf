// Rockfall trajectories per second on the demo's pit wall (issue 8, target >= 2000 per second
// on this machine): the demo DEM, sources on its cells steeper than 40 degrees, 2000 blocks
// from 0.05 to 1 m3, the default time step; all threads. Skips when the demo DEM is missing.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>

#include "engine/io/gdal_raster.hpp"
#include "models/hazards/rockfall.hpp"
#include "models/hazards/rockfall_component.hpp"
#include "models/terrain/surface_derivatives.hpp"

using namespace minetwin;

namespace {

void BM_RockfallDemoPitWall(benchmark::State& bench) {
  const std::filesystem::path dem_file =
      std::filesystem::path(MINETWIN_SOURCE_DIR) / "assets" / "demo_site" / "dem.tif";
  if (!std::filesystem::exists(dem_file)) {
    bench.SkipWithError("no demo DEM");
    return;
  }
  const RasterData dem = read_dem(dem_file);
  const RasterGrid grid(dem.geometry, dem.valid);
  const std::vector<double> slope = terrain::slope_degrees(grid, dem.values, NAN);
  hazards::RockfallTerrain terrain =
      hazards::terrain_on_grid(grid, dem.values, hazards::Surface::loose_spoil);
  std::vector<float> slope_deg(slope.begin(), slope.end());
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    if (slope[c] >= 40) terrain.surface[c] = hazards::Surface::bare_rock;
  auto sources = hazards::rockfall_sources(terrain, slope_deg, 40.0, 90.0);
  const std::size_t blocks_wanted = 2000;
  std::vector<std::size_t> chosen;
  for (std::size_t k = 0; k < sources.size() && chosen.size() < blocks_wanted;
       k += std::max<std::size_t>(1, sources.size() / blocks_wanted))
    chosen.push_back(sources[k]);
  const auto blocks =
      hazards::release_blocks(terrain, chosen, 1, 0.05, 1.0, hazards::BlockShape::sphere, 1);
  for (auto _ : bench) {
    const auto result = hazards::simulate_blocks(terrain, blocks, hazards::RockfallOptions{});
    benchmark::DoNotOptimize(result.blocks);
  }
  bench.SetItemsProcessed(bench.iterations() * static_cast<std::int64_t>(blocks.size()));
  bench.counters["blocks"] = static_cast<double>(blocks.size());
}
BENCHMARK(BM_RockfallDemoPitWall)->Unit(benchmark::kSecond)->Iterations(2)->UseRealTime();

}  // namespace
