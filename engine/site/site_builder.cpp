#include "engine/site/site_builder.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/summary.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/vector_zones.hpp"
#include "engine/site/soil_table.hpp"
#include "engine/site/synthetic_site.hpp"

namespace minetwin {

namespace {

// A generated site is written once per distinct request into the temporary folder and reused.
Scenario with_generated_site(const Scenario& scenario) {
  const GeneratedSiteSpec& g = scenario.site.generate;
  SyntheticSiteOptions options;
  options.kind = g.kind;
  options.size = g.size;
  options.cell_m = g.cell_m;
  options.seed = g.seed;
  options.climate_start_year = scenario.simulation.start_year;
  // At least the climate's 30-year reference period (load_climate), so that the erosivity's
  // climate statistics do not depend on the run's length. Years are drawn keyed by year: the
  // first ones are the same whatever the length.
  options.climate_years = std::max(scenario.simulation.years, 30);
  const std::string key = g.kind + "-" + std::to_string(g.size) + "-" + format_number(g.cell_m) +
                          "-" + std::to_string(g.seed) + "-" +
                          std::to_string(options.climate_start_year) + "-" +
                          std::to_string(options.climate_years);
  const auto directory = std::filesystem::temp_directory_path() / "minetwin-generated-sites" / key;
  const SyntheticSiteFiles files{directory / "dem.tif", directory / "zones.geojson",
                                 directory / "climate.csv", directory / "soil.csv"};
  std::error_code ec;
  const bool complete =
      std::filesystem::exists(files.dem, ec) && std::filesystem::exists(files.zones, ec) &&
      std::filesystem::exists(files.climate, ec) && std::filesystem::exists(files.soil, ec);
  if (!complete) generate_site(options, directory);
  Scenario resolved = scenario;
  resolved.site.dem = files.dem;
  if (resolved.site.zones.empty()) resolved.site.zones = files.zones;
  if (resolved.site.soil.empty()) resolved.site.soil = files.soil;
  if (resolved.site.climate.csv.empty() && !resolved.site.climate.has_normals) {
    resolved.site.climate.csv = files.climate;
  }
  return resolved;
}

// The DEM averaged onto cells of site.cell_size_m (gdalwarp -r average) from the same
// north-west corner; the columns and rows that would reach past the DEM's extent are dropped.
RasterData coarser_dem(const Scenario& scenario, RasterData dem) {
  const double size = scenario.site.cell_size_m, native = dem.geometry.cell_size_m;
  if (size < native * (1 - 1e-9)) {
    throw InputError(std::vector<Diagnostic>{scenario.cell_size_place.error(
        "site.cell_size_m: " + format_number(size) + " m is finer than the DEM's own cells (" +
        format_number(native) + " m); a DEM is averaged onto coarser cells, never interpolated")});
  }
  if (size <= native * (1 + 1e-9)) return dem;
  GridGeometry coarse = dem.geometry;
  coarse.cell_size_m = size;
  coarse.columns = static_cast<std::size_t>(
      std::floor(static_cast<double>(dem.geometry.columns) * native / size + 1e-9));
  coarse.rows = static_cast<std::size_t>(
      std::floor(static_cast<double>(dem.geometry.rows) * native / size + 1e-9));
  if (coarse.columns < 2 || coarse.rows < 2) {
    throw InputError(std::vector<Diagnostic>{scenario.cell_size_place.error(
        "site.cell_size_m: " + format_number(size) + " m leaves fewer than 2 x 2 cells of the " +
        std::to_string(dem.geometry.columns) + " x " + std::to_string(dem.geometry.rows) +
        " DEM")});
  }
  RasterData averaged = resample_raster_to_grid(scenario.site.dem, coarse);
  averaged.notices = std::move(dem.notices);
  averaged.notices.push_back("site.cell_size_m: the DEM's " + std::to_string(dem.geometry.columns) +
                             " x " + std::to_string(dem.geometry.rows) + " cells of " +
                             format_number(native) + " m averaged onto " +
                             std::to_string(coarse.columns) + " x " + std::to_string(coarse.rows) +
                             " cells of " + format_number(size) + " m");
  return averaged;
}

}  // namespace

Site build_site(const Scenario& requested) {
  const Scenario scenario =
      requested.site.generate.enabled ? with_generated_site(requested) : requested;
  Site site;
  RasterData dem = read_dem(scenario.site.dem);
  if (scenario.site.cell_size_m > 0) dem = coarser_dem(scenario, std::move(dem));
  site.notices = dem.notices;
  RasterGrid grid(dem.geometry, dem.valid);
  site.state = std::make_unique<State>(grid, scenario.site.layer_bottoms_m.size());
  State& state = *site.state;

  Field& elevation = state.add({"topographic__elevation", "m", "land surface elevation",
                                Location::cell, ElementType::float64});
  auto z = elevation.values<double>();
  std::copy(dem.values.begin(), dem.values.end(), z.begin());

  // Latitude of the grid centre, for radiation (FAO-56); only when the CRS is known.
  if (const auto latitude = grid_centre_latitude(grid.geometry())) {
    state.add({"site__latitude", "degree", "latitude of the grid centre", Location::site,
               ElementType::float64},
              *latitude);
  }

  Field& zone_id = state.add({"zone__id", "1", "zone index (see the zone names in run.yaml)",
                              Location::cell, ElementType::float32});
  if (scenario.site.zones.empty()) {
    state.zone_names = {scenario.site.default_zone};
  } else {
    ZoneRaster zones = read_zones(scenario.site.zones, scenario.site.zone_attribute,
                                  scenario.site.default_zone, grid.geometry());
    state.zone_names = zones.names;
    site.notices.insert(site.notices.end(), zones.notices.begin(), zones.notices.end());
    auto ids = zone_id.values<float>();
    for (std::size_t c = 0; c < ids.size(); ++c) {
      if (grid.is_valid(c)) ids[c] = zones.ids[c];
    }
  }

  std::vector<Diagnostic> problems;
  for (std::size_t i = 0; i < scenario.measures.size(); ++i) {
    const std::string& zone = scenario.measures[i].zone;
    if (zone == "all") continue;
    if (std::find(state.zone_names.begin(), state.zone_names.end(), zone) ==
        state.zone_names.end()) {
      const std::string hint = closest_match(zone, state.zone_names);
      std::string known;
      for (const auto& n : state.zone_names) known += (known.empty() ? "" : ", ") + n;
      problems.push_back(scenario.measure_zone_places[i].error(
          "measures[" + std::to_string(i) + "] names zone '" + zone +
          "', which the site does not have (zones: " + known + ")" +
          (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
    }
  }
  // Numbers given by zone name: every zone must exist; cells of zones not listed get 0.
  const auto check_zones = [&](const std::map<std::string, double>& values,
                               const std::map<std::string, SourcePlace>& places,
                               const std::string& key) {
    for (const auto& entry : values) {
      const std::string& zone = entry.first;
      if (std::find(state.zone_names.begin(), state.zone_names.end(), zone) !=
          state.zone_names.end())
        continue;
      const std::string hint = closest_match(zone, state.zone_names);
      problems.push_back(
          places.at(zone).error(key + " names zone '" + zone + "', which the site does not have" +
                                (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
    }
  };
  check_zones(scenario.site.initial_cover, scenario.initial_cover_places, "site.initial_cover");
  check_zones(scenario.site.cover_thickness_m, scenario.cover_thickness_places,
              "site.cover_thickness_m");
  if (!problems.empty()) throw InputError(std::move(problems));
  const auto fill_by_zone = [&](Field& field, const std::map<std::string, double>& values) {
    const auto ids = zone_id.values<float>();
    for (std::size_t c = 0; c < ids.size(); ++c) {
      if (!grid.is_valid(c)) continue;
      const auto found = values.find(state.zone_names[static_cast<std::size_t>(ids[c])]);
      field.set(c, found == values.end() ? 0.0 : found->second);
    }
  };
  if (!scenario.site.initial_cover.empty()) {
    fill_by_zone(
        state.add({"vegetation__cover_fraction", "1", "fraction of the cell covered by vegetation",
                   Location::cell, ElementType::float32}),
        scenario.site.initial_cover);
  }
  // The landform check (models/terrain/landform_check.hpp) keeps it from here.
  if (!scenario.site.cover_thickness_m.empty()) {
    fill_by_zone(
        state.add({"cover__thickness", "m", "thickness of the engineered cover left over the waste",
                   Location::cell, ElementType::float64}),
        scenario.site.cover_thickness_m);
  }

  apply_soil_table(scenario.site.soil, scenario.site.layer_bottoms_m, state);
  site.climate = load_climate(scenario.site.climate, scenario.climate_place,
                              scenario.daily_climate_place, scenario.simulation.start_year,
                              scenario.simulation.years, scenario.simulation.seed, &site.notices);
  return site;
}

}  // namespace minetwin
