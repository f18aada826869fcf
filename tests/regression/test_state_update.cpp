// Issue 25: the calibration's state update (`state_update: true`) end to end on a small generated
// site. A twin experiment whose truth the ensemble cannot represent by its parameter alone (two
// fills of different Cd where the model spreads one material of uncertain Cd): topsoil Cd sampled
// in 2033 updates the members' Cd maps, and withheld samples of 2036 (three years on, never
// assimilated) must be matched far better than by the same ensemble without the update. The
// analysed members' checkpoints must forecast, under `minetwin run --resume`, exactly what the
// calibration forecast; the outputs are the same bytes with 1 and 2 threads, under mpirun and
// after a kill and --resume.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "cli.hpp"
#include "engine/core/random.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const char* kMaterial =
    "{sand_pct: 40, silt_pct: 40, clay_pct: 20, rock_fragments_pct: 10, bulk_density_g_cm3: 1.5, "
    "organic_carbon_pct: 0.5, ph: 7, cec_cmol_kg: 12, Cd_mg_kg: 2}";

// The model: one fill (its Cd uncertain) spread on the waste dump and the subsidence basin.
// The truth (truth.yaml): two fills, Cd 4 on the dump and 0.5 on the basin.
std::string scenario(bool truth) {
  std::ostringstream out;
  out << "minetwin-version: 1\n"
      << "site:\n  generate: {size: 32, cell_m: 20, seed: 5}\n"
      << "  initial_cover: {undisturbed: 0.8, subsidence: 0.6, tailings: 0.05, waste_dump: 0.1}\n"
      << "simulation: {years: 6, start_year: 2030, seed: 3}\n"
      << "materials:\n"
      << (truth ? "  fill_dump: " + std::string(kMaterial) + "\n  fill_basin: " + kMaterial
                : "  fill: " + std::string(kMaterial))
      << "\nmeasures:\n"
      << "  - {type: topsoil_cover, zone: waste_dump, year: 2030, depth_m: 0.1, material: "
      << (truth ? "fill_dump" : "fill") << "}\n"
      << "  - {type: topsoil_cover, zone: subsidence, year: 2030, depth_m: 0.1, material: "
      << (truth ? "fill_basin" : "fill") << "}\n"
      << "parameters: {hazards.every_years: 0}\n";
  return out.str();
}

constexpr double kDumpZone = 3, kBasinZone = 1;

struct Sample {
  double x, y, value;
};

// The truth's topsoil Cd in @p year on every sixth fill cell, from offset @p first.
std::vector<Sample> samples(const fs::path& truth, int year, std::size_t first) {
  NetcdfReader reader(truth / "state.nc");
  const auto& years = reader.years();
  const auto record =
      static_cast<std::size_t>(std::find(years.begin(), years.end(), year) - years.begin());
  const auto cd = reader.read("soil_cd__total_concentration", record, 0);
  const auto zones = reader.read("zone__id", 0);
  const GridGeometry& g = reader.geometry();
  std::vector<Sample> out;
  std::size_t n = 0;
  for (std::size_t c = 0; c < cd.size(); ++c) {
    if (zones[c] != kDumpZone && zones[c] != kBasinZone) continue;
    if (n++ % 6 != first) continue;
    out.push_back({g.west_m + (static_cast<double>(c % g.columns) + 0.5) * g.cell_size_m,
                   g.north_m - (static_cast<double>(c / g.columns) + 0.5) * g.cell_size_m, cd[c]});
  }
  return out;
}

void write_points(const fs::path& file, int year, const std::vector<Sample>& points, double sd,
                  std::uint64_t noise_key) {
  std::ofstream out(file);
  out << "year,x,y,field,value,sd\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double v =
        points[i].value + (noise_key ? sd * random_normal({noise_key, 0, 0, i, 0}) : 0);
    out << year << "," << format_number(points[i].x) << "," << format_number(points[i].y)
        << ",soil_cd__total_concentration[0]," << format_number(v) << "," << format_number(sd)
        << "\n";
  }
}

// Runs the truth and writes the samples (2033, 5 % error... as sd 0.1) and the withheld 2036 ones.
fs::path setup(const std::string& name) {
  const fs::path dir = test::scratch_dir("minetwin_state_update") / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "model.yaml") << scenario(false);
  std::ofstream(dir / "truth.yaml") << scenario(true);
  const auto truth = test::run_cli("run " + (dir / "truth.yaml").string() + " --quiet -o " +
                                   (dir / "truth").string() +
                                   " --set materials.fill_dump.Cd_mg_kg=4"
                                   " --set materials.fill_basin.Cd_mg_kg=0.5");
  EXPECT_EQ(truth.exit_code, 0) << truth.output;
  write_points(dir / "samples.csv", 2033, samples(dir / "truth", 2033, 0), 0.1, 17);
  write_points(dir / "withheld.csv", 2036, samples(dir / "truth", 2036, 3), 0.1, 0);
  return dir;
}

std::string calibration(bool update, double radius = 100) {
  std::ostringstream out;
  out << "scenario: model.yaml\n"
      << "parameters:\n  materials.fill.Cd_mg_kg: {dist: uniform, min: 0, max: 5}\n"
      << "observations:\n"
      << "  - {points: samples.csv, name: samples, assimilate: " << (update ? "state" : "none")
      << "}\n"
      << "  - {points: withheld.csv, name: withheld, assimilate: none}\n"
      << "ensemble: 16\nseed: 4\n"
      << "state_update: " << (update ? "true" : "false") << "\n"
      << "localisation_radius_m: " << radius << "\n"
      << "maps: ['soil_cd__total_concentration[0]']\n";
  return out.str();
}

// fit.csv's row of a group (its last iteration): column -> value.
std::map<std::string, double> fit_row(const fs::path& fit, const std::string& group) {
  std::istringstream in(test::read_bytes(fit));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) header.push_back(cell);
  }
  std::map<std::string, double> found;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::vector<std::string> cells;
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (cells.size() != header.size() || cells[1] != group) continue;
    for (std::size_t c = 4; c < cells.size(); ++c) found[header[c]] = std::stod(cells[c]);
  }
  return found;
}

}  // namespace

TEST(StateUpdate, ReducesTheErrorAtWithheldSamplesThreeYearsOn) {
  const fs::path dir = setup("withheld");
  for (bool update : {false, true}) {
    std::ofstream(dir / (update ? "update.yaml" : "no_update.yaml")) << calibration(update);
    const auto run = test::run_cli(
        "calibrate " + (dir / (update ? "update.yaml" : "no_update.yaml")).string() +
        " --quiet --threads 2 -o " + (dir / (update ? "update" : "no_update")).string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  const auto without = fit_row(dir / "no_update" / "fit.csv", "withheld");
  const auto with = fit_row(dir / "update" / "fit.csv", "withheld");
  ASSERT_FALSE(without.empty());
  ASSERT_FALSE(with.empty());
  // The prior mean fill (2.5 mg/kg) is far from both truths (4 and 0.5): the ensemble mean misses
  // the withheld topsoil by about 0.9 mg/kg; the update must take at least three quarters of that.
  EXPECT_GT(without.at("rmse"), 0.5);
  EXPECT_LT(with.at("rmse"), 0.25 * without.at("rmse"));
  // And the samples themselves: the analysed mean at the samples against the background.
  std::istringstream analysis(test::read_bytes(dir / "update" / "analysis.csv"));
  std::string header, row;
  std::getline(analysis, header);
  ASSERT_TRUE(std::getline(analysis, row));
  EXPECT_EQ(header,
            "year,field,data,members,background_rmse,analysis_rmse,background_spread,"
            "analysis_spread");
  std::vector<std::string> cells;
  std::stringstream split(row);
  for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(cells[0], "2033");
  EXPECT_EQ(cells[1], "soil_cd__total_concentration[0]");
  EXPECT_LT(std::stod(cells[5]), 0.25 * std::stod(cells[4]));
  EXPECT_LT(std::stod(cells[7]), std::stod(cells[6]));  // the spread shrinks
  EXPECT_FALSE(std::getline(analysis, row));            // one analysis
}

// The kept checkpoints are the analysed state: every member resumed with `minetwin run --resume`
// ends where the calibration's forecast ended (the mean of the resumed members' 2036 topsoil Cd
// is maps.nc's posterior mean), and its state.nc starts in 2033.
TEST(StateUpdate, KeptCheckpointsForecastWhatTheCalibrationForecast) {
  const fs::path dir = setup("resume");
  std::ofstream(dir / "update.yaml") << calibration(true);
  const auto run = test::run_cli("calibrate " + (dir / "update.yaml").string() +
                                 " --quiet --threads 2 -o " + (dir / "out").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // The report tables the analysis.
  const auto report =
      test::run_cli("report " + (dir / "out").string() + " -o " + (dir / "report.html").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string html = test::read_bytes(dir / "report.html");
  EXPECT_NE(html.find("<h2>State updates</h2>"), std::string::npos);
  EXPECT_NE(html.find("soil_cd__total_concentration[0]"), std::string::npos);
  std::vector<double> sum;
  int members = 0;
  for (const auto& entry : fs::directory_iterator(dir / "out" / "analysis" / "2033")) {
    const fs::path member = entry.path();
    ASSERT_TRUE(fs::exists(member / ".minetwin-work" / "checkpoint.bin")) << member;
    const auto resumed = test::run_cli("run " + (member / "scenario.yaml").string() + " -o " +
                                       member.string() + " --resume --quiet --threads 1");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    NetcdfReader state(member / "state.nc");
    ASSERT_EQ(state.years(), (std::vector<int>{2033, 2034, 2035, 2036}));
    const auto cd = state.read("soil_cd__total_concentration", 3, 0);
    sum.resize(cd.size(), 0.0);
    for (std::size_t c = 0; c < cd.size(); ++c) sum[c] += cd[c];
    ++members;
  }
  ASSERT_EQ(members, 16);
  NetcdfReader maps(dir / "out" / "maps.nc");
  const auto mean = maps.read("soil_cd__total_concentration_layer0_mean", 0);
  const auto zones = NetcdfReader(dir / "truth" / "state.nc").read("zone__id", 0);
  ASSERT_EQ(mean.size(), sum.size());
  std::size_t compared = 0;
  for (std::size_t c = 0; c < mean.size(); ++c) {
    if (zones[c] != kDumpZone && zones[c] != kBasinZone) continue;
    // state.nc holds float32: the members' values agree to its rounding (about 1e-7 relative).
    EXPECT_NEAR(sum[c] / members, mean[c], 1e-6 * std::abs(mean[c]) + 1e-9) << "cell " << c;
    ++compared;
  }
  EXPECT_GT(compared, 300u);
}

void expect_same_outputs(const fs::path& a, const fs::path& b) {
  for (const char* file : {"analysis.csv", "fit.csv", "observations.csv", "posterior_stats.csv",
                           "maps.nc", "analysis/2033/member-007/.minetwin-work/checkpoint.bin"})
    EXPECT_EQ(test::read_bytes(a / file), test::read_bytes(b / file)) << file << " of " << b;
}

TEST(StateUpdate, SameBytesWithOneAndTwoThreadsUnderMpirunAndAfterAKill) {
  const fs::path dir = setup("threads");
  const std::string file = (dir / "update.yaml").string();
  std::ofstream(file) << calibration(true);
  for (const char* threads : {"1", "2"}) {
    const auto run = test::run_cli("calibrate " + file + " --quiet --threads " + threads + " -o " +
                                   (dir / ("t" + std::string(threads))).string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  expect_same_outputs(dir / "t1", dir / "t2");
  // Killed after 3 members of the first segment, then resumed.
  const auto killed =
      test::run_cli("calibrate " + file + " --quiet --threads 2 -o " + (dir / "resumed").string(),
                    "MINETWIN_KILL_AFTER_MEMBERS=3");
  ASSERT_EQ(killed.exit_code, 137);
  EXPECT_FALSE(fs::exists(dir / "resumed" / "parameters.csv"));
  EXPECT_FALSE(fs::exists(dir / "resumed" / "analysis"));
  const auto again = test::run_cli("calibrate " + file + " --quiet --threads 1 --resume -o " +
                                   (dir / "resumed").string());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  expect_same_outputs(dir / "t1", dir / "resumed");
  if (!test::have_mpirun()) GTEST_SKIP() << "no mpirun";
  ASSERT_EQ(test::run_cli_under_mpirun("calibrate " + file + " --quiet --threads 1 -o " +
                                       (dir / "mpi").string()),
            0);
  expect_same_outputs(dir / "t1", dir / "mpi");
}
