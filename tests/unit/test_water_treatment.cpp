// Requirements (issue 24): the `water_treatment` measure collects its zone's drainage in the
// years it runs; the plant treats the collected water up to its capacity, removes each metal by
// its efficiency, and books lime (one CaCO3 per divalent cation and per two H+), dry sludge
// (hydroxides, co-precipitates, unreacted lime) and the operating cost; nothing of a year
// carries into the next.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "component_step.hpp"
#include "engine/grid/raster_grid.hpp"
#include "models/fields.hpp"
#include "models/metals/species.hpp"
#include "models/metals/water_treatment.hpp"

using namespace minetwin;

namespace {

// A 2 x 2 grid of 10 m cells, two layers; the bottom layer at pH 4.
std::unique_ptr<State> site(const metals::WaterTreatment& plant) {
  auto state = std::make_unique<State>(
      RasterGrid(GridGeometry{2, 2, 10.0, 0, 0, ""}, std::vector<std::uint8_t>(4, 1)), 2);
  test::add_declared_fields(*state, plant);
  auto ph = state->at(std::string(fields::kSoilPh.name)).values<float>();
  std::fill(ph.begin(), ph.end(), 4.0f);
  // 0.1 m of drainage below every cell; 1e-3 kg/m2 of each metal leached with it.
  auto percolation = state->at("soil_water__annual_percolation").values<float>();
  std::fill(percolation.begin(), percolation.end(), 0.1f);
  for (const auto& s : metals::species()) {
    auto leached = state->at(metals::annual_leaching_field(s)).values<float>();
    std::fill(leached.begin(), leached.end(), 1e-3f);
  }
  return state;
}

std::map<std::string, double> defaults(const metals::WaterTreatment& plant) {
  std::map<std::string, double> values;
  for (const auto& p : plant.parameters()) values[std::string(p.name)] = p.default_value;
  return values;
}

// Applies the measure on @p cells with @p capacity m3/d and 0.5 of the drainage collected.
void run_plant(State& state, const std::vector<std::size_t>& cells, double capacity_per_day) {
  const auto measure_type = metals::water_treatment_measure();
  Measure measure;
  measure.type = "water_treatment";
  measure.numbers = {{"capacity_m3_per_day", capacity_per_day},
                     {"capture_fraction", 0.5},
                     {"cost_yuan_per_m3", 4.0}};
  SummaryRow row(std::vector<std::string>{"measures_cost_yuan"});
  FieldAccess access(state, measure_type->fields(), "water_treatment measure");
  measure_type->apply(access, MeasureApplication{measure, 2030, cells, &row});
}

}  // namespace

TEST(WaterTreatment, TreatsTheCollectedDrainageAndBooksLimeSludgeAndCost) {
  metals::WaterTreatment plant;
  auto state = site(plant);
  const auto parameters = defaults(plant);
  {
    FieldAccess access(*state, plant.fields(), plant.name());
    plant.initialize(access, ParameterValues(parameters));
  }
  run_plant(*state, {0, 1}, 100.0);  // two cells of 100 m2: 0.5 x 0.1 m x 200 m2 = 10 m3
  const SummaryRow row = test::step_once(plant, *state);
  EXPECT_DOUBLE_EQ(row.get("drainage_captured_m3"), 0.5 * 0.1f * 200.0);
  EXPECT_DOUBLE_EQ(row.get("drainage_treated_m3"), 0.5 * 0.1f * 200.0);
  double cation_mol = 0, precipitate = 0;
  const std::map<std::string, double> molar{
      {"cd", 0.11241}, {"pb", 0.2072}, {"zn", 0.06538}, {"cu", 0.06355}};
  for (const auto& s : metals::species()) {
    const std::string key(s.key);
    const double collected = 0.5 * static_cast<double>(1e-3f) * 200.0;  // kg
    const double removed = parameters.at(key + "_removal_fraction") * collected;
    EXPECT_NEAR(row.get(key + "_treated_kg"), removed, 1e-15) << key;
    if (molar.count(key)) {
      cation_mol += removed / molar.at(key);
      precipitate += removed / molar.at(key) * (molar.at(key) + 0.03401);
    } else {
      precipitate += removed;
    }
  }
  // 10 m3 at pH 4: 1e4 L x 1e-4 mol/L = 1 mol H+, half a mol of CaCO3.
  const double lime = (cation_mol + 0.5 * 1.0) * 0.10009 / parameters.at("lime_utilisation");
  EXPECT_NEAR(row.get("treatment_lime_t"), lime / 1e3, 1e-9);
  EXPECT_NEAR(row.get("treatment_sludge_dry_t"),
              (precipitate + lime * (1 - parameters.at("lime_utilisation"))) / 1e3, 1e-9);
  EXPECT_DOUBLE_EQ(row.get("measures_cost_yuan"), 4.0 * 0.5 * 0.1f * 200.0);
  // The next year starts without the plant: nothing collected, nothing treated.
  const SummaryRow next = test::step_once(plant, *state);
  EXPECT_EQ(next.get("drainage_captured_m3"), 0.0);
  EXPECT_EQ(next.get("cd_treated_kg"), 0.0);
}

TEST(WaterTreatment, WaterBeyondTheCapacityBypassesThePlant) {
  metals::WaterTreatment plant;
  auto state = site(plant);
  {
    FieldAccess access(*state, plant.fields(), plant.name());
    plant.initialize(access, ParameterValues(defaults(plant)));
  }
  // 20 m3 collected from the four cells; two plants of 2.5 m3 a year each treat 5 m3: a quarter.
  run_plant(*state, {0, 1, 2, 3}, 2.5 / 365.0);
  run_plant(*state, {0, 1, 2, 3}, 2.5 / 365.0);
  const SummaryRow row = test::step_once(plant, *state);
  EXPECT_NEAR(row.get("drainage_captured_m3"), 0.5 * 0.1f * 400.0, 1e-9);
  EXPECT_NEAR(row.get("drainage_treated_m3"), 5.0, 1e-9);
  const double share = 5.0 / (0.5 * 0.1f * 400.0);  // 0.25 but for the float drainage depth
  EXPECT_NEAR(row.get("cd_treated_kg"), share * 0.99 * 0.5 * static_cast<double>(1e-3f) * 400.0,
              1e-15);
  EXPECT_NEAR(row.get("measures_cost_yuan"), 4.0 * 5.0, 1e-9);
}
