#include "models/indices/indices_component.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"

namespace minetwin::indices {
namespace {

using namespace fields;

constexpr TypedFieldSpec<float> out(std::string_view name, std::string_view units,
                                    std::string_view doc) {
  return TypedFieldSpec<float>{name, units, Location::cell, Intent::out, ElementType::float32,
                               true, doc};
}

constexpr TypedFieldSpec<float> kNdvi =
    out("index__ndvi", "1", "normalised difference vegetation index (from cover)");
constexpr TypedFieldSpec<float> kWetness =
    out("index__wetness", "1", "wetness proxy: volumetric water content of the top layer");
constexpr TypedFieldSpec<float> kHeat =
    out("index__heat", "K", "land-surface temperature proxy: excess over air temperature");
constexpr TypedFieldSpec<float> kDryness =
    out("index__dryness", "1", "bare-soil/dryness proxy (NDBSI-like)");
constexpr TypedFieldSpec<float> kRsei =
    out("index__rsei", "1", "remote sensing ecological index (0 poor .. 1 excellent)");
constexpr TypedFieldSpec<float> kRecoveryScore =
    out("index__recovery_score", "1",
        "recovery against the undisturbed reference zone (0 none .. 1 like the reference)");
constexpr FieldSpec kFields[] = {
    reads(kVegetationCover),
    reads(kLayerThickness),
    reads(kRockFragments),
    reads(kOrganicCarbon),
    reads(kSoilWaterDepth),
    reads(kZoneId),
    reads(kErosionSoilLoss),
    reads(kSoilRiskClass),
    kNdvi,
    kWetness,
    kHeat,
    kDryness,
    kRsei,
    kRecoveryScore,
};

constexpr ParameterSpec kParameters[] = {
    {"ndvi_soil", "1", 0.05, -0.2, 0.3, "bare-soil NDVI endmember (typical of Landsat scenes)",
     "NDVI of bare soil"},
    {"ndvi_vegetation", "1", 0.86, 0.5, 1.0, "full-cover NDVI endmember (typical)",
     "NDVI of full vegetation cover"},
    {"bare_soil_heating_k", "K", 10.0, 0.0, 30.0,
     "summer LST contrast of dry bare ground against vegetation (assumption)",
     "surface-temperature excess of dry bare ground in the heat proxy"},
};

constexpr SummaryColumn kColumns[] = {
    {"ndvi_mean", "1", "site mean NDVI"},
    {"rsei_mean", "1", "site mean RSEI"},
    {"rsei_pc1_ndvi_loading", "1", "loading of greenness on the RSEI first component"},
    {"recovery_score_mean", "1", "mean recovery score of the disturbed zones"},
};

}  // namespace

double ndvi_from_cover(double fvc, double soil, double vegetation) {
  return soil + (vegetation - soil) * std::sqrt(std::clamp(fvc, 0.0, 1.0));
}

std::array<double, 4> first_principal_component(const double* rows, std::size_t count) {
  Eigen::Matrix4d covariance = Eigen::Matrix4d::Zero();
  Eigen::Vector4d mean = Eigen::Vector4d::Zero();
  for (std::size_t r = 0; r < count; ++r) mean += Eigen::Map<const Eigen::Vector4d>(rows + 4 * r);
  mean /= static_cast<double>(std::max<std::size_t>(count, 1));
  for (std::size_t r = 0; r < count; ++r) {
    const Eigen::Vector4d d = Eigen::Map<const Eigen::Vector4d>(rows + 4 * r) - mean;
    covariance += d * d.transpose();
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix4d> solver(covariance);
  Eigen::Vector4d pc1 = solver.eigenvectors().col(3);  // largest eigenvalue last
  if (pc1(0) < 0) pc1 = -pc1;
  return {pc1(0), pc1(1), pc1(2), pc1(3)};
}

std::span<const FieldSpec> IndicesComponent::fields() const {
  return kFields;
}
std::span<const ParameterSpec> IndicesComponent::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> IndicesComponent::summary_columns() const {
  return columns_.empty() ? std::span<const SummaryColumn>(kColumns) : columns_;
}
std::string_view IndicesComponent::citation() const {
  return "Carlson & Ripley 1997 (NDVI-cover); Xu 2013 (RSEI); SER 2019 recovery attributes";
}

void IndicesComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  // The recovery score of every disturbed zone (all but the default, reference zone, id 0).
  const auto& zones = fields.state().zone_names;
  zone_column_names_.clear();
  zone_column_docs_.clear();
  for (std::size_t z = 1; z < zones.size(); ++z) {
    zone_column_names_.push_back("recovery_score_" + zones[z]);
    zone_column_docs_.push_back("mean recovery score of zone " + zones[z]);
  }
  columns_.assign(std::begin(kColumns), std::end(kColumns));
  for (std::size_t k = 0; k < zone_column_names_.size(); ++k)
    columns_.push_back({zone_column_names_[k], "1", zone_column_docs_[k]});
}

void IndicesComponent::update(FieldAccess& fields, const StepContext& step) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const auto cover = fields.read(kVegetationCover);
  const auto thickness = fields.read(kLayerThickness);
  const auto rock = fields.read(kRockFragments);
  const auto carbon = fields.read(kOrganicCarbon);
  const auto water = fields.read(kSoilWaterDepth);
  const auto zone = fields.read(kZoneId);
  const auto loss = fields.read(kErosionSoilLoss);
  const auto risk = fields.read(kSoilRiskClass);
  auto ndvi = fields.write(kNdvi);
  auto wet = fields.write(kWetness);
  auto heat = fields.write(kHeat);
  auto dry = fields.write(kDryness);
  auto rsei = fields.write(kRsei);
  auto score = fields.write(kRecoveryScore);
  const double soil_ndvi = parameters_.get("ndvi_soil"),
               veg_ndvi = parameters_.get("ndvi_vegetation");
  const double heating = parameters_.get("bare_soil_heating_k");
  // The four indices, scaled to 0..1 with fixed bounds (so that years compare): NDVI between
  // its endmembers, wetness 0..0.5 m3/m3, heat 0..the bare-soil heating, dryness 0..1.
  std::vector<double> scaled(4 * n, 0.0);
  std::vector<std::size_t> valid;
  valid.reserve(n);
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) continue;
    valid.push_back(c);
    const double fvc = std::clamp<double>(cover[c], 0.0, 1.0);
    const double theta = water[c] / std::max(1e-6, thickness[c] * (1.0 - rock[c]));
    const double relative_wetness = std::clamp(theta / 0.45, 0.0, 1.0);
    ndvi[c] = static_cast<float>(ndvi_from_cover(fvc, soil_ndvi, veg_ndvi));
    wet[c] = static_cast<float>(theta);
    heat[c] = static_cast<float>(heating * (1.0 - fvc) * (1.0 - relative_wetness));
    dry[c] = static_cast<float>((1.0 - fvc) * (0.5 + 0.5 * rock[c]));
    double* row = &scaled[4 * (valid.size() - 1)];
    row[0] = (ndvi[c] - soil_ndvi) / (veg_ndvi - soil_ndvi);
    row[1] = std::clamp(theta / 0.5, 0.0, 1.0);
    row[2] = heating > 0 ? heat[c] / heating : 0.0;
    row[3] = dry[c];
  }
  const auto pc1 = first_principal_component(scaled.data(), valid.size());
  // RSEI = PC1 rescaled to 0..1 between the smallest and largest PC1 of the unit hypercube's
  // corners (absolute, not per-image, bounds: years compare).
  double low = 0.0, high = 0.0;
  for (int corner = 0; corner < 16; ++corner) {
    double v = 0.0;
    for (int k = 0; k < 4; ++k) v += pc1[static_cast<std::size_t>(k)] * ((corner >> k) & 1);
    low = std::min(low, v);
    high = std::max(high, v);
  }
  // Reference values of the undisturbed zone (id 0) for the recovery score.
  double ref_cover = 0, ref_carbon = 0, ref_loss = 0, ref_count = 0;
  for (std::size_t c : valid) {
    if (zone[c] != 0.0f) continue;
    ref_cover += cover[c];
    ref_carbon += carbon[c];
    ref_loss += loss[c];
    ref_count += 1;
  }
  if (ref_count > 0) {
    ref_cover /= ref_count;
    ref_carbon /= ref_count;
    ref_loss /= ref_count;
  }
  double ndvi_sum = 0, rsei_sum = 0, score_sum = 0, disturbed = 0;
  std::vector<double> zone_score(zone_column_names_.size() + 1, 0.0),
      zone_count(zone_column_names_.size() + 1, 0.0);
  for (std::size_t k = 0; k < valid.size(); ++k) {
    const std::size_t c = valid[k];
    double v = 0.0;
    for (std::size_t i = 0; i < 4; ++i) v += pc1[i] * scaled[4 * k + i];
    rsei[c] = static_cast<float>(high > low ? (v - low) / (high - low) : 0.0);
    // Recovery (SER 2019 attributes, simplified): structure (cover), function (soil carbon,
    // erosion) and contamination (risk class), each as a share of the reference, capped at 1.
    auto share = [](double value, double reference) {
      return reference > 0 ? std::clamp(value / reference, 0.0, 1.0) : 1.0;
    };
    const double structure = share(cover[c], ref_cover);
    const double function =
        0.5 * share(carbon[c], ref_carbon) + 0.5 * (loss[c] > 0 ? share(ref_loss, loss[c]) : 1.0);
    const double contamination = 1.0 - 0.5 * std::clamp<double>(risk[c], 0.0, 2.0);
    score[c] = static_cast<float>((structure + function + contamination) / 3.0);
    ndvi_sum += ndvi[c];
    rsei_sum += rsei[c];
    if (zone[c] != 0.0f) {
      score_sum += score[c];
      disturbed += 1;
      const auto z = static_cast<std::size_t>(zone[c]);
      if (z < zone_score.size()) {
        zone_score[z] += score[c];
        zone_count[z] += 1;
      }
    }
  }
  const double count = std::max<double>(1.0, static_cast<double>(valid.size()));
  step.summary->set("ndvi_mean", ndvi_sum / count);
  step.summary->set("rsei_mean", rsei_sum / count);
  step.summary->set("rsei_pc1_ndvi_loading", pc1[0]);
  step.summary->set("recovery_score_mean", disturbed > 0 ? score_sum / disturbed : 0.0);
  for (std::size_t k = 0; k < zone_column_names_.size(); ++k)
    step.summary->set(zone_column_names_[k],
                      zone_count[k + 1] > 0 ? zone_score[k + 1] / zone_count[k + 1] : 0.0);
}

}  // namespace minetwin::indices
