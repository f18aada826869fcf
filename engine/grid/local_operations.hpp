#pragma once
/// @file
/// @brief Map-algebra "local" operations (PCRaster vocabulary): cell-by-cell work in parallel
/// blocks, and a block-ordered sum whose result does not depend on the thread count.

#include <cstddef>
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

/// Sum of @p value(cell) over cells: partial sums per fixed block, combined in block order, so
/// the bytes of the result are the same with 1 or N threads (design brief, Determinism).
template <class Value>
double deterministic_sum(std::size_t cell_count, Value&& value) {
  const std::size_t blocks = (cell_count + kCellBlock - 1) / kCellBlock;
  std::vector<double> partial(blocks, 0.0);
  for_each_cell_block(cell_count, [&](std::size_t begin, std::size_t end) {
    double sum = 0.0;
    for (std::size_t cell = begin; cell < end; ++cell) sum += value(cell);
    partial[begin / kCellBlock] = sum;
  });
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace minetwin
