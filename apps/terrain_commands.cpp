#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "apps/commands.hpp"
#include "engine/core/errors.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/site/synthetic_site.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/priority_flood.hpp"
#include "models/terrain/surface_derivatives.hpp"

namespace minetwin::cli {
namespace {

struct TerrainArguments {
  std::string dem, output, method = "d8", edges = "inward", keep_sinks, panel;
  double thickness = 0, depth = 0, q = 0.75, tan_beta = 2.0, offset = 0, dip_degrees = 0;
  bool timing = false;
};

void write(const std::string& file, const RasterData& dem, std::span<const double> values) {
  write_raster(file, RasterFormat::geotiff, dem.geometry, values, dem.valid, kFillValue);
  std::cout << "wrote " << file << "\n";
}

// A terrain tool: read the DEM, compute, write a GeoTIFF with the DEM's georeferencing.
template <class Compute>
CLI::App* tool(CLI::App& terrain, Commands& commands, const char* name, const char* help,
               std::shared_ptr<TerrainArguments> args, Compute compute) {
  CLI::App* sub = terrain.add_subcommand(name, help);
  sub->add_option("dem", args->dem, "input DEM (any GDAL raster)")->required();
  sub->add_option("output", args->output, "output GeoTIFF")->required();
  sub->add_flag("--timing", args->timing,
                "print the seconds spent reading, computing and writing (benchmarks)");
  sub->callback([&commands, args, compute] {
    commands.action = [args, compute] {
      using Clock = std::chrono::steady_clock;
      const auto start = Clock::now();
      RasterData dem = read_dem(args->dem);  // a tool may take its values (write needs the rest)
      const RasterGrid grid(dem.geometry, dem.valid);
      const auto read = Clock::now();
      const auto values = compute(grid, dem, *args);
      const auto computed = Clock::now();
      write(args->output, dem, values);
      const auto written = Clock::now();
      if (args->timing) {
        const auto seconds = [](auto a, auto b) {
          return std::chrono::duration<double>(b - a).count();
        };
        std::printf("timing: read %.3f s, compute %.3f s, write %.3f s\n", seconds(start, read),
                    seconds(read, computed), seconds(computed, written));
      }
      return 0;
    };
  });
  return sub;
}

// The DEM's values filled in place (moved out of @p dem: the tools write on its grid only).
GridVector<double> filled(const RasterGrid& grid, RasterData& dem, const TerrainArguments& args) {
  std::vector<std::uint8_t> keep;
  if (!args.keep_sinks.empty()) {
    const RasterData mask = read_raster_on_grid(args.keep_sinks, dem.geometry);
    keep.resize(mask.values.size());
    for (std::size_t i = 0; i < keep.size(); ++i) keep[i] = mask.valid[i] && mask.values[i] != 0;
  }
  return terrain::priority_flood_fill(grid, std::move(dem.values), keep).elevation;
}

}  // namespace

void add_terrain_command(CLI::App& app, Commands& commands) {
  CLI::App* terrain = app.add_subcommand("terrain", "DEM analysis tools (like gdaldem)");
  terrain->require_subcommand(1);
  auto args = std::make_shared<TerrainArguments>();
  tool(*terrain, commands, "slope", "slope in degrees (Horn 1981)", args,
       [](const RasterGrid& g, const RasterData& d, const TerrainArguments&) {
         return terrain::slope_degrees(g, d.values, kFillValue);
       });
  tool(*terrain, commands, "aspect", "aspect in degrees clockwise from north (Horn 1981)", args,
       [](const RasterGrid& g, const RasterData& d, const TerrainArguments&) {
         return terrain::aspect_degrees(g, d.values, kFillValue);
       });
  tool(*terrain, commands, "curvature", "total curvature in m-1 (Zevenbergen & Thorne 1987)", args,
       [](const RasterGrid& g, const RasterData& d, const TerrainArguments&) {
         return terrain::total_curvature(g, d.values, kFillValue);
       });
  tool(*terrain, commands, "fill", "fill depressions (Priority-Flood + epsilon)", args, filled)
      ->add_option("--keep-sinks", args->keep_sinks,
                   "raster on the DEM grid; non-zero cells are real closed basins, kept unfilled");
  tool(*terrain, commands, "flow-accumulation",
       "flow accumulation in cells, counting the cell itself, on the filled DEM", args,
       [](const RasterGrid& g, RasterData& d, const TerrainArguments& a) {
         auto z = filled(g, d, a);
         if (a.method == "mfd" && a.edges == "outlets")
           throw InputError("<command line --edges>", 0, 0,
                            "--edges outlets is a D8 rule; use it with --method d8");
         if (a.method == "mfd") return terrain::mfd_accumulation(g, z, kFillValue);
         const auto edges =
             a.edges == "outlets" ? terrain::FlowEdges::outlets : terrain::FlowEdges::drain_inward;
         return terrain::d8_accumulation(g, std::move(z), edges, kFillValue);
       })
      ->add_option("--method", args->method, "d8 or mfd (Freeman 1991)")
      ->check(CLI::IsMember({"d8", "mfd"}));
  terrain->get_subcommand("flow-accumulation")
      ->add_option("--edges", args->edges,
                   "d8: cells next to nodata or the grid edge drain 'inward' to their steepest "
                   "lower neighbour (default, as the simulation) or are all 'outlets' (SAGA's D8)")
      ->check(CLI::IsMember({"inward", "outlets"}));
  CLI::App* subsidence = tool(
      *terrain, commands, "subsidence",
      "surface subsidence (m, positive down) over a rectangular longwall panel, probability "
      "integral method",
      args, [](const RasterGrid& g, const RasterData& d, const TerrainArguments& a) {
        double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
        char c1 = 0, c2 = 0, c3 = 0;
        std::istringstream in(a.panel);
        if (!(in >> xmin >> c1 >> ymin >> c2 >> xmax >> c3 >> ymax) || c1 != ',' || c2 != ',' ||
            c3 != ',' || xmax <= xmin || ymax <= ymin) {
          throw InputError("<command line --panel>", 0, 0,
                           "expected XMIN,YMIN,XMAX,YMAX in the DEM's CRS with XMIN < XMAX and "
                           "YMIN < YMAX, got '" +
                               a.panel + "'");
        }
        std::vector<double> w(g.cell_count(), kFillValue);
        const double cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
        for (std::size_t c = 0; c < g.cell_count(); ++c) {
          if (!d.valid[c]) continue;
          w[c] = probability_integral_subsidence(
              g.x_center(c % g.columns()) - cx, g.y_center(c / g.columns()) - cy, (xmax - xmin) / 2,
              (ymax - ymin) / 2, a.thickness, a.depth, a.q, a.tan_beta, a.offset,
              a.dip_degrees * 3.14159265358979323846 / 180.0);
        }
        return w;
      });
  subsidence->add_option("--panel", args->panel, "XMIN,YMIN,XMAX,YMAX of the panel (CRS units)")
      ->required();
  subsidence->add_option("--thickness", args->thickness, "extracted seam thickness m (m)")
      ->required()
      ->check(CLI::Range(0.01, 50.0));
  subsidence->add_option("--depth", args->depth, "mining depth H (m)")
      ->required()
      ->check(CLI::Range(1.0, 3000.0));
  subsidence->add_option("--q", args->q, "subsidence factor q")->check(CLI::Range(0.01, 1.2));
  subsidence->add_option("--tan-beta", args->tan_beta, "tangent of the major influence angle")
      ->check(CLI::Range(0.5, 5.0));
  subsidence->add_option("--offset", args->offset, "inflection-point offset s (m)")
      ->check(CLI::Range(0.0, 1000.0));
  subsidence->add_option("--dip", args->dip_degrees, "seam dip alpha (degrees)")
      ->check(CLI::Range(0.0, 60.0));
}

}  // namespace minetwin::cli
