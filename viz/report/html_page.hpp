#pragma once
/// @file
/// @brief One self-contained HTML page of the report: styles, the charting library (Vega-Lite,
/// vendored in assets/js) and the charts' specifications inline; no network.

#include <map>
#include <string>
#include <vector>

namespace minetwin::report {

/// @p text with &, <, > and " escaped for HTML.
std::string escape(const std::string& text);

/// @p v with @p digits decimals ("–" when not finite).
std::string fixed(double v, int digits);

/// A CSV's text rows (header first) as maps by header name, one per data row.
std::vector<std::map<std::string, std::string>> rows_by_name(
    const std::vector<std::vector<std::string>>& rows);

/// @p v with four significant digits ("–" when not finite).
std::string significant(double v);

/// A vendored script of assets/js (the charting and 3D libraries); throws when it is missing.
std::string vendored_js(const std::string& name);

class Page;

/// A table of a CSV's text rows (header first): numbers right-aligned with four significant
/// digits; wide tables scroll inside their box.
void add_table(Page& page, const std::vector<std::vector<std::string>>& rows);

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
