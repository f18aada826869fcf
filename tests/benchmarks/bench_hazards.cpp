// Rockfall trajectories per second on the demo's pit wall (issue 8, target >= 2000 per second
// on this machine): the demo DEM, sources on its cells steeper than 40 degrees, 2000 blocks
// from 0.05 to 1 m3, the default time step; all threads. Skips when the demo DEM is missing.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>

#include <BulletCollision/CollisionShapes/btTriangleInfoMap.h>
#include <tbb/parallel_for.h>

#include "engine/io/gdal_raster.hpp"
#include "models/hazards/heightfield_edges.hpp"
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

// The heightfield's internal-edge information on a 1024 x 1024 grid (issue 22): Bullet's
// serial routine (the reference) against the tiles (below), same process, all threads.
std::vector<float> rough_heights(int size) {
  std::vector<float> heights(static_cast<std::size_t>(size) * static_cast<std::size_t>(size));
  for (int j = 0; j < size; ++j)
    for (int i = 0; i < size; ++i)
      heights[static_cast<std::size_t>(j) * static_cast<std::size_t>(size) +
              static_cast<std::size_t>(i)] = 20.0f * std::sin(0.031f * static_cast<float>(i)) *
                                             std::cos(0.017f * static_cast<float>(j));
  return heights;
}

// Bullet's routine for the whole heightfield, serially, against every tile computed in
// parallel (the rockfall computes only the tiles its blocks touch: this is the most it can cost).
template <bool kTiles>
void BM_InternalEdgeInfo1024(benchmark::State& bench) {
  const std::vector<float> heights = rough_heights(1024);
  const hazards::HeightfieldGeometry geometry{1024, 1024, heights.data(), -21.0f, 21.0f, 5.0};
  for (auto _ : bench) {
    if constexpr (kTiles) {
      const hazards::EdgeTiles tiles(geometry);
      const int step = hazards::EdgeTiles::kTileQuads;
      tbb::parallel_for(0, 1023 / step + 1, [&](int tile_row) {
        for (int column = 0; column < 1023; column += step)
          tiles.entry(2 * column, tile_row * step);
      });
      benchmark::DoNotOptimize(tiles.computed_tiles());
    } else {
      btTriangleInfoMap edges;
      hazards::build_internal_edge_info_serially(geometry, edges);
      benchmark::DoNotOptimize(edges.size());
    }
  }
}
BENCHMARK(BM_InternalEdgeInfo1024<false>)
    ->Name("BM_InternalEdgeInfo1024/bullet_serial")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK(BM_InternalEdgeInfo1024<true>)
    ->Name("BM_InternalEdgeInfo1024/all_tiles")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace
