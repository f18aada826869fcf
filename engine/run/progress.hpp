#pragma once
/// @file
/// @brief The progress line on a terminal: year n of N, elapsed, ETA.

#include <chrono>

namespace minetwin {

/// Prints to stderr only when it is a terminal and the run is not quiet.
class ProgressLine {
 public:
  ProgressLine(bool quiet, int total_years);
  void update(int years_done, int calendar_year);
  void finish();

 private:
  bool enabled_;
  int total_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace minetwin
