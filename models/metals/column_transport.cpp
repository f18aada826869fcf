#include "models/metals/column_transport.hpp"

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
      const double sum = thickness[up + j] + thickness[down + j];
      const double g = dispersivity / (0.5 * sum);
      // Linear interpolation to the face; upwind where (1 − w) q > g q, i.e. where central
      // would give the matrix a positive off-diagonal (cell Péclet > 2 on a uniform grid).
      double w = thickness[down + j] / sum;
      w = 1.0 - w > g ? 1.0 : w;
      on_upper[up + j] = w + g;
      on_lower[up + j] = 1.0 - w - g;
    }
  }
}

void advance_columns(const ColumnGeometry& geometry, std::span<const double> capacity,
                     std::span<const double> water_depth,
                     std::span<const double> inflow_concentration, std::span<double> concentration,
                     std::span<double> outflow, ColumnScratch scratch) {
  const std::size_t n = geometry.cells, lanes = geometry.lanes;
  if (n == 0) return;
  double* a = scratch.lower.data();
  double* b = scratch.diagonal.data();
  double* c = scratch.upper.data();
  double* x = concentration.data();  // right-hand side in, solution out
  const double* kappa = capacity.data();
  const double* q = water_depth.data();
  // Each cell's own storage term; the right-hand side κ C.
  for (std::size_t i = 0; i < n * lanes; ++i) {
    b[i] = kappa[i];
    x[i] *= kappa[i];
  }
  if (!inflow_concentration.empty()) {
    for (std::size_t j = 0; j < lanes; ++j) x[j] += q[j] * inflow_concentration[j];
  }
  // Interior faces: F = q (w + g) C_i + q (1 − w − g) C_{i+1}, out of i and into i + 1.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::size_t up = i * lanes, down = (i + 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const double on_upper = q[j] * geometry.on_upper[up + j];
      const double on_lower = q[j] * geometry.on_lower[up + j];
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

}  // namespace minetwin::metals
