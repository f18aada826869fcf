// Requirement (issue 3): slope matches `gdaldem slope` on interior cells to 0.01 degrees, and
// aspect matches `gdaldem aspect`, on the demo DEM and on the real DEMs of ../shared.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "engine/io/gdal_raster.hpp"
#include "models/terrain/surface_derivatives.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

bool have_gdaldem() {
  return std::system("command -v gdaldem > /dev/null 2>&1") == 0;
}

RasterData gdaldem(const std::string& mode, const fs::path& dem) {
  const fs::path out =
      fs::temp_directory_path() / ("minetwin_gdaldem_" + mode + "_" + dem.stem().string() + ".tif");
  const std::string command =
      "gdaldem " + mode + " -q '" + dem.string() + "' '" + out.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return read_dem(out);
}

struct Comparison {
  double worst = 0.0;
  std::size_t compared = 0;
};

// Interior cells (not on the edge, no nodata in the 3 x 3 window) where gdaldem has a value.
template <class Difference>
Comparison compare(const RasterData& dem, const RasterData& reference,
                   const std::vector<double>& ours, Difference difference) {
  Comparison result;
  const std::size_t columns = dem.geometry.columns, rows = dem.geometry.rows;
  for (std::size_t r = 1; r + 1 < rows; ++r) {
    for (std::size_t c = 1; c + 1 < columns; ++c) {
      bool window_valid = true;
      for (std::size_t rr = r - 1; rr <= r + 1; ++rr) {
        for (std::size_t cc = c - 1; cc <= c + 1; ++cc)
          window_valid = window_valid && dem.valid[rr * columns + cc];
      }
      const std::size_t cell = r * columns + c;
      if (!window_valid || !reference.valid[cell]) continue;
      result.worst = std::max(result.worst, difference(ours[cell], reference.values[cell]));
      ++result.compared;
    }
  }
  return result;
}

void check_dem(const fs::path& file) {
  SCOPED_TRACE(file.filename().string());
  const RasterData dem = read_dem(file);
  const RasterGrid grid(dem.geometry, dem.valid);
  const auto slope = terrain::slope_degrees(grid, dem.values, -9999.0);
  const Comparison s = compare(dem, gdaldem("slope", file), slope,
                               [](double a, double b) { return std::abs(a - b); });
  EXPECT_GT(s.compared, grid.valid_cell_count() / 2);  // most valid cells are interior
  EXPECT_LT(s.worst, 0.01) << "worst slope difference (degrees) over " << s.compared << " cells";
  // gdaldem works in float32: its gradient carries an error of about ulp(z) / dx, which turns
  // the aspect of nearly flat cells by more than 0.01 degrees (at z = 1000 m, dx = 30 m and a
  // 2 degree slope: 6e-5 / 30 / tan 2 deg = 0.003 degrees). Aspect is compared where the slope is
  // at least 2 degrees.
  const auto aspect = terrain::aspect_degrees(grid, dem.values, -9999.0);
  std::vector<double> steep_aspect = aspect;
  for (std::size_t c = 0; c < aspect.size(); ++c) {
    if (slope[c] < 2.0) steep_aspect[c] = std::nan("");
  }
  const Comparison a = compare(dem, gdaldem("aspect", file), steep_aspect, [](double x, double y) {
    if (std::isnan(x)) return 0.0;
    const double d = std::abs(x - y);
    return std::min(d, 360.0 - d);  // angles: 359.99 and 0.01 are close
  });
  EXPECT_LT(a.worst, 0.01) << "worst aspect difference (degrees) over " << a.compared << " cells";
}

}  // namespace

TEST(TerrainVsGdaldem, DemoSite) {
  if (!have_gdaldem()) GTEST_SKIP() << "gdaldem (gdal-bin) not installed";
  check_dem(fs::path(MINETWIN_SOURCE_DIR) / "assets/demo_site/dem.tif");
}

TEST(TerrainVsGdaldem, RealDems) {
  if (!have_gdaldem()) GTEST_SKIP() << "gdaldem (gdal-bin) not installed";
  const fs::path shared = fs::path(MINETWIN_SOURCE_DIR) / ".." / "shared" / "data" / "dem";
  if (!fs::exists(shared)) GTEST_SKIP() << "../shared/data/dem not present";
  check_dem(shared / "whiteboxR_DEM.tif");
  check_dem(shared / "srtm_bigtujunga30m_utm11.tif");
  check_dem(shared / "hugo_site.asc");
}
