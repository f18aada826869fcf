#pragma once
/// @file
/// @brief The one raster grid of a MineTwin run: shape, georeferencing and the valid-cell mask.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace minetwin {

/// Georeferencing of a north-up raster with square cells. Cell (row 0, column 0) is the
/// north-west corner; cells are stored row by row (flat index = row * columns + column).
struct GridGeometry {
  std::size_t columns = 0;
  std::size_t rows = 0;
  double cell_size_m = 0.0;  ///< edge length of a square cell, metres
  double west_m = 0.0;       ///< x of the grid's west edge in the CRS, metres
  double north_m = 0.0;      ///< y of the grid's north edge in the CRS, metres
  std::string crs_wkt;       ///< projected CRS as WKT (empty: an unnamed local metric CRS)

  bool operator==(const GridGeometry&) const = default;
};

/// A raster grid with a mask of valid cells (nodata in the DEM, or outside the site, is invalid).
/// Models compute on valid cells only; invalid cells keep their fill value in every field.
class RasterGrid {
 public:
  RasterGrid() = default;
  RasterGrid(GridGeometry geometry, std::vector<std::uint8_t> valid_mask);

  const GridGeometry& geometry() const { return geometry_; }
  std::size_t columns() const { return geometry_.columns; }
  std::size_t rows() const { return geometry_.rows; }
  std::size_t cell_count() const { return geometry_.columns * geometry_.rows; }
  double cell_size_m() const { return geometry_.cell_size_m; }
  double cell_area_m2() const { return geometry_.cell_size_m * geometry_.cell_size_m; }

  bool is_valid(std::size_t cell) const { return valid_mask_[cell] != 0; }
  const std::vector<std::uint8_t>& valid_mask() const { return valid_mask_; }
  std::size_t valid_cell_count() const { return valid_cell_count_; }

  /// x of the centre of column @p column, y of the centre of row @p row (CRS metres).
  double x_center(std::size_t column) const;
  double y_center(std::size_t row) const;

 private:
  GridGeometry geometry_;
  std::vector<std::uint8_t> valid_mask_;
  std::size_t valid_cell_count_ = 0;
};

}  // namespace minetwin
