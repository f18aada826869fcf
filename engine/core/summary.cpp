#include "engine/core/summary.hpp"

#include <charconv>
#include <stdexcept>

namespace minetwin {

SummaryRow::SummaryRow(std::vector<std::string> columns)
    : columns_(std::move(columns)), values_(columns_.size(), 0.0) {}

std::size_t SummaryRow::index(std::string_view column) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == column) return i;
  }
  throw std::logic_error("summary column '" + std::string(column) + "' was not declared");
}

void SummaryRow::add(std::string_view column, double value) {
  values_[index(column)] += value;
}
void SummaryRow::set(std::string_view column, double value) {
  values_[index(column)] = value;
}
double SummaryRow::get(std::string_view column) const {
  return values_[index(column)];
}

std::string format_number(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) throw std::runtime_error("format_number failed");
  return std::string(buffer, end);
}

std::string summary_row_text(int year, const SummaryRow& row) {
  std::string text = std::to_string(year);
  for (double v : row.values()) text += "," + format_number(v);
  return text + "\n";
}

}  // namespace minetwin
