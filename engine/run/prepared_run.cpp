#include "engine/run/prepared_run.hpp"

#include <ostream>

#include "engine/core/errors.hpp"
#include "engine/grid/raster_grid.hpp"
#include "engine/site/climate_forcing.hpp"

namespace minetwin {

PreparedRun prepare_run(const Scenario& scenario, const ModelRegistry& registry,
                        std::ostream* log) {
  PreparedRun run{build_site(scenario), nullptr};
  std::vector<Diagnostic> problems;
  for (std::size_t i = 0; i < scenario.measures.size(); ++i) {
    const Measure& measure = scenario.measures[i];
    const MeasureType* type = registry.find_measure(measure.type);
    if (type == nullptr) continue;
    const std::string problem = type->check_on_grid(measure, run.state().grid());
    if (!problem.empty())
      problems.push_back(scenario.measure_places[i].error("measures[" + std::to_string(i) + "] (" +
                                                          measure.type + "): " + problem));
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  if (log) {
    for (const auto& notice : scenario.notices) *log << notice << "\n";
    for (const auto& notice : run.site.notices) *log << notice << "\n";
  }
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<ClimateForcing>(run.site.climate));
  for (auto& c : registry.make_components(scenario.simulation.landform_only))
    components.push_back(std::move(c));
  // Registered tables reach their component as parameters "table.<name>.rows" and
  // "table.<name>.<row index>.<column>".
  std::map<std::string, double> parameters = scenario.parameters;
  for (const auto& table : registry.tables()) {
    const auto found = scenario.tables.find(table.name);
    if (found == scenario.tables.end()) continue;
    const std::string prefix = table.component + ".table." + table.name + ".";
    parameters[prefix + "rows"] = static_cast<double>(found->second.size());
    for (std::size_t r = 0; r < found->second.size(); ++r)
      for (std::size_t k = 0; k < table.columns.size(); ++k)
        parameters[prefix + std::to_string(r) + "." + std::string(table.columns[k].name)] =
            found->second[r].second[k];
  }
  run.simulation =
      std::make_unique<Simulation>(run.state(), std::move(components), registry, scenario.measures,
                                   scenario.simulation.seed, std::move(parameters));
  run.simulation->initialize();
  if (log) {
    for (const auto& c : run.simulation->components()) {
      if (!c->citation().empty()) *log << "model " << c->name() << ": " << c->citation() << "\n";
    }
  }
  return run;
}

std::vector<std::string> checkpointed_fields(PreparedRun& run) {
  std::vector<std::string> names;
  for (const auto& name : run.simulation->changing_fields())
    if (!run.state().at(name).info().internal) names.push_back(name);
  return names;
}

}  // namespace minetwin
