#include "engine/run/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace minetwin {

ProgressLine::ProgressLine(bool quiet, int total_years)
    : enabled_(!quiet && ::isatty(STDERR_FILENO) == 1),
      total_(total_years),
      start_(std::chrono::steady_clock::now()) {}

void ProgressLine::update(int years_done, int calendar_year) {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta = years_done > 0 ? elapsed / years_done * (total_ - years_done) : 0.0;
  std::fprintf(stderr, "\r  year %d of %d (%d)  elapsed %.1f s  ETA %.1f s   ", years_done, total_,
               calendar_year, elapsed, eta);
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (enabled_) std::fprintf(stderr, "\n");
}

}  // namespace minetwin
