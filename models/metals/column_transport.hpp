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
#include <vector>

namespace minetwin::metals {

/// The geometry of a batch of independent columns ("lanes") of the same number of cells, stored
/// cell-major: value of cell i in lane j at [i * lanes + j]. The loops run over lanes innermost,
/// so a block of grid cells is solved with vector instructions; the column tool is one lane.
/// Per interior face and lane it holds the face coefficients per unit water flux: the flux out
/// of the upper cell is q (w + g) C_upper + q (1 − w − g) C_lower, with g = α / d the
/// dispersive conductance per unit flux and w the face weight (central, or 1 = upwind where
/// central would break monotonicity). They do not depend on q, so one geometry serves every
/// species and every step.
struct ColumnGeometry {
  std::size_t cells = 0, lanes = 0;
  std::vector<double> on_upper, on_lower;  ///< [(cells − 1) × lanes]

  /// @p thickness Δz in m [cells × lanes]; @p dispersivity α in m.
  void prepare(std::size_t cell_count, std::size_t lane_count, std::span<const double> thickness,
               double dispersivity);
};

/// Scratch for the tridiagonal solve: three arrays of cells × lanes; reuse it across calls.
struct ColumnScratch {
  std::span<double> lower, diagonal, upper;
};

/// Advances @p concentration (dissolved, [cells × lanes], units: mass per m3 of water) by one
/// step. @p capacity κ = (θ + ρb Kd) Δz > 0 in m [cells × lanes]; @p water_depth q Δt per lane in
/// m (0: nothing moves); @p inflow_concentration C_in per lane (empty: clean water). Writes the
/// mass leaving the bottom of each column in the step (per unit area) to @p outflow [lanes].
void advance_columns(const ColumnGeometry& geometry, std::span<const double> capacity,
                     std::span<const double> water_depth,
                     std::span<const double> inflow_concentration, std::span<double> concentration,
                     std::span<double> outflow, ColumnScratch scratch);

/// The same step from the mass side: @p amount holds the right-hand side, each cell's mass per
/// unit area (κ C, plus q Δt C_in in the top cell), and receives the new dissolved
/// concentration. For callers that hold masses, so they need not divide by κ first.
void solve_columns(const ColumnGeometry& geometry, std::span<const double> capacity,
                   std::span<const double> water_depth, std::span<double> amount,
                   std::span<double> outflow, ColumnScratch scratch);

}  // namespace minetwin::metals
