#include "models/terrain/priority_flood.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "models/terrain/neighbours.hpp"
#include "models/terrain/radix_heap.hpp"

namespace minetwin::terrain {

namespace {

// The next float32 above a value: the raise the written float32 raster can still represent
// (std::nextafter(float(value), +inf) by its bits, without the library call).
double above(double value) {
  const float f = static_cast<float>(value);
  if (!(f < std::numeric_limits<float>::infinity())) return static_cast<double>(f);  // inf, NaN
  if (f == 0.0f) return static_cast<double>(std::numeric_limits<float>::denorm_min());
  const auto bits = std::bit_cast<std::uint32_t>(f);
  return static_cast<double>(std::bit_cast<float>(f > 0.0f ? bits + 1 : bits - 1));
}

// One Priority-Flood + epsilon over the cells not yet closed, from the seeds pushed into it.
// Heap: CellRadixHeap, or FloatCellRadixHeap where every valid elevation is a float's (the same
// order, half the heap's memory traffic).
template <class Heap>
class Flood {
 public:
  Flood(const RasterGrid& grid, GridVector<double>& z, GridVector<std::uint8_t>& closed,
        FillResult& result)
      : grid_(grid), hood_(grid), z_(z), closed_(closed), result_(result) {
    pit_.reserve(grid.cell_count());
  }
  void seed(std::size_t cell) {
    open_.push(z_[cell], static_cast<std::uint32_t>(cell));
    closed_[cell] = 1;
  }
  const Neighbourhood& neighbourhood() const { return hood_; }

  /// Floods; with @p submerged (one byte per cell, zero), marks the cells below the spill level
  /// of the depression they are in. A raised cell's spill level is the elevation of the cell
  /// the flood came over the rim from (carried along the pit queue), so a flat raised by
  /// epsilon only (at the level of its rim) is not submerged.
  void run(GridVector<std::uint8_t>* submerged = nullptr) {
    GridVector<double> pit_level;
    if (submerged) pit_level.reserve(pit_.capacity());
    std::size_t pit_front = 0;
    while (!open_.empty() || pit_front < pit_.size()) {
      std::uint32_t c = 0;
      double level = 0.0;
      const bool pit_waiting = pit_front < pit_.size();
      if (pit_waiting && !open_.empty() && open_.top_key() == z_[pit_[pit_front]]) {
        c = open_.pop();
        level = z_[c];
      } else if (pit_waiting) {
        if (submerged) level = pit_level[pit_front];
        c = pit_[pit_front++];
      } else {
        c = open_.pop();
        level = z_[c];
      }
      const double raised = above(z_[c]);
      hood_.for_each(c, [&](std::size_t neighbour, double /*distance*/) {
        if (closed_[neighbour]) return;
        closed_[neighbour] = 1;
        if (z_[neighbour] <= raised) {
          if (z_[neighbour] < raised) {
            result_.filled_volume_m3 += (raised - z_[neighbour]) * grid_.cell_area_m2();
            ++result_.raised_cells;
          }
          if (submerged) {
            (*submerged)[neighbour] = z_[neighbour] < level;
            pit_level.push_back(level);
          }
          z_[neighbour] = raised;
          pit_.push_back(static_cast<std::uint32_t>(neighbour));
        } else {
          open_.push(z_[neighbour], static_cast<std::uint32_t>(neighbour));
        }
      });
    }
  }

 private:
  const RasterGrid& grid_;
  const Neighbourhood hood_;
  GridVector<double>& z_;
  GridVector<std::uint8_t>& closed_;
  FillResult& result_;
  // Ties broken by cell index: the fill is the same on every run and platform.
  Heap open_;
  // The cells raised to drain (FIFO; each cell enters at most once, so a vector read from the
  // front serves as the queue).
  GridVector<std::uint32_t> pit_;
};

// Whether every valid cell's elevation is a float's: then so are the epsilon raises (above()),
// and the flood's keys fit the float heap. True for any DEM read from a float32 or integer raster.
bool float_elevations(const RasterGrid& grid, std::span<const double> z) {
  bool exact = true;
  for (std::size_t c = 0; c < z.size(); ++c)
    exact &= !grid.is_valid(c) || static_cast<double>(static_cast<float>(z[c])) == z[c];
  return exact;
}

template <class Heap>
FillResult fill_with_seeds(const RasterGrid& grid, GridVector<double> elevation,
                           std::span<const std::uint8_t> keep_sinks,
                           GridVector<std::uint8_t>* submerged) {
  FillResult result;
  result.elevation = std::move(elevation);
  const std::size_t n = grid.cell_count();
  GridVector<std::uint8_t> closed(n, 0);
  Flood<Heap> flood(grid, result.elevation, closed, result);
  const Neighbourhood& hood = flood.neighbourhood();
  auto seed = [&](std::size_t cell) {
    if (!grid.is_valid(cell) || closed[cell]) return;
    const bool kept = !keep_sinks.empty() && keep_sinks[cell] != 0;
    if (kept || hood.is_boundary(cell)) flood.seed(cell);
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
  flood.run(submerged);
  return result;
}

// @p work's operator()<Heap>() on the heap that fits @p z: the float heap where every valid
// elevation is a float's (the keys of the fill and of any refill from it stay floats), else the
// double heap. One choice for every entry point.
template <class Work>
auto on_fitting_heap(const RasterGrid& grid, std::span<const double> z, Work&& work) {
  if (float_elevations(grid, z)) return work.template operator()<FloatCellRadixHeap>();
  return work.template operator()<CellRadixHeap>();
}

template <class Heap>
BasinFill fill_keeping_closed_basins_on(const RasterGrid& grid, std::span<const double> elevation,
                                        double min_depth_m) {
  const std::size_t n = grid.cell_count();
  GridVector<std::uint8_t> submerged(n, 0);
  FillResult full = fill_with_seeds<Heap>(
      grid, GridVector<double>(elevation.begin(), elevation.end()), {}, &submerged);
  BasinFill out;
  out.elevation = std::move(full.elevation);
  GridVector<double>& z = out.elevation;
  const Neighbourhood hood(grid);
  // The depressions: connected regions of submerged cells, found in cell order. A kept one goes
  // back to its own elevations and is opened for the refill; every other cell stays closed.
  GridVector<std::uint8_t> closed(n, 1);
  GridVector<std::uint32_t> region;
  for (std::size_t start = 0; start < n; ++start) {
    if (submerged[start] != 1) continue;
    region.assign(1, static_cast<std::uint32_t>(start));
    submerged[start] = 2;  // visited
    std::size_t lowest = start;
    for (std::size_t k = 0; k < region.size(); ++k) {
      const std::uint32_t c = region[k];
      if (elevation[c] < elevation[lowest] || (elevation[c] == elevation[lowest] && c < lowest))
        lowest = c;
      hood.for_each(c, [&](std::size_t neighbour, double /*distance*/) {
        if (submerged[neighbour] != 1) return;
        submerged[neighbour] = 2;
        region.push_back(static_cast<std::uint32_t>(neighbour));
      });
    }
    if (z[lowest] - elevation[lowest] < min_depth_m) continue;
    out.basins.push_back({static_cast<std::uint32_t>(lowest), z[lowest], region.size()});
    for (const std::uint32_t c : region) {
      z[c] = elevation[c];
      closed[c] = 0;
    }
  }
  if (out.basins.empty()) return out;
  // Kept basins do not touch (each is a whole connected region): one flood from all their sinks
  // refills each from its own sink.
  std::sort(out.basins.begin(), out.basins.end(),
            [](const ClosedBasin& a, const ClosedBasin& b) { return a.sink < b.sink; });
  FillResult refill;
  Flood<Heap> flood(grid, z, closed, refill);
  for (const ClosedBasin& basin : out.basins) flood.seed(basin.sink);
  flood.run();
  return out;
}

}  // namespace

FillResult priority_flood_fill(const RasterGrid& grid, std::span<const double> elevation,
                               std::span<const std::uint8_t> keep_sinks) {
  return on_fitting_heap(grid, elevation, [&]<class Heap>() {
    return fill_with_seeds<Heap>(grid, GridVector<double>(elevation.begin(), elevation.end()),
                                 keep_sinks, nullptr);
  });
}

FillResult priority_flood_fill(const RasterGrid& grid, GridVector<double>&& elevation,
                               std::span<const std::uint8_t> keep_sinks) {
  return on_fitting_heap(grid, elevation, [&]<class Heap>() {
    return fill_with_seeds<Heap>(grid, std::move(elevation), keep_sinks, nullptr);
  });
}

BasinFill fill_keeping_closed_basins(const RasterGrid& grid, std::span<const double> elevation,
                                     double min_depth_m) {
  return on_fitting_heap(grid, elevation, [&]<class Heap>() {
    return fill_keeping_closed_basins_on<Heap>(grid, elevation, min_depth_m);
  });
}

}  // namespace minetwin::terrain
