#pragma once
/// @file
/// @brief The calibration file: base scenario, priors of the parameters to fit, the
/// observations with their errors, and the method (docs/calibration.md).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace minetwin::calibration {

/// Where observations come from: a points CSV, a raster of one field in one year, or a CSV
/// of summary.csv metrics over the years.
enum class ObservationKind { points, raster, series };

struct ObservationSource {
  ObservationKind kind = ObservationKind::points;
  std::filesystem::path file;  ///< absolute
  std::string name;            ///< the group's name in fit.csv (default: the file's stem)
  std::string field;           ///< raster: the field it observes (NAME or NAME[LAYER])
  int year = 0;                ///< raster: its state's year (1 January, as in state.nc)
  double sd = 0;               ///< raster: each cell's error standard deviation
  /// What the data inform: the parameters (the smoother), the state (the forecast's state
  /// update), both, or neither (withheld data, compared only).
  bool for_parameters = true, for_state = true;
  SourcePlace place;
};

struct CalibrationSpec {
  std::filesystem::path file;
  std::filesystem::path scenario;
  std::vector<std::string> overrides;             ///< `set:`, KEY=VALUE before the --set
  std::vector<sweep::UncertainInput> parameters;  ///< the priors
  std::vector<ObservationSource> observations;
  std::size_t iterations = 4;
  std::size_t ensemble = 32;
  std::uint64_t seed = 1;
  bool state_update = false;           ///< the forecast's state update (state_update.hpp)
  double localisation_radius_m = 100;  ///< where its taper reaches zero
  SourcePlace state_update_place;
  std::vector<std::string> metrics;  ///< extra metrics of the forecast
  std::vector<SourcePlace> metric_places;
  std::vector<sweep::MapSpec> maps;  ///< extra maps of the forecast
  std::vector<sweep::Target> targets;
  std::string resolved_yaml;  ///< the file with every default filled in
};

/// Reads and validates a calibration file. Whether the parameters, fields and metrics exist in
/// the scenario, and the observation files themselves, are checked when the calibration is
/// prepared. Throws InputError.
CalibrationSpec load_calibration(const std::filesystem::path& file);

/// The calibration file reference (Markdown), for docs/calibration.md.
std::string calibration_reference_markdown();

}  // namespace minetwin::calibration
