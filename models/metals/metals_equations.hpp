#pragma once
/// @file
/// @brief The metals model's equations (docs/models/metals.md): the one place where a
/// scientist edits the physics of a layer's metal budget in the leaching, the runoff's pick-up
/// and infiltration, and the plant uptake. The column's transport (advection–dispersion, its
/// discretisation and solve) is column_transport.hpp, the partitioning (Kd) and the risk classes
/// species.hpp; the loops that apply these equations to the grid are metals_passes.cpp, the
/// orchestration, ledgers and summary metals_component.cpp.
///
/// Each equation is written once for one cell (V = double) and for several cells at once (V = a
/// GCC vector of doubles, which the passes use to solve four columns side by side): the
/// operators act element by element with IEEE rounding, so a cell gets the same bits either
/// way. Results come back through references, not as return values: a vector argument or
/// result by value would change the calling convention between the baseline and AVX2 builds
/// (GCC warns; clang refuses).

#include <algorithm>

namespace minetwin::metals {

/// A layer's pore water (m): its soil water, at least a micrometre, so an oven-dry layer still
/// has a finite dissolved concentration (MineTwin guard).
template <class V>
[[gnu::always_inline]] inline void pore_water_m(V& pore, const V& water_m) {
  pore = water_m < 1e-6 ? V{} + 1e-6 : water_m;
}

/// A layer's metal (kg m-2) from its total content (mg kg-1) and fine-earth mass (kg m-2).
template <class V>
[[gnu::always_inline]] inline void layer_metal_kg_m2(V& metal, const V& content_mg_kg,
                                                     const V& fine_earth_kg_m2) {
  metal = content_mg_kg * 1e-6 * fine_earth_kg_m2;
}

/// The share of a layer's metal held back from transport (@p share: phosphate-immobilised Pb,
/// docs/models/soil.md; 0 elsewhere) and the mobile rest that the column solve moves (kg m-2).
template <class V>
[[gnu::always_inline]] inline void mobile_metal_kg_m2(V& fixed, V& mobile, const V& metal,
                                                      const V& share) {
  fixed = metal * share;
  mobile = metal - fixed;
}

/// A layer's capacity for one species (m): water plus sorbed, κ = (θ + ρb Kd) Δz, here the
/// pore water (m) plus Kd (m3 kg-1) times the fine-earth mass (kg m-2). Linear sorption at
/// equilibrium: the dissolved concentration is the mobile metal over κ (kg m-3).
template <class V>
[[gnu::always_inline]] inline void sorbing_capacity_m(V& capacity, const V& pore_m,
                                                      const V& kd_m3_kg,
                                                      const V& fine_earth_kg_m2) {
  capacity = pore_m + kd_m3_kg * fine_earth_kg_m2;
}

/// The dissolved concentration (kg m-3) of a layer at equilibrium (linear sorption): its mobile
/// metal (kg m-2) over its capacity κ (m).
template <class V>
[[gnu::always_inline]] inline void dissolved_kg_m3(V& dissolved, const V& mobile_kg_m2,
                                                   const V& capacity_m) {
  dissolved = mobile_kg_m2 / capacity_m;
}

/// Back to the total content (mg kg-1) after the solve: the fixed metal plus κ times the new
/// dissolved concentration (kg m-3), times 1e6 over the fine-earth mass (@p per_mass; 0 where
/// the layer has none).
template <class V>
[[gnu::always_inline]] inline void content_mg_kg(V& content, const V& fixed, const V& capacity,
                                                 const V& dissolved, const V& per_mass) {
  content = (fixed + capacity * dissolved) * per_mass;
}

/// The surface water of a cell in a month (m3): the runoff generated on it is its discharge
/// beyond the run-on from its donors (none where less leaves than arrives: the difference
/// infiltrates), and of the water in transit (run-on plus generated) the share that leaves it;
/// the rest infiltrates with its metal. Without water in transit the share is 1 (nothing
/// infiltrates).
[[gnu::always_inline]] inline void surface_water_m3(double& generated, double& leaving_share,
                                                    double run_on_m3, double discharge_m3) {
  generated = std::max(0.0, discharge_m3 - run_on_m3);
  const double transit = run_on_m3 + generated;
  leaving_share = transit > 0.0 ? std::min(1.0, discharge_m3 / transit) : 1.0;
}

/// The runoff's pick-up from the top layer (kg): the mixing-zone concept (Ahuja 1986), runoff
/// generated on the cell (m3) carries @p extraction (runoff_extraction_ratio) times the top
/// layer's pore-water concentration (kg m-3), at most the layer's labile metal, its
/// concentration times its capacity (m) over the cell's area (m2).
template <class V>
[[gnu::always_inline]] inline void runoff_pick_up_kg(V& picked, const V& concentration,
                                                     const V& capacity_m, const V& generated_m3,
                                                     double extraction, double area_m2) {
  const V labile = concentration * capacity_m * area_m2;
  const V carried = extraction * concentration * generated_m3;
  picked = labile < carried ? labile : carried;
}

/// Metal entering or leaving a cell's top layer (kg over the cell) as a change of its content
/// (mg kg-1): times 1e6 over the cell's fine-earth mass, @p per_cell_mass = (1 / area) × 1e6 /
/// mass per m2 (cell_fine_earth_per_kg).
template <class V>
[[gnu::always_inline]] inline void cell_metal_as_content(V& content_change, const V& kg,
                                                         const V& per_cell_mass) {
  content_change = kg * per_cell_mass;
}
template <class V>
[[gnu::always_inline]] inline void cell_fine_earth_per_kg(V& per_cell_mass, double per_area,
                                                          const V& per_mass) {
  per_cell_mass = per_area * per_mass;
}

/// The shoot dry matter a year (kg m-2) from the vegetation model's annual NPP (kg C m-2): half
/// to the shoots, carbon to dry matter by 0.47 (IPCC 2006, vol. 4, Table 4.3).
inline double shoot_dry_matter_kg_m2(float annual_npp_kg_c_m2) {
  return 0.5 * std::max(0.0f, annual_npp_kg_c_m2) / 0.47;
}

/// Plant uptake from the root zone (kg m-2 a year): the bioconcentration factor (shoot over
/// soil) times @p factor (silicon's reduction of Cd and As uptake, else 1) times the root
/// zone's content (kg kg-1: its metal over its fine earth, both kg m-2) times the shoot dry
/// matter; at most half of the root zone's metal (MineTwin guard). Kabata-Pendias (2011) for the
/// factors' ranges.
inline double root_zone_uptake_kg_m2(double bcf, double factor, double metal_kg_m2,
                                     double fine_earth_kg_m2, double shoot_kg_m2) {
  const double uptake = bcf * factor * (metal_kg_m2 / fine_earth_kg_m2) * shoot_kg_m2;
  return std::min(uptake, 0.5 * metal_kg_m2);
}

}  // namespace minetwin::metals
