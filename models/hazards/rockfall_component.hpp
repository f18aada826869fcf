#pragma once
/// @file
/// @brief The rockfall hazard as a MineTwin component: every few years, blocks released from
/// steep bare cells run down the current terrain (docs/models/hazards.md).

#include "engine/core/component.hpp"
#include "models/hazards/rockfall.hpp"

namespace minetwin::hazards {

class RockfallComponent final : public Component {
 public:
  std::string_view name() const override { return "hazards"; }
  Cadence cadence() const override { return Cadence::yearly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;

 private:
  void report_areas(FieldAccess& fields, const StepContext& step) const;
  ParameterValues parameters_;
};

/// The source cells: bare rock steeper than @p rock_deg, loose spoil and soil steeper than
/// @p spoil_deg; vegetated cells are not sources (roots and stems hold loose blocks).
std::vector<std::size_t> rockfall_sources(const RockfallTerrain& terrain,
                                          const std::vector<float>& slope_deg, double rock_deg,
                                          double spoil_deg);

}  // namespace minetwin::hazards
