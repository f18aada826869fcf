#include "models/terrain/drainage_chunks.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>

namespace minetwin::terrain {

DrainageChunks::DrainageChunks(std::span<const std::uint32_t> receiver_position) {
  const std::size_t n = receiver_position.size();
  std::vector<std::uint32_t> starts;
  std::size_t tree_start = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t r = receiver_position[k];
    if (r == k) {
      tree_start = k;
      starts.push_back(static_cast<std::uint32_t>(k));
    } else if (r > k || r < tree_start) {
      starts = {0};  // not depth-first: one chunk, the serial pass
      break;
    }
  }
  group(starts, n);
}

DrainageChunks DrainageChunks::from_tree_starts(std::span<const std::uint32_t> tree_starts,
                                                std::size_t stack_size) {
  DrainageChunks chunks;
  chunks.group(tree_starts, stack_size);
  return chunks;
}

void DrainageChunks::group(std::span<const std::uint32_t> tree_starts, std::size_t stack_size) {
  bounds_ = {0};
  for (const std::uint32_t start : tree_starts) {
    // A tree's start may close the chunk before it.
    if (start - bounds_.back() >= kTargetCells) bounds_.push_back(start);
  }
  if (stack_size > 0) bounds_.push_back(stack_size);
  by_size_.resize(size());
  std::iota(by_size_.begin(), by_size_.end(), std::size_t{0});
  std::stable_sort(by_size_.begin(), by_size_.end(), [&](std::size_t a, std::size_t b) {
    return end(a) - begin(a) > end(b) - begin(b);
  });
}

void DrainageChunks::for_each(
    const std::function<void(std::size_t, std::size_t, std::size_t)>& pass) const {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, by_size_.size(), 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        const std::size_t k = by_size_[i];
                        pass(k, bounds_[k], bounds_[k + 1]);
                      }
                    });
}

void DrainageChunks::for_each_pair(
    const std::function<void(std::size_t, std::size_t)>& pass) const {
  const std::size_t pairs = (by_size_.size() + 1) / 2;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        const std::size_t b =
                            2 * i + 1 < by_size_.size() ? by_size_[2 * i + 1] : size();
                        pass(by_size_[2 * i], b);
                      }
                    });
}

}  // namespace minetwin::terrain
