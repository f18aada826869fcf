#pragma once
/// @file
/// @brief Whole drainage trees of the flow stack, grouped into chunks that passes along the flow
/// can run in parallel.
///
/// The stack is built by a depth-first walk from each outlet (flow_graph.hpp), so every drainage
/// tree (an outlet and all cells draining to it) is one contiguous run of stack positions, and a
/// pass that follows the flow (donors before receivers, or the reverse) never leaves its tree.
/// Trees are independent, so groups of them run in parallel. The grouping depends only on the
/// stack, not on the number of threads: per-chunk sums added in chunk order give the same bytes
/// with 1 or 2 threads, and every cell sees the same operations in the same order as in one
/// serial pass.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

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
  /// From the stack positions where trees start (ascending, the first 0) and the stack's size.
  static DrainageChunks from_tree_starts(std::span<const std::uint32_t> tree_starts,
                                         std::size_t stack_size);

  std::size_t size() const { return bounds_.empty() ? 0 : bounds_.size() - 1; }
  /// Stack positions [begin(k), end(k)) of chunk k.
  std::size_t begin(std::size_t k) const { return bounds_[k]; }
  std::size_t end(std::size_t k) const { return bounds_[k + 1]; }

  /// Runs @p pass(chunk, begin, end) for every chunk, in parallel (TBB), largest chunks first.
  void for_each(const std::function<void(std::size_t, std::size_t, std::size_t)>& pass) const;
  /// Runs @p pass(a, b) for pairs of chunks of about the same size (the two largest, the next two,
  /// ...; b == size() where a chunk is left alone), pairs in parallel (TBB): for walks that step
  /// through two independent chunks at once.
  void for_each_pair(const std::function<void(std::size_t, std::size_t)>& pass) const;

 private:
  void group(std::span<const std::uint32_t> tree_starts, std::size_t stack_size);
  std::vector<std::size_t> bounds_;   // chunk k: [bounds_[k], bounds_[k + 1])
  std::vector<std::size_t> by_size_;  // chunk indices, largest first
};

}  // namespace minetwin::terrain
