#include "engine/site/site_builder.hpp"

#include <algorithm>

#include "engine/io/gdal_raster.hpp"
#include "engine/io/vector_zones.hpp"
#include "engine/site/soil_table.hpp"

namespace minetwin {

Site build_site(const Scenario& scenario) {
  Site site;
  RasterData dem = read_dem(scenario.site.dem);
  site.notices = dem.notices;
  RasterGrid grid(dem.geometry, dem.valid);
  site.state = std::make_unique<State>(grid, scenario.site.layer_bottoms_m.size());
  State& state = *site.state;

  Field& elevation = state.add({"topographic__elevation", "m", "land surface elevation",
                                Location::cell, ElementType::float64});
  auto z = elevation.values<double>();
  std::copy(dem.values.begin(), dem.values.end(), z.begin());

  Field& zone_id = state.add({"zone__id", "1", "zone index (see the zone names in run.yaml)",
                              Location::cell, ElementType::float32});
  if (scenario.site.zones.empty()) {
    state.zone_names = {scenario.site.default_zone};
  } else {
    ZoneRaster zones = read_zones(scenario.site.zones, scenario.site.zone_attribute,
                                  scenario.site.default_zone, grid.geometry());
    state.zone_names = zones.names;
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
  if (!problems.empty()) throw InputError(std::move(problems));

  apply_soil_table(scenario.site.soil, scenario.site.layer_bottoms_m, state);
  site.climate =
      load_climate(scenario.site.climate, scenario.climate_place, scenario.simulation.start_year,
                   scenario.simulation.years, scenario.simulation.seed);
  return site;
}

}  // namespace minetwin
