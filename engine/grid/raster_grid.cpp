#include "engine/grid/raster_grid.hpp"

#include <algorithm>
#include <stdexcept>

namespace minetwin {

RasterGrid::RasterGrid(GridGeometry geometry, std::vector<std::uint8_t> valid_mask)
    : geometry_(std::move(geometry)), valid_mask_(std::move(valid_mask)) {
  if (geometry_.columns == 0 || geometry_.rows == 0 || !(geometry_.cell_size_m > 0.0)) {
    throw std::invalid_argument("RasterGrid: empty grid or non-positive cell size");
  }
  if (valid_mask_.size() != cell_count()) {
    throw std::invalid_argument("RasterGrid: valid mask size does not match the grid");
  }
  valid_cell_count_ = static_cast<std::size_t>(
      std::count_if(valid_mask_.begin(), valid_mask_.end(), [](std::uint8_t v) { return v != 0; }));
}

double RasterGrid::x_center(std::size_t column) const {
  return geometry_.west_m + (static_cast<double>(column) + 0.5) * geometry_.cell_size_m;
}

double RasterGrid::y_center(std::size_t row) const {
  return geometry_.north_m - (static_cast<double>(row) + 0.5) * geometry_.cell_size_m;
}

}  // namespace minetwin
