#include "models/terrain/surface_derivatives.hpp"

#include <cmath>
#include <numbers>

#include "engine/grid/local_operations.hpp"

namespace minetwin::terrain {
namespace {

constexpr double kDegrees = 180.0 / std::numbers::pi;

// The 3 x 3 window around a cell, row-major from the north-west corner; missing neighbours
// (outside the grid or invalid) take the centre value.
struct Window {
  double z[9];
};

Window window_at(const RasterGrid& grid, std::span<const double> elevation, std::size_t cell) {
  const auto columns = static_cast<std::ptrdiff_t>(grid.columns());
  const auto rows = static_cast<std::ptrdiff_t>(grid.rows());
  const auto row = static_cast<std::ptrdiff_t>(cell) / columns;
  const auto column = static_cast<std::ptrdiff_t>(cell) % columns;
  Window w{};
  const double centre = elevation[cell];
  int k = 0;
  for (std::ptrdiff_t dr = -1; dr <= 1; ++dr) {
    for (std::ptrdiff_t dc = -1; dc <= 1; ++dc, ++k) {
      const std::ptrdiff_t r = row + dr, c = column + dc;
      const bool inside = r >= 0 && r < rows && c >= 0 && c < columns;
      const auto neighbour = static_cast<std::size_t>(r * columns + c);
      w.z[k] = inside && grid.is_valid(neighbour) ? elevation[neighbour] : centre;
    }
  }
  return w;
}

template <class Formula>
std::vector<double> focal(const RasterGrid& grid, std::span<const double> elevation, double fill,
                          Formula formula) {
  std::vector<double> result(grid.cell_count(), fill);
  const std::size_t columns = grid.columns(), rows = grid.rows();
  const bool all_valid = grid.valid_cell_count() == grid.cell_count();
  for_each_cell_block(grid.cell_count(), [&](std::size_t begin, std::size_t end) {
    std::size_t row = begin / columns, column = begin % columns;
    for (std::size_t cell = begin; cell < end; ++cell) {
      if (all_valid && row > 0 && row + 1 < rows && column > 0 && column + 1 < columns) {
        // Interior of a grid without nodata: the window as it lies (what window_at returns).
        const double* up = &elevation[cell - columns - 1];
        const double* mid = &elevation[cell - 1];
        const double* down = &elevation[cell + columns - 1];
        result[cell] = formula(
            Window{{up[0], up[1], up[2], mid[0], mid[1], mid[2], down[0], down[1], down[2]}});
      } else if (grid.is_valid(cell)) {
        result[cell] = formula(window_at(grid, elevation, cell));
      }
      if (++column == columns) {
        column = 0;
        ++row;
      }
    }
  });
  return result;
}

}  // namespace

std::vector<double> slope_gradient(const RasterGrid& grid, std::span<const double> elevation,
                                   double fill) {
  const double eight_dx = 8.0 * grid.cell_size_m();
  return focal(grid, elevation, fill, [eight_dx](const Window& w) {
    const double* z = w.z;
    const double dzdx = ((z[2] + 2 * z[5] + z[8]) - (z[0] + 2 * z[3] + z[6])) / eight_dx;
    const double dzdy = ((z[6] + 2 * z[7] + z[8]) - (z[0] + 2 * z[1] + z[2])) / eight_dx;
    return std::sqrt(dzdx * dzdx + dzdy * dzdy);
  });
}

std::vector<double> slope_degrees(const RasterGrid& grid, std::span<const double> elevation,
                                  double fill) {
  std::vector<double> slope = slope_gradient(grid, elevation, fill);
  for_each_cell_block(slope.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c)
      if (grid.is_valid(c)) slope[c] = slope_angle_degrees(slope[c]);
  });
  return slope;
}

std::vector<double> aspect_degrees(const RasterGrid& grid, std::span<const double> elevation,
                                   double fill) {
  return focal(grid, elevation, fill, [fill](const Window& w) {
    const double* z = w.z;
    // gdaldem's convention: atan2(dy, -dx) with dy positive southwards, turned into an azimuth.
    const double dx = (z[2] + 2 * z[5] + z[8]) - (z[0] + 2 * z[3] + z[6]);
    const double dy = (z[6] + 2 * z[7] + z[8]) - (z[0] + 2 * z[1] + z[2]);
    if (dx == 0.0 && dy == 0.0) return fill;
    double aspect = std::atan2(dy, -dx) * kDegrees;
    aspect = aspect > 90.0 ? 450.0 - aspect : 90.0 - aspect;
    return aspect == 360.0 ? 0.0 : aspect;
  });
}

std::vector<double> total_curvature(const RasterGrid& grid, std::span<const double> elevation,
                                    double fill) {
  const double l2 = grid.cell_size_m() * grid.cell_size_m();
  return focal(grid, elevation, fill, [l2](const Window& w) {
    const double* z = w.z;
    const double d = ((z[3] + z[5]) / 2.0 - z[4]) / l2;
    const double e = ((z[1] + z[7]) / 2.0 - z[4]) / l2;
    return -2.0 * (d + e);
  });
}

}  // namespace minetwin::terrain
