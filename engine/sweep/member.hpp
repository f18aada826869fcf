#pragma once
/// @file
/// @brief One member of a sweep: the base scenario with its sampled values, simulated in
/// memory (no output files), reduced to the metrics per year and the final-year maps.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/registry.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/scenario/scenario.hpp"

namespace minetwin::sweep {

/// What a member keeps of its run; decided once from the base scenario.
struct MemberPlan {
  std::vector<std::size_t> metric_columns;  ///< indices into the summary columns
  struct Map {
    std::string field;
    int layer = -1;  ///< -1: a cell field
  };
  std::vector<Map> maps;
  /// One cell's value of a state field at the end of a year (a calibration's observation).
  struct Probe {
    int year_index = 0;  ///< recorded after simulating this year (0: the first)
    std::string field;
    int layer = -1;  ///< -1: a cell field
    std::size_t cell = 0;
    /// When not empty: the value is the mean over these cells (a coarse raster's pixel), and
    /// `cell` is not used.
    std::vector<std::size_t> area;
  };
  std::vector<Probe> probes;  ///< in year order
};

struct MemberResult {
  std::size_t index = 0;
  double seconds = 0;                     ///< wall time of the member's run
  std::vector<double> metrics;            ///< years x metrics, row-major
  std::vector<std::vector<double>> maps;  ///< per map, the final year's values per cell
  std::vector<double> probes;             ///< per probe of the plan, its value
  std::string error;                      ///< the member failed (its message); nothing else is set
  bool input_error = false;               ///< the failure was bad input (exit 2)
};

/// A part of a member's years, from one checkpoint to the next: a calibration's filter runs its
/// members from analysis to analysis (docs/calibration.md, state update).
struct MemberSegment {
  int first_year_index = 0;  ///< completed years at its start (> 0: read from start_from)
  int end_year_index = -1;   ///< completed years at its end (-1: the scenario's end)
  std::filesystem::path start_from;
  /// Called with the state read from start_from and its header, before the components restart
  /// (an analysis updates the state here).
  std::function<void(State&, const CheckpointHeader&, const std::vector<std::string>& fields)>
      on_start;
  /// Written after the segment's last year when that is not the scenario's end: a checkpoint in
  /// the form `minetwin run --resume` starts a new state.nc from (records 0, origin here),
  /// with the scenario's hash and the summary rows so far.
  std::filesystem::path end_checkpoint;
  /// Cell or layer fields whose whole grid the result keeps after the last year (result.maps;
  /// the plan's maps are kept only by the segment that ends the scenario).
  std::vector<MemberPlan::Map> end_fields;
};

/// Simulates the member's scenario and keeps what @p plan asks for. Must not be given a
/// scenario with another number of years than the plan was made for. With @p segment, only its
/// years: the result's metrics are those years' rows and its probes those of those years.
MemberResult run_member(std::size_t index, const Scenario& scenario, const ModelRegistry& registry,
                        const MemberPlan& plan, const MemberSegment* segment = nullptr);

/// A member's result as bytes (journal records, MPI messages) and back.
std::string encode(const MemberResult& result);
MemberResult decode(std::string_view bytes);

}  // namespace minetwin::sweep
