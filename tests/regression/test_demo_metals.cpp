// Requirements (issue 4, Done when): in the demo, Cd and Pb leave the tailings with drainage
// before liming and much less after; phytoextraction lowers the dump's topsoil Cd year by year;
// the area above the GB 15618-2018 screening value shrinks; every metal ledger closes to 1e-9
// relative every year.
//
// Since erosion moves the soil (issue 23) two of them are checked where the measure acts: the
// liming on the pond's surface, as the drainage's concentration (bare tailings erode before the
// liming, and a thinner profile stores less and drains more of its water), and the shrinking
// area on the covered tailings (site-wide it no longer shrinks: the pit's and the dump's top layers
// took up their subsoil instead of "cleaning themselves", and sediment spreads onto the grassland;
// docs/models/erosion.md).
#include <gtest/gtest.h>

#include <unistd.h>

#include "cli.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const std::string kDemo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";
// zone__id values of the demo (run.yaml lists them).
constexpr double kTailings = 2.0, kWasteDump = 3.0;

class DemoMetals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One directory per process: ctest runs the tests of this file in parallel processes.
    out_ = test::scratch_dir("minetwin_demo_metals");
    fs::remove_all(out_);
    const auto run =
        test::run_cli("run " + kDemo + " --quiet --set simulation.years=12 -o " + out_.string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  // Sum or mean of a variable over a zone in the record of a year.
  static double over_zone(const std::string& variable, int year, double zone, bool mean,
                          double max_slope_deg = 90.0) {
    const auto total = test::zone_total(out_ / "state.nc", variable, year, zone, max_slope_deg);
    return mean ? total.mean() : total.sum;
  }
  static void TearDownTestSuite() { fs::remove_all(out_); }
  static fs::path out_;

  // The requirements, each checked on the one demo run of this process.
  static void TailingsLeachCdAndPbBeforeLimingAndMuchLessAfter();
  static void PhytoextractionLowersTheDumpTopsoilCdYearByYear();
  static void AreaAboveScreeningShrinks();
  static void EveryMetalLedgerClosesEveryYear();
};
fs::path DemoMetals::out_;

}  // namespace

void DemoMetals::TailingsLeachCdAndPbBeforeLimingAndMuchLessAfter() {
  // Lime in 2030, topsoil cover in 2032. The record of year Y holds the leaching of year Y - 1.
  // Percolation is episodic (wet years), so compare the wet years' leaching per mm of drainage.
  for (const char* metal : {"cd", "pb"}) {
    SCOPED_TRACE(metal);
    const std::string field = std::string("soil_") + metal + "__annual_leaching";
    // The drainage's mean concentration on the pond's surface (slopes up to 5 degrees): metal
    // leached per m3 percolated, so that a wetter year or a profile thinned by erosion (which
    // stores less and drains more) does not pass for the lime's effect.
    auto concentration = [&](int record) {
      return over_zone(field, record, kTailings, false, 5.0) /
             over_zone("soil_water__annual_percolation", record, kTailings, false, 5.0);
    };
    const double before = concentration(2026);  // 2025, a wet year
    const double limed = concentration(2031);   // 2030, a wet year
    EXPECT_GT(before, 0.0);
    EXPECT_LT(limed, 0.1 * before);
  }
  // At least as much water percolated in 2030 as in 2025 (within 30 %), so the fall is the
  // liming, not a drier year.
  const auto percolation = test::summary_column(out_ / "summary.csv", "percolation_mm");
  EXPECT_GT(percolation.at(2030), 0.7 * percolation.at(2025));
}

void DemoMetals::PhytoextractionLowersTheDumpTopsoilCdYearByYear() {
  // Harvests from 2028: the record of year Y is the state after year Y - 1.
  double previous = over_zone("soil_cd__total_concentration", 2029, kWasteDump, true);
  for (int year = 2030; year <= 2037; ++year) {
    SCOPED_TRACE(year);
    const double now = over_zone("soil_cd__total_concentration", year, kWasteDump, true);
    EXPECT_LT(now, previous);
    previous = now;
  }
  const auto harvested = test::summary_column(out_ / "summary.csv", "cd_harvested_kg");
  EXPECT_EQ(harvested.at(2027), 0.0);
  EXPECT_GT(harvested.at(2028), 0.0);
}

void DemoMetals::AreaAboveScreeningShrinks() {
  // The tailings above screening (soil__risk_class >= 1, any metal): all of them after 2025;
  // after the lime, the regraded embankment and the topsoil cover (2030-2032) a fifth at most.
  const double before = over_zone("soil__risk_class", 2026, kTailings, false, 90.0);
  const double after = over_zone("soil__risk_class", 2037, kTailings, false, 90.0);
  EXPECT_GT(before, 0.0);
  EXPECT_LT(after, 0.2 * before);
}

void DemoMetals::EveryMetalLedgerClosesEveryYear() {
  const auto residual =
      test::summary_column(out_ / "summary.csv", "metal_ledger_relative_residual");
  ASSERT_EQ(residual.size(), 12u);
  for (const auto& [year, value] : residual) EXPECT_LT(value, 1e-9) << year;
  // And the books are not empty: metal left the site and was harvested.
  EXPECT_GT(test::summary_column(out_ / "summary.csv", "cd_leached_kg").at(2025), 0.0);
}

// One test: the demo runs once (ctest runs every test in its own process).
TEST_F(DemoMetals, DoneWhen) {
  {
    SCOPED_TRACE("TailingsLeachCdAndPbBeforeLimingAndMuchLessAfter");
    TailingsLeachCdAndPbBeforeLimingAndMuchLessAfter();
  }
  {
    SCOPED_TRACE("PhytoextractionLowersTheDumpTopsoilCdYearByYear");
    PhytoextractionLowersTheDumpTopsoilCdYearByYear();
  }
  {
    SCOPED_TRACE("AreaAboveScreeningShrinks");
    AreaAboveScreeningShrinks();
  }
  {
    SCOPED_TRACE("EveryMetalLedgerClosesEveryYear");
    EveryMetalLedgerClosesEveryYear();
  }
}
