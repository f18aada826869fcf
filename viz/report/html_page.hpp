#pragma once
/// @file
/// @brief One self-contained HTML page of the report: styles, the charting library (Vega-Lite,
/// vendored in assets/js) and the charts' specifications inline; no network.

#include <string>

namespace minetwin::report {

/// @p text with &, <, > and " escaped for HTML.
std::string escape(const std::string& text);

/// @p v with @p digits decimals ("–" when not finite).
std::string fixed(double v, int digits);

class Page {
 public:
  explicit Page(std::string title) : title_(std::move(title)) {}
  void add(const std::string& html) { body_ += html; }
  /// Adds a chart; none where @p spec is empty (no data: the run has not got those outputs).
  void chart(const std::string& id, const std::string& spec);
  /// The whole page; throws when the charting library's files are missing.
  std::string html() const;

 private:
  std::string title_, body_, specs_;
};

}  // namespace minetwin::report
