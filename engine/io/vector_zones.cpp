#include "engine/io/vector_zones.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "engine/core/errors.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/gdal_raster.hpp"

namespace minetwin {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const { GDALClose(GDALDataset::ToHandle(dataset)); }
};
using Dataset = std::unique_ptr<GDALDataset, DatasetCloser>;

ZoneRaster zones_from_raster(const std::filesystem::path& file, const std::string& default_zone,
                             const GridGeometry& grid) {
  RasterData data = read_raster_on_grid(file, grid);
  ZoneRaster zones;
  zones.names.push_back(default_zone);
  zones.ids.assign(data.values.size(), 0.0f);
  std::vector<long> seen;
  for (std::size_t i = 0; i < data.values.size(); ++i) {
    if (!data.valid[i] || data.values[i] <= 0) continue;
    const long id = std::lround(data.values[i]);
    auto found = std::find(seen.begin(), seen.end(), id);
    if (found == seen.end()) {
      seen.push_back(id);
      zones.names.push_back("zone_" + std::to_string(id));
      found = seen.end() - 1;
    }
    zones.ids[i] = static_cast<float>(found - seen.begin() + 1);
  }
  return zones;
}

}  // namespace

ZoneRaster read_zones(const std::filesystem::path& file, const std::string& attribute,
                      const std::string& default_zone, const GridGeometry& grid) {
  if (is_raster_file(file)) return zones_from_raster(file, default_zone, grid);
  Dataset dataset(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!dataset || dataset->GetLayerCount() < 1) {
    throw InputError(file.string(), 0, 0, "not a vector or raster file GDAL can read");
  }
  OGRLayer* layer = dataset->GetLayer(0);
  OGRFeatureDefn* definition = layer->GetLayerDefn();
  const int field = definition->GetFieldIndex(attribute.c_str());
  if (field < 0) {
    std::vector<std::string> names;
    for (int i = 0; i < definition->GetFieldCount(); ++i) {
      names.emplace_back(definition->GetFieldDefn(i)->GetNameRef());
    }
    const std::string hint = closest_match(attribute, names);
    throw InputError(file.string(), 0, 0,
                     "zones have no attribute '" + attribute + "'" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  std::unique_ptr<OGRSpatialReference> grid_srs;
  if (!grid.crs_wkt.empty()) {
    grid_srs = std::make_unique<OGRSpatialReference>();
    grid_srs->importFromWkt(grid.crs_wkt.c_str());
    grid_srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  const double east = grid.west_m + grid.cell_size_m * static_cast<double>(grid.columns);
  const double south = grid.north_m - grid.cell_size_m * static_cast<double>(grid.rows);

  ZoneRaster zones;
  zones.names.push_back(default_zone);
  std::vector<std::unique_ptr<OGRGeometry>> geometries;
  std::vector<double> burn;
  std::vector<std::string> labels;
  std::vector<Diagnostic> problems;
  layer->ResetReading();
  int index = 0;
  for (auto& feature : *layer) {
    ++index;
    const std::string name = feature->GetFieldAsString(field);
    const OGRGeometry* geometry = feature->GetGeometryRef();
    const std::string label = "feature " + std::to_string(index) + " ('" + name + "')";
    if (geometry == nullptr || name.empty()) {
      problems.push_back({file.string(), 0, 0, label + " has no geometry or no " + attribute});
      continue;
    }
    std::unique_ptr<OGRGeometry> copy(geometry->clone());
    if (grid_srs && copy->getSpatialReference() != nullptr &&
        !copy->getSpatialReference()->IsSame(grid_srs.get())) {
      if (copy->transformTo(grid_srs.get()) != OGRERR_NONE) {
        problems.push_back(
            {file.string(), 0, 0, label + " cannot be transformed to the DEM's CRS"});
        continue;
      }
    }
    OGREnvelope envelope;
    copy->getEnvelope(&envelope);
    if (envelope.MaxX <= grid.west_m || envelope.MinX >= east || envelope.MaxY <= south ||
        envelope.MinY >= grid.north_m) {
      problems.push_back({file.string(), 0, 0, label + " lies outside the DEM"});
      continue;
    }
    // A self-intersecting ring (a bowtie) has no inside that GDAL's rasteriser and the planner
    // would agree on.
    if (!copy->IsValid()) {
      problems.push_back({file.string(), 0, 0,
                          label + " is not a valid polygon (a ring crosses itself, as in a "
                                  "bowtie, or a hole lies outside its shell); mend it in a GIS"});
      continue;
    }
    auto found = std::find(zones.names.begin(), zones.names.end(), name);
    if (found == zones.names.end()) {
      zones.names.push_back(name);
      found = zones.names.end() - 1;
    }
    burn.push_back(static_cast<double>(found - zones.names.begin()));
    labels.push_back(label);
    geometries.push_back(std::move(copy));
  }
  if (!problems.empty()) throw InputError(std::move(problems));

  // Zones of different names that overlap: the rasteriser draws later features over earlier
  // ones, which the user should know.
  for (std::size_t i = 0; i < geometries.size(); ++i) {
    for (std::size_t j = i + 1; j < geometries.size(); ++j) {
      if (burn[i] == burn[j] || !geometries[i]->Intersects(geometries[j].get())) continue;
      std::unique_ptr<OGRGeometry> shared(geometries[i]->Intersection(geometries[j].get()));
      const auto* surface = shared ? dynamic_cast<const OGRSurface*>(shared.get()) : nullptr;
      const auto* collection =
          shared ? dynamic_cast<const OGRGeometryCollection*>(shared.get()) : nullptr;
      const double area = surface != nullptr      ? surface->get_Area()
                          : collection != nullptr ? collection->get_Area()
                                                  : 0.0;
      if (!(area > 0.0)) continue;  // touching edges share no area
      const bool identical = geometries[i]->Equals(geometries[j].get());
      zones.notices.push_back(file.string() + ": warning: " + labels[i] + " and " + labels[j] +
                              (identical
                                   ? " have identical polygons"
                                   : " overlap over " + std::to_string(std::lround(area)) + " m2") +
                              "; where they overlap the later one, " + labels[j] + ", wins");
    }
  }

  GDALDriver* memory = GetGDALDriverManager()->GetDriverByName("MEM");
  Dataset target(memory->Create("", static_cast<int>(grid.columns), static_cast<int>(grid.rows), 1,
                                GDT_Float32, nullptr));
  double transform[6] = {grid.west_m, grid.cell_size_m, 0, grid.north_m, 0, -grid.cell_size_m};
  target->SetGeoTransform(transform);
  int band = 1;
  std::vector<OGRGeometryH> handles;
  for (auto& g : geometries) handles.push_back(OGRGeometry::ToHandle(g.get()));
  if (!handles.empty() &&
      GDALRasterizeGeometries(GDALDataset::ToHandle(target.get()), 1, &band,
                              static_cast<int>(handles.size()), handles.data(), nullptr, nullptr,
                              burn.data(), nullptr, nullptr, nullptr) != CE_None) {
    throw InputError(file.string(), 0, 0,
                     "rasterising zones failed: " + std::string(CPLGetLastErrorMsg()));
  }
  zones.ids.resize(grid.columns * grid.rows);
  if (target->GetRasterBand(1)->RasterIO(
          GF_Read, 0, 0, static_cast<int>(grid.columns), static_cast<int>(grid.rows),
          zones.ids.data(), static_cast<int>(grid.columns), static_cast<int>(grid.rows),
          GDT_Float32, 0, 0) != CE_None) {
    throw std::runtime_error("reading rasterised zones failed");
  }
  return zones;
}

void write_zones_geojson(const std::filesystem::path& file, const std::vector<ZonePolygon>& zones,
                         const std::string& crs_wkt) {
  ensure_gdal();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GeoJSON");
  const auto temporary = temporary_sibling(file);
  std::filesystem::remove(temporary);
  Dataset dataset(driver->Create(temporary.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!dataset) throw std::runtime_error("cannot create " + file.string());
  OGRSpatialReference srs;
  srs.importFromWkt(crs_wkt.c_str());
  const char* layer_options[] = {"RFC7946=NO", "WRITE_NAME=NO", nullptr};
  OGRLayer* layer =
      dataset->CreateLayer("zones", &srs, wkbPolygon, const_cast<char**>(layer_options));
  OGRFieldDefn name_field("name", OFTString);
  layer->CreateField(&name_field);
  for (const auto& zone : zones) {
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("name", zone.name.c_str());
    OGRPolygon polygon;
    OGRLinearRing ring;
    for (const auto& [x, y] : zone.ring) ring.addPoint(x, y);
    ring.closeRings();
    polygon.addRing(&ring);
    feature.SetGeometry(&polygon);
    if (layer->CreateFeature(&feature) != OGRERR_NONE) {
      throw std::runtime_error("cannot write zone " + zone.name);
    }
  }
  dataset.reset();
  commit_file(temporary, file);
}

}  // namespace minetwin
