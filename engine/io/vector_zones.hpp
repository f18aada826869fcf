#pragma once
/// @file
/// @brief Zones: named areas of the site (pit, dump, tailings...) rasterised onto the grid.

#include <filesystem>
#include <string>
#include <vector>

#include "engine/grid/raster_grid.hpp"

namespace minetwin {

struct ZoneRaster {
  std::vector<float> ids;          ///< per cell; 0 = the default zone
  std::vector<std::string> names;  ///< names[id]
  /// Warnings for the log: zones whose polygons overlap, and which one wins there.
  std::vector<std::string> notices;
};

/// Rasterises the polygons of an OGR vector (GeoJSON, GeoPackage, Shapefile...) onto @p grid,
/// one zone per distinct value of @p attribute (later features drawn over earlier ones), or
/// reads a raster of integer zone ids on the grid (names "zone_<id>"). Throws InputError for a
/// missing attribute, a feature outside the DEM, or an unreadable file.
ZoneRaster read_zones(const std::filesystem::path& file, const std::string& attribute,
                      const std::string& default_zone, const GridGeometry& grid);

/// One polygon of a zone file to write (coordinates in the grid's CRS, outer ring only).
struct ZonePolygon {
  std::string name;
  std::vector<std::pair<double, double>> ring;
};

/// Writes zones as GeoJSON with a `name` attribute, atomically.
void write_zones_geojson(const std::filesystem::path& file, const std::vector<ZonePolygon>& zones,
                         const std::string& crs_wkt);

}  // namespace minetwin
