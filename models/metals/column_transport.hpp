#pragma once
/// @file
/// @brief One implicit time step of advection–dispersion with linear sorption in a layered
/// soil column: the vertical leaching of the metals model and of `minetwin metals column`.
///
/// Finite volumes, cell i of thickness Δz_i holding mass M_i = κ_i C_i per unit area, where C
/// is the dissolved concentration and κ_i = (θ_i + ρb_i Kd_i) Δz_i the cell's capacity (water
/// plus sorbed). Face fluxes F = q C_face − G (C_below − C_above), with G = q α / d the
/// dispersive conductance (D = α v, v = q/θ, so θD/d = qα/d) and d the distance between cell
/// centres. Backward Euler in time:
///   κ_i (C_i' − C_i) = Δt (F_{i−½} − F_{i+½}).
/// The inlet is a flux (third-type) boundary, F_{−½} = q C_in, as infiltrating water is; the
/// outlet is a free exit, F_{N−½} = q C_{N−1}. C_face is central (second order) where that keeps
/// the matrix an M-matrix (q (1 − w) ≤ G, i.e. cell Péclet ≤ 2 on a uniform grid) and upwind
/// elsewhere: the hybrid scheme of Spalding (1972), Patankar (1980, §5.2). The matrix is then
/// column diagonally dominant with non-positive off-diagonals, so the step is unconditionally
/// stable and never makes a concentration negative; the fluxes telescope, so mass is conserved
/// to round-off (outflow = inflow − storage change).

#include <cstddef>
#include <span>

namespace minetwin::metals {

/// Inputs of one step for a column of n cells (top first). Units are the caller's, consistent:
/// lengths in m, flux × time step as a water depth, concentrations in mass per m3 of water.
struct ColumnStep {
  std::span<const double> thickness;  ///< Δz_i, m
  std::span<const double> capacity;   ///< κ_i = (θ_i + ρb_i Kd_i) Δz_i, m (water equivalent)
  double water_depth = 0.0;           ///< q Δt: water passing through the column in the step, m
  double dispersivity = 0.0;          ///< α, m
  double inflow_concentration = 0.0;  ///< C_in of the infiltrating water
};

/// Scratch space for the tridiagonal solve (three values per cell); reuse it across cells.
struct ColumnScratch {
  std::span<double> lower, diagonal, upper;
};

/// Advances @p concentration (dissolved, per cell) by one step and returns the mass leaving the
/// bottom of the column in the step (per unit area: water depth × concentration).
double advance_column(const ColumnStep& step, std::span<double> concentration,
                      ColumnScratch scratch);

}  // namespace minetwin::metals
