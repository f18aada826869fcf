#pragma once
/// @file
/// @brief Rainfall erosivity of the year from its storms (monthly): each day of at least 12 mm
/// adds EI = alpha P^beta (Zhang, Xie & Liu 2002; rusle.hpp, DailyErosivity), with alpha and
/// beta from the climate's erosive-day statistics. The erosion model takes the year's sum as
/// RUSLE's R (`rainfall__annual_erosivity`), so a year of large storms erodes more than a year
/// of the same total in small ones.

#include "engine/core/component.hpp"

namespace minetwin::terrain {

class ErosivityComponent final : public Component {
 public:
  std::string_view name() const override { return "erosivity"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void update(FieldAccess& fields, const StepContext& step) override;
};

}  // namespace minetwin::terrain
