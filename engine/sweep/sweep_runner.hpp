#pragma once
/// @file
/// @brief `minetwin sweep`: runs the members of a sweep in parallel (TBB, and MPI ranks when
/// started by mpirun), journals each finished member, and writes the statistics.

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/core/registry.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace minetwin::sweep {

struct SweepOptions {
  std::filesystem::path output;
  int threads = 0;                     ///< 0: all cores
  std::vector<std::string> overrides;  ///< `--set` for the base scenario of every member
  std::size_t samples = 0;             ///< 0: the sweep file's
  bool resume = false;
  bool quiet = false;
  bool check_only = false;  ///< stop after every check, before the output folder is touched
  std::ostream* log = nullptr;
};

struct SweepReport {
  std::size_t members = 0;
  std::size_t computed = 0;      ///< by this invocation, on every rank
  std::size_t from_journal = 0;  ///< finished before a resume
  double wall_seconds = 0;
  double member_seconds = 0;  ///< the members' own run time, summed (this invocation)
  int ranks = 1;
  bool root = true;  ///< this process wrote the outputs
};

/// Checks everything (the uncertain keys against the scenario for every member's values,
/// metrics, maps, targets) before any member runs: problems throw InputError and leave the
/// output folder untouched. Outputs go to options.output, each file atomically.
SweepReport run_sweep(const SweepSpec& spec, const ModelRegistry& registry,
                      const SweepOptions& options);

}  // namespace minetwin::sweep
