// Requirements (issue 24): the demo's tailings as sulfidic tailings (1 % sulfide S,
// scenarios/sulfidic_tailings.yaml). Against published values (field_ranges.md row 5, docs/models/
// soil.md "Acid generation"): the oxygen taken up by the bare tailings in their first year is
// inside the range of uncovered reactive tailings (50-500 mol O2 m-2 yr-1; Garneau 2012: about
// 280); the lime requirement of a metre with 1 % S is about 500 t CaCO3/ha (Sobek et al. 1978).
// And the point of it: the demo's 30 t/ha is swallowed (the subsoil is back below pH 4 within
// a few years), while the dose the requirement names keeps it near neutral.
#include <gtest/gtest.h>

#include <string>

#include "cli.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const std::string kScenario =
    std::string(MINETWIN_SOURCE_DIR) + "/scenarios/sulfidic_tailings.yaml";
constexpr double kTailings = 2.0;  // zone id (the zones' order in zones.geojson)

// Mean of a field over the tailings' cells in the record of @p year (1 January), @p layer.
double tailings_mean(const fs::path& run, const std::string& field, int year,
                     std::size_t layer = 0) {
  NetcdfReader reader(run / "state.nc");
  const auto& years = reader.years();
  const auto record =
      static_cast<std::size_t>(std::find(years.begin(), years.end(), year) - years.begin());
  if (record >= years.size()) throw std::runtime_error("no record of " + std::to_string(year));
  const auto values = reader.read(field, record, layer);
  const auto zones = reader.read("zone__id", 0);
  double sum = 0.0, cells = 0.0;
  for (std::size_t c = 0; c < values.size(); ++c) {
    if (zones[c] != kTailings) continue;
    sum += values[c];
    cells += 1.0;
  }
  return sum / cells;
}

}  // namespace

TEST(SulfidicTailings, OxygenUptakeAndLimeRequirementInsidePublishedValues) {
  const fs::path run = test::shared_run(kScenario + " --quiet --set simulation.years=6");
  // The acidity of 2025 (kg CaCO3 m-2), in the record of 1 January 2026: 100.09 g CaCO3 per
  // mol S, 15/8 mol O2 per mol S.
  const double acidity = tailings_mean(run, "soil__acid_generated", 2026);
  const double oxygen = acidity / 0.10009 * 1.875;  // mol O2 m-2 yr-1
  EXPECT_GT(oxygen, 50.0);
  EXPECT_LT(oxygen, 500.0);
  // The requirement at the start: 1 % S through 0.2 + 0.3 + 0.5 m of tailings (1550-1650
  // kg/m3), plus the lime to bring pH 3.6-3.9 to 6.5.
  const double requirement = tailings_mean(run, "soil__lime_requirement", 2025);
  EXPECT_GT(requirement, 450.0);
  EXPECT_LT(requirement, 650.0);
  EXPECT_LT(tailings_mean(run, "soil__net_neutralisation_potential", 2025, 1), -25.0);
}

TEST(SulfidicTailings, ThirtyTonnesOfLimeAreSwallowedAndTheRequirementIsNot) {
  const fs::path thirty = test::shared_run(kScenario + " --quiet --set simulation.years=6");
  const fs::path enough = test::shared_run(
      kScenario + " --quiet --set simulation.years=6 --set measures[0].rate_t_per_ha=600");
  // The subsoil (layer 2) a few years after the lime (2026) and the cover (2027).
  const double swallowed = tailings_mean(thirty, "soil__ph", 2031, 1);
  const double held = tailings_mean(enough, "soil__ph", 2031, 1);
  EXPECT_LT(swallowed, 4.0);
  EXPECT_GT(held, 6.0);
  // The sized dose leaves carbonate to meet what is still to oxidise.
  EXPECT_GT(tailings_mean(enough, "soil__carbonate_fraction", 2031, 1), 0.0);
}

// The planner's per-zone columns (the report's "Acid drainage and lime by zone") are the zone's
// means of the lime requirement and of the bottom layer's pH that state.nc records.
TEST(SulfidicTailings, ZoneColumnsAreTheZonesMeansOfTheRecordedMaps) {
  const fs::path run = test::shared_run(kScenario + " --quiet --set simulation.years=6");
  const auto lime = test::summary_column(run / "summary.csv", "lime_requirement_tailings_t_per_ha");
  const auto ph = test::summary_column(run / "summary.csv", "drainage_ph_tailings");
  // The summary row of a year is the state on 1 January of the next (state.nc's record).
  for (int year : {2025, 2028}) {
    const double recorded = tailings_mean(run, "soil__lime_requirement", year + 1);
    EXPECT_NEAR(lime.at(year), recorded, 1e-5 * recorded) << year;
    // The pH is the acid generation's in December, before the year's erosion moves soil (and
    // its pH) between cells: within a hundredth of the record.
    EXPECT_NEAR(ph.at(year), tailings_mean(run, "soil__ph", year + 1, 2), 0.01) << year;
  }
  EXPECT_GT(lime.at(2025), 400.0);  // 1 % S through a metre
  EXPECT_LT(ph.at(2025), 3.0);      // acid drainage before the lime
}
