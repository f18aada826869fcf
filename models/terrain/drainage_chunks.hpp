#pragma once
/// @file
/// @brief Whole drainage trees of the flow stack, grouped into chunks that passes along the flow
/// can run in parallel.
///
/// The stack is built by a depth-first walk from each outlet (flow_graph.hpp), so every drainage
/// tree (an outlet and all cells draining to it) is one contiguous run of stack positions, and a
/// pass that follows the flow (donors before receivers, or the reverse) never leaves its tree.
/// Trees are independent, so groups of them run in parallel (Braun & Willett 2013, section 3.3,
/// note the same for their stack). The grouping depends only on the stack, not on the number of
/// threads: per-chunk sums added in chunk order give the same bytes with 1 or 2 threads.

#include <cstdint>
#include <span>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace minetwin::terrain {

class DrainageChunks {
 public:
  /// Cells per chunk at least (whole trees are added until a chunk holds this many).
  static constexpr std::size_t kTargetCells = 32768;

  DrainageChunks() = default;
  /// @p receiver_position: for each stack position, its receiver's stack position (itself for
  /// an outlet). If the trees are not contiguous (a stack not built depth-first) the whole stack
  /// is one chunk.
  explicit DrainageChunks(std::span<const std::uint32_t> receiver_position);

  std::size_t size() const { return bounds_.empty() ? 0 : bounds_.size() - 1; }
  /// Stack positions [begin(k), end(k)) of chunk k.
  std::size_t begin(std::size_t k) const { return bounds_[k]; }
  std::size_t end(std::size_t k) const { return bounds_[k + 1]; }

  /// Runs @p pass(chunk, begin, end) for every chunk, in parallel, largest chunks first.
  template <class Pass>
  void for_each(Pass&& pass) const {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, by_size_.size(), 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          const std::size_t k = by_size_[i];
                          pass(k, bounds_[k], bounds_[k + 1]);
                        }
                      });
  }

 private:
  std::vector<std::size_t> bounds_;   // chunk k: [bounds_[k], bounds_[k + 1])
  std::vector<std::size_t> by_size_;  // chunk indices, largest first
};

}  // namespace minetwin::terrain
