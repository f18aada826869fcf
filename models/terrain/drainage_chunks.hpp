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

  /// No chunk: the second of a pair when the number of chunks is odd.
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  /// Runs @p pass(a, b) for pairs of chunks in parallel: the two largest, the next two, and so
  /// on (b is kNone for the last chunk of an odd count).
  void for_each_pair(const std::function<void(std::size_t, std::size_t)>& pass) const;

 private:
  void group(std::span<const std::uint32_t> tree_starts, std::size_t stack_size);
  std::vector<std::size_t> bounds_;   // chunk k: [bounds_[k], bounds_[k + 1])
  std::vector<std::size_t> by_size_;  // chunk indices, largest first
};

/// Walks every chunk down the stack (positions end - 1 .. begin: donors before receivers),
/// calling the chunk's step(k) at each position; @p make_step(chunk) returns that step.
///
/// For passes bound by the latency of the flow chain (each cell waits for the cell above it):
/// chunks go in pairs, and a pair's two chunks are walked in lockstep, one position of each in
/// turn, so their two independent chains overlap in the core. Each chunk still sees its
/// positions in the same order as in a walk of its own.
template <class MakeStep>
void walk_down_in_pairs(const DrainageChunks& chunks, MakeStep&& make_step) {
  chunks.for_each_pair([&](std::size_t a, std::size_t b) {
    auto step_a = make_step(a);
    std::size_t k_a = chunks.end(a);
    const std::size_t first_a = chunks.begin(a);
    if (b != DrainageChunks::kNone) {
      auto step_b = make_step(b);
      std::size_t k_b = chunks.end(b);
      const std::size_t first_b = chunks.begin(b);
      while (k_a > first_a && k_b > first_b) {
        step_a(--k_a);
        step_b(--k_b);
      }
      while (k_b > first_b) step_b(--k_b);
    }
    while (k_a > first_a) step_a(--k_a);
  });
}

}  // namespace minetwin::terrain
