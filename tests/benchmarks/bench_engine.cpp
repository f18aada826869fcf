// Engine overhead: one simulated year of the scheduler with test components that do a fixed,
// small amount of cell work, against the same cell work called directly in the same process.
// The ratio of the two is the engine's own cost (scheduling, field access, measures, timing).
#include <benchmark/benchmark.h>

#include "engine/core/simulation.hpp"
#include "test_components.hpp"

using namespace minetwin;

namespace {

std::unique_ptr<State> make_state(std::size_t side) {
  GridGeometry g{side, side, 5.0, 0, 0, ""};
  auto state = std::make_unique<State>(RasterGrid(g, std::vector<std::uint8_t>(side * side, 1)), 3);
  state->add({"zone__id", "1", "", Location::cell, ElementType::float32}, 0.0);
  state->zone_names = {"all_of_it"};
  return state;
}

void BM_SchedulerYear(benchmark::State& bench) {
  const auto side = static_cast<std::size_t>(bench.range(0));
  auto state = make_state(side);
  ModelRegistry registry;
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<test::Rain>());
  components.push_back(std::make_unique<test::Bucket>());
  Simulation simulation(*state, std::move(components), registry, {}, 1, {});
  simulation.initialize();
  int year = 2025;
  for (auto _ : bench) {
    SummaryRow row(simulation.summary_columns());
    simulation.run_year(year, year - 2025, row);
    ++year;
  }
  bench.counters["cell_years_per_s"] = benchmark::Counter(
      static_cast<double>(side * side), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_DirectYear(benchmark::State& bench) {
  const auto side = static_cast<std::size_t>(bench.range(0));
  auto state = make_state(side);
  static constexpr FieldSpec specs[] = {
      {"rain", "m", Location::site, Intent::inout, ElementType::float64, true, ""},
      {"bucket__storage", "m", Location::cell, Intent::inout, ElementType::float64, false, ""},
      {"bucket__drainage", "m", Location::cell, Intent::inout, ElementType::float64, false, ""}};
  for (const auto& s : specs)
    state->add({std::string(s.name), std::string(s.units), "", s.location, s.type});
  FieldAccess access(*state, specs, "direct");
  test::Bucket bucket;
  test::Rain rain;
  bucket.initialize(access, ParameterValues({{"drain_fraction", 0.25}}));
  int year = 2025;
  for (auto _ : bench) {
    for (int month = 1; month <= 12; ++month) {
      StepContext step{year, month, year - 2025, 1, nullptr};
      rain.update(access, step);
      bucket.update(access, step);
    }
    ++year;
  }
  bench.counters["cell_years_per_s"] = benchmark::Counter(
      static_cast<double>(side * side), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_SchedulerYear)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DirectYear)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);
