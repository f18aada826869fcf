#pragma once
/// @file
/// @brief A named, typed, unit-carrying array on the grid: per cell, per soil layer, or one
/// value for the whole site.

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/grid/grid_memory.hpp"

namespace minetwin {

/// Where a field's values live.
enum class Location : unsigned char {
  cell,   ///< one value per grid cell
  layer,  ///< one value per soil layer per cell, stored layer-major: [layer][cell]
  site,   ///< one value for the whole site (climate forcing, site totals)
  day,    ///< one value for each day of the month (31; the days past the month's end hold 0)
};

/// Whether a field has values on the grid (cells or layers), which state.nc records and sweep
/// maps name; site and day fields are the site's.
constexpr bool on_grid(Location location) {
  return location == Location::cell || location == Location::layer;
}

/// The element type a field is stored in; declared by whoever creates the field.
enum class ElementType : unsigned char { float32, float64 };

std::string_view to_string(Location location);
std::string_view to_string(ElementType type);

/// Everything that describes a field except its values.
struct FieldInfo {
  std::string name;       ///< CSDMS-style name, e.g. "topographic__elevation"
  std::string units;      ///< UDUNITS string, e.g. "m", "kg m-2", "1" for dimensionless
  std::string long_name;  ///< one line for humans and for CF long_name
  Location location = Location::cell;
  ElementType type = ElementType::float64;
  bool internal = false;  ///< derived bookkeeping, recorded only on request
};

/// The values of one field. Typed access checks the declared element type.
class Field {
 public:
  Field(FieldInfo info, std::size_t value_count, double fill_value);

  const FieldInfo& info() const { return info_; }
  std::size_t size() const;

  template <class T>
  std::span<T> values() {
    auto* stored = std::get_if<GridVector<T>>(&values_);
    if (stored == nullptr) throw std::logic_error("field '" + info_.name + "' has another type");
    return *stored;
  }
  template <class T>
  std::span<const T> values() const {
    auto* stored = std::get_if<GridVector<T>>(&values_);
    if (stored == nullptr) throw std::logic_error("field '" + info_.name + "' has another type");
    return *stored;
  }

  /// Type-erased element access for I/O and summaries (not for hot loops).
  double get(std::size_t index) const;
  void set(std::size_t index, double value);

  /// Raw bytes, for the recorder and checkpoints.
  std::span<const std::byte> bytes() const;
  std::span<std::byte> bytes();

 private:
  FieldInfo info_;
  std::variant<GridVector<float>, GridVector<double>> values_;  // grid_memory.hpp
};

/// Splits a field's name as the ensemble files and the exports write it, NAME or NAME[LAYER]
/// (0-based layer); false when the text is neither.
bool parse_field_name(const std::string& name, std::string& field, int& layer);

}  // namespace minetwin
