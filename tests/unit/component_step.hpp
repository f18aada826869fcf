#pragma once
// Runs one update of a component on a test State with a summary row of its own columns: the
// unit tests of single models (soil redistribution, landform check, acid generation).

#include <memory>
#include <string>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"

namespace minetwin::test {

/// Adds every field @p component declares that @p state lacks, at its declared initial value.
inline void add_declared_fields(State& state, const Component& component) {
  for (const FieldSpec& spec : component.fields()) {
    if (state.contains(std::string(spec.name))) continue;
    state.add({std::string(spec.name), std::string(spec.units), "", spec.location, spec.type},
              spec.initial);
  }
}

/// One update of @p component (month @p month, 0 for yearly ones); the row it reported.
inline SummaryRow step_once(Component& component, State& state, int month = 0) {
  std::vector<std::string> columns;
  for (const SummaryColumn& column : component.summary_columns()) columns.emplace_back(column.name);
  SummaryRow row(columns);
  FieldAccess access(state, component.fields(), component.name());
  StepContext step{2030, month, 0, 1, &row};
  component.update(access, step);
  return row;
}

}  // namespace minetwin::test
