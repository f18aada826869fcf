#pragma once
/// @file
/// @brief Erosion and deposition move the soil (issue 23): after the erosion model has detached
/// and routed the year's sediment, the soil it took leaves the profiles it came from and settles
/// where the sediment deposits, with everything it holds.
///
/// Per cell, down the flow stack (donors first, drainage trees in parallel):
/// 1. the detached fine earth (`erosion__soil_loss`) is taken from the top of the profile with
///    its texture, organic carbon, exchange capacity, pH, each metal and the top layer's share of
///    each RothC pool and biochar; the rock fragments of the eroded depth stay on the surface as
///    a lag (RUSLE's soil loss is fine earth; the lag armours the surface, Poesen & Lavee 1994,
///    and counts as ground cover in the next year's C factor);
/// 2. the sediment arriving from upslope and the cell's own detached soil mix; the share the
///    erosion model deposited here (`sediment__deposition`) settles on top as a layer of that
///    mixture; the rest passes to the receiver, or leaves the site at an outlet, or settles in a
///    pit lake;
/// 3. the profile is sliced back into its layers: the upper layers keep their thicknesses (the
///    sampling depths), so the top layer takes material from below as the surface lowers, and
///    the bottom layer thins (erosion) or thickens (deposition).
/// Books for the other ledgers: each metal carried off the site (`metal_<x>__sediment_exported`,
/// metals ledger) or into pit lakes (`metal_<x>__pit_lake_storage`, stays in storage); the net
/// change of the top layer's soil carbon (`soil_carbon__moved_by_erosion`, carbon ledger). Its
/// own soil-mass ledger closes each year: removed = deposited + exported + trapped.
/// The equations and their sources: docs/models/erosion.md, "Erosion moves the soil".

#include "engine/core/component.hpp"
#include "engine/core/ledger.hpp"

namespace minetwin::soil {

class SoilRedistribution final : public Component {
 public:
  SoilRedistribution();
  std::string_view name() const override { return "soil_redistribution"; }
  Cadence cadence() const override { return Cadence::indices; }
  std::span<const FieldSpec> fields() const override { return fields_; }
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;
  const Ledger& ledger() const { return ledger_; }

 private:
  std::vector<FieldSpec> fields_;
  Ledger ledger_{"soil fine earth", "kg"};
};

}  // namespace minetwin::soil
