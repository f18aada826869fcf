#pragma once
/// @file
/// @brief Map-algebra "local" operations (PCRaster vocabulary): cell-by-cell work in parallel
/// blocks, and a block-ordered sum whose result does not depend on the thread count.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace minetwin {

/// Cells per block: a block of a few fields stays in L2 cache through all 12 months.
inline constexpr std::size_t kCellBlock = 4096;

/// Calls @p work(begin, end) for consecutive cell blocks, in parallel. The blocks are fixed
/// (not chosen by the scheduler), so any per-block result is reproducible.
template <class Work>
void for_each_cell_block(std::size_t cell_count, Work&& work) {
  const std::size_t blocks = (cell_count + kCellBlock - 1) / kCellBlock;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t block = range.begin(); block != range.end(); ++block) {
                        const std::size_t begin = block * kCellBlock;
                        const std::size_t end = std::min(cell_count, begin + kCellBlock);
                        work(begin, end);
                      }
                    });
}

/// Cells summed in interleaved lanes (cell i into lane i mod kSumLanes, the lanes combined pairwise
/// at the end): a fixed order, so the same bits with any thread count, and eight independent
/// chains of additions instead of one. A single running sum waits on each addition's latency
/// (4 cycles), which made the monthly totals of a million cells a tenth of a model's month.
inline constexpr std::size_t kSumLanes = 8;

/// Combines the lanes pairwise, then adds @p tail (the cells after the last full group of lanes).
inline double combine_lanes(const double (&lane)[kSumLanes], double tail) {
  return (((lane[0] + lane[1]) + (lane[2] + lane[3])) +
          ((lane[4] + lane[5]) + (lane[6] + lane[7]))) +
         tail;
}

/// A lane sum fed piece by piece, for passes that sum while they work through a block: pieces
/// of consecutive cells give the same bits as one lane_sum over all of them, provided every
/// piece but the last holds a multiple of kSumLanes cells.
class LaneSum {
 public:
  /// Adds @p value(i) for i in [0, count).
  template <class Value>
  void add(std::size_t count, Value&& value) {
    std::size_t i = 0;
    for (; i + kSumLanes <= count; i += kSumLanes)
      for (std::size_t j = 0; j < kSumLanes; ++j) lane_[j] += value(i + j);
    for (; i < count; ++i) tail_ += value(i);
  }
  /// Adds x[0, count).
  void add(const double* x, std::size_t count) {
    add(count, [x](std::size_t i) { return x[i]; });
  }
  double total() const { return combine_lanes(lane_, tail_); }

 private:
  double lane_[kSumLanes] = {};
  double tail_ = 0.0;
};

/// Sum of @p value(cell) for cells [begin, end), in lanes.
template <class Value>
double lane_sum(std::size_t begin, std::size_t end, Value&& value) {
  LaneSum sum;
  sum.add(end - begin, [&](std::size_t i) { return value(begin + i); });
  return sum.total();
}

/// Sum of x[0, count), in lanes.
inline double lane_sum(const double* x, std::size_t count) {
  LaneSum sum;
  sum.add(x, count);
  return sum.total();
}

/// Per-block partial sums added in block order: the last step of deterministic_sum, for passes
/// that compute their blocks' partial sums themselves.
inline double sum_in_block_order(const std::vector<double>& partial) {
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

/// Calls @p run(first, count) for each run of valid cells (@p valid nonzero) in [begin, end),
/// in order. memchr finds the end of a run (a vectorised search), so whole-valid stretches
/// cost one call.
template <class Run>
void for_each_valid_run(const std::uint8_t* valid, std::size_t begin, std::size_t end, Run&& run) {
  std::size_t cell = begin;
  while (cell < end) {
    while (cell < end && valid[cell] == 0) ++cell;
    if (cell == end) return;
    const auto* invalid =
        static_cast<const std::uint8_t*>(std::memchr(valid + cell, 0, end - cell));
    const std::size_t last = invalid == nullptr ? end : static_cast<std::size_t>(invalid - valid);
    run(cell, last - cell);
    cell = last;
  }
}

/// Sum of @p value(cell) over cells: partial sums per fixed block (in lanes), combined in block
/// order, so the bytes of the result are the same with 1 or N threads (design brief,
/// Determinism).
template <class Value>
double deterministic_sum(std::size_t cell_count, Value&& value) {
  const std::size_t blocks = (cell_count + kCellBlock - 1) / kCellBlock;
  std::vector<double> partial(blocks, 0.0);
  for_each_cell_block(cell_count, [&](std::size_t begin, std::size_t end) {
    partial[begin / kCellBlock] = lane_sum(begin, end, value);
  });
  return sum_in_block_order(partial);
}

}  // namespace minetwin
