#include "engine/grid/field.hpp"

namespace minetwin {

std::string_view to_string(Location location) {
  switch (location) {
    case Location::cell:
      return "cell";
    case Location::layer:
      return "layer";
    case Location::site:
      return "site";
    case Location::day:
      return "day";
  }
  return "?";
}

std::string_view to_string(ElementType type) {
  return type == ElementType::float32 ? "float32" : "float64";
}

// First touched on all threads: a run's State on 1024^2 is 0.8 GB of fresh pages.
Field::Field(FieldInfo info, std::size_t value_count, double fill_value) : info_(std::move(info)) {
  if (info_.type == ElementType::float32) {
    values_ = touched_grid_vector(value_count, static_cast<float>(fill_value));
  } else {
    values_ = touched_grid_vector(value_count, fill_value);
  }
}

std::size_t Field::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values_);
}

double Field::get(std::size_t index) const {
  return std::visit([index](const auto& v) { return static_cast<double>(v.at(index)); }, values_);
}

void Field::set(std::size_t index, double value) {
  std::visit(
      [index, value](auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        v.at(index) = static_cast<T>(value);
      },
      values_);
}

std::span<const std::byte> Field::bytes() const {
  return std::visit([](const auto& v) { return std::as_bytes(std::span(v)); }, values_);
}

std::span<std::byte> Field::bytes() {
  return std::visit([](auto& v) { return std::as_writable_bytes(std::span(v)); }, values_);
}

bool parse_field_name(const std::string& name, std::string& field, int& layer) {
  const std::size_t bracket = name.find('[');
  field = name.substr(0, bracket);
  layer = -1;
  if (bracket == std::string::npos) return !field.empty();
  const std::string digits = name.substr(bracket + 1);
  // No profile has a million layers: longer numbers are refused before std::stoi overflows.
  if (digits.size() < 2 || digits.size() > 7 || digits.back() != ']' ||
      digits.find_first_not_of("0123456789") != digits.size() - 1 || field.empty())
    return false;
  layer = std::stoi(digits.substr(0, digits.size() - 1));
  return true;
}

}  // namespace minetwin
