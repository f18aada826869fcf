#pragma once
/// @file
/// @brief A monotone priority queue of cells keyed by elevation: a radix heap (Ahuja, Mehlhorn,
/// Orlin & Tarjan 1990, "Faster algorithms for the shortest path problem", J. ACM 37:213) over
/// the order-preserving 64-bit image of the key. Priority-Flood only ever pushes keys at or
/// above the last one popped, which is all a radix heap needs; each element moves down at most
/// 64 buckets, so a push or pop costs a few memory moves instead of a binary heap's log n
/// compares of scattered 16-byte entries. Equal keys pop by increasing cell index, as
/// std::priority_queue<pair<key, index>, greater> would: the fill is the same on every platform.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <vector>

namespace minetwin::terrain {

class CellRadixHeap {
 public:
  bool empty() const { return size_ == 0; }
  /// Pushes @p cell at elevation @p key; @p key must not be below the last key popped.
  void push(double key, std::uint32_t cell) {
    const std::uint64_t k = order_key(key);
    if (k == last_) {
      ties_.push_back(cell);
      std::push_heap(ties_.begin(), ties_.end(), std::greater<>());
    } else {
      buckets_[bucket_of(k)].push_back({k, cell});
    }
    ++size_;
  }
  /// The smallest key (the heap must not be empty).
  double top_key() {
    settle();
    return key_value_;
  }
  /// Removes and returns the cell with the smallest key (smallest index among equal keys).
  std::uint32_t pop() {
    settle();
    std::pop_heap(ties_.begin(), ties_.end(), std::greater<>());
    const std::uint32_t cell = ties_.back();
    ties_.pop_back();
    --size_;
    return cell;
  }

 private:
  struct Entry {
    std::uint64_t key;
    std::uint32_t cell;
  };
  // Doubles in the order of their values as unsigned integers (-0 taken as +0).
  static std::uint64_t order_key(double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value + 0.0);
    return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
  }
  int bucket_of(std::uint64_t key) const { return 64 - std::countl_zero(key ^ last_); }
  // Makes the ties (bucket 0) hold the smallest key: the lowest non-empty bucket's minimum
  // becomes the last key and its entries move to lower buckets.
  void settle() {
    if (!ties_.empty()) return;
    int b = 1;
    while (buckets_[static_cast<std::size_t>(b)].empty()) ++b;
    auto& from = buckets_[static_cast<std::size_t>(b)];
    std::uint64_t smallest = from.front().key;
    for (const Entry& e : from) smallest = std::min(smallest, e.key);
    last_ = smallest;
    key_value_ = value_of(smallest);
    for (const Entry& e : from) {
      if (e.key == last_) {
        ties_.push_back(e.cell);
      } else {
        buckets_[static_cast<std::size_t>(bucket_of(e.key))].push_back(e);
      }
    }
    from.clear();
    std::make_heap(ties_.begin(), ties_.end(), std::greater<>());
  }
  static double value_of(std::uint64_t key) {
    const std::uint64_t bits = (key >> 63) != 0 ? key & ~(std::uint64_t{1} << 63) : ~key;
    return std::bit_cast<double>(bits);
  }

  std::array<std::vector<Entry>, 65> buckets_;
  std::vector<std::uint32_t> ties_;  // a min-heap of the cells at the last key
  std::uint64_t last_ = 0;
  double key_value_ = 0.0;
  std::size_t size_ = 0;
};

}  // namespace minetwin::terrain
