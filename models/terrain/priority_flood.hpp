#pragma once
/// @file
/// @brief Depression filling by Priority-Flood with the epsilon variant.
///
/// Barnes, Lehman & Mulla (2014), "Priority-Flood: an optimal depression-filling and
/// watershed-labeling algorithm for digital elevation models", Computers & Geosciences 62:117,
/// Algorithm 3 (Priority-Flood + Epsilon). Cells on the grid edge and next to nodata seed a
/// priority queue ordered by elevation; the flood grows inwards from the lowest seed, and any cell
/// not above the cell it is reached from is raised to the next representable value above it
/// (here in float32, so that the written GeoTIFF keeps the gradient). Every filled cell then has
/// a strictly descending path to a seed: depressions and flats drain. O(n log n) for the seeds'
/// queue, O(n) for cells inside depressions (a plain FIFO).
///
/// Limits: epsilon steps accumulate along long flats (about 1.5e-5 m per cell at 200 m
/// elevation); drainage on flats is towards the seed that reached them first, not the
/// "gradient towards lower terrain" of Barnes et al.'s separate flat-resolution algorithm.

#include <cstdint>
#include <span>
#include <vector>

#include "engine/grid/grid_memory.hpp"
#include "engine/grid/raster_grid.hpp"

namespace minetwin::terrain {

struct FillResult {
  GridVector<double> elevation;   ///< filled; invalid cells unchanged
  std::size_t raised_cells = 0;   ///< cells raised by filling or epsilon
  double filled_volume_m3 = 0.0;  ///< sum of the raise times the cell area
};

/// Fills depressions. @p keep_sinks (optional, one byte per cell) marks cells that are real
/// closed basins (a pit becoming a pit lake): they act as outlets, so the depression around them
/// is not filled and drains into them.
FillResult priority_flood_fill(const RasterGrid& grid, std::span<const double> elevation,
                               std::span<const std::uint8_t> keep_sinks = {});
/// The same, filling @p elevation in place (moved in, returned as the result's elevation): no
/// copy of a grid-sized array, for one-off tools on large DEMs.
FillResult priority_flood_fill(const RasterGrid& grid, GridVector<double>&& elevation,
                               std::span<const std::uint8_t> keep_sinks = {});

/// A closed depression kept as a pit-lake sink.
struct ClosedBasin {
  std::uint32_t sink = 0;        ///< its lowest cell (the smallest index among equal elevations)
  double spill_elevation_m = 0;  ///< the filled surface there: the level where it overflows
  std::size_t cell_count = 0;    ///< cells of the depression, all draining to the sink
};

struct BasinFill {
  GridVector<double> elevation;     ///< filled, except inside the kept basins
  std::vector<ClosedBasin> basins;  ///< in the order of their lowest cells' indices
};

/// Fills depressions, but keeps each closed depression at least @p min_depth_m deep (spill
/// level minus its lowest cell) as one pit-lake basin: its lowest cell becomes a sink, and the
/// rest of the depression, hollows in its floor included, drains to it. A depression is a
/// connected region of cells that the full fill raises; outside the kept ones the result is the
/// full fill, and inside each one it is the same flood started from the sink alone (so a
/// second flood of the whole grid is not needed).
BasinFill fill_keeping_closed_basins(const RasterGrid& grid, std::span<const double> elevation,
                                     double min_depth_m);

}  // namespace minetwin::terrain
