#pragma once
/// @file
/// @brief Ecological indices once a year (docs/models/indices.md): NDVI from fractional cover
/// (Carlson & Ripley 1997, inverted), proxies of wetness, heat (land-surface temperature) and
/// dryness (NDBSI-like) from the model's cover and soil, and the Remote Sensing Ecological Index
/// (Xu 2013): the first principal component of the four normalised indices (Eigen), per cell
/// and as a site mean. Plus a recovery score of every cell against the undisturbed reference
/// zone on structure, function and contamination.

#include <array>
#include <string>
#include <vector>

#include "engine/core/component.hpp"

namespace minetwin::indices {

class IndicesComponent final : public Component {
 public:
  std::string_view name() const override { return "indices"; }
  Cadence cadence() const override { return Cadence::indices; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;

 private:
  ParameterValues parameters_;
  // One summary column per disturbed zone (built from the site's zone names at initialize).
  std::vector<std::string> zone_column_names_, zone_column_docs_;
  std::vector<SummaryColumn> columns_;
};

/// NDVI of a pixel with fractional vegetation cover @p fvc: the inverse of
/// FVC = ((NDVI − NDVIsoil)/(NDVIveg − NDVIsoil))² (Carlson & Ripley 1997).
double ndvi_from_cover(double fvc, double ndvi_soil, double ndvi_vegetation);

/// First principal component of rows of four indices (each already scaled to 0..1): returns the
/// loadings (unit length, sign such that the first index, greenness, loads positively).
std::array<double, 4> first_principal_component(const double* rows, std::size_t count);

}  // namespace minetwin::indices
