#include "models/metals/column_transport.hpp"

#include <algorithm>

#include "engine/core/wide_vectors.hpp"

namespace minetwin::metals {

void ColumnGeometry::prepare(std::size_t cell_count, std::size_t lane_count,
                             std::span<const double> thickness, double dispersivity) {
  cells = cell_count;
  lanes = lane_count;
  const std::size_t faces = cells > 0 ? (cells - 1) * lanes : 0;
  on_upper.resize(faces);
  on_lower.resize(faces);
  for (std::size_t i = 0; i + 1 < cells; ++i) {
    const std::size_t up = i * lanes, down = (i + 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      face_coefficients(thickness[up + j], thickness[down + j], dispersivity, on_upper[up + j],
                        on_lower[up + j]);
    }
  }
}

MINETWIN_WIDE_VECTORS void solve_columns(const ColumnGeometry& geometry,
                                         std::span<const double> capacity,
                                         std::span<const double> water_depth,
                                         std::span<double> amount, std::span<double> outflow,
                                         ColumnScratch scratch) {
  const std::size_t n = geometry.cells, lanes = geometry.lanes;
  if (n == 0) return;
  double* __restrict a = scratch.lower.data();
  double* __restrict b = scratch.diagonal.data();
  double* __restrict c = scratch.upper.data();
  double* __restrict x = amount.data();  // right-hand side in, solution out
  const double* __restrict kappa = capacity.data();
  const double* __restrict q = water_depth.data();
  const double* __restrict face_upper = geometry.on_upper.data();
  const double* __restrict face_lower = geometry.on_lower.data();
  // Each cell's own storage term.
  std::copy_n(kappa, n * lanes, b);
  // Interior faces: F = q (w + g) C_i + q (1 − w − g) C_{i+1}, out of i and into i + 1.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::size_t up = i * lanes, down = (i + 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const double on_upper = q[j] * face_upper[up + j];
      const double on_lower = q[j] * face_lower[up + j];
      b[up + j] += on_upper;
      c[up + j] = on_lower;
      a[down + j] = -on_upper;
      b[down + j] -= on_lower;
    }
  }
  const std::size_t last = (n - 1) * lanes;
  for (std::size_t j = 0; j < lanes; ++j) b[last + j] += q[j];  // free exit
  // Thomas algorithm (stable without pivoting: the matrix is diagonally dominant by columns).
  // b is replaced by its reciprocal after elimination, so each row divides once.
  for (std::size_t j = 0; j < lanes; ++j) b[j] = 1.0 / b[j];
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t row = i * lanes, above = (i - 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const double m = a[row + j] * b[above + j];
      b[row + j] = 1.0 / (b[row + j] - m * c[above + j]);
      x[row + j] -= m * x[above + j];
    }
  }
  for (std::size_t j = 0; j < lanes; ++j) x[last + j] *= b[last + j];
  for (std::size_t i = n - 1; i-- > 0;) {
    const std::size_t row = i * lanes, below = (i + 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j)
      x[row + j] = (x[row + j] - c[row + j] * x[below + j]) * b[row + j];
  }
  for (std::size_t j = 0; j < lanes; ++j) outflow[j] = q[j] * x[last + j];
}

void advance_columns(const ColumnGeometry& geometry, std::span<const double> capacity,
                     std::span<const double> water_depth,
                     std::span<const double> inflow_concentration, std::span<double> concentration,
                     std::span<double> outflow, ColumnScratch scratch) {
  const std::size_t cells = geometry.cells * geometry.lanes;
  // The right-hand side: each cell's mass κ C, plus what the inflow brings into the top cell.
  for (std::size_t i = 0; i < cells; ++i) concentration[i] *= capacity[i];
  if (!inflow_concentration.empty()) {
    for (std::size_t j = 0; j < geometry.lanes; ++j)
      concentration[j] += water_depth[j] * inflow_concentration[j];
  }
  solve_columns(geometry, capacity, water_depth, concentration, outflow, scratch);
}

}  // namespace minetwin::metals
