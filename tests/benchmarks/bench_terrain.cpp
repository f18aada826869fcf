// Terrain, hydrology and erosion kernels on generated grids (issue 3 targets):
// fill + D8 accumulation on 4000 x 4000; a month of hydrology and a year of terrain + erosion on
// 1024 x 1024 (2 threads: run with --benchmark_filter and TBB's default concurrency here).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "engine/core/random.hpp"
#include "engine/core/simulation.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "generated_site.hpp"
#include "models/hydrology/hydrology_component.hpp"
#include "models/metals/metals_component.hpp"
#include "models/terrain/erosion_component.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/priority_flood.hpp"
#include "models/terrain/terrain_component.hpp"

using namespace minetwin;
using namespace minetwin::test;

namespace {

void BM_FillAndD8Accumulation(benchmark::State& bench) {
  const auto n = static_cast<std::size_t>(bench.range(0));
  const RasterGrid grid = square_grid(n, 7.5);
  const std::vector<double> dem = synthetic_dem(n, 7.5);
  for (auto _ : bench) {
    const terrain::FillResult filled = terrain::priority_flood_fill(grid, dem);
    const terrain::FlowGraph graph(grid, filled.elevation);
    benchmark::DoNotOptimize(graph.accumulate({}, -9999.0));
  }
  bench.counters["cells_per_s"] =
      benchmark::Counter(static_cast<double>(n * n), benchmark::Counter::kIsIterationInvariantRate);
}

// The forcing and hydrology of a generated site, one month at a time.
struct HydrologyMonths {
  explicit HydrologyMonths(std::size_t n)
      : run(make_run(n)),
        forcing_access(*run.state, run.components[0]->fields(), "forcing"),
        access(*run.state, run.components[2]->fields(), "hydrology"),
        row(run.simulation->summary_columns()) {}
  void month(int year, int month_of_year) {
    const StepContext step{year, month_of_year, 0, 1, &row};
    run.components[0]->update(forcing_access, step);
    run.components[2]->update(access, step);
  }
  ModelRun run;
  FieldAccess forcing_access, access;
  SummaryRow row;
};

void BM_HydrologyMonth(benchmark::State& bench) {
  HydrologyMonths site(static_cast<std::size_t>(bench.range(0)));
  // The soil's water capacities and the flow topology are rebuilt once a year (first month);
  // a warm-up month keeps that out of the timed months (BM_HydrologyNewYearMonth times it).
  site.month(2025, 1);
  int month = 2;
  for (auto _ : bench) {
    site.month(2025, month);
    month = month % 12 + 1;
  }
}

// A January: the month plus the yearly rebuild of the soil's water capacities (Saxton & Rawls
// for every layer) and of the flow topology.
void BM_HydrologyNewYearMonth(benchmark::State& bench) {
  HydrologyMonths site(static_cast<std::size_t>(bench.range(0)));
  int year = 2025;
  for (auto _ : bench) site.month(year++, 1);
}

void BM_TerrainAndErosionYear(benchmark::State& bench) {
  ModelRun run = make_run(static_cast<std::size_t>(bench.range(0)));
  FieldAccess terrain_access(*run.state, run.components[1]->fields(), "terrain");
  FieldAccess erosion_access(*run.state, run.components[3]->fields(), "erosion");
  FieldAccess forcing_access(*run.state, run.components[0]->fields(), "forcing");
  SummaryRow row(run.simulation->summary_columns());
  int year = 2025;
  // The year's split, as counters: landform evolution + flow rebuild, then erosion.
  double terrain_seconds = 0.0, erosion_seconds = 0.0;
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  for (auto _ : bench) {
    StepContext step{year++, 0, 0, 1, &row};
    run.components[0]->update(forcing_access, StepContext{2025, 1, 0, 1, &row});
    const auto start = Clock::now();
    run.components[1]->update(terrain_access, step);
    terrain_seconds += seconds_since(start);
    const auto middle = Clock::now();
    run.components[3]->update(erosion_access, step);
    erosion_seconds += seconds_since(middle);
  }
  const double years = static_cast<double>(bench.iterations());
  bench.counters["terrain_ms"] = 1000.0 * terrain_seconds / years;
  bench.counters["erosion_ms"] = 1000.0 * erosion_seconds / years;
}

// The soil redistribution of a year (issue 22: a sixth of the whole run): each eroding cell's
// profile loses its fine earth, sediment is routed down the drainage trees and settles. The
// terrain and erosion of the year run untimed before it (manual time: the redistribution only).
void BM_SoilRedistributionYear(benchmark::State& bench) {
  ModelRun run = make_run(static_cast<std::size_t>(bench.range(0)));
  std::vector<FieldAccess> access;
  for (Component* c : run.components) access.emplace_back(*run.state, c->fields(), c->name());
  SummaryRow row(run.simulation->summary_columns());
  int year = 2025;
  for (auto _ : bench) {
    const StepContext step{year++, 0, 0, 1, &row};
    run.components[0]->update(access[0], StepContext{2025, 1, 0, 1, &row});
    for (std::size_t k : {1, 3}) run.components[k]->update(access[k], step);
    const auto start = std::chrono::steady_clock::now();
    run.components[4]->update(access[4], step);
    bench.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

// Issue 4 target: metals for 6 species on 1024 x 1024 x 3 layers, one month under 20 ms with
// 2 threads: leaching of every cell (a monsoon July: water percolates below the profile
// everywhere, counter `percolating_share`), then dissolved metals routed with the runoff.
void BM_MetalsMonth(benchmark::State& bench) {
  ModelRun run = make_run(static_cast<std::size_t>(bench.range(0)), /*wet_july=*/true);
  // Each component with its access, by name (make_run's list grows as models land).
  std::map<std::string, std::pair<Component*, FieldAccess>> by_name;
  for (Component* c : run.components)
    by_name.try_emplace(std::string(c->name()), c, FieldAccess(*run.state, c->fields(), c->name()));
  SummaryRow row(run.simulation->summary_columns());
  const auto step = [&](const char* name, int month) {
    auto& [component, access] = by_name.at(name);
    component->update(access, StepContext{2025, month, 0, 1, &row});
  };
  // A year's terrain, erosion and the soil it moves, January (partitioning), then the wet July.
  step("forcing", 1);
  step("terrain", 0);
  step("erosion", 0);
  step("soil_redistribution", 0);
  step("hydrology", 1);
  step("metals", 1);
  step("forcing", 7);
  step("hydrology", 7);
  for (auto _ : bench) step("metals", 7);
  const auto percolation =
      std::as_const(*run.state).at("soil_water__monthly_percolation").values<float>();
  const double percolating = static_cast<double>(
      std::count_if(percolation.begin(), percolation.end(), [](float q) { return q > 0.0f; }));
  bench.counters["percolating_share"] = percolating / static_cast<double>(percolation.size());
}

}  // namespace

BENCHMARK(BM_FillAndD8Accumulation)
    ->Arg(1024)
    ->Arg(4000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_HydrologyMonth)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HydrologyNewYearMonth)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MetalsMonth)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TerrainAndErosionYear)->Arg(1024)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SoilRedistributionYear)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(4)
    ->UseManualTime();
