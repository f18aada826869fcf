#include "models/metals/column_transport.hpp"

namespace minetwin::metals {

double advance_column(const ColumnStep& step, std::span<double> concentration,
                      ColumnScratch scratch) {
  const std::size_t n = concentration.size();
  const double q = step.water_depth;
  if (n == 0) return 0.0;
  if (q <= 0.0) return 0.0;  // no flow: nothing moves (dispersion here is mechanical, D = α v)
  auto& a = scratch.lower;
  auto& b = scratch.diagonal;
  auto& c = scratch.upper;
  // Each cell's own storage term; the right-hand side is kept in `concentration` (κ C).
  for (std::size_t i = 0; i < n; ++i) {
    b[i] = step.capacity[i];
    a[i] = 0.0;
    c[i] = 0.0;
    concentration[i] *= step.capacity[i];
  }
  concentration[0] += q * step.inflow_concentration;
  // Interior faces between i and i + 1.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double distance = 0.5 * (step.thickness[i] + step.thickness[i + 1]);
    const double conductance = q * step.dispersivity / distance;
    // Linear interpolation to the face; upwind (w = 1) where central would break monotonicity.
    double w = step.thickness[i + 1] / (step.thickness[i] + step.thickness[i + 1]);
    if (q * (1.0 - w) > conductance) w = 1.0;
    // F = q (w C_i + (1 − w) C_{i+1}) − G (C_{i+1} − C_i): out of i, into i + 1.
    const double on_upper = q * w + conductance;          // coefficient of C_i
    const double on_lower = q * (1.0 - w) - conductance;  // coefficient of C_{i+1}
    b[i] += on_upper;
    c[i] += on_lower;
    a[i + 1] -= on_upper;
    b[i + 1] -= on_lower;
  }
  b[n - 1] += q;  // free exit
  // Thomas algorithm (stable without pivoting: the matrix is diagonally dominant by columns).
  for (std::size_t i = 1; i < n; ++i) {
    const double m = a[i] / b[i - 1];
    b[i] -= m * c[i - 1];
    concentration[i] -= m * concentration[i - 1];
  }
  concentration[n - 1] /= b[n - 1];
  for (std::size_t i = n - 1; i-- > 0;) {
    concentration[i] = (concentration[i] - c[i] * concentration[i + 1]) / b[i];
  }
  return q * concentration[n - 1];
}

}  // namespace minetwin::metals
