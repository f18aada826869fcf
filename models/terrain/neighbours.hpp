#pragma once
/// @file
/// @brief The eight neighbours of a raster cell, skipping the grid edge and invalid cells.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "engine/grid/raster_grid.hpp"

namespace minetwin::terrain {

/// D8 neighbourhood of a grid: offsets in a fixed order (N, NE, E, SE, S, SW, W, NW) and their
/// distances. The fixed order makes every tie-break reproducible.
class Neighbourhood {
 public:
  /// Row and column steps to each neighbour, in the fixed order N, NE, E, SE, S, SW, W, NW.
  static constexpr std::array<int, 8> kRowStep = {-1, -1, 0, 1, 1, 1, 0, -1};
  static constexpr std::array<int, 8> kColumnStep = {0, 1, 1, 1, 0, -1, -1, -1};

  /// The neighbours' offsets from a cell of a row-major grid of @p columns, in the fixed order
  /// (for cells away from the edge).
  static std::array<std::ptrdiff_t, 8> offsets(std::size_t columns) {
    std::array<std::ptrdiff_t, 8> offset{};
    for (std::size_t k = 0; k < 8; ++k)
      offset[k] = kRowStep[k] * static_cast<std::ptrdiff_t>(columns) + kColumnStep[k];
    return offset;
  }

  explicit Neighbourhood(const RasterGrid& grid)
      : grid_(grid),
        row_divisor_(~std::uint64_t{0} / std::max<std::size_t>(grid.columns(), 1) + 1) {
    const double d = grid.cell_size_m();
    distance_ = {d, d * std::sqrt(2.0), d, d * std::sqrt(2.0),
                 d, d * std::sqrt(2.0), d, d * std::sqrt(2.0)};
    // Offsets of N, NE, E, SE, S, SW, W, NW as unsigned (wrap-around) additions.
    const std::size_t c = grid.columns();
    offset_ = {0 - c, 0 - c + 1, 1, c + 1, c, c - 1, 0 - std::size_t{1}, 0 - c - 1};
    all_valid_ = grid.valid_cell_count() == grid.cell_count();
  }

  /// Calls @p visit(neighbour, distance_m) for each valid neighbour inside the grid.
  template <class Visit>
  void for_each(std::size_t cell, Visit&& visit) const {
    const std::size_t columns = grid_.columns();
    const std::size_t row = row_of(cell), column = cell - row * columns;
    if (row > 0 && column > 0 && row + 1 < grid_.rows() && column + 1 < columns) {
      // Inside the grid (almost every cell): the eight offsets without the edge tests, and no
      // validity test on a grid without nodata. Same order, so the same results.
      for (int k = 0; k < 8; ++k) {
        const std::size_t neighbour = cell + offset_[static_cast<std::size_t>(k)];
        if (all_valid_ || grid_.is_valid(neighbour))
          visit(neighbour, distance_[static_cast<std::size_t>(k)]);
      }
      return;
    }
    for (std::size_t k = 0; k < 8; ++k) {
      if ((kRowStep[k] < 0 && row == 0) || (kRowStep[k] > 0 && row + 1 == grid_.rows()) ||
          (kColumnStep[k] < 0 && column == 0) || (kColumnStep[k] > 0 && column + 1 == columns)) {
        continue;
      }
      const std::size_t neighbour = cell + offset_[k];
      if (grid_.is_valid(neighbour)) visit(neighbour, distance_[k]);
    }
  }

  /// Whether water can leave the grid at @p cell: it is on the edge or next to nodata.
  bool is_boundary(std::size_t cell) const {
    const std::size_t columns = grid_.columns();
    const std::size_t row = row_of(cell), column = cell - row * columns;
    if (row == 0 || column == 0 || row + 1 == grid_.rows() || column + 1 == columns) return true;
    int valid = 0;
    for_each(cell, [&valid](std::size_t, double) { ++valid; });
    return valid < 8;
  }

 private:
  // cell / columns by a multiplication (Lemire, Kaser & Kurz 2019, "Faster remainder by direct
  // computation", exact for 32-bit cell indices): the division was the neighbourhood's main cost.
  std::size_t row_of(std::size_t cell) const {
    __extension__ using Wide = unsigned __int128;
    return static_cast<std::size_t>((static_cast<Wide>(row_divisor_) * cell) >> 64);
  }

  const RasterGrid& grid_;
  std::uint64_t row_divisor_;
  std::array<double, 8> distance_{};
  std::array<std::size_t, 8> offset_{};
  bool all_valid_ = false;
};

}  // namespace minetwin::terrain
