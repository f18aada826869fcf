#include "models/terrain/landform_evolution.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "engine/core/wide_vectors.hpp"
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

// The tridiagonal systems of kLanes lines are solved side by side: element k of line j at
// [k * kLanes + j], so each step of the Thomas recursion is one vector operation over the
// lines. One line's recursion is a chain of dependent divisions; sixteen of them in step keep the
// divider busy. Each lane does the same operations in the same order as a line solved alone.
constexpr std::size_t kLanes = 16;

struct LaneSystems {
  explicit LaneSystems(std::size_t length)
      : a(length * kLanes), b(length * kLanes), c(length * kLanes), rhs(length * kLanes) {}
  std::vector<double> a, b, c, rhs;  // sub-, main and super-diagonal, right-hand side
};

// Solves the lanes' systems in place (Thomas algorithm); the solution ends in @p rhs. The lanes
// are one generic vector (GCC lowers it to the widest registers the build has; the operations are
// IEEE per element, so every width gives the same bits).
MINETWIN_WIDE_VECTORS void thomas_lanes(std::size_t length, const double* __restrict a,
                                        double* __restrict b, const double* __restrict c,
                                        double* __restrict rhs) {
  // Loads and stores through an aliasing vector type (a memcpy through a local can cost a
  // store-forwarding stall, development.md "Vectorised cell loops").
  using Lanes = double __attribute__((vector_size(kLanes * sizeof(double)), aligned(8), may_alias));
#if defined(__clang__)
  // Clang keeps the vector's natural (128-byte) alignment on this local alias, so its sanitizer
  // reports the lanes' 8-byte-aligned rows; a memcpy is an unaligned load or store there.
  auto load = [](const double* from) {
    Lanes v;
    __builtin_memcpy(&v, from, sizeof v);
    return v;
  };
  auto store = [](double* to, const Lanes& v) { __builtin_memcpy(to, &v, sizeof v); };
#else
  auto load = [](const double* from) { return *reinterpret_cast<const Lanes*>(from); };
  auto store = [](double* to, const Lanes& v) { *reinterpret_cast<Lanes*>(to) = v; };
#endif
  Lanes b_above = load(b), c_above = load(c), rhs_above = load(rhs);
  for (std::size_t i = 1; i < length; ++i) {
    const std::size_t at = i * kLanes;
    const Lanes w = load(a + at) / b_above;
    b_above = load(b + at) - w * c_above;
    rhs_above = load(rhs + at) - w * rhs_above;
    c_above = load(c + at);
    store(b + at, b_above);
    store(rhs + at, rhs_above);
  }
  // Back substitution, from the last element up.
  Lanes below = rhs_above / b_above;
  const std::size_t last = (length - 1) * kLanes;
  store(rhs + last, below);
  for (std::size_t step = 1; step < length; ++step) {
    const std::size_t at = last - step * kLanes;
    below = (load(rhs + at) - load(c + at) * below) / load(b + at);
    store(rhs + at, below);
  }
}

// Element k of lane j in a half step: implicit along the line, explicit across it (@p across: the
// second difference across the line), reflective line ends mirroring the inner neighbour; a held
// cell keeps its elevation.
void set_equation(LaneSystems& s, std::size_t k, std::size_t j, std::size_t length, bool held,
                  double alpha, double source, double z, double across) {
  const std::size_t at = k * kLanes + j;
  if (held) {
    s.a[at] = 0.0, s.b[at] = 1.0, s.c[at] = 0.0, s.rhs[at] = z;
    return;
  }
  const bool first = k == 0, last = k + 1 == length;
  s.a[at] = last ? -2.0 * alpha : (first ? 0.0 : -alpha);
  s.c[at] = first ? -2.0 * alpha : (last ? 0.0 : -alpha);
  s.b[at] = 1.0 + 2.0 * alpha;
  s.rhs[at] = z + alpha * across + source;
}

// Half step along the rows: kLanes rows at a time, blocks of them in parallel.
void half_step_rows(const RasterGrid& grid, double alpha, double source,
                    std::span<const std::uint8_t> fixed, std::span<const double> z_old,
                    std::span<double> z_new) {
  const std::size_t columns = grid.columns(), rows = grid.rows();
  const std::size_t groups = (rows + kLanes - 1) / kLanes;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, groups),
      [&](const tbb::blocked_range<std::size_t>& range) {
        LaneSystems s(columns);
        for (std::size_t group = range.begin(); group != range.end(); ++group) {
          const std::size_t first_row = group * kLanes;
          for (std::size_t j = 0; j < kLanes; ++j) {
            const std::size_t row = first_row + j;
            if (row >= rows) {  // a lane past the last row: an identity system, not written back
              for (std::size_t k = 0; k < columns; ++k)
                set_equation(s, k, j, columns, true, 0, 0, 0, 0);
              continue;
            }
            const std::size_t start = row * columns;
            // Second difference across (north-south); reflective edges mirror.
            const std::size_t up = rows == 1 ? start : row == 0 ? start + columns : start - columns;
            const std::size_t down = rows == 1         ? start
                                     : row + 1 == rows ? start - columns
                                                       : start + columns;
            for (std::size_t k = 0; k < columns; ++k) {
              const double across = z_old[up + k] - 2.0 * z_old[start + k] + z_old[down + k];
              set_equation(s, k, j, columns, fixed[start + k] != 0, alpha, source, z_old[start + k],
                           across);
            }
          }
          thomas_lanes(columns, s.a.data(), s.b.data(), s.c.data(), s.rhs.data());
          for (std::size_t j = 0; j < kLanes && first_row + j < rows; ++j) {
            const std::size_t start = (first_row + j) * columns;
            for (std::size_t k = 0; k < columns; ++k) z_new[start + k] = s.rhs[k * kLanes + j];
          }
        }
      });
}

// Half step along the columns: kLanes neighbouring columns at a time, so each row of the lanes is
// a contiguous run of the grid.
void half_step_columns(const RasterGrid& grid, double alpha, double source,
                       std::span<const std::uint8_t> fixed, std::span<const double> z_old,
                       std::span<double> z_new) {
  const std::size_t columns = grid.columns(), rows = grid.rows();
  const std::size_t blocks = (columns + kLanes - 1) / kLanes;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks),
      [&](const tbb::blocked_range<std::size_t>& range) {
        LaneSystems s(rows);
        for (std::size_t block = range.begin(); block != range.end(); ++block) {
          const std::size_t first = block * kLanes, lanes = std::min(kLanes, columns - first);
          for (std::size_t row = 0; row < rows; ++row) {
            for (std::size_t j = 0; j < kLanes; ++j) {
              if (j >= lanes) {
                set_equation(s, row, j, rows, true, 0, 0, 0, 0);
                continue;
              }
              const std::size_t column = first + j, cell = row * columns + column;
              // Second difference across (east-west); the edges mirror the inner neighbour.
              const std::size_t before = column == 0 ? cell + 1 : cell - 1;
              const std::size_t after = column + 1 == columns ? cell - 1 : cell + 1;
              const double across = z_old[before] - 2.0 * z_old[cell] + z_old[after];
              set_equation(s, row, j, rows, fixed[cell] != 0, alpha, source, z_old[cell], across);
            }
          }
          thomas_lanes(rows, s.a.data(), s.b.data(), s.c.data(), s.rhs.data());
          for (std::size_t row = 0; row < rows; ++row)
            for (std::size_t j = 0; j < lanes; ++j)
              z_new[row * columns + first + j] = s.rhs[row * kLanes + j];
        }
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
