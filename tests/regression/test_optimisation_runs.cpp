// Requirements (issue 26): `minetwin optimise` on the demo site at 10 m cells (128 x 128): the
// NSGA-II front holds a plan within 2 % of every plan of the brute-force front (the grid of
// every plan); a front plan re-run with `minetwin run` gives its objectives and meets the
// constraint; objectives under uncertainty are the means of the members' runs; an infeasible
// problem says so and lists the least violating plans; a kill and --resume (killed in the first
// and in a later batch), one thread or two, two MPI ranks, give the same bytes; bad
// optimisation files exit 2 with the place and write nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli.hpp"
#include "html_checks.hpp"

namespace fs = std::filesystem;
using namespace minetwin;

namespace {

const std::string kDemo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";

// Ten years (the lime, the cover and the trees), 10 m cells, no rockfall: about 1 s a run.
const std::string kQuick =
    "scenario: " + kDemo +
    "\nset: [simulation.years=10, parameters.hazards.every_years=0, site.cell_size_m=10]\n";

// Lime rate and year, cover thickness, tree species; cost against the Cd area; no Cd leached in
// 2031 beyond 0.5 kg (the unlimed, oxidising tailings leach several kg): 3 x 2 x 3 x 2 = 36 plans.
const std::string kProblem =
    "decisions:\n"
    "  measures[3].rate_t_per_ha: {min: 0, max: 600, step: 300}\n"
    "  measures[3].year: {min: 2029, max: 2030, integer: true}\n"
    "  measures[4].depth_m: {min: 0.1, max: 0.5, step: 0.2}\n"
    "  measures[6].plant_type: {choices: [robinia, pine]}\n"
    "objectives:\n"
    "  - {metric: measures_cost_yuan, over: sum, name: cost}\n"
    "  - {metric: cd_area_above_screening_ha, year: 2034, name: cd_area}\n"
    "constraints:\n"
    "  - {metric: cd_leached_kg, year: 2031, op: \"<=\", value: 0.5}\n";

using Table = std::vector<std::map<std::string, std::string>>;

Table read_csv(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> columns;
  std::stringstream header(line);
  for (std::string c; std::getline(header, c, ',');) columns.push_back(c);
  Table rows;
  while (std::getline(in, line)) {
    std::stringstream cells(line);
    std::map<std::string, std::string> row;
    std::size_t i = 0;
    for (std::string c; std::getline(cells, c, ',') && i < columns.size(); ++i) row[columns[i]] = c;
    rows.push_back(std::move(row));
  }
  return rows;
}

fs::path write_file(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

double number(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

// The summary row of @p year of a run's summary.csv.
std::map<std::string, std::string> summary_row(const fs::path& run, int year) {
  for (const auto& row : read_csv(run / "summary.csv"))
    if (row.at("year") == std::to_string(year)) return row;
  return {};
}

double summed(const fs::path& run, const std::string& metric) {
  double sum = 0;
  for (const auto& row : read_csv(run / "summary.csv")) sum += std::stod(row.at(metric));
  return sum;
}

void expect_same_outputs(const fs::path& a, const fs::path& b) {
  for (const char* file : {"pareto.csv", "evaluations.csv", "optimisation.yaml"}) {
    ASSERT_TRUE(fs::exists(a / file)) << file;
    EXPECT_EQ(test::first_difference(a / file, b / file), "") << file;
  }
  for (const auto& entry : fs::directory_iterator(a / "best"))
    EXPECT_EQ(test::first_difference(entry.path(), b / "best" / entry.path().filename()), "")
        << entry.path().filename();
}

}  // namespace

TEST(Optimise, Nsga2FrontHoldsEveryBruteForcePlanWithinTwoPercentAndItsPlansRerun) {
  const fs::path dir = test::scratch_dir("minetwin_optimise") / "front";
  fs::remove_all(dir);
  const fs::path grid = write_file(dir, "grid.yaml", kQuick + kProblem + "algorithm: grid\n");
  const fs::path nsga2 =
      write_file(dir, "nsga2.yaml",
                 kQuick + kProblem + "algorithm: nsga2\npopulation: 8\ngenerations: 3\nseed: 2\n");
  const auto brute =
      test::run_cli("optimise " + grid.string() + " --threads 2 -o " + (dir / "grid").string());
  ASSERT_EQ(brute.exit_code, 0) << brute.output;
  const auto searched =
      test::run_cli("optimise " + nsga2.string() + " --threads 2 -o " + (dir / "nsga2").string());
  ASSERT_EQ(searched.exit_code, 0) << searched.output;

  const Table all = read_csv(dir / "grid" / "evaluations.csv");
  ASSERT_EQ(all.size(), 36u);
  std::size_t infeasible = 0;
  for (const auto& row : all) infeasible += row.at("feasible") == "0";
  EXPECT_GT(infeasible, 0u) << "the constraint should rule out the unlimed plans";
  const Table truth = read_csv(dir / "grid" / "pareto.csv");
  const Table found = read_csv(dir / "nsga2" / "pareto.csv");
  ASSERT_GE(truth.size(), 2u);
  ASSERT_FALSE(found.empty());
  for (const auto& row : found) EXPECT_EQ(row.at("feasible"), "1");
  const Table searched_plans = read_csv(dir / "nsga2" / "evaluations.csv");
  EXPECT_LT(searched_plans.size(), all.size()) << "the search ran every plan: no test of it";
  for (const auto& target : truth) {
    bool near = false;
    for (const auto& plan : found) {
      bool within = true;
      for (const char* objective : {"cost", "cd_area"})
        within = within && std::abs(number(plan, objective) - number(target, objective)) <=
                               0.02 * std::abs(number(target, objective));
      near = near || within;
    }
    EXPECT_TRUE(near) << "no plan of the NSGA-II front within 2 % of grid plan "
                      << target.at("plan") << " (cost " << target.at("cost") << ", Cd area "
                      << target.at("cd_area") << ")";
  }

  // The report shows the front among every plan, and the front's plans.
  const auto report = test::run_cli("report " + (dir / "nsga2").string() + " -o " +
                                    (dir / "optimisation.html").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string html = test::read_bytes(dir / "optimisation.html");
  EXPECT_EQ(test::check_well_formed(html), "");
  EXPECT_NE(html.find("chart-front"), std::string::npos);
  EXPECT_NE(html.find("plan " + found.front().at("plan") + ": measures[3].rate_t_per_ha = " +
                      found.front().at("measures[3].rate_t_per_ha")),
            std::string::npos);
  EXPECT_NE(html.find(std::to_string(searched_plans.size()) + " plans evaluated by nsga2"),
            std::string::npos);

  // A front plan's scenario, run on its own, gives the plan's objectives and meets the target.
  const auto& plan = found.front();
  const fs::path run = dir / "rerun";
  const auto rerun = test::run_cli("run " + (dir / "nsga2" / plan.at("scenario")).string() +
                                   " --quiet -o " + run.string());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_DOUBLE_EQ(summed(run, "measures_cost_yuan"), number(plan, "cost"));
  EXPECT_DOUBLE_EQ(std::stod(summary_row(run, 2034).at("cd_area_above_screening_ha")),
                   number(plan, "cd_area"));
  EXPECT_LE(std::stod(summary_row(run, 2031).at("cd_leached_kg")), 0.5);
}

TEST(Optimise, UnderUncertaintyObjectivesAreMemberMeansAndConstraintsProbabilities) {
  const fs::path dir = test::scratch_dir("minetwin_optimise") / "uncertain";
  fs::remove_all(dir);
  const fs::path file = write_file(
      dir, "uncertain.yaml",
      kQuick +
          "decisions:\n  measures[3].rate_t_per_ha: {choices: [0, 300]}\n"
          "objectives:\n  - {metric: cd_leached_kg, over: sum, name: leached}\n"
          "constraints:\n"
          "  - {metric: cd_leached_kg, year: 2031, op: \"<=\", value: 0.5, probability: 0.5}\n"
          "uncertain:\n  site.climate.precipitation_scale: {dist: uniform, min: 0.8, max: 1.2}\n"
          "members: 2\nalgorithm: grid\n");
  const auto run =
      test::run_cli("optimise " + file.string() + " --threads 2 -o " + (dir / "out").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Table plans = read_csv(dir / "out" / "evaluations.csv");
  const Table members = read_csv(dir / "out" / "members.csv");
  ASSERT_EQ(plans.size(), 2u);
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(plans[0].at("feasible"), "0");  // unlimed: leaches in every member
  EXPECT_EQ(plans[1].at("feasible"), "1");
  for (const auto& plan : plans) {
    double mean = 0, met = 0;
    for (const auto& member : members) {
      const fs::path out = dir / ("plan" + plan.at("plan") + "_member" + member.at("member"));
      const auto member_run = test::run_cli(
          "run " + kDemo + " --quiet -o " + out.string() +
          " --set simulation.years=10 --set parameters.hazards.every_years=0 --set "
          "site.cell_size_m=10 --set measures[3].rate_t_per_ha=" +
          plan.at("measures[3].rate_t_per_ha") + " --set site.climate.precipitation_scale=" +
          member.at("site.climate.precipitation_scale"));
      ASSERT_EQ(member_run.exit_code, 0) << member_run.output;
      mean += 0.5 * summed(out, "cd_leached_kg");
      met += std::stod(summary_row(out, 2031).at("cd_leached_kg")) <= 0.5 ? 0.5 : 0.0;
    }
    EXPECT_DOUBLE_EQ(number(plan, "leached"), mean) << "plan " << plan.at("plan");
    EXPECT_DOUBLE_EQ(number(plan, "P[cd_leached_kg<=0.5 in 2031]"), met);
  }
}

TEST(Optimise, AnInfeasibleProblemSaysSoAndListsTheLeastViolatingPlans) {
  const fs::path dir = test::scratch_dir("minetwin_optimise") / "infeasible";
  fs::remove_all(dir);
  const fs::path file =
      write_file(dir, "infeasible.yaml",
                 kQuick +
                     "decisions:\n  measures[3].rate_t_per_ha: {min: 0, max: 300, step: 300}\n"
                     "objectives:\n  - {metric: measures_cost_yuan, over: sum}\n"
                     "constraints:\n  - {metric: cd_leached_kg, year: 2031, op: \"<\", value: -1}\n"
                     "algorithm: grid\n");
  const auto run =
      test::run_cli("optimise " + file.string() + " --threads 2 -o " + (dir / "out").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("no plan meets every constraint"), std::string::npos) << run.output;
  EXPECT_TRUE(read_csv(dir / "out" / "pareto.csv").empty());
  const Table least = read_csv(dir / "out" / "least_violating.csv");
  ASSERT_EQ(least.size(), 2u);
  EXPECT_LE(number(least[0], "violation"), number(least[1], "violation"));
  EXPECT_GT(number(least[0], "violation"), 0);
  // The limed plan leaches less, so it violates less: it comes first.
  EXPECT_EQ(least[0].at("measures[3].rate_t_per_ha"), "300");
}

TEST(Optimise, ResumeAfterKillsAndOneOrTwoThreadsGiveTheSameBytes) {
  const fs::path dir = test::scratch_dir("minetwin_optimise") / "resume";
  fs::remove_all(dir);
  const fs::path file =
      write_file(dir, "resume.yaml",
                 kQuick + kProblem + "algorithm: nsga2\npopulation: 8\ngenerations: 1\nseed: 4\n");
  const std::string args = "optimise " + file.string() + " --quiet -o ";
  ASSERT_EQ(test::run_cli(args + (dir / "two").string() + " --threads 2").exit_code, 0);
  ASSERT_EQ(test::run_cli(args + (dir / "one").string() + " --threads 1").exit_code, 0);
  expect_same_outputs(dir / "two", dir / "one");
  // Killed in the first batch (after 5 runs), then in the second (after 3 more), resumed.
  const fs::path resumed = dir / "resumed";
  const auto first =
      test::run_cli(args + resumed.string() + " --threads 2", "MINETWIN_KILL_AFTER_MEMBERS=5");
  ASSERT_EQ(first.exit_code, 137) << first.output;
  EXPECT_FALSE(fs::exists(resumed / "pareto.csv"));  // nothing that looks finished
  const auto second = test::run_cli(args + resumed.string() + " --threads 2 --resume",
                                    "MINETWIN_KILL_AFTER_MEMBERS=3");
  ASSERT_EQ(second.exit_code, 137) << second.output;
  const auto last = test::run_cli(args + resumed.string() + " --threads 2 --resume");
  ASSERT_EQ(last.exit_code, 0) << last.output;
  expect_same_outputs(dir / "two", resumed);
  EXPECT_FALSE(fs::exists(resumed / ".minetwin-optimise"));
  // Two MPI ranks: every rank runs the same search, the root hands each batch's scores out.
  if (!test::have_mpirun()) GTEST_SKIP() << "no mpirun";
  ASSERT_EQ(test::run_cli_under_mpirun(args + (dir / "mpi").string() + " --threads 1"), 0);
  expect_same_outputs(dir / "two", dir / "mpi");
}

struct BadOptimisation {
  std::string name;
  std::string contents;  // after the scenario and set lines
  std::string expected;  // in the message, with its place
};

void PrintTo(const BadOptimisation& bad, std::ostream* out) {
  *out << bad.name;
}

class OptimiseBadInput : public ::testing::TestWithParam<BadOptimisation> {};

TEST_P(OptimiseBadInput, ExitsTwoWithThePlaceAndWritesNothing) {
  const BadOptimisation& bad = GetParam();
  const fs::path dir = test::scratch_dir("minetwin_optimise_bad") / bad.name;
  fs::remove_all(dir);
  const fs::path file = write_file(dir, "optimisation.yaml", kQuick + bad.contents);
  const auto run = test::run_cli("optimise " + file.string() + " -o " + (dir / "out").string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find(bad.expected), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

const std::string kObjectives =
    "objectives:\n  - {metric: measures_cost_yuan, over: sum}\n"
    "  - {metric: cd_area_above_screening_ha, year: 2034}\n";

INSTANTIATE_TEST_SUITE_P(
    Optimise, OptimiseBadInput,
    ::testing::Values(
        BadOptimisation{
            "unknown_key",
            "decisions:\n  measures[3].rate_t_per_hectare: {min: 0, max: 60}\n" + kObjectives,
            "optimisation.yaml:4:3: error: decision 'measures[3].rate_t_per_hectare'"},
        BadOptimisation{"bounds_outside_the_key_range",
                        "decisions:\n  measures[4].depth_m: {min: 0.1, max: 50}\n" + kObjectives,
                        "optimisation.yaml:4:3: error: decision 'measures[4].depth_m' (its value "
                        "50)"},
        BadOptimisation{"unknown_metric",
                        "decisions:\n  measures[4].depth_m: {min: 0.1, max: 0.5}\n"
                        "objectives:\n  - {metric: measures_cost, over: sum}\n"
                        "  - {metric: cd_area_above_screening_ha, year: 2034}\n",
                        "optimisation.yaml:6:5: error: metrics: 'measures_cost' is not a "
                        "summary.csv column"},
        BadOptimisation{"categorical_without_choices",
                        "decisions:\n  measures[6].plant_type: {choices: [pine]}\n" + kObjectives,
                        "optimisation.yaml:4:37: error: a categorical decision needs a list of "
                        "at least two choices"},
        BadOptimisation{"constraint_year_not_simulated",
                        "decisions:\n  measures[4].depth_m: {min: 0.1, max: 0.5}\n" + kObjectives +
                            "constraints:\n  - {metric: cd_leached_kg, year: 2040, op: \"<=\", "
                            "value: 0.1}\n",
                        "optimisation.yaml:9:5: error: targets: year 2040 is not simulated"},
        BadOptimisation{"objective_year_not_simulated",
                        "decisions:\n  measures[4].depth_m: {min: 0.1, max: 0.5}\n"
                        "objectives:\n  - {metric: measures_cost_yuan, over: sum}\n"
                        "  - {metric: cd_area_above_screening_ha, year: 2044}\n",
                        "optimisation.yaml:7:5: error: objectives: year 2044 is not simulated"},
        BadOptimisation{"nsga2_with_one_objective",
                        "decisions:\n  measures[4].depth_m: {min: 0.1, max: 0.5}\n"
                        "objectives:\n  - {metric: measures_cost_yuan, over: sum}\n",
                        "nsga2 is multi-objective and needs at least two objectives"},
        BadOptimisation{"grid_without_step",
                        "decisions:\n  measures[4].depth_m: {min: 0.1, max: 0.5}\n" + kObjectives +
                            "algorithm: grid\n",
                        "optimisation.yaml:4:3: error: decision 'measures[4].depth_m': the grid "
                        "needs a step"}));

TEST(Optimise, ReferenceInTheDocsIsTheProgramsAndTheDemoOptimisationIsValid) {
  const auto printed = test::run_cli("schema --markdown --optimisation");
  ASSERT_EQ(printed.exit_code, 0);
  const std::string page =
      test::read_bytes(fs::path(MINETWIN_SOURCE_DIR) / "docs" / "optimisation.md");
  EXPECT_NE(page.find("## Optimisation file reference"), std::string::npos);
  EXPECT_TRUE(
      page.size() >= printed.output.size() &&
      page.compare(page.size() - printed.output.size(), std::string::npos, printed.output) == 0)
      << "docs/optimisation.md's reference is stale: replace it with `minetwin schema --markdown "
         "--optimisation`";
  const fs::path out = test::scratch_dir("minetwin_optimise") / "demo_check";
  const auto check = test::run_cli("optimise " + std::string(MINETWIN_SOURCE_DIR) +
                                   "/scenarios/demo_optimisation.yaml --check -o " + out.string());
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_FALSE(fs::exists(out));
}
