#pragma once
/// @file
/// @brief Builds a run's initial State from the scenario's site block.

#include <memory>
#include <string>
#include <vector>

#include "engine/grid/state.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/site/climate.hpp"

namespace minetwin {

/// Everything the site supplies: the initial State (elevation, zones, soil and contamination
/// layers) and the climate series.
struct Site {
  std::unique_ptr<State> state;
  ClimateSeries climate;
  std::vector<std::string> notices;  ///< e.g. "reprojected to UTM zone 50N"
};

/// Reads the DEM, zones, soil table and climate. Checks what needs the site: measures name
/// existing zones. Throws InputError with places.
Site build_site(const Scenario& scenario);

}  // namespace minetwin
