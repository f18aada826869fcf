#pragma once
/// @file
/// @brief Located input errors. Loaders collect every problem they find, then throw one
/// InputError; the command line prints them as `FILE:LINE:COLUMN: error: ...` and exits 2.

#include <stdexcept>
#include <string>
#include <vector>

namespace minetwin {

/// One problem in an input, with its place. line/column are 1-based; 0 means "unknown".
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  /// `FILE:LINE:COLUMN: error: MESSAGE` (the place is shortened when unknown).
  std::string format() const;
};

/// A collection of input problems: exit code 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  InputError(std::string file, int line, int column, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// The closest candidate to @p word by edit distance, or "" when none is close enough to be a
/// plausible typo. Used for "did you mean" hints.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace minetwin
