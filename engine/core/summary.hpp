#pragma once
/// @file
/// @brief One row of summary.csv: the site totals and means of one simulated year.

#include <string>
#include <string_view>
#include <vector>

namespace minetwin {

/// Columns are declared before the run (by the engine and the components); a report to an
/// undeclared column is a programming error, so a typo cannot invent a column.
class SummaryRow {
 public:
  explicit SummaryRow(std::vector<std::string> columns);
  /// Adds @p value to the column (monthly components accumulate into yearly totals).
  void add(std::string_view column, double value);
  /// Replaces the column's value (stocks and means).
  void set(std::string_view column, double value);
  double get(std::string_view column) const;
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<double>& values() const { return values_; }

 private:
  std::size_t index(std::string_view column) const;
  std::vector<std::string> columns_;
  std::vector<double> values_;
};

/// Shortest decimal text that reads back to the same double (std::to_chars): summary.csv is
/// byte-reproducible and loses nothing.
std::string format_number(double value);

/// A summary.csv row: the year, then every column's value (format_number).
std::string summary_row_text(int year, const SummaryRow& row);

}  // namespace minetwin
