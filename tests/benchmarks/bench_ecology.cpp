// Issue 5 targets: vegetation + RothC for a year on 1024 x 1024 in under 150 ms (2 threads);
// RothC alone for a year on the same grid, against a NumPy implementation of the same monthly
// update (tests/benchmarks/rothc_numpy.py, run by rothc_vs_numpy.sh): at least 10x faster.
#include <benchmark/benchmark.h>

#include <memory>

#include "engine/core/registry.hpp"
#include "engine/core/simulation.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/carbon/soil_carbon_component.hpp"
#include "models/vegetation/vegetation_component.hpp"

using namespace minetwin;

namespace {

// Monthly weather of north China and an AET of 80 % of PET, for every cell.
class Forcing final : public Component {
 public:
  std::string_view name() const override { return "forcing"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {
        {"air_temperature__monthly_mean", "degC", Location::site, Intent::out, ElementType::float64,
         true, "mean air temperature of the month"},
        {"precipitation__monthly_depth", "m", Location::site, Intent::out, ElementType::float64,
         true, "precipitation of the month, as water depth"},
        {"evapotranspiration__monthly_potential", "m", Location::site, Intent::out,
         ElementType::float64, true, "potential evapotranspiration of the month"},
        {"evapotranspiration__monthly_actual", "m", Location::cell, Intent::out,
         ElementType::float32, true, "actual evapotranspiration of the month", true},
    };
    return specs;
  }
  void update(FieldAccess& f, const StepContext& step) override {
    static constexpr double t[12] = {-4, -1, 5, 13, 21, 25, 26, 25, 20, 13, 5, -2};
    static constexpr double p[12] = {3, 5, 10, 20, 50, 110, 200, 150, 60, 25, 10, 4};
    static constexpr double pet[12] = {15, 25, 50, 90, 130, 150, 145, 125, 90, 55, 25, 15};
    const auto m = static_cast<std::size_t>(step.month - 1);
    f.write<double>("air_temperature__monthly_mean")[0] = t[m];
    f.write<double>("precipitation__monthly_depth")[0] = p[m] / 1000;
    f.write<double>("evapotranspiration__monthly_potential")[0] = pet[m] / 1000;
    for (auto& v : f.write<float>("evapotranspiration__monthly_actual"))
      v = static_cast<float>(0.8 * pet[m] / 1000);
  }
};

std::unique_ptr<State> ecology_state(std::size_t n) {
  auto state = std::make_unique<State>(
      RasterGrid(GridGeometry{n, n, 5.0, 0, 0, ""}, std::vector<std::uint8_t>(n * n, 1)), 3);
  auto layer = [&](const char* name, const char* units, double value, ElementType type) {
    state->add({name, units, "", Location::layer, type}, value);
  };
  layer("soil__ph", "1", 6.5, ElementType::float32);
  layer("soil__organic_carbon_fraction", "kg kg-1", 0.01, ElementType::float32);
  layer("soil__clay_fraction", "1", 0.2, ElementType::float32);
  layer("soil__layer_thickness", "m", 0.3, ElementType::float64);
  layer("soil__bulk_density", "kg m-3", 1400.0, ElementType::float32);
  layer("soil__rock_fragment_fraction", "1", 0.1, ElementType::float32);
  for (const char* m : {"cd", "pb", "zn", "cu", "as", "sb"})
    layer((std::string("soil_") + m + "__total_concentration").c_str(), "mg kg-1", 1.0,
          ElementType::float64);
  state->add({"vegetation__cover_fraction", "1", "", Location::cell, ElementType::float32}, 0.6);
  state->add({"site__latitude", "degree", "", Location::site, ElementType::float64}, 39.6);
  return state;
}

void run_year(benchmark::State& bench, bool with_vegetation) {
  const auto n = static_cast<std::size_t>(bench.range(0));
  auto state = ecology_state(n);
  if (!with_vegetation) {
    // RothC alone: litter and its DPM/RPM ratio as constant fields.
    state->add({"vegetation__monthly_litter_carbon", "kg m-2", "", Location::cell,
                ElementType::float64, true},
               0.02);
    state->add(
        {"vegetation__litter_dpm_rpm_ratio", "1", "", Location::cell, ElementType::float32, true},
        1.44);
  }
  ModelRegistry registry;
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<Forcing>());
  if (with_vegetation) components.push_back(std::make_unique<vegetation::VegetationComponent>());
  components.push_back(std::make_unique<carbon::SoilCarbonComponent>());
  Simulation simulation(*state, std::move(components), registry, {}, 1, {});
  simulation.initialize();
  SummaryRow row(simulation.summary_columns());
  int year = 2025;
  // The cells start vegetated, so the soil carbon spins up first (one year for the moisture
  // deficit, five years of runs; docs/models/carbon.md): the timed years come after it.
  for (; year < 2025 + 6; ++year) simulation.run_year(year, year - 2025, row);
  for (auto _ : bench) {
    simulation.run_year(year, year - 2025, row);
    ++year;
  }
}

void BM_VegetationAndRothCYear(benchmark::State& bench) {
  run_year(bench, true);
}
void BM_RothCYear(benchmark::State& bench) {
  run_year(bench, false);
}

}  // namespace

BENCHMARK(BM_VegetationAndRothCYear)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RothCYear)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
