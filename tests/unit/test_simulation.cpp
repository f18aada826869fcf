// Requirements: the engine refuses to start when a read field has no writer (naming the field and
// the component); units must agree; the yearly loop runs measures, yearly, 12 monthly steps in
// order; a conservative component's ledger closes to round-off.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/core/errors.hpp"
#include "engine/core/simulation.hpp"
#include "test_components.hpp"

using namespace minetwin;

namespace {

std::unique_ptr<State> make_state() {
  GridGeometry g{8, 8, 5.0, 0, 0, ""};
  auto state = std::make_unique<State>(RasterGrid(g, std::vector<std::uint8_t>(64, 1)), 1);
  auto& zones = state->add({"zone__id", "1", "", Location::cell, ElementType::float32}, 0.0);
  for (std::size_t c = 32; c < 64; ++c) zones.set(c, 1.0);
  state->zone_names = {"undisturbed", "dump"};
  return state;
}

class WrongUnits final : public Component {
 public:
  std::string_view name() const override { return "wrong_units"; }
  Cadence cadence() const override { return Cadence::yearly; }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {
        {"rain", "mm", Location::site, Intent::in, ElementType::float64, true, ""}};
    return specs;
  }
  void update(FieldAccess&, const StepContext&) override {}
};

}  // namespace

TEST(Wiring, MissingInputNamesFieldAndComponent) {
  auto state = make_state();
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<test::Bucket>());
  const auto problems = check_wiring(*state, components, {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("component 'bucket' reads field 'rain'"), std::string::npos)
      << problems[0].message;
}

TEST(Wiring, UnitMismatchIsReported) {
  auto state = make_state();
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<test::Rain>());
  components.push_back(std::make_unique<WrongUnits>());
  const auto problems = check_wiring(*state, components, {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("'mm'"), std::string::npos) << problems[0].message;
}

TEST(Wiring, TwoWritersWithoutInoutAreReported) {
  auto state = make_state();
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<test::Rain>());
  components.push_back(std::make_unique<test::Rain>());
  const auto problems = check_wiring(*state, components, {});
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].message.find("written by both"), std::string::npos);
}

TEST(Simulation, InitializeThrowsInputErrorOnBadWiring) {
  auto state = make_state();
  ModelRegistry registry;
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<test::Bucket>());
  Simulation simulation(*state, std::move(components), registry, {}, 1, {});
  EXPECT_THROW(simulation.initialize(), InputError);
}

TEST(Simulation, YearRunsTwelveMonthsAndLedgerCloses) {
  auto state = make_state();
  ModelRegistry registry;
  registry.add_measure(std::make_unique<test::Irrigate>());
  std::vector<std::string> log;
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<test::Rain>());
  auto bucket = std::make_unique<test::Bucket>();
  test::Bucket* bucket_view = bucket.get();
  components.push_back(std::move(bucket));
  components.push_back(std::make_unique<test::Yearly>(&log));  // sorted before the months
  Measure irrigate{"irrigate", {2026}, "dump", {{"depth_m", 0.5}}, {}, 0};
  Simulation simulation(*state, std::move(components), registry, {irrigate}, 1,
                        {{"bucket.drain_fraction", 0.5}});
  simulation.initialize();
  for (int k = 0; k < 2; ++k) {
    SummaryRow row(simulation.summary_columns());
    simulation.run_year(2025 + k, k, row);
  }
  EXPECT_EQ(log, (std::vector<std::string>{"yearly 2025", "yearly 2026"}));
  ASSERT_EQ(bucket_view->months_seen.size(), 24u);
  EXPECT_EQ(bucket_view->months_seen.front(), 1);
  EXPECT_EQ(bucket_view->months_seen[11], 12);
  EXPECT_DOUBLE_EQ(bucket_view->drain_, 0.5);  // the override reached the component
  EXPECT_LT(bucket_view->worst_relative_residual, 1e-12);

  // The measure ran in 2026 on the dump only. Both zones see the same rain, so after two years
  // the storage difference between zones is the irrigation depth drained by 12 months of
  // halving: 0.5 * 0.5^12.
  const auto storage = state->at("bucket__storage").values<double>();
  EXPECT_NEAR(storage[40] - storage[0], 0.5 * std::pow(0.5, 12), 1e-15);
  EXPECT_EQ(simulation.changing_fields(),
            (std::vector<std::string>{"rain", "bucket__storage", "bucket__drainage"}));
}

TEST(FieldAccess, UndeclaredFieldIsRefused) {
  auto state = make_state();
  static constexpr FieldSpec specs[] = {
      {"zone__id", "1", Location::cell, Intent::in, ElementType::float32, true, ""}};
  FieldAccess access(*state, specs, "reader");
  EXPECT_NO_THROW(access.read<float>("zone__id"));
  EXPECT_THROW(access.write<float>("zone__id"), std::logic_error);  // declared in, not out
  EXPECT_THROW(access.read<double>("bucket__storage"), std::logic_error);
}

TEST(Ledger, ResidualIsWhatTheBooksDoNotExplain) {
  Ledger ledger("Cd", "kg");
  ledger.open(10.0);
  ledger.add_input("amendment", 2.0);
  ledger.add_output("leached", 0.5);
  ledger.add_output("harvested", 0.25);
  EXPECT_DOUBLE_EQ(ledger.close(11.25), 0.0);
  ledger.open(10.0);
  ledger.add_input("amendment", 2.0);
  EXPECT_DOUBLE_EQ(ledger.close(11.0), -1.0);
  EXPECT_DOUBLE_EQ(ledger.relative_residual(), 1.0 / 11.0);  // largest term: the end storage
}
