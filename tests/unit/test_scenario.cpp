// Requirements: scenario errors carry FILE:LINE:COLUMN and name the key; unknown keys are errors
// with a "did you mean"; --set overrides are validated like the file; defaults are filled in.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../unit/test_components.hpp"
#include "engine/core/registry.hpp"
#include "engine/scenario/scenario.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const fs::path kAssets = fs::path(MINETWIN_SOURCE_DIR) / "assets" / "demo_site";

fs::path write_scenario(const std::string& name, const std::string& body) {
  const fs::path dir = fs::temp_directory_path() / "minetwin_test_scenario";
  fs::create_directories(dir);
  const fs::path file = dir / name;
  std::ofstream(file) << body;
  return file;
}

std::string site_block() {
  return "site:\n"
         "  dem: " +
         (kAssets / "dem.tif").string() +
         "\n"
         "  zones: " +
         (kAssets / "zones.geojson").string() +
         "\n"
         "  soil: " +
         (kAssets / "soil.csv").string() +
         "\n"
         "  climate:\n"
         "    csv: " +
         (kAssets / "climate.csv").string() + "\n";
}

ModelRegistry test_registry() {
  ModelRegistry registry;
  registry.add_component({"bucket", [] { return std::make_unique<test::Bucket>(); }});
  registry.add_measure(std::make_unique<test::Irrigate>());
  return registry;
}

std::vector<Diagnostic> errors_of(const fs::path& file, const std::vector<std::string>& sets = {}) {
  const ModelRegistry registry = test_registry();
  try {
    load_scenario(file, sets, registry);
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace

TEST(Scenario, DefaultsAreFilledIn) {
  const auto file = write_scenario("ok.yaml", "minetwin-version: 1\n" + site_block());
  const ModelRegistry registry = test_registry();
  const Scenario s = load_scenario(file, {}, registry);
  EXPECT_EQ(s.simulation.start_year, 2025);
  EXPECT_EQ(s.simulation.years, 50);
  EXPECT_EQ(s.site.layer_bottoms_m, (std::vector<double>{0.2, 0.5, 1.0}));
  EXPECT_NE(s.resolved_yaml.find("every_years: auto"), std::string::npos);
  EXPECT_EQ(s.outputs.every_years, 0);  // auto: the runner chooses from the record's size
  EXPECT_NE(s.resolved_yaml.find("layer_bottoms_m: [0.2, 0.5, 1.0]"), std::string::npos)
      << s.resolved_yaml;
}

TEST(Scenario, UnknownKeyHasPlaceAndSuggestion) {
  const auto file = write_scenario(
      "typo.yaml", "minetwin-version: 1\n" + site_block() + "simulation:\n  yeras: 10\n");
  const auto errors = errors_of(file);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 9);
  EXPECT_EQ(errors[0].column, 3);
  EXPECT_EQ(errors[0].message, "unknown key 'yeras' in 'simulation'; did you mean 'years'?");
}

TEST(Scenario, SeveralErrorsAreReportedTogether) {
  const auto file = write_scenario(
      "many.yaml",
      "minetwin-version: 1\n" + site_block() +
          "simulation:\n  years: -3\n  start_year: soon\noutputs:\n  every_years: 0\n");
  const auto errors = errors_of(file);
  ASSERT_EQ(errors.size(), 3u);  // in schema order: start_year is declared before years
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_EQ(errors[0].column, 15);
  EXPECT_EQ(errors[0].message, "'simulation.start_year' expected an integer, got 'soon'");
  EXPECT_EQ(errors[1].line, 9);
  EXPECT_EQ(errors[1].column, 10);
  EXPECT_EQ(errors[1].message, "'simulation.years' is -3, expected >= 1, <= 1000");
  EXPECT_EQ(errors[2].line, 12);
}

// Found by fuzz_scenario: the validator read "3e2" as the integer 300, but the value it passed on
// was the text, which yaml-cpp's unsigned conversion rejects (an uncaught exception, a crash).
TEST(Scenario, IntegersWrittenAsWholeDecimalsAreReadAsTheValidatorReadThem) {
  const auto file = write_scenario("whole.yaml",
                                   "minetwin-version: 1\nsite: {generate: {size: 3e2, seed: 7.0}}\n"
                                   "simulation: {years: 5.0, start_year: 0202e1, seed: +11}\n");
  const ModelRegistry registry = test_registry();
  const Scenario s = load_scenario(file, {}, registry);
  EXPECT_EQ(s.site.generate.size, 300u);
  EXPECT_EQ(s.site.generate.seed, 7u);
  EXPECT_EQ(s.simulation.years, 5);
  EXPECT_EQ(s.simulation.start_year, 2020);  // decimal, not octal
  EXPECT_EQ(s.simulation.seed, 11u);
  const auto errors = errors_of(file, {"simulation.years=5.5"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "'simulation.years' expected an integer, got '5.5'");
}

TEST(Scenario, SetOverridesAreValidated) {
  const auto file = write_scenario("set.yaml", "minetwin-version: 1\n" + site_block());
  const ModelRegistry registry = test_registry();
  const Scenario s =
      load_scenario(file, {"simulation.years=7", "parameters.bucket.drain_fraction=0.3"}, registry);
  EXPECT_EQ(s.simulation.years, 7);
  EXPECT_DOUBLE_EQ(s.parameters.at("bucket.drain_fraction"), 0.3);
  const auto errors = errors_of(file, {"simulation.years=many"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "<command line --set simulation.years>");
  EXPECT_EQ(errors_of(file, {"parameters.bucket.drain_fraction=3"}).size(),
            1u);  // above its maximum
  EXPECT_EQ(
      errors_of(file, {"parameters.bucket.drian_fraction=0.3"})[0].message,
      "unknown model parameter 'bucket.drian_fraction'; did you mean 'bucket.drain_fraction'?");
}

TEST(Scenario, MeasuresAreCheckedAgainstTheirRegisteredType) {
  const auto file = write_scenario(
      "measures.yaml", "minetwin-version: 1\n" + site_block() +
                           "measures:\n"
                           "  - {type: irrigate, zone: pit, year: 2030, depth_m: 0.2}\n"
                           "  - {type: irigate, zone: pit, year: 2030}\n"
                           "  - {type: irrigate, zone: pit, every_years: 10, depth_m: 5}\n"
                           "  - {type: irrigate, zone: pit, year: 2020}\n");
  const auto errors = errors_of(file);
  ASSERT_EQ(errors.size(), 2u);  // the first pass stops before the year check
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_NE(errors[0].message.find("did you mean 'irrigate'"), std::string::npos);
  EXPECT_EQ(errors[1].line, 11);
  EXPECT_NE(errors[1].message.find("'measures[2].depth_m' is 5"), std::string::npos);

  const auto early =
      write_scenario("early.yaml", "minetwin-version: 1\n" + site_block() +
                                       "measures:\n  - {type: irrigate, zone: pit, year: 2020}\n");
  const auto year_errors = errors_of(early);
  ASSERT_EQ(year_errors.size(), 1u);
  EXPECT_NE(year_errors[0].message.find("before the first simulated year 2025"), std::string::npos);
  EXPECT_EQ(year_errors[0].line, 9);
}

// A measure after the run is an error like one before it (issue 28: almost always a typo),
// unless the run's years were set on the command line: then the file's later years are dropped
// with a notice.
TEST(Scenario, MeasuresAfterTheRunAreErrorsUnlessTheRunWasShortenedOnTheCommandLine) {
  const auto late = write_scenario(
      "late.yaml", "minetwin-version: 1\n" + site_block() +
                       "simulation: {years: 5}\n"
                       "measures:\n  - {type: irrigate, zone: pit, years: [2026, 2031, 2040]}\n");
  const auto errors = errors_of(late);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_NE(errors[0].message.find("measures[0] (irrigate) in 2031 and later falls after the "
                                   "last simulated year 2029"),
            std::string::npos)
      << errors[0].message;

  const auto longer = write_scenario(
      "longer.yaml", "minetwin-version: 1\n" + site_block() +
                         "simulation: {years: 20}\n"
                         "measures:\n  - {type: irrigate, zone: pit, years: [2026, 2031, 2040]}\n");
  const ModelRegistry registry = test_registry();
  const Scenario s = load_scenario(longer, {"simulation.years=5"}, registry);
  EXPECT_EQ(s.measures[0].years, (std::vector<int>{2026}));
  ASSERT_EQ(s.notices.size(), 1u);
  EXPECT_NE(s.notices[0].find("longer.yaml:10: notice: measures[0] (irrigate) in 2031 and later"),
            std::string::npos)
      << s.notices[0];
}

TEST(Scenario, ARecurringMeasureThatEndsBeforeItStartsIsAnError) {
  const auto file = write_scenario(
      "backwards.yaml",
      "minetwin-version: 1\n" + site_block() +
          "simulation: {years: 20}\n"
          "measures:\n  - {type: irrigate, zone: pit, every_years: 2, first_year: 2035, "
          "last_year: 2030}\n");
  const auto errors = errors_of(file);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_NE(errors[0].message.find("last_year 2030 is before first_year 2035"), std::string::npos)
      << errors[0].message;
}

TEST(Scenario, EveryYearsExpandsToTheScheduledYears) {
  const auto file = write_scenario(
      "every.yaml", "minetwin-version: 1\n" + site_block() +
                        "simulation: {years: 10}\n"
                        "measures:\n  - {type: irrigate, zone: pit, every_years: 4}\n");
  const ModelRegistry registry = test_registry();
  const Scenario s = load_scenario(file, {}, registry);
  EXPECT_EQ(s.measures[0].years, (std::vector<int>{2025, 2029, 2033}));
  EXPECT_DOUBLE_EQ(s.measures[0].numbers.at("depth_m"), 0.1);  // the type's default
}

TEST(Scenario, ReferenceDocumentsEveryTopLevelKey) {
  const std::string markdown = scenario_reference_markdown(test_registry());
  for (const char* key : {"`minetwin-version`", "`site`", "`simulation`", "`measures`", "`outputs`",
                          "`parameters`", "### `irrigate`", "`bucket.drain_fraction`"}) {
    EXPECT_NE(markdown.find(key), std::string::npos) << key;
  }
}

// A disabled measure (an optimisation's "off") is checked like any other and never applied.
TEST(Scenario, DisabledMeasureIsCheckedButHasNoYears) {
  const auto off = write_scenario("disabled.yaml",
                                  "minetwin-version: 1\n" + site_block() +
                                      "measures:\n"
                                      "  - {type: irrigate, zone: pit, year: 2030, depth_m: 0.2}\n"
                                      "  - {type: irrigate, zone: pit, year: 2031, depth_m: 0.2, "
                                      "enabled: false}\n");
  const Scenario s = load_scenario(off, {}, test_registry());
  ASSERT_EQ(s.measures.size(), 2u);
  EXPECT_EQ(s.measures[0].years, std::vector<int>{2030});
  EXPECT_TRUE(s.measures[1].years.empty());
  const Scenario on = load_scenario(off, {"measures[1].enabled=true"}, test_registry());
  EXPECT_EQ(on.measures[1].years, std::vector<int>{2031});
  // Switched off, a measure with a bad parameter is still an error.
  const auto bad = write_scenario(
      "disabled_bad.yaml", "minetwin-version: 1\n" + site_block() +
                               "measures:\n  - {type: irrigate, zone: pit, year: 2030, depth_m: "
                               "5, enabled: false}\n");
  EXPECT_EQ(errors_of(bad).size(), 1u);
}
