// Requirements: DEMs from any GDAL raster with nodata respected, geographic DEMs reprojected to
// UTM; zones rasterised from vectors; the synthetic site has its landforms; the subsidence
// basin follows the probability integral method.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <ogr_spatialref.h>

#include "engine/core/registry.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "engine/io/vector_zones.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/site/site_builder.hpp"
#include "engine/site/synthetic_site.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {
const fs::path kShared = fs::path(MINETWIN_SOURCE_DIR) / ".." / "shared" / "data" / "dem";
}

TEST(ProbabilityIntegral, CentreOfAWidePanelReachesW0AndTheInflectionEdgeHalf) {
  // Panel much wider than r: the centre subsides by W0 = q m cos(alpha).
  const double q = 0.7, m = 3.0, depth = 100.0, tan_beta = 2.0;
  const double w_centre =
      probability_integral_subsidence(0, 0, 1000, 1000, m, depth, q, tan_beta, 0);
  EXPECT_NEAR(w_centre, q * m, 1e-9);
  // At a computing edge (x = x2), Cx = (erf(sqrt(pi) * 2 * half / r) - 0) / 2 -> 1/2.
  const double offset = 10.0;
  const double w_edge =
      probability_integral_subsidence(1000 - offset, 0, 1000, 1000, m, depth, q, tan_beta, offset);
  EXPECT_NEAR(w_edge, 0.5 * q * m, 1e-9);
  // Symmetric, and nothing far outside (r = 50 m; 3r away: erfc(3 sqrt(pi))/2 < 1e-10).
  EXPECT_DOUBLE_EQ(probability_integral_subsidence(-300, 20, 200, 100, m, depth, q, tan_beta, 0),
                   probability_integral_subsidence(300, -20, 200, 100, m, depth, q, tan_beta, 0));
  EXPECT_LT(probability_integral_subsidence(350, 0, 200, 100, m, depth, q, tan_beta, 0), 1e-9);
}

TEST(SyntheticSite, HasPitDumpAndProjectedCrs) {
  const fs::path dir = fs::temp_directory_path() / "minetwin_test_site";
  fs::remove_all(dir);
  SyntheticSiteOptions options;
  options.size = 128;
  options.cell_m = 10;
  options.climate_years = 3;
  const auto files = generate_site(options, dir);
  const RasterData dem = read_dem(files.dem);
  EXPECT_EQ(dem.geometry.columns, 128u);
  EXPECT_DOUBLE_EQ(dem.geometry.cell_size_m, 10.0);
  EXPECT_NE(dem.geometry.crs_wkt.find("UTM zone 50N"), std::string::npos);
  // Pit floor about 60 m below the rim; the dump's flat top 36 m above its base.
  const auto at = [&](double fx, double fy) {
    const auto column = static_cast<std::size_t>(fx * 128),
               row = static_cast<std::size_t>((1 - fy) * 128);
    return dem.values[row * 128 + column];
  };
  double lowest = 1e9, highest = -1e9;
  for (double v : dem.values) {
    lowest = std::min(lowest, v);
    highest = std::max(highest, v);
  }
  EXPECT_NEAR(at(0.33, 0.62), lowest, 2.0);          // the pit sump is the lowest point of the site
  EXPECT_GT(at(0.76, 0.62) - at(0.95, 0.62), 20.0);  // dump top well above the ground beside it
  std::ifstream climate(files.climate);
  std::string line;
  int lines = 0;
  while (std::getline(climate, line)) ++lines;
  EXPECT_EQ(lines, 1 + 3 * 12);
}

TEST(Dem, NodataCellsAreInvalid) {
  if (!fs::exists(kShared / "hugo_site.asc")) GTEST_SKIP() << "shared DEMs not present";
  const RasterData dem = read_dem(kShared / "hugo_site.asc");
  std::size_t invalid = 0;
  for (auto v : dem.valid) invalid += v == 0;
  EXPECT_EQ(dem.geometry.columns, 76u);
  EXPECT_EQ(dem.geometry.rows, 55u);
  EXPECT_EQ(invalid, 2028u);  // the DEM README's count
  EXPECT_DOUBLE_EQ(dem.geometry.cell_size_m, 10.0);
}

TEST(Dem, GeographicDemIsReprojectedToUtm) {
  // A 0.01 degree raster near 40 N, 117.5 E: UTM zone 50N, cells of about 1.1 km.
  const fs::path file = fs::temp_directory_path() / "minetwin_geographic.tif";
  GridGeometry geographic{20, 20, 0.01, 117.4, 40.1, crs_wkt_from_epsg(4326)};
  std::vector<double> values(400);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 100.0 + static_cast<double>(i % 20);
  write_raster(file, RasterFormat::geotiff, geographic, values, {}, -9999.0);
  const RasterData dem = read_dem(file);
  ASSERT_FALSE(dem.notices.empty());
  EXPECT_NE(dem.notices[0].find("UTM zone 50N"), std::string::npos) << dem.notices[0];
  EXPECT_NE(dem.geometry.crs_wkt.find("UTM zone 50N"), std::string::npos);
  EXPECT_NEAR(dem.geometry.cell_size_m, 1105.4, 1.0);
  EXPECT_GT(dem.geometry.west_m, 400000.0);
  EXPECT_LT(dem.geometry.west_m, 600000.0);
}

TEST(Dem, RealTiffKeepsItsCrsAndRange) {
  if (!fs::exists(kShared / "whiteboxR_DEM.tif")) GTEST_SKIP() << "shared DEMs not present";
  const RasterData dem = read_dem(kShared / "whiteboxR_DEM.tif");
  EXPECT_EQ(dem.geometry.columns, 237u);
  EXPECT_EQ(dem.geometry.rows, 188u);
  double lowest = 1e9, highest = -1e9;
  for (double v : dem.values) {
    lowest = std::min(lowest, v);
    highest = std::max(highest, v);
  }
  EXPECT_NEAR(lowest, 212.2, 0.1);  // the DEM README's range
  EXPECT_NEAR(highest, 1232.9, 0.1);
}

TEST(Dem, NanCellsAreNodata) {
  // Documented behaviour (docs/models/terrain.md): non-finite elevations are nodata, so they
  // neither receive nor pass flow.
  const fs::path file = fs::temp_directory_path() / "minetwin_nan.tif";
  GridGeometry g{4, 3, 10.0, 0, 30, ""};
  std::vector<double> values(12, 5.0);
  values[5] = std::nan("");
  write_raster(file, RasterFormat::geotiff, g, values, {}, -9999.0);
  const RasterData dem = read_dem(file);
  EXPECT_EQ(dem.valid[5], 0);
  EXPECT_EQ(std::count(dem.valid.begin(), dem.valid.end(), 1), 11);
}

TEST(Zones, RasterOfIdsAndVectorsInAnotherCrs) {
  const fs::path dir = fs::temp_directory_path() / "minetwin_test_zones";
  fs::create_directories(dir);
  // A 10 x 10 grid in UTM 50N.
  GridGeometry grid{10, 10, 10.0, 560000.0, 4390100.0, crs_wkt_from_epsg(32650)};
  // Raster of ids: 0 outside, 5 in the west half, 7 in the south-east quarter.
  std::vector<double> ids(100, 0.0);
  for (std::size_t c = 0; c < 100; ++c) {
    const std::size_t row = c / 10, column = c % 10;
    ids[c] = column < 5 ? 5.0 : (row >= 5 ? 7.0 : 0.0);
  }
  write_raster(dir / "ids.tif", RasterFormat::geotiff, grid, ids, {}, -9999.0);
  const ZoneRaster from_raster = read_zones(dir / "ids.tif", "name", "rest", grid);
  EXPECT_EQ(from_raster.names, (std::vector<std::string>{"rest", "zone_5", "zone_7"}));
  EXPECT_EQ(from_raster.ids[0], 1.0f);   // north-west: zone_5
  EXPECT_EQ(from_raster.ids[99], 2.0f);  // south-east: zone_7
  EXPECT_EQ(from_raster.ids[9], 0.0f);   // north-east: the default zone
  // The same west half as a polygon in geographic coordinates (WGS 84), transformed to UTM.
  OGRSpatialReference utm, wgs84;
  utm.importFromEPSG(32650);
  wgs84.importFromEPSG(4326);
  utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto* to_wgs84 = OGRCreateCoordinateTransformation(&utm, &wgs84);
  std::vector<std::pair<double, double>> ring = {
      {559990.0, 4390110.0}, {560050.0, 4390110.0}, {560050.0, 4389990.0}, {559990.0, 4389990.0}};
  for (auto& [x, y] : ring) to_wgs84->Transform(1, &x, &y);
  OCTDestroyCoordinateTransformation(to_wgs84);
  write_zones_geojson(dir / "west.geojson", {{"west", ring}}, crs_wkt_from_epsg(4326));
  const ZoneRaster from_vector = read_zones(dir / "west.geojson", "name", "rest", grid);
  ASSERT_EQ(from_vector.names, (std::vector<std::string>{"rest", "west"}));
  for (std::size_t c = 0; c < 100; ++c) {
    EXPECT_EQ(from_vector.ids[c], c % 10 < 5 ? 1.0f : 0.0f) << c;
  }
}

// site.cell_size_m: the demo's 256 x 256 DEM of 5 m cells runs on 128 x 128 cells of 10 m, each
// the mean of the four cells it covers (gdalwarp -r average); finer than the DEM is refused.
TEST(Dem, CellSizeAveragesTheDemOntoCoarserCells) {
  const fs::path assets = fs::path(MINETWIN_SOURCE_DIR) / "assets" / "demo_site";
  const fs::path dir = fs::temp_directory_path() / "minetwin_test_cell_size";
  fs::create_directories(dir);
  const fs::path file = dir / "scenario.yaml";
  std::ofstream(file) << "minetwin-version: 1\nsite:\n  dem: " << (assets / "dem.tif").string()
                      << "\n  zones: " << (assets / "zones.geojson").string()
                      << "\n  soil: " << (assets / "soil.csv").string()
                      << "\n  climate:\n    csv: " << (assets / "climate.csv").string() << "\n";
  const ModelRegistry no_models;
  const RasterData native = read_dem(assets / "dem.tif");
  const Site coarse = build_site(load_scenario(file, {"site.cell_size_m=10"}, no_models));
  const GridGeometry& g = coarse.state->grid().geometry();
  EXPECT_EQ(g.columns, native.geometry.columns / 2);
  EXPECT_EQ(g.rows, native.geometry.rows / 2);
  EXPECT_EQ(g.cell_size_m, 10.0);
  EXPECT_EQ(g.west_m, native.geometry.west_m);
  EXPECT_EQ(g.north_m, native.geometry.north_m);
  const auto z = coarse.state->at("topographic__elevation").values<double>();
  const std::size_t n = native.geometry.columns;
  for (std::size_t row : {0u, 37u, 127u})
    for (std::size_t column : {0u, 64u, 127u}) {
      const std::size_t c = 2 * row * n + 2 * column;
      const double mean = (native.values[c] + native.values[c + 1] + native.values[c + n] +
                           native.values[c + n + 1]) /
                          4;
      EXPECT_NEAR(z[row * g.columns + column], mean, 1e-3) << row << "," << column;
    }
  try {
    build_site(load_scenario(file, {"site.cell_size_m=2.5"}, no_models));
    FAIL() << "a cell size finer than the DEM's was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(e.diagnostics().front().message.find("finer than the DEM's own cells"),
              std::string::npos);
  }
}
