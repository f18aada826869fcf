/// @file
/// @brief `minetwin hazard rockfall`: the rockfall model of the runs on any DEM, as GeoTIFFs.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include <tbb/global_control.h>

#include "apps/commands.hpp"
#include "engine/core/errors.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "models/hazards/rockfall.hpp"
#include "models/hazards/rockfall_component.hpp"
#include "models/terrain/surface_derivatives.hpp"

namespace minetwin::cli {

void add_hazard_command(CLI::App& app, Commands& commands) {
  struct Arguments {
    std::string dem, output, sources, surfaces;
    std::size_t blocks = 4;
    std::uint64_t seed = 1;
    int threads = 0;
    double rock_deg = 40, volume_min = 0.05, volume_max = 1.0;
  };
  auto args = std::make_shared<Arguments>();
  CLI::App* hazard = app.add_subcommand("hazard", "Geological hazard tools");
  hazard->require_subcommand(1);
  CLI::App* rockfall = hazard->add_subcommand(
      "rockfall",
      "Rockfall on any DEM (Bullet rigid bodies, docs/models/hazards.md): reach probability, "
      "energy, passing height and hazard class as GeoTIFFs");
  rockfall->add_option("dem", args->dem, "DEM (any GDAL raster)")->required();
  rockfall->add_option("-o,--output", args->output, "output folder")->required();
  rockfall->add_option("--sources", args->sources,
                       "raster of source cells (non-zero), on the DEM's grid (default: cells "
                       "steeper than --source-slope)");
  rockfall->add_option("--surfaces", args->surfaces,
                       "raster of surface classes on the DEM's grid: 0 bare rock, 1 loose spoil, "
                       "2 soil, 3 grass, 4 shrub, 5 forest (default: bare rock at sources, soil "
                       "elsewhere)");
  rockfall->add_option("--blocks", args->blocks, "blocks per source cell")
      ->check(CLI::Range(1, 10000));
  rockfall->add_option("--seed", args->seed, "seed of the release positions and volumes");
  rockfall->add_option("--threads", args->threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  rockfall->add_option("--source-slope", args->rock_deg, "slope of the default sources (degrees)")
      ->check(CLI::Range(1.0, 90.0));
  rockfall->add_option("--volume-min", args->volume_min, "smallest block (m3)")
      ->check(CLI::Range(0.001, 100.0));
  rockfall->add_option("--volume-max", args->volume_max, "largest block (m3)")
      ->check(CLI::Range(0.001, 100.0));
  rockfall->callback([&commands, args] {
    commands.action = [args] {
      if (args->volume_max < args->volume_min)
        throw InputError("<command line>", 0, 0, "--volume-max is smaller than --volume-min");
      std::unique_ptr<tbb::global_control> limit;
      if (args->threads > 0)
        limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                      static_cast<std::size_t>(args->threads));
      const RasterData dem = read_dem(args->dem);
      const RasterGrid grid(dem.geometry, dem.valid);
      const std::size_t cells = grid.cell_count();
      const std::vector<double> slope = terrain::slope_degrees(grid, dem.values, NAN);

      hazards::RockfallTerrain terrain = hazards::terrain_on_grid(grid, dem.values);
      std::vector<std::size_t> sources;
      if (!args->sources.empty()) {
        const RasterData mask = read_raster_on_grid(args->sources, dem.geometry);
        for (std::size_t c = 0; c < cells; ++c)
          if (mask.valid[c] && mask.values[c] != 0 && dem.valid[c]) sources.push_back(c);
      } else {
        for (std::size_t c = 0; c < cells; ++c)
          if (dem.valid[c] && slope[c] >= args->rock_deg) sources.push_back(c);
      }
      if (!args->surfaces.empty()) {
        const RasterData classes = read_raster_on_grid(args->surfaces, dem.geometry);
        terrain.surface.clear();
        for (std::size_t c = 0; c < cells; ++c) {
          const double v = classes.valid[c] ? classes.values[c] : 2.0;
          if (v < 0 || v > 5 || v != std::floor(v))
            throw InputError(args->surfaces, 0, 0,
                             "surface classes must be 0 to 5; found " + std::to_string(v));
          terrain.surface.push_back(static_cast<hazards::Surface>(static_cast<int>(v)));
          if (v >= 4) terrain.cover[c] = 1.0f;
        }
      } else {
        for (std::size_t c : sources) terrain.surface[c] = hazards::Surface::bare_rock;
      }
      if (sources.empty())
        throw InputError(args->dem, 0, 0,
                         "no source cells: no cell is steeper than " +
                             std::to_string(args->rock_deg) + " degrees (give --sources)");

      const auto start = std::chrono::steady_clock::now();
      const auto blocks =
          hazards::release_blocks(terrain, sources, args->blocks, args->volume_min,
                                  args->volume_max, hazards::BlockShape::sphere, args->seed);
      const auto result = hazards::simulate_blocks(terrain, blocks, hazards::RockfallOptions{});
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

      std::vector<double> reach(cells), energy(cells), height(cells), hazard_class(cells);
      double area[4] = {0, 0, 0, 0};
      for (std::size_t c = 0; c < cells; ++c) {
        const double p = static_cast<double>(result.passes[c]) / static_cast<double>(result.blocks);
        reach[c] = p;
        energy[c] = result.max_energy_kj[c];
        height[c] = result.max_height_m[c];
        hazard_class[c] = hazards::hazard_class(p, energy[c]);
        if (dem.valid[c]) area[static_cast<int>(hazard_class[c])] += grid.cell_area_m2() / 1e4;
      }
      const std::filesystem::path out(args->output);
      std::filesystem::create_directories(out);
      for (const auto& [name, values] :
           {std::pair<const char*, const std::vector<double>*>{"reach_probability.tif", &reach},
            {"max_energy_kj.tif", &energy},
            {"max_passing_height_m.tif", &height},
            {"hazard_class.tif", &hazard_class}}) {
        write_raster(out / name, RasterFormat::geotiff, dem.geometry, *values, dem.valid,
                     kFillValue);
      }
      std::cout << "wrote " << args->output
                << "/reach_probability.tif, max_energy_kj.tif, max_passing_height_m.tif, "
                   "hazard_class.tif\n"
                << result.blocks << " blocks from " << sources.size() << " source cells in "
                << std::fixed << std::setprecision(2) << seconds << " s (" << std::setprecision(0)
                << static_cast<double>(result.blocks) / seconds
                << " trajectories per second); hazard area low " << std::setprecision(2) << area[1]
                << " ha, medium " << area[2] << " ha, high " << area[3] << " ha\n";
      return 0;
    };
  });
}

}  // namespace minetwin::cli
