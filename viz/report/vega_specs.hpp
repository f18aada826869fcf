#pragma once
/// @file
/// @brief Vega-Lite specifications of the report's charts (https://vega.github.io/vega-lite/),
/// with their data inline, as JSON text.

#include <optional>
#include <string>
#include <vector>

#include "engine/core/json_text.hpp"

namespace minetwin::report {

/// A point of a series over the years; `scenario` tells runs apart in a comparison.
struct SeriesPoint {
  int year;
  std::string series;
  std::string scenario;
  double value;
};

/// A vertical marker (e.g. the source-to-sink year) of one scenario.
struct YearMarker {
  int year;
  std::string label;
};

/// Lines over the years: colour by series, dash by scenario (when there are several);
/// stacked areas when @p stacked. NaN values are left out.
std::string line_chart(const std::string& title, const std::string& y_title,
                       const std::vector<SeriesPoint>& points, bool stacked = false,
                       const std::vector<YearMarker>& markers = {});

/// A fan chart of one metric: p5-p95 and p25-p75 bands and the median, per year.
struct FanRow {
  int year;
  double p5, p25, p50, p75, p95;
};
/// An observation drawn over a fan: the value with +-1 sd.
struct ObservedPoint {
  int year;
  double value, sd;
};
std::string fan_chart(const std::string& title, const std::string& y_title,
                      const std::vector<FanRow>& rows,
                      const std::vector<ObservedPoint>& observed = {});

/// Points of observed (x) against simulated (y), coloured by series, with the 1:1 line.
struct ScatterPoint {
  double x, y;
  std::string series;
};
std::string scatter_chart(const std::string& title, const std::string& x_title,
                          const std::string& y_title, const std::vector<ScatterPoint>& points);

/// A plan of an optimisation in the plane of two objectives: `group` is "Pareto front",
/// "feasible" or "infeasible"; `label` its decisions (tooltip).
struct PlanPoint {
  double x = 0, y = 0;
  std::string group;
  std::string label;
};
/// Every plan as a point, the front joined by a line in the order given (unless
/// @p join_front is false), y on a log scale when @p log_y; zoom and pan with the mouse (scales
/// bound to an interval selection).
std::string front_chart(const std::string& title, const std::string& x_title,
                        const std::string& y_title, const std::vector<PlanPoint>& plans,
                        bool join_front = true, bool log_y = false);

/// Horizontal bars with an interval each (probabilities, sensitivity indices), sorted by value.
struct Bar {
  std::string label;
  std::string group;  ///< colour (e.g. "first order", "total")
  double value, low, high;
};
std::string bar_chart(const std::string& title, const std::string& x_title,
                      const std::vector<Bar>& bars, std::optional<double> x_max = std::nullopt);

/// The same data as points with their interval, on a scale that need not include 0 (a
/// parameter's prior and posterior).
std::string interval_chart(const std::string& title, const std::string& x_title,
                           const std::vector<Bar>& bars);

}  // namespace minetwin::report
