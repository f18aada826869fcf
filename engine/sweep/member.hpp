#pragma once
/// @file
/// @brief One member of a sweep: the base scenario with its sampled values, simulated in
/// memory (no output files), reduced to the metrics per year and the final-year maps.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/registry.hpp"
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

/// Simulates the member's scenario and keeps what @p plan asks for. Must not be given a
/// scenario with another number of years than the plan was made for.
MemberResult run_member(std::size_t index, const Scenario& scenario, const ModelRegistry& registry,
                        const MemberPlan& plan);

/// A member's result as bytes (journal records, MPI messages) and back.
std::string encode(const MemberResult& result);
MemberResult decode(std::string_view bytes);

}  // namespace minetwin::sweep
