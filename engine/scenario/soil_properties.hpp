#pragma once
/// @file
/// @brief The soil properties MineTwin reads, once: the columns of the site's soil table and the
/// keys of a scenario's soil materials (topsoil, spoil, tailings, fill), and the fields they
/// become.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/grid/field.hpp"

namespace minetwin {

/// One soil property: how planners write it (CSV column, material key) and the field it becomes.
struct SoilColumn {
  const char* column;  ///< CSV header and material key
  const char* field;   ///< State field name
  const char* units;   ///< field units (SI or as declared)
  const char* long_name;
  double to_field;  ///< multiply the written value by this to get field units
  double minimum;   ///< allowed range of the written value
  double maximum;
  bool required;
  bool texture = false;  ///< sand, silt or clay: the three must sum to 100 %
  /// float64 for conserved quantities (metal contents: the metal ledger closes to 1e-9);
  /// float32 for measured properties (seven digits exceed any measurement, half the memory).
  ElementType type = ElementType::float32;
};

/// Texture, rock fragments, bulk density, organic carbon, pH, CEC, and the total metal contents
/// (optional `<Metal>_mg_kg`, one per species of the metals model).
const std::vector<SoilColumn>& soil_columns();

/// A named soil material: values by column, in written units (percent, g/cm3, mg/kg).
using SoilMaterial = std::map<std::string, double>;

/// The materials every scenario has (`topsoil`, `clean_subsoil`); a scenario's `materials:`
/// may redefine them. Background metal contents are the means of Chinese soils (CNEMC 1990).
const std::map<std::string, SoilMaterial>& builtin_soil_materials();

/// The column written as @p column, or nullptr.
const SoilColumn* find_soil_column(std::string_view column);

}  // namespace minetwin
