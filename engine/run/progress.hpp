#pragma once
/// @file
/// @brief The progress line on a terminal: n of N (a run's years, a sweep's members), rate,
/// elapsed, ETA.

#include <chrono>
#include <string>
#include <string_view>

namespace minetwin {

/// Prints to stderr only when it is a terminal and the run is not quiet.
class ProgressLine {
 public:
  /// @param unit what is counted, plural ("years", "members")
  /// @param already done before this invocation (a resumed run): not counted in the rate
  ProgressLine(bool quiet, int total, std::string unit, int already = 0);
  void update(int done, std::string_view detail = {});
  void finish();

 private:
  bool enabled_;
  int total_;
  std::string unit_;
  int already_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace minetwin
