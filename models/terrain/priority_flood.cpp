#include "models/terrain/priority_flood.hpp"

#include <cmath>
#include <queue>

#include "models/terrain/neighbours.hpp"

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
  using Entry = std::pair<double, std::uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
  std::queue<std::uint32_t> pit;

  for (std::size_t cell = 0; cell < n; ++cell) {
    if (!grid.is_valid(cell)) continue;
    const bool kept = !keep_sinks.empty() && keep_sinks[cell] != 0;
    if (kept || hood.is_boundary(cell)) {
      open.emplace(z[cell], static_cast<std::uint32_t>(cell));
      closed[cell] = 1;
    }
  }
  // The next float32 above a value: the raise the written float32 raster can still represent.
  auto above = [](double value) {
    return static_cast<double>(std::nextafter(static_cast<float>(value), INFINITY));
  };
  while (!open.empty() || !pit.empty()) {
    std::uint32_t c = 0;
    if (!pit.empty() && !open.empty() && open.top().first == z[pit.front()]) {
      c = open.top().second;
      open.pop();
    } else if (!pit.empty()) {
      c = pit.front();
      pit.pop();
    } else {
      c = open.top().second;
      open.pop();
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
        pit.push(static_cast<std::uint32_t>(neighbour));
      } else {
        open.emplace(z[neighbour], static_cast<std::uint32_t>(neighbour));
      }
    });
  }
  return result;
}

}  // namespace minetwin::terrain
