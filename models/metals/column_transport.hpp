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

/// The coefficients of the face between a cell of thickness @p upper_m and the one below it,
/// @p lower_m thick (ColumnGeometry's on_upper, on_lower), for a dispersivity in m.
inline void face_coefficients(double upper_m, double lower_m, double dispersivity, double& on_upper,
                              double& on_lower) {
  const double sum = upper_m + lower_m;
  const double g = dispersivity / (0.5 * sum);
  // Linear interpolation to the face; upwind where (1 − w) q > g q, i.e. where central would
  // give the matrix a positive off-diagonal (cell Péclet > 2 on a uniform grid).
  double w = lower_m / sum;
  w = 1.0 - w > g ? 1.0 : w;
  on_upper = w + g;
  on_lower = 1.0 - w - g;
}

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

/// One lane of solve_columns for a column of @p Cells cells held in registers: @p Value is
/// double, or a GCC vector of doubles for several lanes at once (the metals model's few soil
/// layers, metals_passes.cpp). The same operations in the same order as solve_columns, so
/// the same bits, except for three cells (the default profile), solved by Cramer's rule: there
/// the same solution to a few ulp, mass conserved to round-off
/// (tests/verification/test_metal_column.cpp checks both).
template <std::size_t Cells, class Value = double>
struct ShortColumn {
  static constexpr std::size_t kFaces = Cells > 1 ? Cells - 1 : 1;
  Value capacity[Cells];        ///< κ of each cell (m)
  Value amount[Cells];          ///< mass per unit area in; dissolved concentration out
  Value flux_on_upper[kFaces];  ///< q times on_upper of each interior face
  Value flux_on_lower[kFaces];  ///< q times on_lower of each interior face
};

/// Solves @p column for a water depth @p q; @p outflow gets the mass leaving its bottom per unit
/// area. (Vectors by reference: a vector argument or result would change the ABI between the
/// baseline and AVX2 builds, which GCC warns about.)
template <std::size_t Cells, class Value>
[[gnu::always_inline]] inline void solve_short_column(ShortColumn<Cells, Value>& column,
                                                      const Value& q, Value& outflow) {
  Value a[Cells], b[Cells], c[Cells];
  Value* x = column.amount;
  for (std::size_t i = 0; i < Cells; ++i) b[i] = column.capacity[i];
  for (std::size_t i = 0; i + 1 < Cells; ++i) {
    b[i] += column.flux_on_upper[i];
    c[i] = column.flux_on_lower[i];
    a[i + 1] = -column.flux_on_upper[i];
    b[i + 1] -= column.flux_on_lower[i];
  }
  b[Cells - 1] += q;  // free exit
  if constexpr (Cells == 3) {
    // Cramer's rule: the determinant and the cofactors side by side, one division. Thomas's
    // elimination waits on three divisions in a row; this chain is less than half as long, and
    // the lanes of a vector loop are latency-bound. With b > 0 and a, c <= 0 (an M-matrix, the
    // hybrid scheme's guarantee), every term of the numerators is non-negative and the two
    // differences (the minors b1 b2 - c1 a2 and b0 b1 - c0 a1) are dominated by their first
    // product, so no digits cancel: the solution agrees with Thomas's to a few ulp.
    const Value minor_12 = b[1] * b[2] - c[1] * a[2];
    const Value minor_01 = b[0] * b[1] - c[0] * a[1];
    const Value determinant = b[0] * minor_12 - c[0] * (a[1] * b[2]);
    const Value inverse = 1.0 / determinant;
    const Value d0 = x[0], d1 = x[1], d2 = x[2];
    x[0] = (minor_12 * d0 - c[0] * (b[2] * d1 - c[1] * d2)) * inverse;
    x[1] = (b[0] * (b[2] * d1 - c[1] * d2) - a[1] * b[2] * d0) * inverse;
    x[2] = (a[1] * a[2] * d0 - b[0] * a[2] * d1 + minor_01 * d2) * inverse;
    outflow = q * x[2];
    return;
  }
  b[0] = 1.0 / b[0];
  for (std::size_t i = 1; i < Cells; ++i) {
    const Value m = a[i] * b[i - 1];
    b[i] = 1.0 / (b[i] - m * c[i - 1]);
    x[i] -= m * x[i - 1];
  }
  x[Cells - 1] *= b[Cells - 1];
  for (std::size_t step = 1; step < Cells; ++step) {
    const std::size_t i = Cells - 1 - step;
    x[i] = (x[i] - c[i] * x[i + 1]) * b[i];
  }
  outflow = q * x[Cells - 1];
}

}  // namespace minetwin::metals
