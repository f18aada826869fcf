// Issue 7: `minetwin sweep` end to end on a small generated site: the same outputs with 1 and
// 2 threads and under `mpirun -np 2`; a killed sweep resumed gives the same outputs; the
// statistics agree with the members; bad sweep files exit 2 before any member runs.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = test::scratch_dir("minetwin_sweep") / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A 32 x 32 generated site over 4 years with lime and planting on the tailings.
void write_scenario(const fs::path& dir) {
  std::ofstream(dir / "base.yaml")
      << "minetwin-version: 1\n"
         "site:\n  generate: {size: 32, cell_m: 20, seed: 5}\n"
         "simulation: {years: 4, start_year: 2030, seed: 3}\n"
         "measures:\n"
         "  - {type: lime, zone: tailings, year: 2030, rate_t_per_ha: 20}\n"
         "  - {type: planting, zone: tailings, year: 2031, plant_type: grass}\n"
         "parameters: {hazards.every_years: 0}\n";  // no rockfall: these tests are about sweeps
}

const char* kSweep =
    "scenario: base.yaml\n"
    "samples: 6\n"
    "method: lhs\n"
    "seed: 4\n"
    "uncertain:\n"
    "  parameters.metals.cd_log_kd_shift: {dist: normal, mean: 0, sd: 0.4}\n"
    "  measures[0].rate_t_per_ha: {dist: uniform, min: 5, max: 40}\n"
    "  site.climate.precipitation_scale: {dist: lognormal, median: 1, sigma: 0.2}\n"
    "  measures[1].plant_type: {dist: choice, values: [grass, alfalfa]}\n"
    "metrics: [cd_leached_kg, soc_t_c, vegetation_cover_mean]\n"
    "maps:\n"
    "  - vegetation__cover_fraction\n"
    "  - {field: 'soil_cd__total_concentration[0]', thresholds: [0.3, 1.5]}\n"
    "targets:\n"
    "  - {metric: cd_leached_kg, year: 2033, op: '<=', value: 5}\n"
    "  - {metric: npp_t_c, year: 2032, op: '>', value: 0}\n";

fs::path setup(const std::string& name, const std::string& sweep = kSweep) {
  const fs::path dir = scratch(name);
  write_scenario(dir);
  std::ofstream(dir / "sweep.yaml") << sweep;
  return dir;
}

const char* kOutputs[] = {"members.csv", "stats.csv", "targets.csv", "sensitivity.csv", "maps.nc"};

void expect_same_outputs(const fs::path& a, const fs::path& b) {
  for (const char* file : kOutputs) {
    SCOPED_TRACE(file);
    ASSERT_FALSE(test::read_bytes(a / file).empty());
    EXPECT_EQ(test::first_difference(a / file, b / file), "");
  }
}

std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::istringstream in(test::read_bytes(file));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST(Sweep, SameOutputsWithOneAndTwoThreads) {
  const fs::path dir = setup("threads");
  const std::string sweep = (dir / "sweep.yaml").string();
  const auto one =
      test::run_cli("sweep " + sweep + " --quiet --threads 1 -o " + (dir / "one").string());
  const auto two =
      test::run_cli("sweep " + sweep + " --quiet --threads 2 -o " + (dir / "two").string());
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(two.exit_code, 0) << two.output;
  expect_same_outputs(dir / "one", dir / "two");
  EXPECT_FALSE(fs::exists(dir / "one" / ".minetwin-sweep"));  // the journal goes at the end

  // The statistics are those of the members: the mean of the last year in stats.csv is the
  // mean of members.csv's column, and each target's probability is the share of members
  // that met it.
  const auto members = read_csv(dir / "one" / "members.csv");
  ASSERT_EQ(members.size(), 7u);  // header + 6 members
  const auto& header = members[0];
  const auto column = std::find(header.begin(), header.end(), "soc_t_c") - header.begin();
  double sum = 0;
  for (std::size_t m = 1; m < members.size(); ++m) sum += std::stod(members[m][column]);
  bool found = false;
  for (const auto& row : read_csv(dir / "one" / "stats.csv")) {
    if (row[0] == "2033" && row[1] == "soc_t_c") {
      EXPECT_NEAR(std::stod(row[3]), sum / 6, 1e-9 * std::abs(sum));
      EXPECT_LE(std::stod(row[5]), std::stod(row[7]));  // p5 <= p50
      EXPECT_LE(std::stod(row[7]), std::stod(row[9]));  // p50 <= p95
      found = true;
    }
  }
  EXPECT_TRUE(found);
  const auto met_column = std::find(header.begin(), header.end(), "target_1_met") - header.begin();
  int met = 0;
  for (std::size_t m = 1; m < members.size(); ++m) met += std::stoi(members[m][met_column]);
  const auto targets = read_csv(dir / "one" / "targets.csv");
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(std::stoi(targets[1][6]), met);
  EXPECT_DOUBLE_EQ(std::stod(targets[1][7]), met / 6.0);
  EXPECT_LE(std::stod(targets[1][8]), met / 6.0);
  EXPECT_GE(std::stod(targets[1][9]), met / 6.0);
  // The sampled lime rates are inside the distribution's range, one per LHS stratum.
  const auto rate =
      std::find(header.begin(), header.end(), "measures[0].rate_t_per_ha") - header.begin();
  std::vector<int> strata(6, 0);
  for (std::size_t m = 1; m < members.size(); ++m) {
    const double v = std::stod(members[m][rate]);
    ASSERT_GT(v, 5.0);
    ASSERT_LT(v, 40.0);
    ++strata[static_cast<std::size_t>((v - 5.0) / 35.0 * 6)];
  }
  EXPECT_EQ(strata, std::vector<int>(6, 1));

  // maps.nc: CF variables with the field's units, holding the statistics of the members'
  // final states. Each member is the base scenario with its sampled values: `minetwin run`
  // with those values as --set reproduces its metrics to the last digit and its final map.
  NetcdfReader maps(dir / "one" / "maps.nc");
  EXPECT_EQ(maps.geometry().columns, 32u);
  EXPECT_EQ(maps.info("soil_cd__total_concentration_layer0_mean").units, "mg kg-1");
  const std::vector<std::string> plant_types{"grass", "alfalfa"};
  std::vector<std::vector<double>> finals;
  for (std::size_t m = 1; m < members.size(); ++m) {
    std::string sets = " --set outputs.precision=float64";
    for (std::size_t k = 1; k <= 4; ++k) {
      const std::string value = header[k] == "measures[1].plant_type"
                                    ? plant_types.at(std::stoul(members[m][k]))
                                    : members[m][k];
      sets += " --set '" + header[k] + "=" + value + "'";
    }
    const fs::path out = dir / ("member" + std::to_string(m - 1));
    const auto run = test::run_cli("run " + (dir / "base.yaml").string() + " --quiet" + sets +
                                   " -o " + out.string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto summary = read_csv(out / "summary.csv");
    const auto soc =
        std::find(summary[0].begin(), summary[0].end(), "soc_t_c") - summary[0].begin();
    EXPECT_EQ(summary.back()[soc], members[m][column]) << "member " << m - 1;
    NetcdfReader state(out / "state.nc");
    finals.push_back(state.read("soil_cd__total_concentration", state.years().size() - 1, 0));
  }
  const auto mean = maps.read("soil_cd__total_concentration_layer0_mean", 0);
  const auto p50 = maps.read("soil_cd__total_concentration_layer0_p50", 0);
  const auto above = maps.read("soil_cd__total_concentration_layer0_exceedance_1", 0);
  std::size_t valid = 0, varying = 0;
  for (std::size_t c = 0; c < mean.size(); ++c) {
    if (mean[c] == -9999.0) continue;
    ++valid;
    std::vector<double> values;
    for (const auto& f : finals) values.push_back(f[c]);
    double total = 0;
    for (double v : values) total += v;
    EXPECT_NEAR(mean[c], total / 6, 1e-12 * std::abs(total));
    std::sort(values.begin(), values.end());
    EXPECT_DOUBLE_EQ(p50[c], 0.5 * (values[2] + values[3]));  // exact for few members
    const auto exceeding =
        std::count_if(values.begin(), values.end(), [](double v) { return v > 0.3; });
    EXPECT_DOUBLE_EQ(above[c], static_cast<double>(exceeding) / 6);
    varying += values.front() != values.back();
  }
  EXPECT_GT(valid, 500u);
  EXPECT_GT(varying, 50u);  // the members differ: the statistics are not of one map six times
}

TEST(Sweep, SameOutputsUnderMpirun) {
  if (!test::have_mpirun()) GTEST_SKIP() << "no mpirun";
  const fs::path dir = setup("mpi");
  const std::string sweep = (dir / "sweep.yaml").string();
  const auto one =
      test::run_cli("sweep " + sweep + " --quiet --threads 1 -o " + (dir / "one").string());
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(test::run_cli_under_mpirun("sweep " + sweep + " --quiet --threads 1 -o " +
                                       (dir / "mpi").string()),
            0);
  expect_same_outputs(dir / "one", dir / "mpi");
}

TEST(Sweep, ResumeAfterKillGivesTheSameOutputs) {
  const fs::path dir = setup("resume");
  const std::string args = "sweep " + (dir / "sweep.yaml").string() + " --quiet --threads 2 -o ";
  ASSERT_EQ(test::run_cli(args + (dir / "whole").string()).exit_code, 0);
  const auto killed =
      test::run_cli(args + (dir / "resumed").string(), "MINETWIN_KILL_AFTER_MEMBERS=3");
  ASSERT_EQ(killed.exit_code, 137);
  EXPECT_FALSE(fs::exists(dir / "resumed" / "stats.csv"));  // nothing that looks finished
  const auto again = test::run_cli("sweep " + (dir / "sweep.yaml").string() +
                                   " --threads 1 --resume -o " + (dir / "resumed").string());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("3 from the journal"), std::string::npos) << again.output;
  expect_same_outputs(dir / "whole", dir / "resumed");
}

TEST(Sweep, ResumeOfAnotherSweepIsRefused) {
  const fs::path dir = setup("other");
  const std::string args =
      "sweep " + (dir / "sweep.yaml").string() + " --quiet -o " + (dir / "out").string();
  ASSERT_EQ(test::run_cli(args, "MINETWIN_KILL_AFTER_MEMBERS=1").exit_code, 137);
  const auto other = test::run_cli(args + " --resume --samples 7");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.output.find("another sweep"), std::string::npos) << other.output;
}

TEST(Sweep, SaltelliGivesSobolIndicesOfEveryInput) {
  std::string sweep = kSweep;
  sweep.replace(sweep.find("samples: 6\nmethod: lhs"), 22, "samples: 4\nmethod: saltelli");
  const fs::path dir = setup("saltelli", sweep);
  const auto run = test::run_cli("sweep " + (dir / "sweep.yaml").string() + " --quiet -o " +
                                 (dir / "out").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(read_csv(dir / "out" / "members.csv").size(), 1u + 4 * (4 + 2));
  const auto sensitivity = read_csv(dir / "out" / "sensitivity.csv");
  EXPECT_EQ(sensitivity[0][3], "first_order");
  // years 2032 and 2033 (the targets' and the last), 4 metrics, 4 inputs
  EXPECT_EQ(sensitivity.size(), 1u + 2 * 4 * 4);
}

TEST(Sweep, ReferenceInTheDocsIsTheProgramsAndTheDemoSweepIsValid) {
  const auto printed = test::run_cli("schema --markdown --sweep");
  ASSERT_EQ(printed.exit_code, 0);
  const std::string page = test::read_bytes(fs::path(MINETWIN_SOURCE_DIR) / "docs" / "sweeps.md");
  EXPECT_NE(page.find("## Sweep file reference"), std::string::npos);
  EXPECT_TRUE(
      page.size() >= printed.output.size() &&
      page.compare(page.size() - printed.output.size(), std::string::npos, printed.output) == 0)
      << "docs/sweeps.md's reference is stale: replace it with `minetwin schema --markdown "
         "--sweep`";
  // The example sweep: its keys, every member's values, metrics, maps and targets are accepted.
  const auto check = test::run_cli("sweep " + std::string(MINETWIN_SOURCE_DIR) +
                                   "/scenarios/demo_sweep.yaml --check -o " +
                                   (scratch("demo_sweep") / "out").string());
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("ok (64 members, 8 uncertain inputs"), std::string::npos)
      << check.output;
  EXPECT_FALSE(fs::exists(scratch("demo_sweep") / "out"));
}

struct BadSweep {
  std::string name, from, to, expected;
  friend void PrintTo(const BadSweep& bad, std::ostream* os) { *os << bad.name; }
};

class SweepBadInput : public ::testing::TestWithParam<BadSweep> {};

TEST_P(SweepBadInput, ExitsTwoBeforeAnyMemberRuns) {
  const BadSweep& bad = GetParam();
  std::string sweep = kSweep;
  const auto at = sweep.find(bad.from);
  ASSERT_NE(at, std::string::npos);
  sweep.replace(at, bad.from.size(), bad.to);
  const fs::path dir = setup("bad_" + bad.name, sweep);
  const auto run =
      test::run_cli("sweep " + (dir / "sweep.yaml").string() + " -o " + (dir / "out").string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find(bad.expected), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir / "out"));  // nothing ran, nothing was written
}

INSTANTIATE_TEST_SUITE_P(
    Sweep, SweepBadInput,
    ::testing::Values(
        BadSweep{"unknown_parameter", "metals.cd_log_kd_shift", "metals.cd_log_kd_shft",
                 "sweep.yaml:6:3: error: uncertain 'parameters.metals.cd_log_kd_shft' (member 0 "
                 "drew"},
        BadSweep{"unknown_parameter_hint", "metals.cd_log_kd_shift", "metals.cd_log_kd_shft",
                 "did you mean 'metals.cd_log_kd_shift'?"},
        BadSweep{"impossible_distribution", "sd: 0.4", "sd: -0.4",
                 "sweep.yaml:6:38: error: impossible distribution: normal needs sd > 0"},
        BadSweep{"unknown_distribution", "dist: lognormal", "dist: log_normal",
                 "unknown distribution 'log_normal'; did you mean 'lognormal'?"},
        BadSweep{"missing_argument", "{dist: uniform, min: 5, max: 40}", "{dist: uniform, min: 5}",
                 "uniform needs 'max'"},
        BadSweep{"value_out_of_range", "{dist: uniform, min: 5, max: 40}",
                 "{dist: uniform, min: -40, max: 40}", "expected >= 0"},
        BadSweep{"unknown_target_metric", "metric: npp_t_c", "metric: npp_tc",
                 "sweep.yaml:16:5: error: targets: 'npp_tc' is not a summary.csv column of this "
                 "scenario; did you mean 'npp_t_c'?"},
        BadSweep{"target_year", "year: 2033", "year: 2050", "year 2050 is not simulated"},
        BadSweep{"unknown_metric", "soc_t_c,", "soc_tc,", "did you mean 'soc_t_c'?"},
        BadSweep{"unknown_map", "- vegetation__cover_fraction", "- vegetation__cover",
                 "no cell or layer field named 'vegetation__cover'"},
        BadSweep{"layer_needed", "'soil_cd__total_concentration[0]'",
                 "soil_cd__total_concentration", "is a layer field: name a layer"},
        BadSweep{"unknown_method", "method: lhs", "method: latin", "'method'"},
        // Found by fuzz_sweep in CI: a layer number past int's range threw std::out_of_range.
        BadSweep{"layer_too_large", "'soil_cd__total_concentration[0]'",
                 "'soil_cd__total_concentration[33333333333333331]'",
                 "the layer number in 'soil_cd__total_concentration[33333333333333331]' is too "
                 "large"},
        // Issue 28: a list element the scenario does not have is the sweep file's line, not a
        // --set the user never typed.
        BadSweep{"missing_list_element", "measures[0].rate_t_per_ha", "measures[999].rate_t_per_ha",
                 "sweep.yaml:7:3: error: uncertain 'measures[999].rate_t_per_ha' (member 0 drew"},
        BadSweep{"duplicate_key", "seed: 4\n", "seed: 4\nseed: 5\n",
                 "sweep.yaml:5:1: error: duplicate key 'seed' (first at line 4)"}),
    [](const ::testing::TestParamInfo<BadSweep>& param_info) { return param_info.param.name; });
