#pragma once
/// @file
/// @brief A component's carry-over: the state it holds from one year into the next outside
/// State (a spin-up in progress), as bytes that checkpoints store and resumes hand back.
///
/// Values are written in the machine's byte order (checkpoints are for resuming on the machine
/// kind that wrote them, like the rest of the checkpoint). A reader that runs past the end or
/// leaves bytes unread throws: the carry-over of another build or a damaged file is refused.

#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace minetwin {

/// Appends trivially copyable values and arrays of them to a byte buffer.
class CarryOverWriter {
 public:
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
    bytes_.insert(bytes_.end(), bytes, bytes + sizeof(T));
  }
  /// A vector as its length, then its elements.
  template <class T>
  void put_vector(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<std::uint64_t>(values.size());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(values.data());
    bytes_.insert(bytes_.end(), bytes, bytes + values.size() * sizeof(T));
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

/// Reads back what a CarryOverWriter wrote, in the same order.
class CarryOverReader {
 public:
  CarryOverReader(std::span<const std::uint8_t> bytes, std::string owner)
      : bytes_(bytes), owner_(std::move(owner)) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  template <class T>
  std::vector<T> get_vector() {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto count = get<std::uint64_t>();
    if (count > (bytes_.size() - position_) / sizeof(T)) fail();
    std::vector<T> values(static_cast<std::size_t>(count));
    if (count > 0)
      std::memcpy(values.data(), take(values.size() * sizeof(T)), values.size() * sizeof(T));
    return values;
  }
  /// Throws when bytes are left over (a carry-over written by another version).
  void finish() const {
    if (position_ != bytes_.size()) fail();
  }

 private:
  const std::uint8_t* take(std::size_t size) {
    if (size > bytes_.size() - position_) fail();
    const std::uint8_t* at = bytes_.data() + position_;
    position_ += size;
    return at;
  }
  [[noreturn]] void fail() const {
    throw std::runtime_error("the checkpoint's carry-over of component '" + owner_ +
                             "' does not fit this program");
  }
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
  std::string owner_;
};

}  // namespace minetwin
