#pragma once
// Test components: small, real processes that exercise the engine's contracts.

#include <span>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/core/ledger.hpp"
#include "engine/core/measure.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"

namespace minetwin::test {

/// A soil-water bucket: each month adds the precipitation to storage and drains a fixed
/// fraction. Its ledger must close: storage change = rain in - drainage out.
class Bucket final : public Component {
 public:
  std::string_view name() const override { return "bucket"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {
        {"rain", "m", Location::site, Intent::in, ElementType::float64, true, "rain of the month"},
        {"bucket__storage", "m", Location::cell, Intent::inout, ElementType::float64, false,
         "water"},
        {"bucket__drainage", "m", Location::cell, Intent::out, ElementType::float64, true,
         "drained"},
    };
    return specs;
  }
  std::span<const ParameterSpec> parameters() const override {
    static constexpr ParameterSpec specs[] = {
        {"drain_fraction", "1", 0.25, 0.0, 1.0, "test", "fraction of storage drained monthly"}};
    return specs;
  }
  void initialize(FieldAccess&, const ParameterValues& p) override {
    drain_ = p.get("drain_fraction");
  }
  void update(FieldAccess& f, const StepContext& step) override {
    const double rain = f.read<double>("rain")[0];
    auto storage = f.write<double>("bucket__storage");
    auto drainage = f.write<double>("bucket__drainage");
    const auto& grid = f.state().grid();
    double before = 0, after = 0, out = 0;
    for (std::size_t c = 0; c < storage.size(); ++c) {
      if (!grid.is_valid(c)) continue;
      before += storage[c];
      storage[c] += rain;
      drainage[c] = drain_ * storage[c];
      storage[c] -= drainage[c];
      out += drainage[c];
      after += storage[c];
    }
    ledger.open(before);
    ledger.add_input("rain", rain * static_cast<double>(grid.valid_cell_count()));
    ledger.add_output("drainage", out);
    ledger.close(after);
    worst_relative_residual = std::max(worst_relative_residual, ledger.relative_residual());
    months_seen.push_back(step.month);
  }
  double drain_ = 0.0;
  Ledger ledger{"water", "m"};
  double worst_relative_residual = 0.0;
  std::vector<int> months_seen;
};

/// Writes the site rain each month (like the climate forcing).
class Rain final : public Component {
 public:
  std::string_view name() const override { return "rain"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {{"rain", "m", Location::site, Intent::out,
                                           ElementType::float64, true, "rain of the month"}};
    return specs;
  }
  void update(FieldAccess& f, const StepContext& step) override {
    f.write<double>("rain")[0] = 0.01 * step.month;
  }
};

/// A yearly component that records when it ran.
class Yearly final : public Component {
 public:
  explicit Yearly(std::vector<std::string>* log) : log_(log) {}
  std::string_view name() const override { return "yearly"; }
  Cadence cadence() const override { return Cadence::yearly; }
  std::span<const FieldSpec> fields() const override { return {}; }
  void update(FieldAccess&, const StepContext& step) override {
    log_->push_back("yearly " + std::to_string(step.year));
  }
  std::vector<std::string>* log_;
};

/// A measure that adds a depth of water to the bucket of its zone.
class Irrigate final : public MeasureType {
 public:
  std::string_view name() const override { return "irrigate"; }
  std::string_view doc() const override { return "adds water"; }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr MeasureParameterSpec specs[] = {
        {"depth_m", "m", false, false, 0.1, 0.0, 1.0, "water added"}};
    return specs;
  }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {{"bucket__storage", "m", Location::cell, Intent::inout,
                                           ElementType::float64, false, "water"}};
    return specs;
  }
  void apply(FieldAccess& f, const MeasureApplication& a) const override {
    auto storage = f.write<double>("bucket__storage");
    for (std::size_t c : a.zone_cells) storage[c] += a.measure.numbers.at("depth_m");
  }
};

}  // namespace minetwin::test
