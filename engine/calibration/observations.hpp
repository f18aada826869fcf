#pragma once
/// @file
/// @brief Observation operators: what each observation is in terms of a member's run (a
/// summary metric of a year, or one cell of a state field at a year's end), read and checked
/// against the base run before any member runs.

#include <cmath>
#include <string>
#include <vector>

#include "engine/calibration/calibration_spec.hpp"
#include "engine/grid/state.hpp"
#include "engine/sweep/member.hpp"

namespace minetwin::calibration {

/// One observed value.
struct Datum {
  std::size_t group = 0;
  double value = 0;
  double sd = 0;  ///< its error standard deviation (> 0)
  int year = 0;
  double x = NAN, y = NAN;  ///< where (CRS of the DEM): a point, a cell's or a pixel's centre
  /// What the model gives for it: a metric of the plan (metric_index) in that year, or a probe
  /// of the plan (probe_index).
  bool is_metric = false;
  std::size_t metric_index = 0;
  std::size_t probe_index = 0;
};

struct ObservationGroup {
  std::string name;
  ObservationKind kind = ObservationKind::points;
  std::string file;
  std::size_t data = 0;                          ///< how many data it holds
  bool for_parameters = true, for_state = true;  ///< the source's `assimilate`
};

struct Observations {
  std::vector<ObservationGroup> groups;
  std::vector<Datum> data;
  std::vector<double> values() const;
  std::vector<double> sds() const;
};

/// Reads every observation source of @p spec and checks it against the base run: its grid and
/// valid cells, @p columns (summary.csv), the fields of @p state and the simulated years.
/// Adds to @p plan the probes and metric columns the members must record (@p metrics lists
/// the plan's metrics by name, extended with the observed ones). Every problem is reported at
/// its place (the CSV's line and column), together: throws InputError.
Observations load_observations(const CalibrationSpec& spec, int start_year, int years,
                               const State& state, const std::vector<std::string>& columns,
                               sweep::MemberPlan& plan, std::vector<std::string>& metrics);

/// The member's simulated value of every datum, in the order of @p observations.data.
std::vector<double> simulated_data(const Observations& observations, const sweep::MemberPlan& plan,
                                   const sweep::MemberResult& result, int start_year);

}  // namespace minetwin::calibration
