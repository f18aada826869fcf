#include "models/terrain/landform_evolution.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "models/terrain/flow_graph.hpp"

namespace minetwin::terrain {

std::size_t stream_power_step(const FlowGraph& graph, std::span<const double> drainage_area,
                              std::span<const double> erodibility, double area_exponent_m,
                              double uplift_m_per_yr, double dt_yr, std::span<double> elevation) {
  // Fast path for the common m = 0.5 (sqrt instead of pow), named as fastscapelib names its own.
  const bool square_root = area_exponent_m == 0.5;
  auto area_power = [&](double area) {
    return square_root ? std::sqrt(area) : std::pow(area, area_exponent_m);
  };
  const auto& receivers = graph.receivers();
  const auto& distance = graph.receiver_distance();
  const auto& stack = graph.stack();
  // Receivers come before donors in the stack, so z_r(t+dt) is known when node i is solved;
  // drainage trees are independent and run in parallel (drainage_chunks.hpp).
  std::vector<std::size_t> held_by_chunk(graph.chunks().size(), 0);
  graph.chunks().for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    std::size_t held = 0;
    for (std::size_t k = first; k < last; ++k) {
      const std::uint32_t i = stack[k];
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
    held_by_chunk[chunk] = held;
  });
  std::size_t held = 0;
  for (std::size_t h : held_by_chunk) held += h;
  return held;
}

namespace {

struct LineScratch {
  explicit LineScratch(std::size_t length) : a(length), b(length), c(length), rhs(length) {}
  std::vector<double> a, b, c, rhs;
};

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

// Cells held at their elevation: nodata, the grid's edges (east/west always, north/south unless
// reflective) and cells next to nodata (nodata neither receives nor passes material).
std::vector<std::uint8_t> fixed_cells(const RasterGrid& grid, DiffusionBoundary boundary) {
  const std::size_t columns = grid.columns(), rows = grid.rows();
  const bool reflective = boundary == DiffusionBoundary::reflective_north_south;
  std::vector<std::uint8_t> fixed(grid.cell_count(), 0);
  tbb::parallel_for(std::size_t{0}, rows, [&](std::size_t row) {
    for (std::size_t column = 0; column < columns; ++column) {
      const std::size_t cell = row * columns + column;
      bool held = !grid.is_valid(cell) || column == 0 || column + 1 == columns ||
                  (!reflective && (row == 0 || row + 1 == rows));
      const std::size_t r0 = row == 0 ? 0 : row - 1, r1 = std::min(rows - 1, row + 1);
      for (std::size_t r = r0; r <= r1 && !held; ++r)
        for (std::size_t c = column - 1; c <= column + 1 && !held; ++c)
          held = !grid.is_valid(r * columns + c);
      fixed[cell] = held ? 1 : 0;
    }
  });
  return fixed;
}

// One line of a half step: implicit along the line, explicit across it (@p across: the second
// difference across the line at each cell), reflective ends of column lines mirroring the inner
// neighbour. @p line_z holds the line's elevations and gets the new ones.
void solve_line(double alpha, double source, std::span<const std::uint8_t> fixed,
                std::span<const double> across, std::span<double> line_z, LineScratch& s) {
  const std::size_t length = line_z.size();
  for (std::size_t k = 0; k < length; ++k) {
    if (fixed[k]) {
      s.a[k] = 0.0, s.b[k] = 1.0, s.c[k] = 0.0, s.rhs[k] = line_z[k];
      continue;
    }
    const bool first = k == 0, last = k + 1 == length;
    s.a[k] = first ? 0.0 : -alpha;
    s.c[k] = last ? 0.0 : -alpha;
    if (first) s.c[k] = -2.0 * alpha;
    if (last) s.a[k] = -2.0 * alpha;
    s.b[k] = 1.0 + 2.0 * alpha;
    s.rhs[k] = line_z[k] + alpha * across[k] + source;
  }
  thomas(s.a, s.b, s.c, s.rhs);
  std::copy(s.rhs.begin(), s.rhs.end(), line_z.begin());
}

// Half step along the rows: each row is contiguous; blocks of rows in parallel.
void half_step_rows(const RasterGrid& grid, double alpha, double source,
                    std::span<const std::uint8_t> fixed, std::span<const double> z_old,
                    std::span<double> z_new) {
  const std::size_t columns = grid.columns(), rows = grid.rows();
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, rows, 16),
      [&](const tbb::blocked_range<std::size_t>& block) {
        LineScratch scratch(columns);
        std::vector<double> across(columns);
        for (std::size_t row = block.begin(); row != block.end(); ++row) {
          const std::size_t start = row * columns;
          // Second difference across (north-south); reflective edges mirror.
          const std::size_t up = row == 0 ? start + columns : start - columns;
          const std::size_t down = row + 1 == rows ? start - columns : start + columns;
          for (std::size_t k = 0; k < columns; ++k) {
            const std::size_t before = rows == 1 ? start + k : up + k;
            const std::size_t after = rows == 1 ? start + k : down + k;
            across[k] = z_old[before] - 2.0 * z_old[start + k] + z_old[after];
          }
          std::span<double> line = z_new.subspan(start, columns);
          std::copy_n(z_old.begin() + static_cast<std::ptrdiff_t>(start), columns, line.begin());
          solve_line(alpha, source, fixed.subspan(start, columns), across, line, scratch);
        }
      });
}

// Half step along the columns. A column is strided in memory, so blocks of kLanes columns are
// gathered row by row (contiguous reads), solved as contiguous lines and scattered back.
void half_step_columns(const RasterGrid& grid, double alpha, double source,
                       std::span<const std::uint8_t> fixed, std::span<const double> z_old,
                       std::span<double> z_new) {
  constexpr std::size_t kLanes = 16;
  const std::size_t columns = grid.columns(), rows = grid.rows();
  const std::size_t blocks = (columns + kLanes - 1) / kLanes;
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t block) {
    const std::size_t first = block * kLanes, lanes = std::min(kLanes, columns - first);
    std::vector<double> z(lanes * rows), across(lanes * rows);
    std::vector<std::uint8_t> held(lanes * rows);
    for (std::size_t row = 0; row < rows; ++row) {
      for (std::size_t j = 0; j < lanes; ++j) {
        const std::size_t column = first + j, cell = row * columns + column;
        // Second difference across (east-west); the edges mirror the inner neighbour.
        const std::size_t before = column == 0 ? cell + 1 : cell - 1;
        const std::size_t after = column + 1 == columns ? cell - 1 : cell + 1;
        z[j * rows + row] = z_old[cell];
        across[j * rows + row] = z_old[before] - 2.0 * z_old[cell] + z_old[after];
        held[j * rows + row] = fixed[cell];
      }
    }
    LineScratch scratch(rows);
    for (std::size_t j = 0; j < lanes; ++j) {
      solve_line(alpha, source, std::span<const std::uint8_t>(held).subspan(j * rows, rows),
                 std::span<const double>(across).subspan(j * rows, rows),
                 std::span<double>(z).subspan(j * rows, rows), scratch);
    }
    for (std::size_t row = 0; row < rows; ++row)
      for (std::size_t j = 0; j < lanes; ++j) z_new[row * columns + first + j] = z[j * rows + row];
  });
}

}  // namespace

void diffusion_step(const RasterGrid& grid, double d_m2_per_yr, double uplift_m_per_yr,
                    double dt_yr, std::span<double> elevation, DiffusionBoundary boundary) {
  const double dx2 = grid.cell_size_m() * grid.cell_size_m();
  const double alpha = d_m2_per_yr * (dt_yr / 2.0) / dx2;
  const double source = uplift_m_per_yr * dt_yr / 2.0;
  const std::vector<std::uint8_t> fixed = fixed_cells(grid, boundary);
  std::vector<double> half(elevation.size());
  half_step_rows(grid, alpha, source, fixed, elevation, half);
  half_step_columns(grid, alpha, source, fixed, half, elevation);
}

}  // namespace minetwin::terrain
