#include "models/terrain/landform_evolution.hpp"

#include <cmath>

#include "models/terrain/flow_graph.hpp"

namespace minetwin::terrain {

std::size_t stream_power_step(const FlowGraph& graph, std::span<const double> drainage_area,
                              std::span<const double> erodibility, double area_exponent_m,
                              double uplift_m_per_yr, double dt_yr, std::span<double> elevation) {
  std::size_t held = 0;
  // Fast path for the common m = 0.5 (sqrt instead of pow), named as fastscapelib names its own.
  const bool square_root = area_exponent_m == 0.5;
  auto area_power = [&](double area) {
    return square_root ? std::sqrt(area) : std::pow(area, area_exponent_m);
  };
  const auto& receivers = graph.receivers();
  const auto& distance = graph.receiver_distance();
  // Receivers come before donors in the stack, so z_r(t+dt) is known when node i is solved.
  for (std::uint32_t i : graph.stack()) {
    const std::uint32_t r = receivers[i];
    if (r == i) continue;  // base level: fixed
    const double uplifted = elevation[i] + uplift_m_per_yr * dt_yr;
    // A node not above its receiver (a pond, a flat of the fill) is not incised.
    if (uplifted <= elevation[r]) {
      elevation[i] = uplifted;
      continue;
    }
    const double f = erodibility[i] * area_power(drainage_area[i]) * dt_yr / distance[i];
    const double z = (uplifted + f * elevation[r]) / (1.0 + f);
    if (z < elevation[r]) {
      elevation[i] = elevation[r];
      ++held;
    } else {
      elevation[i] = z;
    }
  }
  return held;
}

namespace {

// Solves a tridiagonal system in place (Thomas algorithm): a sub-, b main, c super-diagonal.
void thomas(std::vector<double>& a, std::vector<double>& b, std::vector<double>& c,
            std::vector<double>& rhs) {
  const std::size_t n = b.size();
  for (std::size_t i = 1; i < n; ++i) {
    const double w = a[i] / b[i - 1];
    b[i] -= w * c[i - 1];
    rhs[i] -= w * rhs[i - 1];
  }
  rhs[n - 1] /= b[n - 1];
  for (std::size_t i = n - 1; i-- > 0;) rhs[i] = (rhs[i] - c[i] * rhs[i + 1]) / b[i];
}

// Half step: implicit along lines (rows when along_rows, else columns), explicit across.
void half_step(const RasterGrid& grid, double alpha, double source, std::span<const double> z_old,
               std::span<double> z_new, bool along_rows, DiffusionBoundary boundary) {
  const std::size_t columns = grid.columns(), rows = grid.rows();
  const std::size_t lines = along_rows ? rows : columns;
  const std::size_t length = along_rows ? columns : rows;
  auto index = [&](std::size_t line, std::size_t k) {
    return along_rows ? line * columns + k : k * columns + line;
  };
  const bool reflective = boundary == DiffusionBoundary::reflective_north_south;
  auto fixed = [&](std::size_t cell) {
    if (!grid.is_valid(cell)) return true;
    const std::size_t row = cell / columns, column = cell % columns;
    if (column == 0 || column + 1 == columns) return true;
    if (!reflective && (row == 0 || row + 1 == rows)) return true;
    // Next to nodata: held fixed (nodata neither receives nor passes material).
    const std::size_t r0 = row == 0 ? 0 : row - 1, r1 = std::min(rows - 1, row + 1);
    for (std::size_t r = r0; r <= r1; ++r) {
      for (std::size_t c = column - 1; c <= column + 1; ++c) {
        if (!grid.is_valid(r * columns + c)) return true;
      }
    }
    return false;
  };
  // Explicit second difference across the lines; reflective edges mirror the inner neighbour.
  auto across = [&](std::size_t cell) {
    const std::size_t row = cell / columns, column = cell % columns;
    std::size_t before, after;
    if (along_rows) {
      before = row == 0 ? (cell + columns) : cell - columns;
      after = row + 1 == rows ? (cell - columns) : cell + columns;
      if (rows == 1) before = after = cell;
    } else {
      before = column == 0 ? cell + 1 : cell - 1;
      after = column + 1 == columns ? cell - 1 : cell + 1;
    }
    return z_old[before] - 2.0 * z_old[cell] + z_old[after];
  };
  std::vector<double> a(length), b(length), c(length), rhs(length);
  for (std::size_t line = 0; line < lines; ++line) {
    for (std::size_t k = 0; k < length; ++k) {
      const std::size_t cell = index(line, k);
      if (fixed(cell)) {
        a[k] = 0.0, b[k] = 1.0, c[k] = 0.0, rhs[k] = z_old[cell];
        continue;
      }
      const bool first = k == 0, last = k + 1 == length;
      // Reflective ends of a column line (north/south): mirror the inner neighbour.
      a[k] = first ? 0.0 : -alpha;
      c[k] = last ? 0.0 : -alpha;
      if (first) c[k] = -2.0 * alpha;
      if (last) a[k] = -2.0 * alpha;
      b[k] = 1.0 + 2.0 * alpha;
      rhs[k] = z_old[cell] + alpha * across(cell) + source;
    }
    thomas(a, b, c, rhs);
    for (std::size_t k = 0; k < length; ++k) z_new[index(line, k)] = rhs[k];
  }
}

}  // namespace

void diffusion_step(const RasterGrid& grid, double d_m2_per_yr, double uplift_m_per_yr,
                    double dt_yr, std::span<double> elevation, DiffusionBoundary boundary) {
  const double dx2 = grid.cell_size_m() * grid.cell_size_m();
  const double alpha = d_m2_per_yr * (dt_yr / 2.0) / dx2;
  const double source = uplift_m_per_yr * dt_yr / 2.0;
  std::vector<double> half(elevation.begin(), elevation.end());
  half_step(grid, alpha, source, elevation, half, /*along_rows=*/true, boundary);
  half_step(grid, alpha, source, half, elevation, /*along_rows=*/false, boundary);
}

}  // namespace minetwin::terrain
