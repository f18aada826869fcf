#pragma once
/// @file
/// @brief The vegetation model's equations (docs/models/vegetation.md): the one place where a
/// scientist edits its physics. CASA's light-use efficiency NPP and its temperature and water
/// scalars (Potter et al. 1993), canopy light and cover by Beer's law (Monsi & Saeki 1953), the
/// soil factor, and the monthly allocation, turnover and carrying capacity of the woody and herb
/// layers. The plant types' parameters are plant_types.hpp; the loops that apply these
/// equations to the grid are vegetation_passes.cpp, the orchestration and summary
/// vegetation_component.cpp.

#include <algorithm>
#include <cmath>

#include "engine/core/fast_exp.hpp"
#include "models/vegetation/plant_types.hpp"

namespace minetwin::vegetation {

/// CASA temperature scalars Tε1 · Tε2 (Potter et al. 1993).
double temperature_scalar(double temperature_c, double optimum_c);

/// CASA water scalar Wε = 0.5 + 0.5 AET/PET (Potter et al. 1993); 1 without demand.
inline double water_scalar(double actual_et, double potential_et) {
  if (potential_et <= 0.0) return 1.0;
  return 0.5 + 0.5 * std::clamp(actual_et / potential_et, 0.0, 1.0);
}

/// Environmental growth (and survival) factor of a site for a type: pH, metal toxicity and
/// nutrient supply (organic carbon as the proxy), each 0..1.
struct SoilConditions {
  double ph, organic_carbon_fraction;
  double metals_mg_kg[6];  // Cd Pb Zn Cu As Sb in the top layer
};
double soil_factor(const PlantType& type, const SoilConditions& soil);

/// Fractional cover (and fPAR) from leaf area: 1 − exp(−0.5 LAI) (Monsi & Saeki 1953). Inline,
/// with the branch-free exponential: the vegetation takes two a cell and month.
inline double cover_from_lai(double lai) {
  return 1.0 - exp_of_nonpositive(-0.5 * std::max(0.0, lai));
}
/// Its inverse, LAI = −2 ln(1 − cover), for a cover below 0.99 (at most 0.99 is used).
inline double lai_from_cover(double cover) {
  return -2.0 * std::log(1.0 - std::min(0.99, cover));
}
/// The cover of a woody layer over a herb layer, overlapping at random: 1 − (1 − herb)(1 − woody).
inline double combined_cover(double herb, double woody) {
  return 1.0 - (1.0 - herb) * (1.0 - woody);
}
/// The light (PAR) left under a canopy that absorbs the share @p fpar.
inline double light_below(double par, double fpar) {
  return par * (1.0 - fpar);
}

/// The share of a pool turned over in a month from its yearly rate (first-order loss).
inline double month_fraction(double rate_per_year) {
  return 1.0 - std::exp(-rate_per_year / 12.0);
}

/// The month's terms of one plant type, the same for all its cells.
struct GrowthTerms {
  double light_use;                        ///< ε × the type's light-use factor, kg C MJ-1
  double temperature;                      ///< CASA temperature scalar of the month
  double leaf_loss, stem_loss, root_loss;  ///< shares turned over in the month
  double dpm_fraction;                     ///< DPM share of the type's litter
  double inverse_max_carbon;               ///< m2 kg-1 C
  double leaf_share, stem_share, root_share;
  double leaf_and_root_share;  ///< woody: allocated whatever the room
  double root_and_stem_share;  ///< herbs: the roots take the stem share
  double specific_leaf_area;   ///< m2 kg-1 C
};
/// @p epsilon: CASA's ε* in kg C MJ-1.
GrowthTerms growth_terms(const PlantType& type, double temperature_c, double epsilon);

/// CASA net primary production of a month (kg C m-2): ε · light · fPAR · Tε · Wε · soil factor
/// (Potter et al. 1993; the soil factor is MineTwin's, soil_factor).
[[gnu::always_inline]] inline double casa_npp(const GrowthTerms& t, double light, double fpar,
                                              double water, double soil) {
  return t.light_use * light * fpar * t.temperature * water * soil;
}

/// The room left under the carrying capacity, 0..1, from the living pools (kg C m-2).
[[gnu::always_inline]] inline double room_to_grow(const GrowthTerms& t, double leaf, double stem,
                                                  double root) {
  return std::max(0.0, 1.0 - (leaf + stem + root) * t.inverse_max_carbon);
}

/// A woody layer's month (docs/models/vegetation.md, "Growth"): NPP into leaves, stems and
/// roots, turnover out to litter. Trees keep their canopy and fine roots whatever the room and
/// build stems only while there is room; what finds none is shed (reproduction, branches) into
/// the litter. Pools in kg C m-2, updated in place; @p npp and @p litter of the month.
[[gnu::always_inline]] inline void grow_woody(const GrowthTerms& t, double light, double fpar,
                                              double water, double soil, double& leaf, double& stem,
                                              double& root, double& npp, double& litter) {
  const double l = leaf, s = stem, r = root;
  const double room = room_to_grow(t, l, s, r);
  npp = casa_npp(t, light, fpar, water, soil);
  const double leaf_loss = l * t.leaf_loss, root_loss = r * t.root_loss,
               stem_loss = s * t.stem_loss;
  const double kept = npp * (t.leaf_and_root_share + t.stem_share * room);
  leaf = l + npp * t.leaf_share - leaf_loss;
  root = r + npp * t.root_share - root_loss;
  stem = s + npp * t.stem_share * room - stem_loss;
  litter = leaf_loss + root_loss + stem_loss + (npp - kept);
}

/// A herb layer's month: herbs fill their room (all allocation scaled by it; the roots take the
/// stem share), turnover out to litter, what finds no room shed into the litter.
[[gnu::always_inline]] inline void grow_herb(const GrowthTerms& t, double light, double fpar,
                                             double water, double soil, double& leaf, double& root,
                                             double& npp, double& litter) {
  const double l = leaf, r = root;
  const double room = room_to_grow(t, l, 0.0, r);
  npp = casa_npp(t, light, fpar, water, soil);
  const double leaf_loss = l * t.leaf_loss, root_loss = r * t.root_loss;
  const double kept = npp * room;
  leaf = l + npp * t.leaf_share * room - leaf_loss;
  root = r + npp * t.root_and_stem_share * room - root_loss;
  litter = leaf_loss + root_loss + 0.0 + (npp - kept);
}

/// The DPM/RPM ratio of a cell's litter (RothC's input) from its litter and the litter's DPM
/// part (kg C m-2); 0.4 DPM where there is no litter.
[[gnu::always_inline]] inline double litter_dpm_rpm_ratio(double litter, double litter_dpm) {
  const double dpm_share = litter > 0 ? litter_dpm / litter : 0.4;
  return dpm_share / std::max(1e-6, 1.0 - dpm_share);
}

}  // namespace minetwin::vegetation
