#pragma once
/// @file
/// @brief The eight neighbours of a raster cell, skipping the grid edge and invalid cells.

#include <array>
#include <cmath>
#include <cstddef>

#include "engine/grid/raster_grid.hpp"

namespace minetwin::terrain {

/// D8 neighbourhood of a grid: offsets in a fixed order (N, NE, E, SE, S, SW, W, NW) and their
/// distances. The fixed order makes every tie-break reproducible.
class Neighbourhood {
 public:
  explicit Neighbourhood(const RasterGrid& grid) : grid_(grid) {
    const double d = grid.cell_size_m();
    distance_ = {d, d * std::sqrt(2.0), d, d * std::sqrt(2.0),
                 d, d * std::sqrt(2.0), d, d * std::sqrt(2.0)};
  }

  /// Calls @p visit(neighbour, distance_m) for each valid neighbour inside the grid.
  template <class Visit>
  void for_each(std::size_t cell, Visit&& visit) const {
    static constexpr int kRow[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
    static constexpr int kColumn[8] = {0, 1, 1, 1, 0, -1, -1, -1};
    const std::size_t columns = grid_.columns();
    const std::size_t row = cell / columns, column = cell % columns;
    for (int k = 0; k < 8; ++k) {
      if ((kRow[k] < 0 && row == 0) || (kRow[k] > 0 && row + 1 == grid_.rows()) ||
          (kColumn[k] < 0 && column == 0) || (kColumn[k] > 0 && column + 1 == columns)) {
        continue;
      }
      const std::size_t neighbour = (row + static_cast<std::size_t>(kRow[k] + 1) - 1) * columns +
                                    column + static_cast<std::size_t>(kColumn[k] + 1) - 1;
      if (grid_.is_valid(neighbour)) visit(neighbour, distance_[static_cast<std::size_t>(k)]);
    }
  }

  /// Whether water can leave the grid at @p cell: it is on the edge or next to nodata.
  bool is_boundary(std::size_t cell) const {
    const std::size_t columns = grid_.columns();
    const std::size_t row = cell / columns, column = cell % columns;
    if (row == 0 || column == 0 || row + 1 == grid_.rows() || column + 1 == columns) return true;
    int valid = 0;
    for_each(cell, [&valid](std::size_t, double) { ++valid; });
    return valid < 8;
  }

 private:
  const RasterGrid& grid_;
  std::array<double, 8> distance_{};
};

}  // namespace minetwin::terrain
