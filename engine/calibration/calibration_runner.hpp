#pragma once
/// @file
/// @brief `minetwin calibrate`: fits a scenario's parameters to observations with ES-MDA,
/// running each iteration's ensemble through the sweep engine (TBB threads, MPI ranks,
/// journal), then forecasts with the posterior ensemble (docs/calibration.md).

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/calibration/calibration_spec.hpp"
#include "engine/core/registry.hpp"

namespace minetwin::calibration {

struct CalibrationOptions {
  std::filesystem::path output;
  int threads = 0;                     ///< 0: all cores
  std::vector<std::string> overrides;  ///< `--set` for the base scenario
  bool resume = false;
  bool quiet = false;
  bool check_only = false;  ///< stop after every check, before the output folder is touched
  std::ostream* log = nullptr;
};

struct CalibrationReport {
  std::size_t members = 0;       ///< the ensemble's size
  std::size_t data = 0;          ///< observed values
  std::size_t runs = 0;          ///< member runs of this invocation (journal excluded)
  std::size_t from_journal = 0;  ///< member runs found finished by a resume
  std::size_t failed = 0;        ///< member runs that failed (left out of the analyses)
  double wall_seconds = 0;
  double member_seconds = 0;  ///< the members' own run time in this process
  int ranks = 1;
  bool root = true;
};

/// Checks everything (the parameters against the scenario for every prior member, the
/// observations against the grid, fields, metrics and years) before any member runs, then
/// runs iterations + 1 ensembles: one per assimilation, and the posterior forecast. Outputs
/// (root rank only, each file atomically): parameters.csv, ensemble.csv, fit.csv,
/// calibrated.yaml, posterior_stats.csv, posterior_members.csv, maps.nc (when maps are
/// asked for or fields observed), posterior_targets.csv. Throws InputError for bad input.
CalibrationReport run_calibration(const CalibrationSpec& spec, const ModelRegistry& registry,
                                  const CalibrationOptions& options);

}  // namespace minetwin::calibration
