#pragma once
/// @file
/// @brief What a report reads from an output folder: a run's summary.csv and run.yaml (and
/// state.nc for maps), or a sweep's stats.csv, targets.csv, sensitivity.csv and sweep.yaml.

#include <array>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace minetwin::report {

struct MeasureLine {
  std::string when;  ///< "2026", "2028-2045 every 1 yr"
  std::string zone, type, name;
};

struct RunOutputs {
  std::filesystem::path folder;
  std::string name, description;
  int start_year = 0, years = 0;
  std::string site;  ///< DEM or generated site, in words
  std::vector<MeasureLine> measures;
  /// Zone names by zone__id: run.yaml's "# zone__id values: 0=undisturbed, 1=..." line (empty
  /// for a run without zones).
  std::vector<std::string> zone_names;
  std::vector<int> summary_years;
  std::map<std::string, std::vector<double>> summary;  ///< column -> value per year
  bool has(const std::string& column) const { return summary.count(column) != 0; }
  const std::vector<double>& column(const std::string& column_name) const;
  double total(const std::string& column_name) const;  ///< sum over the years (0 when absent)
  double last(const std::string& column_name) const;   ///< last year's value (NaN when absent)
};

struct SweepOutputs {
  std::filesystem::path folder;
  std::string scenario_name, method;
  std::size_t members = 0;
  /// stats.csv: metric -> rows (year, mean, sd, p5, p25, p50, p75, p95)
  std::map<std::string, std::vector<std::array<double, 8>>> stats;
  std::vector<std::vector<std::string>> targets;      ///< targets.csv rows, header first
  std::vector<std::vector<std::string>> sensitivity;  ///< sensitivity.csv rows, header first
  std::vector<std::string> uncertain;                 ///< input keys
};

/// A calibration's outputs (docs/calibration.md).
struct CalibrationOutputs {
  std::filesystem::path folder;
  std::string scenario_name, method;
  std::size_t ensemble = 0, iterations = 0;
  /// Text rows, header first, every number checked: parameters.csv, fit.csv, observations.csv,
  /// posterior_targets.csv.
  std::vector<std::vector<std::string>> parameters, fit, observations, targets;
  /// analysis.csv (state_update: true): per analysis year and field; empty without one.
  std::vector<std::vector<std::string>> analysis;
  /// posterior_stats.csv, as SweepOutputs::stats
  std::map<std::string, std::vector<std::array<double, 8>>> stats;
};

/// An optimisation's outputs (docs/optimisation.md): text rows, header first, objective and
/// constraint cells checked as numbers.
struct OptimisationOutputs {
  std::filesystem::path folder;
  std::string scenario_name, algorithm;
  std::vector<std::string> decisions, objectives;  ///< decision keys, objective names
  std::vector<std::vector<std::string>> evaluations, pareto, least_violating;
};

/// Where each of @p zone_count zones' name goes: the cell at its cells' centre of mass (rounded;
/// SIZE_MAX for a zone without cells). @p zone_ids: zone__id per cell (outside the zones
/// negative or not a number) on a grid of @p columns columns.
std::vector<std::size_t> zone_label_cells(std::span<const double> zone_ids, std::size_t columns,
                                          std::size_t zone_count);

bool is_sweep_output(const std::filesystem::path& folder);
bool is_optimisation_output(const std::filesystem::path& folder);
OptimisationOutputs load_optimisation_outputs(const std::filesystem::path& folder);
bool is_calibration_output(const std::filesystem::path& folder);
CalibrationOutputs load_calibration_outputs(const std::filesystem::path& folder);
/// Throws InputError when the folder is not a complete run output.
RunOutputs load_run_outputs(const std::filesystem::path& folder);
SweepOutputs load_sweep_outputs(const std::filesystem::path& folder);

}  // namespace minetwin::report
