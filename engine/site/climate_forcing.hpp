#pragma once
/// @file
/// @brief The climate forcing component: puts each month's site climate into State.

#include <memory>
#include <utility>
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
  explicit ClimateForcing(const ClimateSeries& climate)
      : climate_(climate), erosive_days_(climate.heavy_day_statistics(kErosiveDayMm)) {}
  std::string_view name() const override { return "climate"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  void update(FieldAccess& fields, const StepContext& step) override;

 private:
  // China's erosive-rain threshold (Xie, Liu & Zhang 2000) and the run's statistics of the days
  // above it (mean depth, mean annual sum, mm), for the erosivity model: the same every month.
  static constexpr double kErosiveDayMm = 12.0;
  const ClimateSeries& climate_;
  std::pair<double, double> erosive_days_;
  mutable std::vector<FieldSpec> fields_;  // temperature, precipitation (5), radiation
};

}  // namespace minetwin
