#pragma once
/// @file
/// @brief Carbon accounting (docs/models/carbon.md), once a year after the months: ecosystem
/// stocks (biomass, soil pools, biochar), net ecosystem production, the restoration's own
/// emissions, the net balance and the year the site turns from a source into a sink, the cost
/// per t CO2e, and a carbon ledger that closes every year.

#include <vector>

#include "engine/core/component.hpp"
#include "engine/core/ledger.hpp"

namespace minetwin::carbon {

class CarbonAccounting final : public Component {
 public:
  std::string_view name() const override { return "carbon_accounting"; }
  Cadence cadence() const override { return Cadence::indices; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;
  void restart(FieldAccess& fields) override;
  const Ledger& ledger() const { return ledger_; }

 private:
  double stock(const FieldAccess& fields) const;                // kg C, whole site
  double project_soil_carbon(const FieldAccess& fields) const;  // kg C, project soil pools
  /// kg C of organic carbon in the project's layers below the top one, down to @p depth (m).
  double project_subsoil_carbon(const FieldAccess& fields, double depth) const;
  ParameterValues parameters_;
  Ledger ledger_{"carbon", "kg C"};
  double stock_open_ = 0.0;
};

}  // namespace minetwin::carbon
