#include "engine/io/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "engine/core/errors.hpp"

namespace minetwin {
namespace {

std::vector<CsvCell> split(const std::string& line) {
  std::vector<CsvCell> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    std::string text =
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::size_t lead = text.find_first_not_of(" \t\r");
    const std::size_t trail = text.find_last_not_of(" \t\r");
    if (lead == std::string::npos) lead = text.size();
    const std::string trimmed = lead >= text.size() ? "" : text.substr(lead, trail - lead + 1);
    cells.push_back({trimmed, static_cast<int>(start + lead) + 1});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), 0, 0, "cannot read the file (missing or not readable)");
  CsvTable table;
  table.file_ = file;
  std::string line;
  int number = 0;
  std::vector<Diagnostic> problems;
  while (std::getline(in, line)) {
    ++number;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto cells = split(line);
    if (table.header_.empty()) {
      for (auto& c : cells) table.header_.push_back(c.text);
      table.header_line_ = number;
      continue;
    }
    if (cells.size() != table.header_.size()) {
      problems.push_back({file.string(), number, 1,
                          "row has " + std::to_string(cells.size()) + " values, the header has " +
                              std::to_string(table.header_.size())});
      continue;
    }
    table.rows_.push_back({number, std::move(cells)});
  }
  if (table.header_.empty()) problems.push_back({file.string(), 1, 1, "no header line"});
  if (!problems.empty()) throw InputError(std::move(problems));
  return table;
}

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::size_t CsvTable::require_column(const std::string& name) const {
  const int index = column(name);
  if (index < 0) {
    const std::string hint = closest_match(name, header_);
    throw InputError(
        file_.string(), header_line_, 1,
        "missing column '" + name + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  return static_cast<std::size_t>(index);
}

double CsvTable::number(const CsvRow& row, std::size_t column, const std::string& what) const {
  const CsvCell& cell = row.cells.at(column);
  double value = 0.0;
  const char* begin = cell.text.data();
  const char* end = begin + cell.text.size();
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (cell.text.empty() || error != std::errc() || ptr != end || !std::isfinite(value)) {
    throw InputError(
        file_.string(), row.line, cell.column,
        "'" + header_.at(column) + "' (" + what + ") expected a number, got '" + cell.text + "'");
  }
  return value;
}

}  // namespace minetwin
