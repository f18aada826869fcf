#pragma once
/// @file
/// @brief The hydrology's loops over a run of cells: one month's vertical water balance (steps
/// 2-3 of hydrology_component.hpp), the run-on that infiltrates after routing (step 4), and the
/// month's fluxes into their fields. They apply the equations of hydrology_equations.hpp; built
/// with the flags of the models' hot loops (models/CMakeLists.txt).
///
/// Each step is a pass over the run's cells, one soil layer at a time, with the month's forcing
/// as scalars, so the compiler vectorises it (docs/development.md, "Vectorised cell loops");
/// cells are independent. The equations and their sources are in docs/models/hydrology.md.

#include <array>
#include <cstddef>

namespace minetwin::hydrology {

/// Cells per call at most (the scratch of a call stays in L1 cache).
inline constexpr std::size_t kBalanceBatch = 256;

/// The month's forcing, the same for every cell.
struct MonthWater {
  double precipitation_m = 0.0;  // the month's total (the sum of the wet days)
  double pet_m = 0.0;            // potential evapotranspiration
  // The month's storms: the depth of each wet day (mm), each a curve-number event.
  std::array<double, 31> wet_day_mm{};
  std::size_t wet_days = 0;
  double depletion_fraction = 0.5;  // FAO-56 p: share of available water used unstressed
};

/// A run of cells (or the whole grid, from which run() takes runs). Layered arrays hold cell i
/// of layer l at [l * layer_stride + i].
struct SoilColumns {
  std::size_t count = 0;  // cells, at most kBalanceBatch
  std::size_t layers = 0;
  std::size_t layer_stride = 0;
  double* water = nullptr;          // m, updated
  const double* wilting = nullptr;  // m of water at the wilting point
  const double* field = nullptr;    // m of water at field capacity
  // Curve number of bare fallow for the cell's hydrologic soil group, and what good grassland
  // adds to it (negative); both whole numbers, so float holds them exactly.
  const float* curve_number_bare = nullptr;
  const float* curve_number_grass_gain = nullptr;
  const float* cover = nullptr;                     // vegetation cover fraction; null: bare
  const float* curve_number_offset = nullptr;       // from measures; null: none
  const float* curve_number_slope_share = nullptr;  // hydrology_equations.hpp; null: 5 % slopes
  const float* percolation_factor = nullptr;        // a cap's passing share; null: no cap

  /// Cells [first, first + cells) of these columns (the same layer stride).
  SoilColumns run(std::size_t first, std::size_t cells) const {
    auto at = [first](auto* p) { return p != nullptr ? p + first : nullptr; };
    SoilColumns part = *this;
    part.count = cells;
    part.water = at(water);
    part.wilting = at(wilting);
    part.field = at(field);
    part.curve_number_bare = at(curve_number_bare);
    part.curve_number_grass_gain = at(curve_number_grass_gain);
    part.cover = at(cover);
    part.curve_number_offset = at(curve_number_offset);
    part.curve_number_slope_share = at(curve_number_slope_share);
    part.percolation_factor = at(percolation_factor);
    return part;
  }
};

/// Where a run's fluxes go (m of water over the cell, cells 0..count-1).
struct ColumnFluxes {
  double* runoff = nullptr;       // surface runoff generated on the cell
  double* et = nullptr;           // actual evapotranspiration
  double* percolation = nullptr;  // below the profile
  double* room = nullptr;         // space left below field capacity (what run-on can fill)
};

/// Curve-number runoff of each wet day (the rest infiltrates), evaporation and transpiration
/// limited by soil water,
/// drainage above field capacity cascading down, percolation (a cap diverts its share to
/// runoff).
void vertical_balance(const MonthWater& month, const SoilColumns& soil, const ColumnFluxes& out);

/// Infiltrated run-on (@p amount_m per cell) fills the layers from the top up to field capacity.
void fill_from_top(const SoilColumns& soil, const double* amount_m);

/// Water in each cell's profile (m), summed from the top layer down.
void profile_water(const SoilColumns& soil, double* depth_m);

/// A month's flux (m) written as the month's float field and added to the year's (restarted in
/// January: @p new_year), over a run of cells.
void store_flux(std::size_t count, const double* month_m, float* month_out, float* year_out,
                bool new_year);
/// A month's flux added to the year's (restarted in January).
void add_to_year(std::size_t count, const double* month_m, float* year_out, bool new_year);

}  // namespace minetwin::hydrology
