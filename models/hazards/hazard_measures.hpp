#pragma once
/// @file
/// @brief Measures of the rockfall model: barriers and catch benches, and protected zones.

#include <memory>
#include <vector>

#include "engine/core/measure.hpp"

namespace minetwin::hazards {

/// `barrier` (a flexible rockfall net) and `catch_bench` (a bench with a berm cut into the
/// slope): the zone's cells absorb blocks up to a capacity (kJ).
class Barrier final : public MeasureType {
 public:
  enum class Kind { barrier, catch_bench };
  explicit Barrier(Kind kind) : kind_(kind) {}
  std::string_view name() const override;
  std::string_view doc() const override;
  std::span<const MeasureParameterSpec> parameters() const override;
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  void apply(FieldAccess& fields, const MeasureApplication& application) const override;

 private:
  Kind kind_;
};

/// `protected_zone`: the zone's cells are counted when blocks reach them (roads, buildings).
class ProtectedZone final : public MeasureType {
 public:
  std::string_view name() const override { return "protected_zone"; }
  std::string_view doc() const override;
  std::span<const MeasureParameterSpec> parameters() const override;
  std::span<const FieldSpec> fields() const override;
  void apply(FieldAccess& fields, const MeasureApplication& application) const override;
};

std::vector<std::unique_ptr<MeasureType>> hazard_measures();

}  // namespace minetwin::hazards
