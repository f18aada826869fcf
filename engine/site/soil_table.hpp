#pragma once
/// @file
/// @brief The initial soil and contamination table: properties by zone and layer, turned into
/// per-layer fields of State.

#include <filesystem>
#include <string>
#include <vector>

namespace minetwin {

class State;

/// One column of the soil table and the field it becomes.
struct SoilColumn {
  const char* column;  ///< CSV header
  const char* field;   ///< State field name
  const char* units;   ///< field units (SI or as declared)
  const char* long_name;
  double to_field;  ///< multiply the CSV value by this to get field units
  double minimum;   ///< allowed range of the CSV value
  double maximum;
  bool required;
};

/// The columns MineTwin reads: texture, rock fragments, bulk density, organic carbon, pH, CEC,
/// and total metal contents (optional columns `<Metal>_mg_kg`).
const std::vector<SoilColumn>& soil_columns();

/// Reads the table (`zone,layer,...`; layer 1 is the top) and writes one layer field per column
/// plus `soil__layer_thickness`. Every zone on the grid needs every layer; a zone in the table
/// that is not on the grid is an error (a typo would silently leave soil at its defaults).
void apply_soil_table(const std::filesystem::path& file, const std::vector<double>& layer_bottoms_m,
                      State& state);

}  // namespace minetwin
