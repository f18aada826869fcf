#pragma once
/// @file
/// @brief A monotone priority queue of cells keyed by elevation: a radix heap (Ahuja, Mehlhorn,
/// Orlin & Tarjan 1990, "Faster algorithms for the shortest path problem", J. ACM 37:213) over
/// the order-preserving 64-bit image of the key. Priority-Flood only ever pushes keys at or
/// above the last one popped, which is all a radix heap needs; each element moves down at most
/// 64 buckets, so a push or pop costs a few memory moves instead of a binary heap's log n
/// compares of scattered 16-byte entries. Equal keys pop by increasing cell index, as
/// std::priority_queue<pair<key, index>, greater> would: the fill is the same on every platform.
/// With Key = std::uint32_t the keys are floats (every key pushed must be a double that a float
/// holds exactly, as every value of a float32 DEM and every epsilon raise is): half the entry's
/// bytes and 32 bucket levels instead of 64, in the same pop order.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <vector>

namespace minetwin::terrain {

template <class Key>
class BasicCellRadixHeap {
  static_assert(std::is_same_v<Key, std::uint64_t> || std::is_same_v<Key, std::uint32_t>);
  static constexpr int kBits = 8 * static_cast<int>(sizeof(Key));

 public:
  bool empty() const { return size_ == 0; }
  /// Pushes @p cell at elevation @p key; @p key must not be below the last key popped.
  void push(double key, std::uint32_t cell) {
    const Key k = order_key(key);
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
    Key key;
    std::uint32_t cell;
  };
  // Values (doubles, or floats held in doubles) in the order of their values as unsigned integers
  // (-0 taken as +0).
  static Key order_key(double value) {
    Key bits;
    if constexpr (kBits == 64) {
      bits = std::bit_cast<Key>(value + 0.0);
    } else {
      bits = std::bit_cast<Key>(static_cast<float>(value) + 0.0f);
    }
    return (bits >> (kBits - 1)) != 0 ? static_cast<Key>(~bits) : bits | (Key{1} << (kBits - 1));
  }
  int bucket_of(Key key) const { return kBits - std::countl_zero(static_cast<Key>(key ^ last_)); }
  // Makes the ties (bucket 0) hold the smallest key: the lowest non-empty bucket's minimum
  // becomes the last key and its entries move to lower buckets.
  void settle() {
    if (!ties_.empty()) return;
    int b = 1;
    while (buckets_[static_cast<std::size_t>(b)].empty()) ++b;
    auto& from = buckets_[static_cast<std::size_t>(b)];
    Key smallest = from.front().key;
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
  static double value_of(Key key) {
    const Key bits = (key >> (kBits - 1)) != 0 ? static_cast<Key>(key & ~(Key{1} << (kBits - 1)))
                                               : static_cast<Key>(~key);
    if constexpr (kBits == 64) {
      return std::bit_cast<double>(bits);
    } else {
      return static_cast<double>(std::bit_cast<float>(bits));
    }
  }

  std::array<std::vector<Entry>, kBits + 1> buckets_;
  std::vector<std::uint32_t> ties_;  // a min-heap of the cells at the last key
  Key last_ = 0;
  double key_value_ = 0.0;
  std::size_t size_ = 0;
};

/// Keys of any double.
using CellRadixHeap = BasicCellRadixHeap<std::uint64_t>;
/// Keys of doubles that floats hold exactly.
using FloatCellRadixHeap = BasicCellRadixHeap<std::uint32_t>;

}  // namespace minetwin::terrain
