#pragma once
/// @file
/// @brief Terrain measures: regrading, contour ripping, terraces, and longwall subsidence events.

#include <memory>
#include <vector>

#include "engine/core/measure.hpp"

namespace minetwin::terrain {

/// `regrade`: reshapes a zone to at most `max_slope_deg` by moving material downslope between
/// the zone's cells (cut and fill within the zone, so volume is conserved to round-off; the
/// imbalance is reported). Relaxation to an angle of repose: each sweep visits neighbour pairs
/// in a fixed order and moves half the excess height across each too-steep pair; it stops when no
/// pair exceeds the target or after `max_sweeps`. Earthworks = cut volume, costed per m3.
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
};

/// Every terrain measure type, for the registry.
std::vector<std::unique_ptr<MeasureType>> terrain_measures();

}  // namespace minetwin::terrain
