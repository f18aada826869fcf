#include "apps/commands.hpp"

#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "engine/calibration/calibration_spec.hpp"
#include "engine/optimisation/optimisation_spec.hpp"
#include "engine/run/export.hpp"
#include "engine/run/gltf_export.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/site/synthetic_site.hpp"
#include "engine/sweep/sweep_spec.hpp"
#include "models/registry/register_models.hpp"

namespace minetwin::cli {

const ModelRegistry& registry() {
  static const auto instance = [] {
    auto r = std::make_unique<ModelRegistry>();
    register_models(*r);
    return r;
  }();
  return *instance;
}

namespace {

struct RunArguments {
  std::string scenario;
  std::string output;
  int threads = -1;
  std::vector<std::string> overrides;
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
  bool profile = false;
};

void print_profile(const RunReport& report) {
  // Every line is a share of the wall time; "the rest" is what no line names (scheduling, the
  // summary rows, progress), so the lines add up to the total.
  const double wall = report.wall_seconds;
  auto line = [wall](const std::string& name, double seconds, int indent) {
    std::cerr << std::string(static_cast<std::size_t>(indent), ' ') << std::left
              << std::setw(40 - indent) << name << std::right << std::fixed << std::setprecision(2)
              << std::setw(9) << seconds << " s " << std::setw(6) << std::setprecision(1)
              << (wall > 0 ? 100.0 * seconds / wall : 0.0) << " %\n";
  };
  std::cerr << "profile (wall time):\n";
  double named = 0.0;
  for (const auto& [name, seconds] : report.component_seconds) {
    line("model " + name, seconds, 2);
    named += seconds;
  }
  for (const auto& [part, seconds] : report.engine_seconds) {
    line("engine: " + part, seconds, 2);
    named += seconds;
  }
  line("the rest", wall - named, 2);
  line("total", wall, 0);
  for (const auto& [part, seconds] : report.writer_seconds)
    line("writer thread (in parallel): " + part, seconds, 2);
  std::cerr << "cell-years per second: " << std::setprecision(0)
            << static_cast<double>(report.valid_cells) * report.years_simulated / wall << "\n";
}

}  // namespace

void add_run_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<RunArguments>();
  CLI::App* run =
      app.add_subcommand("run", "Simulate a scenario; write state.nc, summary.csv, run.yaml");
  run->add_option("scenario", args->scenario, "scenario YAML file")->required();
  run->add_option("-o,--output", args->output, "output folder")->required();
  run->add_option("--threads", args->threads, "worker threads (default: the scenario's)")
      ->check(CLI::Range(0, 1024));
  run->add_option("--set", args->overrides, "override a scenario key: KEY=VALUE (repeatable)");
  run->add_flag("--resume", args->resume, "continue a killed run from its last completed year");
  run->add_flag("--overwrite", args->overwrite,
                "replace the outputs of a finished run in the output folder");
  run->add_flag("--quiet", args->quiet, "no progress line and no closing report");
  run->add_flag("--profile", args->profile, "print the time spent per component and in the engine");
  run->callback([&commands, args] {
    commands.action = [args] {
      const Scenario scenario = load_scenario(args->scenario, args->overrides, registry());
      RunOptions options;
      options.output = args->output;
      options.threads = args->threads;
      options.resume = args->resume;
      options.overwrite = args->overwrite;
      options.quiet = args->quiet;
      options.log = args->quiet ? nullptr : &std::cerr;
      const RunReport report = run_scenario(scenario, registry(), options);
      if (!args->quiet) {
        std::cout << "wrote " << args->output << "/state.nc, summary.csv, run.yaml ("
                  << scenario.simulation.years << " years, " << report.valid_cells << " cells, "
                  << std::fixed << std::setprecision(1) << report.wall_seconds << " s)\n";
      }
      if (args->profile) print_profile(report);
      return 0;
    };
  });
}

void add_validate_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<RunArguments>();
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a scenario and its site files without running it (exit 2 on problems)");
  validate->add_option("scenario", args->scenario, "scenario YAML file")->required();
  validate->add_option("--set", args->overrides, "override a scenario key: KEY=VALUE (repeatable)");
  validate->callback([&commands, args] {
    commands.action = [args] {
      const Scenario scenario = load_scenario(args->scenario, args->overrides, registry());
      RunOptions options;
      options.validate_only = true;
      options.log = &std::cerr;
      const RunReport report = run_scenario(scenario, registry(), options);
      std::cout << args->scenario << ": ok (" << scenario.simulation.years << " years, "
                << report.valid_cells << " valid cells, " << scenario.measures.size()
                << " measures)\n";
      return 0;
    };
  });
}

void add_schema_command(CLI::App& app, Commands& commands) {
  auto markdown = std::make_shared<bool>(false);
  auto sweep_file = std::make_shared<bool>(false);
  auto calibration_file = std::make_shared<bool>(false);
  auto optimisation_file = std::make_shared<bool>(false);
  CLI::App* schema = app.add_subcommand(
      "schema", "Print the scenario (or sweep, calibration or optimisation file) reference");
  schema->add_flag("--markdown", *markdown, "as Markdown (docs/scenario-reference.md)")->required();
  auto* sweep_flag =
      schema->add_flag("--sweep", *sweep_file, "the sweep file's reference (docs/sweeps.md)");
  auto* calibration_flag = schema
                               ->add_flag("--calibration", *calibration_file,
                                          "the calibration file's reference (docs/calibration.md)")
                               ->excludes(sweep_flag);
  schema
      ->add_flag("--optimisation", *optimisation_file,
                 "the optimisation file's reference (docs/optimisation.md)")
      ->excludes(sweep_flag)
      ->excludes(calibration_flag);
  // The lambda keeps the flags alive.
  schema->callback([&commands, markdown, sweep_file, calibration_file, optimisation_file] {
    commands.action = [sweep_file, calibration_file, optimisation_file] {
      std::cout << (*sweep_file          ? sweep::sweep_reference_markdown()
                    : *calibration_file  ? calibration::calibration_reference_markdown()
                    : *optimisation_file ? optimisation::optimisation_reference_markdown()
                                         : scenario_reference_markdown(registry()));
      return 0;
    };
  });
}

void add_site_command(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<SyntheticSiteOptions>();
  auto output = std::make_shared<std::string>();
  CLI::App* site = app.add_subcommand("site", "Site tools");
  site->require_subcommand(1);
  CLI::App* generate = site->add_subcommand(
      "generate", "Write a synthetic mine site: dem.tif, zones.geojson, climate.csv, soil.csv");
  generate->add_option("--kind", options->kind, "kind of site")->check(CLI::IsMember({"open_pit"}));
  generate->add_option("--size", options->size, "cells along each side")
      ->check(CLI::Range(32, 16384));
  generate->add_option("--cell", options->cell_m, "cell size (m)")->check(CLI::Range(0.5, 100.0));
  generate->add_option("--seed", options->seed, "seed of the terrain noise and climate");
  generate->add_option("-o,--output", *output, "output folder")->required();
  generate->callback([&commands, options, output] {
    commands.action = [options, output] {
      const auto files = generate_site(*options, *output);
      std::cout << "wrote " << files.dem.string() << ", " << files.zones.string() << ", "
                << files.climate.string() << ", " << files.soil.string() << "\n";
      return 0;
    };
  });
}

void add_export_command(CLI::App& app, Commands& commands) {
  struct Arguments {
    std::string run, field, output, gltf;
    int year = 0;
    int layer = 1;
  };
  auto args = std::make_shared<Arguments>();
  CLI::App* exporter = app.add_subcommand(
      "export",
      "Write one field of one recorded year as a Cloud-Optimised GeoTIFF, or (--gltf) the terrain "
      "of every recorded year as binary glTF 2.0");
  exporter->add_option("run", args->run, "output folder of a finished run")->required();
  exporter->add_option("--field", args->field,
                       "field name (see state.nc); with --gltf the field the vertices are "
                       "coloured by, NAME or NAME[LAYER] (default: the land-cover look)");
  exporter->add_option("--year", args->year, "recorded year (state on 1 January)");
  exporter->add_option("--layer", args->layer, "soil layer for layer fields, 1 = top");
  exporter->add_option("-o,--output", args->output, "GeoTIFF to write");
  exporter->add_option("--gltf", args->gltf,
                       "folder for terrain_YEAR.glb, one per recorded year (docs/viewer.md)");
  exporter->callback([&commands, args, exporter] {
    commands.action = [args, exporter] {
      if (!args->gltf.empty()) {
        const GltfExport written = export_gltf(args->run, args->gltf, args->field);
        std::cout << "wrote " << written.files.size() << " glTF files (" << written.vertices
                  << " vertices each) to " << args->gltf << "\n";
        return 0;
      }
      if (args->field.empty() || exporter->count("--year") == 0 || args->output.empty())
        throw InputError("export", 0, 0,
                         "a GeoTIFF needs --field, --year and -o; or give --gltf DIR for the "
                         "terrain of every recorded year");
      export_field(args->run, args->field, args->year, args->layer, args->output);
      std::cout << "wrote " << args->output << "\n";
      return 0;
    };
  });
}

}  // namespace minetwin::cli
