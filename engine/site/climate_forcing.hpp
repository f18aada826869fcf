#pragma once
/// @file
/// @brief The climate forcing component: puts each month's site climate into State.

#include <memory>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/site/climate.hpp"

namespace minetwin {

/// Monthly; writes the month's air temperature and precipitation (the month's total and each of
/// its days) as site-wide fields that the hydrology, vegetation and soil-carbon models read, and
/// reports yearly totals to the summary.
/// It is the engine's own component (forcing data, not a process model) and always runs first.
class ClimateForcing final : public Component {
 public:
  explicit ClimateForcing(const ClimateSeries& climate) : climate_(climate) {}
  std::string_view name() const override { return "climate"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  void update(FieldAccess& fields, const StepContext& step) override;

 private:
  const ClimateSeries& climate_;
  mutable std::vector<FieldSpec> fields_;  // temperature, precipitation (3), radiation
};

}  // namespace minetwin
