#pragma once
/// @file
/// @brief `minetwin sweep`: runs the members of a sweep in parallel (TBB, and MPI ranks when
/// started by mpirun), journals each finished member, and writes the statistics.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/core/registry.hpp"
#include "engine/grid/field.hpp"
#include "engine/sweep/member.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace minetwin {
struct PreparedRun;
class State;
}  // namespace minetwin

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

/// The members' `--set` values: the base overrides, then each uncertain input's value.
struct MemberInputs {
  const std::vector<UncertainInput>* uncertain = nullptr;
  std::vector<std::vector<double>> values;  ///< per member, per input
  std::vector<std::string> base_overrides;
  std::vector<std::string> overrides(std::size_t member) const;
};

/// Loads every member's scenario once, before anything runs: a key the scenario does not know,
/// or a drawn value it does not accept, is reported at the uncertain input's place (the
/// ensemble file @p file; @p decisions: the inputs are an optimisation's decisions, named so).
/// Throws InputError.
void check_members(const std::filesystem::path& scenario, const std::filesystem::path& file,
                   const MemberInputs& inputs, const Scenario& base, const ModelRegistry& registry,
                   bool decisions = false);

/// Whether @p field (with @p layer, -1 for none) names a cell field, or a layer field with one of
/// its layers, of @p state: "" when it does, else the problem (with a "did you mean").
std::string check_grid_field(const State& state, const std::string& field, int layer);

/// Resolves the metrics, maps and targets of @p spec against the base run's summary columns
/// and fields (a target's metric joins the metrics): what each member keeps. Throws
/// InputError naming every unknown metric or field.
MemberPlan plan_members(SweepSpec& spec, const Scenario& base, PreparedRun& probe,
                        std::vector<FieldInfo>& map_fields);

/// Members of one scenario, each with its own `--set` values, run in parallel (TBB threads and
/// MPI ranks) and journalled the moment each finishes, so that a killed batch resumes without
/// running again what finished. A sweep is one batch; a calibration one per iteration.
struct MemberBatch {
  std::filesystem::path scenario;  ///< the base scenario file
  std::size_t members = 0;
  std::function<std::vector<std::string>(std::size_t member)> overrides;  ///< a member's --sets
  const MemberPlan* plan = nullptr;
  std::filesystem::path journal;  ///< the journal's folder (made when absent)
  std::uint64_t fingerprint = 0;  ///< the batch's identity: journals of another are not read
  /// A failed member reaches the root's callback with its error set and the others go on
  /// (a calibration drops it); otherwise the callback is expected to end the batch.
  bool keep_failures = false;
  bool quiet = false;
  /// How a member runs (default: run_member with the plan): a calibration's filter runs a
  /// segment of the members' years.
  std::function<MemberResult(std::size_t member, const Scenario&)> run;
};

struct BatchReport {
  std::size_t from_journal = 0;  ///< members found finished in the journal
  double member_seconds = 0;     ///< the members' own run time in this process
};

/// Runs @p batch. On the root rank @p add receives every member's result in member order,
/// whatever the threads and ranks; other ranks' callbacks are never called. Every rank must
/// call it.
BatchReport run_member_batch(const MemberBatch& batch, const ModelRegistry& registry,
                             const std::function<void(const MemberResult&)>& add);

/// Checks everything (the uncertain keys against the scenario for every member's values,
/// metrics, maps, targets) before any member runs: problems throw InputError and leave the
/// output folder untouched. Outputs go to options.output, each file atomically.
SweepReport run_sweep(const SweepSpec& spec, const ModelRegistry& registry,
                      const SweepOptions& options);

}  // namespace minetwin::sweep
