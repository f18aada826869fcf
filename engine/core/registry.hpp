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
  /// Runs in a long-term landform check too (`simulation.models: landform`: terrain, erosion and
  /// the soil it moves, for up to 1000 years), not only in a run of every model.
  bool in_landform_check = false;
};

/// A table of named rows that scenarios may extend (plant types): numeric columns with units,
/// defaults and ranges, built-in rows, and the component that receives the resolved table as
/// parameters "table.<name>.rows" and "table.<name>.<row index>.<column>". A measure text
/// parameter that names the table (MeasureParameterSpec::table) takes a row name, and the row's
/// values travel with the measure as numbers "<parameter>.<column>" plus "<parameter>.id"
/// (1-based row index).
struct TableSpec {
  std::string name;  ///< the scenario key, e.g. "plant_types"
  std::string doc;
  std::vector<ParameterSpec> columns;
  std::vector<std::vector<std::string>> sum_to_one;  ///< column groups whose values sum to 1
  std::vector<std::pair<std::string, std::vector<double>>> builtin;  ///< rows, column order
  std::string component;
};

/// Models register here (each model library exposes a `register_*` function that
/// apps/ calls); the scenario schema, the wiring check and the docs read from it.
class ModelRegistry {
 public:
  void add_component(ComponentEntry entry);
  void add_measure(std::unique_ptr<MeasureType> type);
  void add_table(TableSpec table) { tables_.push_back(std::move(table)); }
  const std::vector<TableSpec>& tables() const { return tables_; }
  const TableSpec* find_table(std::string_view name) const;

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

  /// New instances of every registered component, in registration order; with
  /// @p landform_only, of those that run in a landform check.
  std::vector<std::unique_ptr<Component>> make_components(bool landform_only = false) const;

 private:
  std::vector<ComponentEntry> components_;
  std::vector<std::unique_ptr<MeasureType>> measures_;
  std::vector<TableSpec> tables_;
};

}  // namespace minetwin
