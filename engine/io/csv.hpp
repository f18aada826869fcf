#pragma once
/// @file
/// @brief A small CSV reader that keeps line and column of every cell for located errors.

#include <filesystem>
#include <string>
#include <vector>

namespace minetwin {

struct CsvCell {
  std::string text;
  int column = 0;  ///< 1-based character column where the cell starts
};

struct CsvRow {
  int line = 0;  ///< 1-based line in the file
  std::vector<CsvCell> cells;
};

/// A comma-separated table with a header line. Blank lines and lines starting with '#' are
/// skipped. Cells are trimmed; quoting is not supported (MineTwin's inputs are numeric tables).
class CsvTable {
 public:
  /// Reads @p file; throws InputError when it cannot be read or rows have the wrong width.
  static CsvTable read(const std::filesystem::path& file);

  const std::filesystem::path& file() const { return file_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRow>& rows() const { return rows_; }
  /// Index of a header column, or -1.
  int column(const std::string& name) const;
  /// The column's index; throws InputError naming the missing column.
  std::size_t require_column(const std::string& name) const;
  /// Parses a cell as a finite number; throws InputError with its place otherwise.
  double number(const CsvRow& row, std::size_t column, const std::string& what) const;

 private:
  std::filesystem::path file_;
  std::vector<std::string> header_;
  int header_line_ = 0;
  std::vector<CsvRow> rows_;
};

}  // namespace minetwin
