#pragma once
/// @file
/// @brief Terrain measures: regrading, contour ripping, terraces, and longwall subsidence events.

#include <memory>
#include <vector>

#include "engine/core/measure.hpp"

namespace minetwin::terrain {

/// `regrade`: reshapes a zone to at most `max_slope_deg` against the ground around it. The
/// envelope U is the highest surface rising from the zone's outside neighbours at the target
/// slope (a multi-source Dijkstra over the zone, 8-neighbour distances). The regraded surface is
/// min(U, h): batters at the target slope and a level top at h, with h found by bisection so that
/// fill equals cut within the zone. If the zone cannot hold its material even with h at the top
/// of U, the surface is U and the excess is reported as a negative imbalance (to haul away). A
/// dump with batters at the angle of repose and an apron in its zone becomes a lower, wider
/// landform with batters at the target slope. Earthworks = cut volume, costed per m3.
class Regrade final : public MeasureType {
 public:
  std::string_view name() const override { return "regrade"; }
  std::string_view doc() const override;
  std::span<const MeasureParameterSpec> parameters() const override;
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  void apply(FieldAccess& fields, const MeasureApplication& application) const override;
};

/// `contour_ripping` and `terraces`: set the RUSLE support-practice factor P and lower the SCS
/// curve number of the zone (more infiltration); costed per hectare.
class SupportPractice final : public MeasureType {
 public:
  enum class Kind { contour_ripping, terraces };
  explicit SupportPractice(Kind kind) : kind_(kind) {}
  std::string_view name() const override;
  std::string_view doc() const override;
  std::span<const MeasureParameterSpec> parameters() const override;
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  void apply(FieldAccess& fields, const MeasureApplication& application) const override;

 private:
  Kind kind_;
};

/// `longwall_subsidence`: the probability integral method over a rectangular panel extracted in
/// the measure's year; subsidence lowers the elevation and accumulates in
/// `subsidence__cumulative`.
class LongwallSubsidence final : public MeasureType {
 public:
  std::string_view name() const override { return "longwall_subsidence"; }
  std::string_view doc() const override;
  std::span<const MeasureParameterSpec> parameters() const override;
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  void apply(FieldAccess& fields, const MeasureApplication& application) const override;
  std::string check_on_grid(const Measure& measure, const RasterGrid& grid) const override;
};

/// Every terrain measure type, for the registry.
std::vector<std::unique_ptr<MeasureType>> terrain_measures();

}  // namespace minetwin::terrain
