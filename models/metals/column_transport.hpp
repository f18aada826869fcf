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

/// One step for a batch of independent columns ("lanes") of the same number of cells, stored
/// cell-major: value of cell i in lane j at [i * lanes + j]. The loops run over lanes innermost,
/// so a block of grid cells is solved with vector instructions; the column tool is one lane.
/// Units are the caller's, consistent: lengths in m, flux × time step as a water depth,
/// concentrations in mass per m3 of water.
struct ColumnBatch {
  std::size_t cells = 0;                         ///< cells per column (top first)
  std::size_t lanes = 0;                         ///< columns in the batch
  std::span<const double> thickness;             ///< Δz, m [cells × lanes]
  std::span<const double> capacity;              ///< κ = (θ + ρb Kd) Δz > 0, m [cells × lanes]
  std::span<const double> water_depth;           ///< q Δt per lane, m (0: nothing moves)
  double dispersivity = 0.0;                     ///< α, m
  std::span<const double> inflow_concentration;  ///< C_in per lane; empty: clean water
};

/// Scratch for the tridiagonal solve: three arrays of cells × lanes; reuse it across calls.
struct ColumnScratch {
  std::span<double> lower, diagonal, upper;
};

/// Advances @p concentration (dissolved, [cells × lanes]) by one step and writes the mass
/// leaving the bottom of each column in the step (per unit area) to @p outflow [lanes].
void advance_columns(const ColumnBatch& batch, std::span<double> concentration,
                     std::span<double> outflow, ColumnScratch scratch);

}  // namespace minetwin::metals
