#pragma once
/// @file
/// @brief One run's lifecycle (LUE's named phases): preprocess (site), initialize (components,
/// wiring), simulate (years, records, checkpoints), finalize (atomic outputs).

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>

#include "engine/core/registry.hpp"
#include "engine/scenario/scenario.hpp"

namespace minetwin {

struct RunOptions {
  std::filesystem::path output;
  int threads = -1;  ///< -1: the scenario's simulation.threads
  bool resume = false;
  bool quiet = false;
  /// Replace the outputs of a finished run in options.output (refused without it).
  bool overwrite = false;
  bool validate_only = false;   ///< stop after the site, wiring and output checks
  std::ostream* log = nullptr;  ///< notices and the closing report; nullptr: silent
};

struct RunReport {
  int years_simulated = 0;  ///< in this invocation (fewer than the scenario's when resumed)
  std::size_t valid_cells = 0;
  double wall_seconds = 0.0;
  /// Time in each component and in measures; the rest of wall_seconds is engine overhead
  /// (site, scheduling, recording, checkpoints, output).
  std::map<std::string, double> component_seconds;
  double simulate_seconds = 0.0;  ///< the year loop only
  /// The engine's own work, by part: site building, recording, checkpoints, state.nc.
  std::map<std::string, double> engine_seconds;
  /// The state.nc writer's own thread, by part: in parallel with the run, not in wall_seconds.
  std::map<std::string, double> writer_seconds;
};

/// Runs a scenario into options.output: state.nc, summary.csv, run.yaml (design brief,
/// Outputs). Input problems throw InputError before anything in the output folder is touched.
RunReport run_scenario(const Scenario& scenario, const ModelRegistry& registry,
                       const RunOptions& options);

/// The program version written into outputs.
const char* program_version();

}  // namespace minetwin
