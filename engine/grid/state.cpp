#include "engine/grid/state.hpp"

#include "engine/grid/local_operations.hpp"

#include <stdexcept>

namespace minetwin {

State::State(RasterGrid grid, std::size_t soil_layers)
    : grid_(std::move(grid)), soil_layers_(soil_layers) {}

std::size_t State::value_count(Location location) const {
  switch (location) {
    case Location::cell:
      return grid_.cell_count();
    case Location::layer:
      return grid_.cell_count() * soil_layers_;
    case Location::site:
      return 1;
    case Location::day:
      return 31;
  }
  return 0;
}

Field& State::add(const FieldInfo& info, double initial) {
  if (auto found = index_.find(info.name); found != index_.end()) {
    Field& existing = *fields_[found->second];
    const FieldInfo& have = existing.info();
    if (have.units != info.units || have.location != info.location || have.type != info.type) {
      throw std::logic_error("field '" + info.name + "' declared twice with different units, " +
                             "location or type ('" + have.units + "' vs '" + info.units + "')");
    }
    return existing;
  }
  auto field = std::make_unique<Field>(info, value_count(info.location), kFillValue);
  // The declared initial value on the valid cells (every value off the grid), layer by layer in
  // parallel blocks of cells.
  auto set_initial = [&](auto values) {
    using T = typename decltype(values)::element_type;
    const auto value = static_cast<T>(initial);
    if (!on_grid(info.location)) {
      std::fill(values.begin(), values.end(), value);
      return;
    }
    const std::size_t cells = grid_.cell_count();
    for (std::size_t layer = 0; layer * cells < values.size(); ++layer) {
      T* layer_values = values.data() + layer * cells;
      for_each_cell_block(cells, [&](std::size_t begin, std::size_t end) {
        for (std::size_t c = begin; c < end; ++c)
          if (grid_.is_valid(c)) layer_values[c] = value;
      });
    }
  };
  if (info.type == ElementType::float32) {
    set_initial(field->values<float>());
  } else {
    set_initial(field->values<double>());
  }
  index_.emplace(info.name, fields_.size());
  fields_.push_back(std::move(field));
  return *fields_.back();
}

Field& State::at(const std::string& name) {
  auto found = index_.find(name);
  if (found == index_.end()) throw std::out_of_range("no field named '" + name + "' in State");
  return *fields_[found->second];
}

const Field& State::at(const std::string& name) const {
  return const_cast<State*>(this)->at(name);
}

std::vector<std::string> State::names() const {
  std::vector<std::string> result;
  result.reserve(fields_.size());
  for (const auto& field : fields_) result.push_back(field->info().name);
  return result;
}

}  // namespace minetwin
