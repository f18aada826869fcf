#pragma once
/// @file
/// @brief The registry of component factories and measure types that a build provides.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/core/measure.hpp"

namespace minetwin {

/// One component kind: its name and how to make one. The registration order is the coupling
/// order within each cadence (design brief: hydrology -> metals -> vegetation -> soil carbon).
struct ComponentEntry {
  std::string name;
  std::function<std::unique_ptr<Component>()> make;
};

/// Models register here (each model library exposes a `register_*` function that
/// apps/ calls); the scenario schema, the wiring check and the docs read from it.
class ModelRegistry {
 public:
  void add_component(ComponentEntry entry);
  void add_measure(std::unique_ptr<MeasureType> type);

  const std::vector<ComponentEntry>& components() const { return components_; }
  const MeasureType* find_measure(const std::string& name) const;
  std::vector<std::string> measure_names() const;
  std::vector<const MeasureType*> measures() const;

  /// Every parameter as "component.parameter", with its spec (for schema and docs).
  struct NamedParameter {
    std::string dotted_name;
    ParameterSpec spec;
  };
  std::vector<NamedParameter> parameters() const;

  /// New instances of every registered component, in registration order.
  std::vector<std::unique_ptr<Component>> make_components() const;

 private:
  std::vector<ComponentEntry> components_;
  std::vector<std::unique_ptr<MeasureType>> measures_;
};

}  // namespace minetwin
