// Requirements (issue 23, Verification): erosion moves the soil. A cell that loses a known depth
// exposes the layer below with its own concentrations, and the bottom layer thins by that depth;
// a receiving cell's top layer gets the sediment's composition; rock fragments stay as a lag;
// what leaves the site is booked for the metals and carbon ledgers; the soil ledger closes.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "component_step.hpp"
#include "engine/core/component.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/soil/soil_profile.hpp"
#include "models/soil/soil_redistribution.hpp"

using namespace minetwin;

namespace {

// Three cells in a row draining east, 2 m cells: 0 -> 1 -> 2 (an outlet). Three layers of 0.2,
// 0.3 and 0.5 m of rock-free soil at 1500 kg/m3 (300, 450, 750 kg/m2 of fine earth) with Cd 1,
// 2 and 4 mg/kg and organic carbon 2 %, 1 % and 0.5 %.
struct Line {
  std::unique_ptr<State> state;
  soil::SoilRedistribution component;

  explicit Line(double rock = 0.0) {
    state = std::make_unique<State>(
        RasterGrid(GridGeometry{3, 1, 2.0, 0, 0, ""}, std::vector<std::uint8_t>(3, 1)), 3);
    test::add_declared_fields(*state, component);
    const double thickness[3] = {0.2, 0.3, 0.5}, cd[3] = {1.0, 2.0, 4.0},
                 carbon[3] = {0.02, 0.01, 0.005};
    for (std::size_t l = 0; l < 3; ++l) {
      for (std::size_t c = 0; c < 3; ++c) {
        const std::size_t i = l * 3 + c;
        set("soil__layer_thickness", i, thickness[l]);
        set("soil__bulk_density", i, 1500.0);
        set("soil__rock_fragment_fraction", i, rock);
        set("soil__sand_fraction", i, 0.4);
        set("soil__silt_fraction", i, 0.4);
        set("soil__clay_fraction", i, 0.2);
        set("soil__organic_carbon_fraction", i, carbon[l]);
        set("soil__ph", i, 7.0);
        set("soil_cd__total_concentration", i, cd[l]);
      }
    }
    for (std::size_t c = 0; c < 3; ++c) {
      // The top layer's carbon in the RothC pools: all humified, 0.2 x 1500 x 2 % = 6 kg/m2.
      set("soil_carbon__hum", c, 0.2 * (1.0 - rock) * 1500.0 * 0.02);
      set("flow__receiver", c, c < 2 ? static_cast<double>(c + 1) : 2.0);
      set("flow__stack_position", c, static_cast<double>(2 - c));  // the outlet first
      set("pit_lake__spill_elevation", c, kFillValue);
    }
  }
  void set(const char* name, std::size_t i, double value) { state->at(name).set(i, value); }
  double get(const char* name, std::size_t i) const { return state->at(name).get(i); }
  SummaryRow run(std::vector<double> loss, std::vector<double> deposition) {
    for (std::size_t c = 0; c < 3; ++c) {
      set("erosion__soil_loss", c, loss[c]);
      set("sediment__deposition", c, deposition[c]);
    }
    return test::step_once(component, *state);
  }
};

}  // namespace

TEST(SoilRedistribution, LosingTheTopLayerExposesTheOneBelow) {
  Line line;
  // Cell 0 loses exactly its top layer's fine earth (300 kg/m2); nothing deposits: all of it
  // leaves at the outlet (cell 2) with its 0.3 g/m2 of Cd (300 kg x 1 mg/kg) on 4 m2.
  const SummaryRow row = line.run({300.0, 0.0, 0.0}, {0.0, 0.0, 0.0});
  // The top layer is now the old second layer's soil: its Cd and carbon.
  EXPECT_NEAR(line.get("soil_cd__total_concentration", 0), 2.0, 1e-6);
  EXPECT_NEAR(line.get("soil__organic_carbon_fraction", 0), 0.01, 1e-8);
  EXPECT_NEAR(line.get("soil__layer_thickness", 0), 0.2, 1e-12);
  // The second layer holds the rest of the old second (0.1 m at 2) and the top 0.2 m of the old
  // third (at 4): (0.1 x 2 + 0.2 x 4) / 0.3.
  EXPECT_NEAR(line.get("soil_cd__total_concentration", 3), (0.1 * 2 + 0.2 * 4) / 0.3, 1e-6);
  // The bottom layer thins by the 0.2 m lost; the year's thickness change says so (the landform
  // check wears the cover with it), and the cells that lost nothing did not change.
  EXPECT_NEAR(line.get("soil__layer_thickness", 6), 0.3, 1e-12);
  EXPECT_NEAR(line.get("soil__thickness_change", 0), -0.2, 1e-7);
  EXPECT_EQ(line.get("soil__thickness_change", 1), 0.0);
  EXPECT_NEAR(line.get("soil__profile_thickness", 0), 0.8, 1e-7);
  EXPECT_NEAR(line.get("soil_cd__total_concentration", 6), 4.0, 1e-6);
  // The neighbours are untouched.
  EXPECT_EQ(line.get("soil_cd__total_concentration", 1), 1.0);
  // Booked: Cd exported (kg) = 300 kg/m2 x 4 m2 x 1e-6; carbon: the top layer's 6 kg/m2 left,
  // 0.2 m x 1500 x 1 % = 3 kg/m2 came up from below (as humified carbon).
  EXPECT_NEAR(line.get("metal_cd__sediment_exported", 0), 300.0 * 4.0 * 1e-6, 1e-15);
  EXPECT_NEAR(line.get("soil_carbon__hum", 0), 3.0, 1e-6);
  EXPECT_NEAR(line.get("soil_carbon__moved_by_erosion", 0), (3.0 - 6.0) * 4.0, 1e-6);
  EXPECT_NEAR(row.get("soil_exported_t"), 1.2, 1e-12);
  EXPECT_LT(row.get("soil_mass_balance_residual_t"), 1e-15);
  EXPECT_NEAR(row.get("soil_carbon_carried_off_t"), 6.0 * 4.0 / 1000.0, 1e-12);
  EXPECT_NEAR(row.get("soil_carbon_from_subsoil_t"), 3.0 * 4.0 / 1000.0, 1e-9);
}

TEST(SoilRedistribution, HalfTheTopLayerLostMixesItWithTheLayerBelow) {
  Line line;
  line.run({150.0, 0.0, 0.0}, {0.0, 0.0, 0.0});
  // 0.1 m of the old top layer (Cd 1) and 0.1 m of the second (Cd 2).
  EXPECT_NEAR(line.get("soil_cd__total_concentration", 0), 1.5, 1e-6);
  EXPECT_NEAR(line.get("soil__layer_thickness", 6), 0.4, 1e-12);
}

TEST(SoilRedistribution, DepositTakesTheSedimentsComposition) {
  Line line;
  // Cell 0 loses 30 kg/m2 (0.02 m of its top layer: Cd 1, 2 % carbon, 0.6 kg/m2 of HUM); all of
  // it settles on cell 1, whose top layer was given Cd 5 to tell them apart.
  for (std::size_t l = 0; l < 3; ++l) line.set("soil_cd__total_concentration", l * 3 + 1, 5.0);
  const SummaryRow row = line.run({30.0, 0.0, 0.0}, {0.0, 30.0, 0.0});
  // Cell 1's top 0.2 m: the 0.02 m deposit (Cd 1) on 0.18 m of its own soil (Cd 5).
  EXPECT_NEAR(line.get("soil_cd__total_concentration", 1), (0.02 * 1 + 0.18 * 5) / 0.2, 1e-6);
  // The profile thickened by the deposit (the bottom layer takes it).
  EXPECT_NEAR(line.get("soil__layer_thickness", 7), 0.52, 1e-12);
  EXPECT_NEAR(line.get("soil__thickness_change", 1), 0.02, 1e-7);
  EXPECT_NEAR(line.get("soil__thickness_change", 0), -0.02, 1e-7);
  // Its pools: its own 6 kg/m2, the deposit's 0.6, less the 0.02 m pushed below the top layer
  // (0.02 x 1500 x 2 % = 0.6): 6 kg/m2.
  EXPECT_NEAR(line.get("soil_carbon__hum", 1), 6.0, 1e-9);
  EXPECT_EQ(row.get("soil_exported_t"), 0.0);
  EXPECT_NEAR(row.get("soil_deposited_t"), 30.0 * 4.0 / 1000.0, 1e-12);
  EXPECT_EQ(line.get("metal_cd__sediment_exported", 0), 0.0);
}

TEST(SoilRedistribution, RockFragmentsStayAsALag) {
  Line line(0.5);  // half the volume rock fragments: 150 kg/m2 of fine earth in 0.2 m
  line.run({150.0, 0.0, 0.0}, {0.0, 0.0, 0.0});
  // The fine earth of the top 0.2 m left; its 0.1 m of rock fragments stayed on top: the new top
  // layer is 0.1 m of rock and 0.1 m of the second layer (half rock): 75 % rock.
  EXPECT_NEAR(line.get("soil__rock_fragment_fraction", 0), 0.75, 1e-6);
  // Its fine earth is the second layer's alone.
  EXPECT_NEAR(line.get("soil_cd__total_concentration", 0), 2.0, 1e-6);
  // The profile lost 0.1 m (the fine earth's volume), not 0.2.
  EXPECT_NEAR(line.get("soil__layer_thickness", 6), 0.4, 1e-12);
}
