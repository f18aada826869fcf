#pragma once
/// @file
/// @brief Vega-Lite specifications of the report's charts (https://vega.github.io/vega-lite/),
/// with their data inline, as JSON text.

#include <optional>
#include <string>
#include <vector>

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

/// JSON string literal of @p text (quotes, backslashes, control characters escaped).
std::string json_string(const std::string& text);

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
std::string fan_chart(const std::string& title, const std::string& y_title,
                      const std::vector<FanRow>& rows);

/// Horizontal bars with an interval each (probabilities, sensitivity indices), sorted by value.
struct Bar {
  std::string label;
  std::string group;  ///< colour (e.g. "first order", "total")
  double value, low, high;
};
std::string bar_chart(const std::string& title, const std::string& x_title,
                      const std::vector<Bar>& bars, std::optional<double> x_max = std::nullopt);

}  // namespace minetwin::report
