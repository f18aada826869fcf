// Requirements (issue 24): sulfide oxidation limited by the oxygen that diffuses in. The
// diffusion coefficient against hand-computed Millington-Quirk values; the steady oxygen profile
// against the closed form below a cover and, layer by layer, against a finite-volume solution of
// diffusion with first-order consumption; a month of oxidation in one cell: the acidity is the
// sulfide's 2 mol H+ per mol S, the carbonate neutralises it first, then the pH falls over the
// buffer capacity; acid-base accounting and the lime requirement against hand values.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "component_step.hpp"
#include "engine/core/component.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/soil/acid_generation.hpp"
#include "models/soil/soil_measures.hpp"

using namespace minetwin;

TEST(AcidGeneration, OxygenDiffusivityOfDryAndSaturatedPores) {
  // n = 0.4: 0.4^(10/3) = 0.047151; dry: 1.8e-5 x 0.047151 / 0.16; saturated: H Dw in place
  // of Da (0.03 x 2.5e-9).
  EXPECT_NEAR(soil::oxygen_diffusivity(0.4, 0.0), 5.3045e-6, 1e-3 * 5.3045e-6);
  EXPECT_NEAR(soil::oxygen_diffusivity(0.4, 0.4), 2.2102e-11, 1e-3 * 2.2102e-11);
  // Wetter pores pass less oxygen.
  EXPECT_GT(soil::oxygen_diffusivity(0.4, 0.1), soil::oxygen_diffusivity(0.4, 0.3));
  EXPECT_EQ(soil::oxygen_diffusivity(0.0, 0.0), 0.0);
}

namespace {

// A steady profile solved by finite volumes (Thomas algorithm): layers of given thickness,
// diffusivity and consumption rate, C = C0 at the surface, no flux at the bottom. Returns the
// oxygen each layer consumes (mol m-2 s-1).
std::vector<double> finite_volume_consumption(const std::vector<double>& thickness,
                                              const std::vector<double>& diffusivity,
                                              const std::vector<double>& rate, double c0) {
  double depth = 0.0;
  for (double t : thickness) depth += t;
  const std::size_t cells = 40000;
  const double dz = depth / static_cast<double>(cells);
  std::vector<std::size_t> layer_of(cells);
  for (std::size_t i = 0; i < cells; ++i) {
    double z = (static_cast<double>(i) + 0.5) * dz, top = 0.0;
    std::size_t l = 0;
    while (l + 1 < thickness.size() && z > top + thickness[l]) top += thickness[l++];
    layer_of[i] = l;
  }
  // Each face's diffusivity is the harmonic mean of its two cells' (flux continuity).
  const auto face = [&](std::size_t i) {
    return 2.0 / (1.0 / diffusivity[layer_of[i]] + 1.0 / diffusivity[layer_of[i + 1]]);
  };
  std::vector<double> lower(cells), diagonal(cells), upper(cells), rhs(cells, 0.0);
  for (std::size_t i = 0; i < cells; ++i) {
    const double up = i == 0 ? 2.0 * diffusivity[layer_of[0]] / (dz * dz) : face(i - 1) / (dz * dz);
    const double down = i + 1 == cells ? 0.0 : face(i) / (dz * dz);
    diagonal[i] = up + down + rate[layer_of[i]];
    lower[i] = i == 0 ? 0.0 : -up;
    upper[i] = -down;
    if (i == 0) rhs[i] = up * c0;
  }
  for (std::size_t i = 1; i < cells; ++i) {
    const double w = lower[i] / diagonal[i - 1];
    diagonal[i] -= w * upper[i - 1];
    rhs[i] -= w * rhs[i - 1];
  }
  std::vector<double> c(cells);
  c[cells - 1] = rhs[cells - 1] / diagonal[cells - 1];
  for (std::size_t i = cells - 1; i-- > 0;) c[i] = (rhs[i] - upper[i] * c[i + 1]) / diagonal[i];
  std::vector<double> consumed(thickness.size(), 0.0);
  for (std::size_t i = 0; i < cells; ++i) consumed[layer_of[i]] += rate[layer_of[i]] * c[i] * dz;
  return consumed;
}

constexpr double kC0 = 8.7;  // mol O2 m-3 in air

}  // namespace

// A cover over a reactive layer much deeper than oxygen penetrates: the surface flux is the
// closed form F = C0 / (L/Dc + 1/sqrt(Kr Dr)) (Nicholson et al. 1989).
TEST(AcidGeneration, OxygenBelowACoverOverDeepTailingsHasTheClosedForm) {
  const double kr = 3e-7, dr = 5e-7, dc = 2e-6;
  for (const double cover : {0.0, 0.3, 1.0}) {
    SCOPED_TRACE(cover);
    const std::vector<double> thickness{cover, 40.0}, diffusivity{dc, dr}, rate{0.0, kr};
    std::vector<double> consumed(2);
    soil::oxygen_consumption(thickness, diffusivity, rate, consumed);
    const double closed = kC0 / (cover / dc + 1.0 / std::sqrt(kr * dr));
    EXPECT_NEAR(consumed[0] + consumed[1], closed, 1e-9 * closed);
    EXPECT_EQ(consumed[0], 0.0);  // the cover consumes nothing
  }
}

// Three layers over rock (no flux below): a wet cover, tailings with little sulfide, tailings
// with more. Each layer's consumption against a finite-volume solution (0.5 %).
TEST(AcidGeneration, OxygenConsumedByEachLayerMatchesAFiniteVolumeSolution) {
  const std::vector<double> thickness{0.2, 0.3, 0.5}, diffusivity{3e-7, 2e-6, 8e-7},
      rate{0.0, 5e-8, 4e-7};
  std::vector<double> consumed(3);
  soil::oxygen_consumption(thickness, diffusivity, rate, consumed);
  const auto expected = finite_volume_consumption(thickness, diffusivity, rate, kC0);
  for (std::size_t l = 1; l < 3; ++l) EXPECT_NEAR(consumed[l], expected[l], 5e-3 * expected[l]);
  EXPECT_EQ(consumed[0], 0.0);
  // A saturated layer seals what lies below.
  soil::oxygen_consumption(thickness, std::vector<double>{0.0, 2e-6, 8e-7}, rate, consumed);
  EXPECT_EQ(consumed[1] + consumed[2], 0.0);
}

namespace {

// One cell, three layers of tailings (0.2, 0.3, 0.5 m, no rock, 1550 kg/m3, clay 10 %, OC
// 0.05 %, pH 6), 1 % sulfide S in the top layer only, dry enough to breathe.
struct Cell {
  std::unique_ptr<State> state;
  soil::AcidGeneration component;

  explicit Cell(double carbonate) {
    state = std::make_unique<State>(
        RasterGrid(GridGeometry{1, 1, 10.0, 0, 0, ""}, std::vector<std::uint8_t>(1, 1)), 3);
    test::add_declared_fields(*state, component);
    const double thickness[3] = {0.2, 0.3, 0.5};
    for (std::size_t l = 0; l < 3; ++l) {
      set("soil__layer_thickness", l, thickness[l]);
      set("soil__bulk_density", l, 1550.0);
      set("soil__clay_fraction", l, 0.10);
      set("soil__organic_carbon_fraction", l, 0.0005);
      set("soil__ph", l, 6.0);
      set("soil_water__depth", l, 0.1 * thickness[l]);
    }
    set("soil__sulfide_sulfur_fraction", 0, 0.01);
    set("soil__carbonate_fraction", 0, carbonate);
    FieldAccess access(*state, component.fields(), component.name());
    component.initialize(access, ParameterValues({{"pyrite_reactivity", 5e-10},
                                                  {"grain_diameter_m", 5e-5},
                                                  {"acid_floor_ph", 2.5},
                                                  {"target_ph", 6.5}}));
  }
  void set(const char* name, std::size_t i, double v) { state->at(name).set(i, v); }
  double get(const char* name, std::size_t i = 0) const { return state->at(name).get(i); }
  SummaryRow month(int m) { return test::step_once(component, *state, m); }
};

constexpr double kMass = 0.2 * 1550.0;         // kg of fine earth in the top layer, per m2
constexpr double kCaco3PerS = 100.09 / 32.06;  // 1 mol CaCO3 per 2 mol H+ per mol S

}  // namespace

TEST(AcidGeneration, AMonthOfOxidationMakesAcidityThatCarbonateMeetsFirst) {
  Cell cell(0.05);  // 5 % carbonate: more than the month's acidity
  const SummaryRow row = cell.month(7);
  // The top layer is a reactive slab over layers that consume nothing, above rock: the flux is
  // C0 De λ tanh(λ L), λ = sqrt(Kr/De); porosity 1 - 1550/2650, water 0.1,
  // Kr = K' 6/D_H (1 - n) Cp.
  const double n = 1.0 - 1550.0 / 2650.0, de = soil::oxygen_diffusivity(n, 0.1);
  const double kr = 5e-10 * 6.0 / 5e-5 * (1.0 - n) * 0.01 * 119.98 / 64.13;
  const double lambda = std::sqrt(kr / de);
  const double oxygen = 8.7 * de * lambda * std::tanh(lambda * 0.2) * 31 * 86400;  // mol m-2
  const double sulfur = oxygen / 1.875 * 0.03206;  // kg S m-2 (15/8 mol O2 per mol S)
  EXPECT_NEAR(cell.get("soil__sulfide_sulfur_fraction"), 0.01 - sulfur / kMass, 1e-12);
  // 100.09/32.06 kg CaCO3 per kg S, all of it from the carbonate: the pH stays.
  EXPECT_NEAR(cell.get("soil__carbonate_fraction"), 0.05 - kCaco3PerS * sulfur / kMass, 1e-12);
  EXPECT_FLOAT_EQ(static_cast<float>(cell.get("soil__ph")), 6.0f);
  EXPECT_NEAR(row.get("sulfide_oxidised_t"), sulfur * 100.0 / 1000.0, 1e-12);
  EXPECT_NEAR(row.get("acidity_generated_t_caco3"), kCaco3PerS * sulfur * 0.1, 1e-12);
  EXPECT_NEAR(row.get("carbonate_consumed_t"), row.get("acidity_generated_t_caco3"), 1e-15);
  EXPECT_NEAR(row.get("sulfate_produced_t"), sulfur * 0.1 * 96.06 / 32.06, 1e-12);
  // Only the top layer holds sulfide; the layers below are untouched.
  EXPECT_EQ(cell.get("soil__ph", 1), 6.0);
}

TEST(AcidGeneration, WithoutCarbonateThePhFallsOverTheBufferCapacityToItsFloor) {
  Cell cell(0.0);
  cell.month(7);
  const double sulfur = (0.01 - cell.get("soil__sulfide_sulfur_fraction")) * kMass;
  ASSERT_GT(sulfur, 0.0);
  const double charge = 2.0 * sulfur / 0.03206;  // mol H+ m-2
  const double drop = charge / (kMass * soil::ph_buffer_capacity(0.0005, 0.10));
  EXPECT_NEAR(cell.get("soil__ph"), std::max(2.5, 6.0 - drop), 1e-5);
  for (int m = 1; m <= 12; ++m) cell.month(m);
  EXPECT_FLOAT_EQ(static_cast<float>(cell.get("soil__ph")), 2.5f);  // ferric buffering floor
}

TEST(AcidGeneration, AWaterlogedCoverStopsOxidation) {
  Cell dry(0.0), wet(0.0);
  // The wet cell's top layer holds no sulfide and is saturated: a water-retaining cover.
  for (Cell* c : {&dry, &wet}) {
    c->set("soil__sulfide_sulfur_fraction", 0, 0.0);
    c->set("soil__sulfide_sulfur_fraction", 1, 0.01);
  }
  const double n = 1.0 - 1550.0 / 2650.0;
  wet.set("soil_water__depth", 0, 0.2 * n);
  dry.month(7);
  wet.month(7);
  const double dry_taken = 0.01 - dry.get("soil__sulfide_sulfur_fraction", 1);
  const double wet_taken = 0.01 - wet.get("soil__sulfide_sulfur_fraction", 1);
  EXPECT_GT(dry_taken, 0.0);
  EXPECT_LT(wet_taken, 1e-3 * dry_taken);
}

TEST(AcidGeneration, AcidBaseAccountingAndLimeRequirement) {
  Cell cell(0.01);  // NP 10 kg/t against MPA 31.2 kg/t
  // December closes the year's accounting (after its own month of oxidation).
  const SummaryRow row = cell.month(12);
  const double sulfide = cell.get("soil__sulfide_sulfur_fraction");
  const double carbonate = cell.get("soil__carbonate_fraction");
  EXPECT_NEAR(cell.get("soil__net_neutralisation_potential"),
              (carbonate - kCaco3PerS * sulfide) * 1000.0, 1e-3);
  // Lime: the top layer's uncovered potential acidity plus 0.5 pH units everywhere.
  double lime = (kCaco3PerS * sulfide - carbonate) * kMass;
  const double thickness[3] = {0.2, 0.3, 0.5};
  for (std::size_t l = 0; l < 3; ++l)
    lime += (6.5 - cell.get("soil__ph", l)) * soil::ph_buffer_capacity(0.0005, 0.10) *
            thickness[l] * 1550.0 * 0.10009 / 2;
  EXPECT_NEAR(cell.get("soil__lime_requirement"), lime * 10.0, 1e-3);  // t/ha
  EXPECT_NEAR(row.get("lime_requirement_t"), lime * 100.0 / 1000.0, 1e-6);
  // About 500 t/ha for 1 % S through a metre (field_ranges.md row 5): here 0.2 m of it.
  EXPECT_GT(cell.get("soil__lime_requirement"), 60.0);
}
