#pragma once
/// @file
/// @brief The posterior forecast with state updates (`state_update: true`): the members run from
/// analysis year to analysis year, each a batch of the sweep engine that ends in a checkpoint;
/// at each observation year the observed fields are updated (state_update.hpp) and the next
/// batch starts from the updated checkpoints, which are kept for `minetwin run --resume`.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/calibration/calibration_spec.hpp"
#include "engine/calibration/observations.hpp"
#include "engine/core/registry.hpp"
#include "engine/grid/raster_grid.hpp"
#include "engine/sweep/member.hpp"

namespace minetwin::calibration {

struct FilterSetup {
  const CalibrationSpec* spec = nullptr;
  const Observations* observations = nullptr;
  const sweep::MemberPlan* plan = nullptr;  ///< the forecast's plan (its probes, metrics, maps)
  const RasterGrid* grid = nullptr;         ///< the site's grid (valid cells, coordinates)
  /// The units of every observed field (a fraction, units "1", is kept within [0, 1]).
  std::function<std::string(const std::string& field)> units;
  int start_year = 0;
  int years = 0;
  std::vector<std::size_t> ids;  ///< the members' original numbers (keys of their draws)
  std::function<std::vector<std::string>(std::size_t member)> overrides;
  std::filesystem::path work;  ///< the calibration's work folder
  std::string identity;        ///< the forecast batch's identity (journals of another not read)
  bool quiet = false;
  std::ostream* log = nullptr;
};

struct FilterResult {
  /// Per member (in member order): metrics of every year, probes of every observation (the
  /// forecasts before each analysis), the maps of the last year; error set when any segment
  /// failed.
  std::vector<sweep::MemberResult> members;
  std::string analysis_csv;    ///< per analysis year and field: data, RMSE and spread before/after
  std::filesystem::path kept;  ///< the analysed checkpoints: kept/YEAR/member-ID/ (root)
  std::size_t runs = 0;        ///< member segments run by this invocation
  std::size_t from_journal = 0;  ///< member segments found finished by a resume
  double member_seconds = 0;
};

/// The analysis years: those of the point and raster observations (states on 1 January), in
/// order. Empty when only summary series are observed.
std::vector<int> analysis_years(const Observations& observations);

/// Runs the forecast; every rank must call it. Throws when more than 20 % of the members of a
/// segment fail.
FilterResult run_filtered_forecast(const FilterSetup& setup, const ModelRegistry& registry);

}  // namespace minetwin::calibration
