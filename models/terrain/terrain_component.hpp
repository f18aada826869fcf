#pragma once
/// @file
/// @brief The terrain component (yearly): landform evolution, then the flow topology that the
/// hydrology, erosion and metal models share through State.
///
/// Each year, after the measures: (1) stream-power incision and hillslope diffusion change
/// `topographic__elevation` (landform_evolution.hpp) on last year's flow graph; (2) the flow
/// graph is rebuilt on the new surface: Priority-Flood + epsilon (priority_flood.hpp) with each
/// closed depression deeper than `closed_basin_min_depth_m` kept as one pit-lake basin draining
/// to its lowest cell, D8 receivers and
/// the stack (flow_graph.hpp). It writes the receivers and stack positions as internal fields,
/// the drainage area and slope as outputs, and the spill elevation of each kept basin.
/// Erodibility K is scaled by RUSLE's cover-management factor C of the vegetation and the
/// surface rock fragments (rusle.hpp, cover_factor), so a vegetated or rock-armoured batter
/// erodes far less than bare spoil.

#include <algorithm>

#include "engine/core/component.hpp"

namespace minetwin::terrain {

class TerrainComponent final : public Component {
 public:
  std::string_view name() const override { return "terrain"; }
  Cadence cadence() const override { return Cadence::yearly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;
  /// The flow fields are internal: rebuilt from the restored elevation.
  void restart(FieldAccess& fields) override { rebuild_flow(fields); }

 private:
  void rebuild_flow(FieldAccess& fields);
  ParameterValues parameters_;
  std::size_t kept_sinks_ = 0;  // for the summary only; rebuilt with the flow fields
};

}  // namespace minetwin::terrain
