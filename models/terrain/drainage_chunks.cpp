#include "models/terrain/drainage_chunks.hpp"

#include <algorithm>
#include <numeric>

namespace minetwin::terrain {

DrainageChunks::DrainageChunks(std::span<const std::uint32_t> receiver_position) {
  const std::size_t n = receiver_position.size();
  bounds_.push_back(0);
  std::size_t tree_start = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t r = receiver_position[k];
    if (r == k) {
      // An outlet starts a tree; it may close the chunk before it.
      tree_start = k;
      if (k - bounds_.back() >= kTargetCells) bounds_.push_back(k);
    } else if (r > k || r < tree_start) {
      bounds_ = {0};  // not depth-first: one chunk, the serial pass
      break;
    }
  }
  if (n > 0) bounds_.push_back(n);
  by_size_.resize(size());
  std::iota(by_size_.begin(), by_size_.end(), std::size_t{0});
  std::stable_sort(by_size_.begin(), by_size_.end(), [&](std::size_t a, std::size_t b) {
    return end(a) - begin(a) > end(b) - begin(b);
  });
}

}  // namespace minetwin::terrain
