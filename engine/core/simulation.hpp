#pragma once
/// @file
/// @brief The scheduler: wiring check, then the yearly loop of the design brief.
///
/// Each year: measures due -> yearly components -> 12 x monthly components -> cell_year
/// components (twelve months cell block by cell block) -> indices components. The run lifecycle
/// around it (site, recorder, checkpoints, progress) lives in engine/run; the year and month loops
/// live only here, never in a model.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/core/measure.hpp"
#include "engine/core/registry.hpp"

namespace minetwin {

class State;
class SummaryRow;

/// A problem in how components and the site fit together.
struct WiringProblem {
  std::string message;
};

/// Checks declared reads and writes against each other and against State (site fields):
/// every required input is supplied by the site or written by a component or measure; units,
/// locations and types agree; no two writers of one field without `inout`. Returns every
/// problem found (empty: the wiring is sound).
std::vector<WiringProblem> check_wiring(const State& state,
                                        const std::vector<std::unique_ptr<Component>>& components,
                                        const std::vector<const MeasureType*>& measure_types);

class Simulation {
 public:
  /// @param parameter_overrides "component.parameter" -> value, already validated.
  Simulation(State& state, std::vector<std::unique_ptr<Component>> components,
             const ModelRegistry& registry, std::vector<Measure> measures, std::uint64_t seed,
             std::map<std::string, double> parameter_overrides);

  /// Checks the wiring (throws InputError listing every problem), allocates declared outputs
  /// and initializes the components.
  void initialize();
  /// Engine columns first, then each component's and measure type's, in coupling order.
  std::vector<std::string> summary_columns() const;
  /// Simulates one calendar year.
  void run_year(int year, int year_index, SummaryRow& summary);
  void finalize();
  /// Each component's carry-over (Component::save_carry_over) by component name; components
  /// that carry none are left out.
  std::map<std::string, std::vector<std::uint8_t>> carry_over() const;
  /// After a checkpoint was restored: hands each component its carry-over (refusing one of a
  /// component this run does not have), then lets every component rebuild its internal fields.
  void restart(const std::map<std::string, std::vector<std::uint8_t>>& carry_over);

  /// Fields that a component or measure may change (declared out or inout), in State order.
  /// Everything else is fixed by the site for the whole run: recorded once, never checkpointed.
  std::vector<std::string> changing_fields() const;

  const std::vector<std::unique_ptr<Component>>& components() const { return components_; }
  /// Wall time spent in each component's updates and in measures, for profiling the engine.
  const std::map<std::string, std::chrono::duration<double>>& timings() const { return timings_; }

 private:
  void apply_measures(int year, SummaryRow& summary);
  void run_cell_year(int year, int year_index, SummaryRow& summary);
  std::vector<std::size_t> zone_cells(const std::string& zone) const;

  State& state_;
  std::vector<std::unique_ptr<Component>> components_;
  std::vector<FieldAccess> access_;
  const ModelRegistry& registry_;
  std::vector<Measure> measures_;
  std::uint64_t seed_;
  std::map<std::string, double> parameter_overrides_;
  std::map<std::string, std::chrono::duration<double>> timings_;
  // cell_year components: the fields they read each month, kept at every month's end, and one
  // view per component and month that reads them.
  MonthlySnapshots snapshots_;
  std::vector<std::string> snapshot_names_;
  std::vector<std::vector<FieldAccess>> month_access_;
};

}  // namespace minetwin
