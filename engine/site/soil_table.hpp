#pragma once
/// @file
/// @brief The initial soil and contamination table: properties by zone and layer, turned into
/// per-layer fields of State.

#include <filesystem>
#include <string>
#include <vector>

#include "engine/scenario/soil_properties.hpp"

namespace minetwin {

class State;

/// Reads the table (`zone,layer,...`; layer 1 is the top) and writes one layer field per column
/// plus `soil__layer_thickness`. Every zone on the grid needs every layer; a zone in the table
/// that is not on the grid is an error (a typo would silently leave soil at its defaults).
void apply_soil_table(const std::filesystem::path& file, const std::vector<double>& layer_bottoms_m,
                      State& state);

}  // namespace minetwin
