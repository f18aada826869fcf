#include "engine/run/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace minetwin {

ProgressLine::ProgressLine(bool quiet, int total, std::string unit, int already)
    : enabled_(!quiet && ::isatty(STDERR_FILENO) == 1),
      total_(total),
      unit_(std::move(unit)),
      already_(already),
      start_(std::chrono::steady_clock::now()) {}

void ProgressLine::update(int done, std::string_view detail) {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const int counted = done - already_;
  const double rate = elapsed > 0 ? counted / elapsed : 0.0;
  const double eta = counted > 0 ? elapsed / counted * (total_ - done) : 0.0;
  std::fprintf(stderr, "\r  %s %d of %d %.*s  %.2f %s/s  elapsed %.1f s  ETA %.1f s   ",
               unit_.c_str(), done, total_, static_cast<int>(detail.size()), detail.data(), rate,
               unit_.c_str(), elapsed, eta);
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (enabled_) std::fprintf(stderr, "\n");
}

}  // namespace minetwin
