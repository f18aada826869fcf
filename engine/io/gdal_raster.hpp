#pragma once
/// @file
/// @brief Thin GDAL layer: read a DEM into the run's grid, write GeoTIFF / Cloud-Optimised
/// GeoTIFF. GDAL headers stay inside engine/io (dependency arrows point one way).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/grid/grid_memory.hpp"
#include "engine/grid/raster_grid.hpp"

namespace minetwin {

/// Registers GDAL's drivers once (thread-safe) and silences its stderr messages.
void ensure_gdal();

/// A single-band raster on a north-up grid.
struct RasterData {
  GridGeometry geometry;
  GridVector<double> values;         ///< row-major; nodata cells hold kFillValue
  std::vector<std::uint8_t> valid;   ///< 1 where the raster has data
  std::vector<std::string> notices;  ///< what the reader did that the user should know
};

/// Reads band 1 of any GDAL raster as a DEM. Geographic DEMs are reprojected to their UTM
/// zone (bilinear). Throws InputError for unreadable files, rotated grids, non-square cells,
/// and rasters without a single valid cell.
RasterData read_dem(const std::filesystem::path& file);

/// Reads band 1 of a raster that must lie on @p grid (same size and origin), e.g. zone ids.
RasterData read_raster_on_grid(const std::filesystem::path& file, const GridGeometry& grid);

/// Reads band 1 of any north-up GDAL raster with square cells on its own grid (no warp).
RasterData read_raster(const std::filesystem::path& file);

/// Whether two CRS definitions (WKT) name the same CRS.
bool same_crs_wkt(const std::string& a, const std::string& b);

/// Reads band 1 of any GDAL raster resampled onto @p grid (reprojected to its CRS when both
/// name one; cells averaged, gdalwarp -r average); cells the raster does not cover are invalid.
/// Throws InputError when the file cannot be read or its CRS cannot be transformed.
RasterData resample_raster_to_grid(const std::filesystem::path& file, const GridGeometry& grid);

enum class RasterFormat { geotiff, cloud_optimised_geotiff };

/// Writes one float32 band atomically; invalid cells (valid[i] == 0) get @p nodata.
void write_raster(const std::filesystem::path& file, RasterFormat format,
                  const GridGeometry& geometry, std::span<const double> values,
                  std::span<const std::uint8_t> valid, double nodata);

/// Projected CRS WKT of an EPSG code (for generated sites).
std::string crs_wkt_from_epsg(int epsg);

/// An RGBA image (row-major, 4 bytes a pixel) encoded as PNG bytes (GDAL's PNG driver), for
/// maps embedded in reports.
std::string encode_png(std::size_t width, std::size_t height, std::span<const std::uint8_t> rgba);

/// Latitude (degrees) of the centre of a grid with a known CRS; nothing for a local grid.
std::optional<double> grid_centre_latitude(const GridGeometry& geometry);

/// True when @p file opens as a GDAL raster (used to tell zone rasters from zone vectors).
bool is_raster_file(const std::filesystem::path& file);

}  // namespace minetwin
