// Requirements (issue 5): vegetation grows by light use efficiency along a saturating
// (Chapman-Richards-like) trajectory towards the type's carrying capacity on good soil, much
// more slowly on raw acid spoil; grass colonises bare ground from vegetated cells, less with
// distance; planting survival falls with toxicity.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <map>
#include <memory>

#include "engine/core/registry.hpp"
#include "engine/core/simulation.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/vegetation/plant_types.hpp"
#include "models/vegetation/vegetation_component.hpp"
#include "models/vegetation/vegetation_equations.hpp"

using namespace minetwin;

namespace {

// North-China monthly normals (the demo climate's first year, rounded): temperature and an AET
// of 80 % of PET.
class Normals final : public Component {
 public:
  std::string_view name() const override { return "normals"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {
        {"air_temperature__monthly_mean", "degC", Location::site, Intent::out, ElementType::float64,
         true, "temperature"},
        {"evapotranspiration__monthly_potential", "m", Location::site, Intent::out,
         ElementType::float64, true, "PET"},
        {"evapotranspiration__monthly_actual", "m", Location::cell, Intent::out,
         ElementType::float32, true, "AET", true},
    };
    return specs;
  }
  void update(FieldAccess& f, const StepContext& step) override {
    static constexpr double t[12] = {-4, -1, 5, 13, 21, 25, 26, 25, 20, 13, 5, -2};
    static constexpr double pet_mm[12] = {15, 25, 50, 90, 130, 150, 145, 125, 90, 55, 25, 15};
    const auto m = static_cast<std::size_t>(step.month - 1);
    f.write<double>("air_temperature__monthly_mean")[0] = t[m];
    f.write<double>("evapotranspiration__monthly_potential")[0] = pet_mm[m] / 1000.0;
    for (auto& v : f.write<float>("evapotranspiration__monthly_actual"))
      v = static_cast<float>(0.8 * pet_mm[m] / 1000.0);
  }
};

// A strip of cells (columns) with one soil for all; @p ph and @p carbon of the top layer.
std::unique_ptr<State> strip(std::size_t columns, double ph, double carbon, double cadmium) {
  auto state = std::make_unique<State>(
      RasterGrid(GridGeometry{columns, 1, 5.0, 0, 0, ""}, std::vector<std::uint8_t>(columns, 1)),
      1);
  auto layer = [&](const char* name, const char* units, double value, ElementType type) {
    state->add({name, units, "", Location::layer, type}, value);
  };
  layer("soil__ph", "1", ph, ElementType::float32);
  layer("soil__organic_carbon_fraction", "kg kg-1", carbon, ElementType::float32);
  for (const char* m : {"cd", "pb", "zn", "cu", "as", "sb"})
    layer((std::string("soil_") + m + "__total_concentration").c_str(), "mg kg-1",
          std::string(m) == "cd" ? cadmium : 0.0, ElementType::float64);
  state->add({"vegetation__cover_fraction", "1", "", Location::cell, ElementType::float32}, 0.0);
  state->add({"site__latitude", "degree", "", Location::site, ElementType::float64}, 39.6);
  return state;
}

struct ModelRun {
  std::unique_ptr<State> state;
  ModelRegistry registry;
  std::unique_ptr<Simulation> simulation;
};

ModelRun run(std::unique_ptr<State> state, std::map<std::string, double> overrides = {}) {
  ModelRun r;
  r.state = std::move(state);
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<Normals>());
  components.push_back(std::make_unique<vegetation::VegetationComponent>());
  r.simulation = std::make_unique<Simulation>(*r.state, std::move(components), r.registry,
                                              std::vector<Measure>{}, 1, std::move(overrides));
  r.simulation->initialize();
  return r;
}

double woody_carbon(const State& s, std::size_t c) {
  return s.at("vegetation__woody_leaf_carbon").values<double>()[c] +
         s.at("vegetation__woody_stem_carbon").values<double>()[c] +
         s.at("vegetation__woody_root_carbon").values<double>()[c];
}

// Robinia seedlings on one cell; living carbon at the end of each year.
std::vector<double> robinia_trajectory(double ph, double carbon, int years) {
  auto state = strip(1, ph, carbon, 0.1);
  state->add({"vegetation__woody_type", "1", "", Location::cell, ElementType::float32}, 5.0);
  const auto& robinia = *vegetation::find_plant_type("robinia");
  for (const char* pool : {"leaf", "stem", "root"}) {
    const double share = std::string(pool) == "leaf"   ? robinia.leaf_share
                         : std::string(pool) == "stem" ? robinia.stem_share
                                                       : robinia.root_share;
    state->add({std::string("vegetation__woody_") + pool + "_carbon", "kg m-2", "", Location::cell,
                ElementType::float64},
               robinia.seedling_carbon * share);
  }
  ModelRun r = run(std::move(state));
  std::vector<double> carbon_by_year;
  for (int y = 0; y < years; ++y) {
    SummaryRow row(r.simulation->summary_columns());
    r.simulation->run_year(2025 + y, y, row);
    carbon_by_year.push_back(woody_carbon(*r.state, 0));
  }
  return carbon_by_year;
}

}  // namespace

TEST(Vegetation, RobiniaFollowsASaturatingGrowthCurveOnGoodSoil) {
  ASSERT_EQ(vegetation::find_plant_type("robinia") - vegetation::plant_types().data() + 1, 5);
  const auto b = robinia_trajectory(6.8, 0.012, 60);
  const double capacity = vegetation::find_plant_type("robinia")->max_carbon;
  // Monotone growth, slowing once the stand nears its capacity (sigmoid: the largest annual
  // increment comes after the seedling years and before the last).
  std::size_t fastest = 0;
  for (std::size_t y = 1; y < b.size(); ++y) {
    EXPECT_GT(b[y], b[y - 1]) << y;
    if (b[y] - b[y - 1] > b[fastest + 1] - b[fastest]) fastest = y - 1;
  }
  EXPECT_GE(fastest, 1u);
  EXPECT_LT(fastest, 30u);
  EXPECT_LT(b.back(), capacity);
  std::cout << "robinia C (kg m-2) at 10, 20, 30, 60 years: " << b[9] << " " << b[19] << " "
            << b[29] << " " << b[59] << "\n";
  EXPECT_GT(b.back(), 0.6 * capacity);
  EXPECT_LT(b[59] - b[49], 0.25 * (b[19] - b[9]));
}

// Issue 5: "biomass trajectories must match published growth curves ... within their stated
// ranges on good soil". Living carbon of Robinia stands on reclaimed lignite spoil: 3.4 t C/ha a
// year bound in the living woody parts over 12 years in Lower Lusatia (Quinkenstein et al. 2012,
// Int. J. Forestry Research 2012:891798), i.e. 40.8 t C/ha at 12 years; 36.3 t C/ha in
// above-ground biomass and coarse roots of 4-24-year plantations in the Western Macedonia lignite
// centre (Frontiers in Forests and Global Change 2023, 6:1190026: 50 % + 14 % of 56.7 t C/ha).
// The model's stand (leaves, stems, fine roots) at 12 and 14 years lies in that range, widened
// by 10 % for the studies' own spread; at 5 years it is well below it, at 40 years above it.
TEST(Vegetation, RobiniaMatchesReclaimedSiteChronosequences) {
  const auto b = robinia_trajectory(6.8, 0.012, 40);
  const double low = 0.9 * 3.63, high = 1.1 * 4.08;  // kg C m-2
  for (const int age : {12, 14}) {
    EXPECT_GT(b[static_cast<std::size_t>(age - 1)], low) << age;
    EXPECT_LT(b[static_cast<std::size_t>(age - 1)], high) << age;
  }
  EXPECT_LT(b[4], 0.6 * low);
  EXPECT_GT(b[39], high);
}

TEST(Vegetation, RawAcidSpoilGrowsFarLess) {
  const auto good = robinia_trajectory(6.8, 0.012, 20);
  const auto spoil = robinia_trajectory(4.0, 0.0005, 20);
  EXPECT_LT(spoil.back(), 0.3 * good.back());
}

TEST(Vegetation, GrassColonisesBareGroundLessWithDistance) {
  // Ten vegetated cells at the west end of a 60-cell strip of good soil.
  auto state = strip(60, 6.8, 0.012, 0.1);
  auto& cover = state->at("vegetation__cover_fraction");
  for (std::size_t c = 0; c < 10; ++c) cover.set(c, 0.9);
  ModelRun r = run(std::move(state));
  SummaryRow row(r.simulation->summary_columns());
  r.simulation->run_year(2025, 0, row);
  const auto leaf = r.state->at("vegetation__herb_leaf_carbon").values<double>();
  EXPECT_GT(leaf[12], 0.0);
  EXPECT_GT(leaf[12], leaf[16]);
  EXPECT_GT(leaf[16], leaf[22]);
  EXPECT_EQ(leaf[59], 0.0);  // 250 m away: beyond the kernel
}

TEST(Vegetation, SoilFactorFallsWithCadmiumAndAcidity) {
  const auto& grass = *vegetation::find_plant_type("grass");
  const auto& sedum = *vegetation::find_plant_type("sedum_alfredii");
  vegetation::SoilConditions clean{6.8, 0.012, {0.2, 30, 80, 20, 10, 1}};
  vegetation::SoilConditions polluted{6.8, 0.012, {40, 30, 80, 20, 10, 1}};
  vegetation::SoilConditions acid{3.6, 0.012, {0.2, 30, 80, 20, 10, 1}};
  EXPECT_LT(vegetation::soil_factor(grass, polluted), 0.3 * vegetation::soil_factor(grass, clean));
  EXPECT_GT(vegetation::soil_factor(sedum, polluted), 0.9 * vegetation::soil_factor(sedum, clean));
  EXPECT_LT(vegetation::soil_factor(grass, acid), 0.1 * vegetation::soil_factor(grass, clean));
}

// The model grows a sub-block's cells in runs of one type (docs/development.md, vectorised cell
// loops); without colonisation, the only coupling between cells, each cell must still end the
// year with the same bits as the same cell simulated alone. A strip longer than a sub-block
// (256 cells) with a pattern of herb and woody types, empty layers and an invalid cell.
TEST(Vegetation, EachCellGrowsAsItWouldAlone) {
  constexpr std::size_t kCells = 300, kInvalid = 100;
  constexpr float kWoody[] = {0, 3, 5, 5, 6, 7, 0, 0};    // none, amorpha, robinia, poplar, pine
  constexpr float kHerb[] = {1, 1, 2, 0, 9, 1, 1, 0, 2};  // grass, alfalfa, none, sedum
  auto cell_state = [&](std::size_t first, std::size_t count) {
    std::vector<std::uint8_t> mask(count, 1);
    if (kInvalid >= first && kInvalid < first + count) mask[kInvalid - first] = 0;
    auto state = std::make_unique<State>(
        RasterGrid(GridGeometry{count, 1, 5.0, 0, 0, ""}, std::move(mask)), 1);
    state->add({"soil__ph", "1", "", Location::layer, ElementType::float32}, 6.5);
    state->add(
        {"soil__organic_carbon_fraction", "kg kg-1", "", Location::layer, ElementType::float32},
        0.01);
    for (const char* m : {"cd", "pb", "zn", "cu", "as", "sb"})
      state->add({std::string("soil_") + m + "__total_concentration", "mg kg-1", "",
                  Location::layer, ElementType::float64},
                 0.3);
    state->add({"vegetation__cover_fraction", "1", "", Location::cell, ElementType::float32}, 0.0);
    state->add({"site__latitude", "degree", "", Location::site, ElementType::float64}, 39.6);
    auto& woody =
        state->add({"vegetation__woody_type", "1", "", Location::cell, ElementType::float32}, 0.0);
    auto& herb =
        state->add({"vegetation__herb_type", "1", "", Location::cell, ElementType::float32}, 0.0);
    std::vector<Field*> pools;
    for (const char* pool : {"herb_leaf", "herb_root", "woody_leaf", "woody_stem", "woody_root"})
      pools.push_back(&state->add({std::string("vegetation__") + pool + "_carbon", "kg m-2", "",
                                   Location::cell, ElementType::float64},
                                  0.0));
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t c = first + i;
      if (c == kInvalid) continue;
      woody.set(i, kWoody[c % std::size(kWoody)]);
      herb.set(i, kHerb[c % std::size(kHerb)]);
      for (std::size_t p = 0; p < pools.size(); ++p)
        pools[p]->set(i, 0.01 * static_cast<double>((c * 7 + p * 3) % 11));
    }
    return state;
  };
  const std::map<std::string, double> no_colonisation{{"vegetation.colonisation_rate", 0.0}};
  auto two_years = [&](std::size_t first, std::size_t count) {
    ModelRun r = run(cell_state(first, count), no_colonisation);
    for (int y = 0; y < 2; ++y) {
      SummaryRow row(r.simulation->summary_columns());
      r.simulation->run_year(2025 + y, y, row);
    }
    return r;
  };
  const ModelRun strip_run = two_years(0, kCells);
  const State& strip_state = *strip_run.state;
  const char* fields[] = {"vegetation__herb_leaf_carbon",      "vegetation__herb_root_carbon",
                          "vegetation__woody_leaf_carbon",     "vegetation__woody_stem_carbon",
                          "vegetation__woody_root_carbon",     "vegetation__cover_fraction",
                          "vegetation__leaf_area_index",       "vegetation__annual_npp",
                          "vegetation__monthly_litter_carbon", "vegetation__litter_dpm_rpm_ratio"};
  for (const char* name : fields) EXPECT_EQ(strip_state.at(name).get(kInvalid), kFillValue) << name;
  for (std::size_t c = 0; c < kCells; c += 7) {  // every 7th cell: all type pairs, both sub-blocks
    if (c == kInvalid) continue;
    const ModelRun alone = two_years(c, 1);
    for (const char* name : fields)
      EXPECT_EQ(strip_state.at(name).get(c), alone.state->at(name).get(0)) << name << " cell " << c;
  }
  // The pattern grows: robinia over alfalfa (cell 2, stems from 0.09 kg C m-2), grass alone
  // (cell 6).
  EXPECT_GT(strip_state.at("vegetation__woody_stem_carbon").get(2), 0.1);
  EXPECT_GT(strip_state.at("vegetation__annual_npp").get(6), 0.0);
}
