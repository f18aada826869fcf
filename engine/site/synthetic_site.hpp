#pragma once
/// @file
/// @brief A realistic synthetic mine site: the embedded demo site and benchmark grids.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace minetwin {

struct SyntheticSiteOptions {
  std::string kind = "open_pit";
  std::size_t size = 256;  ///< cells along each side
  double cell_m = 5.0;
  std::uint64_t seed = 1;
  int climate_start_year = 2025;
  int climate_years = 100;
};

/// Files written by generate_site.
struct SyntheticSiteFiles {
  std::filesystem::path dem, zones, climate, soil;
};

/// Writes, into @p directory: `dem.tif` (GeoTIFF, WGS 84 / UTM 50N), `zones.geojson` (pit,
/// waste_dump, tailings, haul_road, subsidence; the rest is `undisturbed`), `climate.csv`
/// (monthly, drawn from north-China normals) and `soil.csv` (initial soil and contamination by
/// zone and layer). The landforms are built from simple geometric rules (benched pit,
/// flat-topped dump with batters at the angle of repose, a tailings impoundment, a graded haul
/// road) and the subsidence basin from the probability integral method (docs/site.md).
SyntheticSiteFiles generate_site(const SyntheticSiteOptions& options,
                                 const std::filesystem::path& directory);

/// Surface subsidence of the probability integral method over a horizontal rectangular panel
/// (parameters.md section 5): W = W0 Cx(x) Cy(y), W0 = q m cos(alpha), r = H / tan(beta).
/// @param x, y position relative to the panel centre (m); @param half_x, half_y panel half
/// sizes (m); @param offset_m inflection-point offset s (m).
double probability_integral_subsidence(double x, double y, double half_x, double half_y,
                                       double thickness_m, double depth_m, double q,
                                       double tan_beta, double offset_m, double dip_rad = 0.0);

}  // namespace minetwin
