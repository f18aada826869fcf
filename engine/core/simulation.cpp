#include "engine/core/simulation.hpp"

#include "engine/grid/local_operations.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "engine/core/carry_over.hpp"
#include "engine/core/errors.hpp"
#include "engine/core/memory_reuse.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"

namespace minetwin {
namespace {

struct Declaration {
  std::string owner;
  FieldSpec spec;
  bool by_component = false;  ///< a component (runs every step), not a measure (runs when due)
};

std::string describe(const FieldSpec& spec) {
  return "(" + std::string(to_string(spec.location)) + ", '" + std::string(spec.units) + "', " +
         std::string(to_string(spec.type)) + ")";
}

FieldInfo info_from(const FieldSpec& spec) {
  return FieldInfo{std::string(spec.name),
                   std::string(spec.units),
                   std::string(spec.doc),
                   spec.location,
                   spec.type,
                   spec.internal};
}

}  // namespace

std::vector<WiringProblem> check_wiring(const State& state,
                                        const std::vector<std::unique_ptr<Component>>& components,
                                        const std::vector<const MeasureType*>& measure_types) {
  std::vector<WiringProblem> problems;
  std::vector<Declaration> declarations;
  for (const auto& component : components) {
    for (const auto& spec : component->fields()) {
      declarations.push_back({"component '" + std::string(component->name()) + "'", spec, true});
    }
  }
  for (const auto* type : measure_types) {
    for (const auto& spec : type->fields()) {
      declarations.push_back({"measure '" + std::string(type->name()) + "'", spec});
    }
  }

  std::map<std::string, const Declaration*> writer;  // the first `out` writer of each field
  for (const auto& d : declarations) {
    if (d.spec.intent != Intent::out) continue;
    const std::string name(d.spec.name);
    if (auto found = writer.find(name); found != writer.end()) {
      problems.push_back({"field '" + name + "' is written by both " + found->second->owner +
                          " and " + d.owner + "; one of them must declare it inout"});
    } else {
      writer.emplace(name, &d);
    }
  }

  std::set<std::string> reported;
  for (const auto& d : declarations) {
    const std::string name(d.spec.name);
    // Declarations of one field must agree with each other and with the site's field.
    if (state.contains(name)) {
      const FieldInfo& have = state.at(name).info();
      if (have.units != d.spec.units || have.location != d.spec.location ||
          have.type != d.spec.type) {
        problems.push_back({d.owner + " declares field '" + name + "' " + describe(d.spec) +
                            " but the site supplies it as (" +
                            std::string(to_string(have.location)) + ", '" + have.units + "', " +
                            std::string(to_string(have.type)) + ")"});
      }
    } else if (auto found = writer.find(name); found != writer.end()) {
      const FieldSpec& w = found->second->spec;
      if (w.units != d.spec.units || w.location != d.spec.location || w.type != d.spec.type) {
        problems.push_back({d.owner + " declares field '" + name + "' " + describe(d.spec) +
                            " but " + found->second->owner + " writes it as " + describe(w)});
      }
    }
    if (d.spec.intent == Intent::out || !d.spec.required) continue;
    if (state.contains(name) || writer.count(name) != 0) continue;
    // A component that declares the field inout creates it (at its declared initial value) and
    // keeps it up to date, so it supplies the field too.
    const bool kept = std::any_of(declarations.begin(), declarations.end(), [&](const auto& other) {
      return other.spec.name == d.spec.name && other.spec.intent == Intent::inout &&
             other.by_component;
    });
    if (kept) continue;
    const std::string key = d.owner + "|" + name;
    if (reported.insert(key).second) {
      problems.push_back({d.owner + " reads field '" + name + "' " + describe(d.spec) +
                          " but no component writes it and the site does not supply it"});
    }
  }
  return problems;
}

Simulation::Simulation(State& state, std::vector<std::unique_ptr<Component>> components,
                       const ModelRegistry& registry, std::vector<Measure> measures,
                       std::uint64_t seed, std::map<std::string, double> parameter_overrides)
    : state_(state),
      components_(std::move(components)),
      registry_(registry),
      measures_(std::move(measures)),
      seed_(seed),
      parameter_overrides_(std::move(parameter_overrides)) {
  keep_freed_memory_for_reuse();  // every year reallocates the same grid-sized scratch
  // The scheduler's order: yearly, then monthly, then indices; registration order within each.
  std::stable_sort(components_.begin(), components_.end(),
                   [](const auto& a, const auto& b) { return a->cadence() < b->cadence(); });
}

void Simulation::initialize() {
  auto problems = check_wiring(state_, components_, registry_.measures());
  if (!problems.empty()) {
    std::vector<Diagnostic> diagnostics;
    for (auto& p : problems) diagnostics.push_back({"", 0, 0, "wiring: " + p.message});
    throw InputError(std::move(diagnostics));
  }
  // Declared outputs that the site does not supply start at their declared initial value.
  auto allocate = [this](std::span<const FieldSpec> specs) {
    for (const auto& spec : specs) {
      if (spec.intent != Intent::in && !state_.contains(std::string(spec.name))) {
        state_.add(info_from(spec), spec.initial);
      }
    }
  };
  for (const auto& component : components_) allocate(component->fields());
  for (const auto* type : registry_.measures()) allocate(type->fields());
  access_.clear();
  for (const auto& component : components_) {
    access_.emplace_back(state_, component->fields(), component->name());
    std::map<std::string, double> values;
    for (const auto& spec : component->parameters()) {
      const std::string dotted = std::string(component->name()) + "." + std::string(spec.name);
      auto found = parameter_overrides_.find(dotted);
      values[std::string(spec.name)] =
          found != parameter_overrides_.end() ? found->second : spec.default_value;
    }
    // Registered tables for this component ("<component>.table.<name>....").
    const std::string table_prefix = std::string(component->name()) + ".table.";
    for (auto it = parameter_overrides_.lower_bound(table_prefix);
         it != parameter_overrides_.end() && it->first.rfind(table_prefix, 0) == 0; ++it)
      values[it->first.substr(component->name().size() + 1)] = it->second;
    component->initialize(access_.back(), ParameterValues(std::move(values)));
  }
  // Fields that cell_year components read each month and monthly components write are kept at
  // every month's end; each cell_year component gets a view per month that reads them.
  snapshot_names_.clear();
  month_access_.clear();
  month_access_.resize(components_.size());
  for (std::size_t i = 0; i < components_.size(); ++i) {
    if (components_[i]->cadence() != Cadence::cell_year) continue;
    for (const auto& spec : components_[i]->fields()) {
      if (!spec.each_month || spec.intent != Intent::in) continue;
      const bool monthly_writer =
          std::any_of(components_.begin(), components_.end(), [&](const auto& other) {
            if (other->cadence() != Cadence::monthly) return false;
            const auto specs = other->fields();
            return std::any_of(specs.begin(), specs.end(), [&](const FieldSpec& w) {
              return w.name == spec.name && w.intent != Intent::in;
            });
          });
      const std::string name(spec.name);
      if (monthly_writer && state_.contains(name) &&
          std::find(snapshot_names_.begin(), snapshot_names_.end(), name) == snapshot_names_.end())
        snapshot_names_.push_back(name);
    }
    for (int month = 1; month <= 12; ++month)
      month_access_[i].emplace_back(state_, components_[i]->fields(), components_[i]->name(),
                                    &snapshots_, month);
  }
}

std::vector<std::string> Simulation::summary_columns() const {
  std::vector<std::string> columns;
  auto add = [&columns](std::span<const SummaryColumn> declared) {
    for (const auto& c : declared) {
      if (std::find(columns.begin(), columns.end(), c.name) == columns.end()) {
        columns.emplace_back(c.name);
      }
    }
  };
  for (const auto& component : components_) add(component->summary_columns());
  for (const auto* type : registry_.measures()) add(type->summary_columns());
  return columns;
}

std::vector<std::size_t> Simulation::zone_cells(const std::string& zone) const {
  const RasterGrid& grid = state_.grid();
  std::vector<std::size_t> cells;
  if (zone == "all") {
    for (std::size_t c = 0; c < grid.cell_count(); ++c) {
      if (grid.is_valid(c)) cells.push_back(c);
    }
    return cells;
  }
  const auto name = std::find(state_.zone_names.begin(), state_.zone_names.end(), zone);
  const auto id = static_cast<float>(name - state_.zone_names.begin());
  const auto zone_ids = state_.at("zone__id").values<float>();
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (grid.is_valid(c) && zone_ids[c] == id) cells.push_back(c);
  }
  return cells;
}

void Simulation::apply_measures(int year, SummaryRow& summary) {
  for (const auto& measure : measures_) {
    if (!std::binary_search(measure.years.begin(), measure.years.end(), year)) continue;
    const MeasureType* type = registry_.find_measure(measure.type);
    const auto start = std::chrono::steady_clock::now();
    const auto cells = zone_cells(measure.zone);
    FieldAccess access(state_, type->fields(), type->name());
    type->apply(access, MeasureApplication{measure, year, cells, &summary});
    timings_["measures"] += std::chrono::steady_clock::now() - start;
  }
}

void Simulation::run_year(int year, int year_index, SummaryRow& summary) {
  apply_measures(year, summary);
  auto run = [&](Cadence cadence, int month) {
    for (std::size_t i = 0; i < components_.size(); ++i) {
      if (components_[i]->cadence() != cadence) continue;
      const auto start = std::chrono::steady_clock::now();
      StepContext step{year, month, year_index, seed_, &summary};
      components_[i]->update(access_[i], step);
      timings_[std::string(components_[i]->name())] += std::chrono::steady_clock::now() - start;
    }
  };
  run(Cadence::yearly, 0);
  for (int month = 1; month <= 12; ++month) {
    run(Cadence::monthly, month);
    for (const auto& name : snapshot_names_) snapshots_.keep(state_.at(name), month);
  }
  run_cell_year(year, year_index, summary);
  run(Cadence::indices, 0);
  // The year's end is where checkpoints are written: nothing of the months may wait outside
  // State and the components' carry-over then, or a run resumed from here would differ.
  for (const auto& component : components_) {
    if (component->holds_monthly_carry_over())
      throw std::logic_error("component '" + std::string(component->name()) +
                             "' holds a month's result past the end of " + std::to_string(year));
  }
}

void Simulation::run_cell_year(int year, int year_index, SummaryRow& summary) {
  std::vector<std::size_t> cell_year;
  for (std::size_t i = 0; i < components_.size(); ++i)
    if (components_[i]->cadence() == Cadence::cell_year) cell_year.push_back(i);
  if (cell_year.empty()) return;
  const auto start = std::chrono::steady_clock::now();
  const StepContext year_step{year, 0, year_index, seed_, &summary};
  for (std::size_t i : cell_year) components_[i]->begin_year(access_[i], year_step);
  // Each block runs its twelve months through every cell_year component while it is in cache;
  // blocks are independent (cell-local models), so they run in parallel.
  for_each_cell_block(state_.grid().cell_count(), [&](std::size_t begin, std::size_t end) {
    for (int month = 1; month <= 12; ++month) {
      const StepContext step{year, month, year_index, seed_, nullptr};
      for (std::size_t i : cell_year)
        components_[i]->update_cells(month_access_[i][static_cast<std::size_t>(month - 1)], step,
                                     begin, end);
    }
  });
  for (std::size_t i : cell_year) components_[i]->end_year(access_[i], year_step);
  timings_["cell_year"] += std::chrono::steady_clock::now() - start;
}

std::vector<std::string> Simulation::changing_fields() const {
  std::set<std::string> written;
  auto collect = [&written](std::span<const FieldSpec> specs) {
    for (const auto& spec : specs) {
      if (spec.intent != Intent::in) written.emplace(spec.name);
    }
  };
  for (const auto& component : components_) collect(component->fields());
  for (const auto* type : registry_.measures()) collect(type->fields());
  std::vector<std::string> result;
  for (const auto& name : state_.names()) {
    if (written.count(name) != 0) result.push_back(name);
  }
  return result;
}

std::map<std::string, std::vector<std::uint8_t>> Simulation::carry_over() const {
  std::map<std::string, std::vector<std::uint8_t>> carried;
  for (const auto& component : components_) {
    CarryOverWriter out;
    component->save_carry_over(out);
    if (!out.bytes().empty()) carried.emplace(component->name(), std::move(out.bytes()));
  }
  return carried;
}

void Simulation::restart(const std::map<std::string, std::vector<std::uint8_t>>& carry_over) {
  for (const auto& carried : carry_over) {
    const std::string& name = carried.first;
    const std::vector<std::uint8_t>& bytes = carried.second;
    const auto owner = std::find_if(components_.begin(), components_.end(),
                                    [&name](const auto& c) { return c->name() == name; });
    if (owner == components_.end())
      throw std::runtime_error("the checkpoint carries state of component '" + name +
                               "', which this run does not have");
    CarryOverReader in(bytes, name);
    (*owner)->load_carry_over(in);
    in.finish();
  }
  for (std::size_t i = 0; i < components_.size(); ++i) components_[i]->restart(access_[i]);
}

void Simulation::finalize() {
  for (std::size_t i = 0; i < components_.size(); ++i) components_[i]->finalize(access_[i]);
}

}  // namespace minetwin
