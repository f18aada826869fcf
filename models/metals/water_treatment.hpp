#pragma once
/// @file
/// @brief Active treatment of mine drainage (docs/models/metals.md, "Water treatment"): the
/// `water_treatment` measure collects a share of the water percolating below its zone's profile
/// in the years a plant runs; once a year, after the months, the plant treats it up to its
/// capacity by lime neutralisation, removing each metal with its efficiency, and reports the
/// water treated, the metals removed, the lime used, the sludge and the cost.

#include <array>
#include <memory>

#include "engine/core/component.hpp"
#include "engine/core/measure.hpp"

namespace minetwin::metals {

/// The `water_treatment` measure type, for the registry.
std::unique_ptr<MeasureType> water_treatment_measure();

class WaterTreatment final : public Component {
 public:
  std::string_view name() const override { return "water_treatment"; }
  Cadence cadence() const override { return Cadence::indices; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;

 private:
  ParameterValues parameters_;
};

}  // namespace minetwin::metals
