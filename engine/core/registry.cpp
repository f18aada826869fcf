#include "engine/core/registry.hpp"

#include <stdexcept>

namespace minetwin {

void ModelRegistry::add_component(ComponentEntry entry) {
  for (const auto& existing : components_) {
    if (existing.name == entry.name) {
      throw std::logic_error("component '" + entry.name + "' registered twice");
    }
  }
  components_.push_back(std::move(entry));
}

void ModelRegistry::add_measure(std::unique_ptr<MeasureType> type) {
  if (find_measure(std::string(type->name())) != nullptr) {
    throw std::logic_error("measure type '" + std::string(type->name()) + "' registered twice");
  }
  measures_.push_back(std::move(type));
}

const MeasureType* ModelRegistry::find_measure(const std::string& name) const {
  for (const auto& type : measures_) {
    if (type->name() == name) return type.get();
  }
  return nullptr;
}

const TableSpec* ModelRegistry::find_table(std::string_view name) const {
  for (const auto& table : tables_)
    if (table.name == name) return &table;
  return nullptr;
}

std::vector<std::string> ModelRegistry::measure_names() const {
  std::vector<std::string> names;
  for (const auto& type : measures_) names.emplace_back(type->name());
  return names;
}

std::vector<const MeasureType*> ModelRegistry::measures() const {
  std::vector<const MeasureType*> result;
  for (const auto& type : measures_) result.push_back(type.get());
  return result;
}

std::vector<ModelRegistry::NamedParameter> ModelRegistry::parameters() const {
  std::vector<NamedParameter> result;
  for (const auto& entry : components_) {
    auto component = entry.make();
    for (const auto& spec : component->parameters()) {
      result.push_back({entry.name + "." + std::string(spec.name), spec});
    }
  }
  return result;
}

std::vector<std::unique_ptr<Component>> ModelRegistry::make_components(bool landform_only) const {
  std::vector<std::unique_ptr<Component>> result;
  for (const auto& entry : components_)
    if (entry.in_landform_check || !landform_only) result.push_back(entry.make());
  return result;
}

}  // namespace minetwin
