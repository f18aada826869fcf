#include "models/terrain/priority_flood.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "models/terrain/neighbours.hpp"
#include "models/terrain/radix_heap.hpp"

namespace minetwin::terrain {

FillResult priority_flood_fill(const RasterGrid& grid, std::span<const double> elevation,
                               std::span<const std::uint8_t> keep_sinks) {
  FillResult result;
  result.elevation.assign(elevation.begin(), elevation.end());
  std::vector<double>& z = result.elevation;
  const std::size_t n = grid.cell_count();
  const Neighbourhood hood(grid);
  std::vector<std::uint8_t> closed(n, 0);

  // Ties broken by cell index: the fill is the same on every run and platform.
  CellRadixHeap open;
  // The cells raised to drain (FIFO; each cell enters at most once, so a vector read from the
  // front serves as the queue).
  std::vector<std::uint32_t> pit;
  pit.reserve(n);
  std::size_t pit_front = 0;

  auto seed = [&](std::size_t cell) {
    if (!grid.is_valid(cell) || closed[cell]) return;
    const bool kept = !keep_sinks.empty() && keep_sinks[cell] != 0;
    if (kept || hood.is_boundary(cell)) {
      open.push(z[cell], static_cast<std::uint32_t>(cell));
      closed[cell] = 1;
    }
  };
  if (grid.valid_cell_count() == n && keep_sinks.empty()) {
    // No nodata: the seeds are the grid's edge (in the order of the full scan below).
    const std::size_t columns = grid.columns(), rows = grid.rows();
    for (std::size_t column = 0; column < columns; ++column) seed(column);
    for (std::size_t row = 1; row + 1 < rows; ++row) {
      seed(row * columns);
      seed(row * columns + columns - 1);
    }
    for (std::size_t column = 0; rows > 1 && column < columns; ++column)
      seed((rows - 1) * columns + column);
  } else {
    for (std::size_t cell = 0; cell < n; ++cell) seed(cell);
  }
  // The next float32 above a value: the raise the written float32 raster can still represent
  // (std::nextafter(float(value), +inf) by its bits, without the library call).
  auto above = [](double value) {
    const float f = static_cast<float>(value);
    if (!(f < std::numeric_limits<float>::infinity())) return static_cast<double>(f);  // inf, NaN
    if (f == 0.0f) return static_cast<double>(std::numeric_limits<float>::denorm_min());
    const auto bits = std::bit_cast<std::uint32_t>(f);
    return static_cast<double>(std::bit_cast<float>(f > 0.0f ? bits + 1 : bits - 1));
  };
  while (!open.empty() || pit_front < pit.size()) {
    std::uint32_t c = 0;
    const bool pit_waiting = pit_front < pit.size();
    if (pit_waiting && !open.empty() && open.top_key() == z[pit[pit_front]]) {
      c = open.pop();
    } else if (pit_waiting) {
      c = pit[pit_front++];
    } else {
      c = open.pop();
    }
    const double raised = above(z[c]);
    hood.for_each(c, [&](std::size_t neighbour, double /*distance*/) {
      if (closed[neighbour]) return;
      closed[neighbour] = 1;
      if (z[neighbour] <= raised) {
        if (z[neighbour] < raised) {
          result.filled_volume_m3 += (raised - z[neighbour]) * grid.cell_area_m2();
          ++result.raised_cells;
        }
        z[neighbour] = raised;
        pit.push_back(static_cast<std::uint32_t>(neighbour));
      } else {
        open.push(z[neighbour], static_cast<std::uint32_t>(neighbour));
      }
    });
  }
  return result;
}

}  // namespace minetwin::terrain
