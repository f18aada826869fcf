#pragma once
/// @file
/// @brief `minetwin optimise`: searches the plans of an optimisation file (engine/optimisation/
/// plan_search), running every plan's members through the sweep engine (TBB threads, MPI ranks,
/// journal), and writes the Pareto front (docs/optimisation.md).

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/core/registry.hpp"
#include "engine/optimisation/optimisation_spec.hpp"

namespace minetwin::optimisation {

struct OptimisationOptions {
  std::filesystem::path output;
  int threads = 0;                     ///< 0: all cores
  std::vector<std::string> overrides;  ///< `--set` for the base scenario
  bool resume = false;
  bool quiet = false;
  bool check_only = false;  ///< stop after every check, before the output folder is touched
  std::ostream* log = nullptr;
};

struct OptimisationReport {
  std::size_t plans = 0;         ///< distinct plans evaluated
  std::size_t requests = 0;      ///< plans the algorithm asked for
  std::size_t member_runs = 0;   ///< runs of this invocation (journal excluded)
  std::size_t from_journal = 0;  ///< runs found finished by a resume
  std::size_t feasible = 0;      ///< plans that meet every constraint
  std::size_t front = 0;         ///< plans on the Pareto front
  double wall_seconds = 0;
  double member_seconds = 0;  ///< the members' own run time in this process
  double search_seconds = 0;  ///< the algorithm's own time (the search outside the runs)
  int ranks = 1;
  bool root = true;
};

/// Checks everything (every decision's extreme values and choices against the scenario, the
/// uncertain inputs for every member, the metrics and years of the objectives and
/// constraints) before any plan runs, then searches. Outputs (root rank only, each file
/// atomically): evaluations.csv, pareto.csv, best/plan-N.yaml, least_violating.csv (when no
/// plan is feasible), optimisation.yaml. Throws InputError for bad input.
OptimisationReport run_optimisation(const OptimisationSpec& spec, const ModelRegistry& registry,
                                    const OptimisationOptions& options);

}  // namespace minetwin::optimisation
