#pragma once
/// @file
/// @brief Yearly soil loss (RUSLE) and sediment routing with a transport capacity (WaTEM/SEDEM),
/// with a sediment ledger. Runs after the year's months (cadence `indices`), when the year's
/// precipitation is known.
///
/// Detachment A = R K LS C P on every cell (rusle.hpp); sediment is routed down the flow stack:
/// each cell passes on at most its transport capacity TC x cell width, the excess deposits there;
/// what reaches a grid outlet is exported, what reaches a pit-lake sink is trapped.
/// Ledger: detached = deposited + exported + trapped, closed every year.
/// Elevation is changed by the landform-evolution model (terrain component), not here: RUSLE
/// gives the soil and sediment budgets (soil loss, deposition, sediment yield) that the soil and
/// metals models use. The contributing area is capped at `max_specific_area_m` so that LS stays
/// a hillslope factor in channels (RUSLE does not apply to concentrated flow).

#include "engine/core/component.hpp"
#include "engine/core/ledger.hpp"

namespace minetwin::terrain {

class ErosionComponent final : public Component {
 public:
  std::string_view name() const override { return "erosion"; }
  Cadence cadence() const override { return Cadence::indices; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;
  const Ledger& ledger() const { return ledger_; }

 private:
  ParameterValues parameters_;
  Ledger ledger_{"sediment", "kg"};
};

}  // namespace minetwin::terrain
