#include "models/metals/column_transport.hpp"

namespace minetwin::metals {

void advance_columns(const ColumnBatch& batch, std::span<double> concentration,
                     std::span<double> outflow, ColumnScratch scratch) {
  const std::size_t n = batch.cells, lanes = batch.lanes;
  if (n == 0) return;
  double* a = scratch.lower.data();
  double* b = scratch.diagonal.data();
  double* c = scratch.upper.data();
  double* x = concentration.data();  // right-hand side in, solution out
  const double* kappa = batch.capacity.data();
  const double* dz = batch.thickness.data();
  const double* q = batch.water_depth.data();
  const double alpha = batch.dispersivity;
  // Each cell's own storage term; the right-hand side κ C.
  for (std::size_t i = 0; i < n * lanes; ++i) {
    b[i] = kappa[i];
    a[i] = 0.0;
    c[i] = 0.0;
    x[i] *= kappa[i];
  }
  if (!batch.inflow_concentration.empty()) {
    for (std::size_t j = 0; j < lanes; ++j) x[j] += q[j] * batch.inflow_concentration[j];
  }
  // Interior faces between cell i and i + 1.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::size_t up = i * lanes, down = (i + 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const double sum = dz[up + j] + dz[down + j];
      const double conductance = q[j] * alpha / (0.5 * sum);
      // Linear interpolation to the face; upwind (w = 1) where central would break
      // monotonicity.
      double w = dz[down + j] / sum;
      w = q[j] * (1.0 - w) > conductance ? 1.0 : w;
      // F = q (w C_i + (1 − w) C_{i+1}) − G (C_{i+1} − C_i): out of i, into i + 1.
      const double on_upper = q[j] * w + conductance;          // coefficient of C_i
      const double on_lower = q[j] * (1.0 - w) - conductance;  // coefficient of C_{i+1}
      b[up + j] += on_upper;
      c[up + j] += on_lower;
      a[down + j] -= on_upper;
      b[down + j] -= on_lower;
    }
  }
  const std::size_t last = (n - 1) * lanes;
  for (std::size_t j = 0; j < lanes; ++j) b[last + j] += q[j];  // free exit
  // Thomas algorithm (stable without pivoting: the matrix is diagonally dominant by columns).
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t row = i * lanes, above = (i - 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const double m = a[row + j] / b[above + j];
      b[row + j] -= m * c[above + j];
      x[row + j] -= m * x[above + j];
    }
  }
  for (std::size_t j = 0; j < lanes; ++j) x[last + j] /= b[last + j];
  for (std::size_t i = n - 1; i-- > 0;) {
    const std::size_t row = i * lanes, below = (i + 1) * lanes;
    for (std::size_t j = 0; j < lanes; ++j)
      x[row + j] = (x[row + j] - c[row + j] * x[below + j]) / b[row + j];
  }
  for (std::size_t j = 0; j < lanes; ++j) outflow[j] = q[j] * x[last + j];
}

}  // namespace minetwin::metals
