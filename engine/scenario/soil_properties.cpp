#include "engine/scenario/soil_properties.hpp"

#include <algorithm>

namespace minetwin {

const std::vector<SoilColumn>& soil_columns() {
  static const std::vector<SoilColumn> columns = {
      {"sand_pct", "soil__sand_fraction", "1", "sand mass fraction of the fine earth", 0.01, 0, 100,
       true, true},
      {"silt_pct", "soil__silt_fraction", "1", "silt mass fraction of the fine earth", 0.01, 0, 100,
       true, true},
      {"clay_pct", "soil__clay_fraction", "1", "clay mass fraction of the fine earth", 0.01, 0, 100,
       true, true},
      {"rock_fragments_pct", "soil__rock_fragment_fraction", "1",
       "rock fragments (>2 mm), volume fraction", 0.01, 0, 95, true},
      {"bulk_density_g_cm3", "soil__bulk_density", "kg m-3", "dry bulk density", 1000.0, 0.3, 2.7,
       true},
      {"organic_carbon_pct", "soil__organic_carbon_fraction", "kg kg-1",
       "organic carbon mass fraction", 0.01, 0, 60, true},
      {"ph", "soil__ph", "1", "soil pH (water)", 1.0, 2, 12, true},
      {"cec_cmol_kg", "soil__cation_exchange_capacity", "mol kg-1", "cation exchange capacity",
       0.01, 0, 200, true},
      // Acid-base accounting (Sobek et al. 1978): sulfide sulfur, the acid-generating potential;
      // carbonate as CaCO3 equivalent, the neutralisation potential (docs/models/soil.md).
      // Sulfide S at most 50 % (issue 24; pyrite itself is 53.4 % S, massive sulfide ore 30-50).
      {"sulfide_s_pct", "soil__sulfide_sulfur_fraction", "kg kg-1",
       "sulfide sulfur mass fraction of the fine earth", 0.01, 0, 50, false, false,
       ElementType::float64},
      {"carbonate_pct", "soil__carbonate_fraction", "kg kg-1",
       "carbonate (neutralisation potential) as CaCO3 mass fraction of the fine earth", 0.01, 0,
       100, false, false, ElementType::float64},
      {"Cd_mg_kg", "soil_cd__total_concentration", "mg kg-1", "total cadmium content", 1.0, 0, 1e5,
       false, false, ElementType::float64},
      {"Pb_mg_kg", "soil_pb__total_concentration", "mg kg-1", "total lead content", 1.0, 0, 1e5,
       false, false, ElementType::float64},
      {"Zn_mg_kg", "soil_zn__total_concentration", "mg kg-1", "total zinc content", 1.0, 0, 1e5,
       false, false, ElementType::float64},
      {"Cu_mg_kg", "soil_cu__total_concentration", "mg kg-1", "total copper content", 1.0, 0, 1e5,
       false, false, ElementType::float64},
      {"As_mg_kg", "soil_as__total_concentration", "mg kg-1", "total arsenic content", 1.0, 0, 1e5,
       false, false, ElementType::float64},
      {"Sb_mg_kg", "soil_sb__total_concentration", "mg kg-1", "total antimony content", 1.0, 0, 1e5,
       false, false, ElementType::float64},
  };
  return columns;
}

const std::map<std::string, SoilMaterial>& builtin_soil_materials() {
  // Loam topsoil stripped and stockpiled before mining, and clean subsoil fill (MineTwin
  // defaults, docs/models/soil.md); metals at the background means of Chinese soils (China
  // National Environmental Monitoring Centre 1990: Cd 0.097, Pb 26.0, Zn 74.2, Cu 22.6, As 11.2,
  // Sb 1.21 mg/kg).
  static const std::map<std::string, SoilMaterial> materials = {
      {"topsoil",
       {{"sand_pct", 40},
        {"silt_pct", 40},
        {"clay_pct", 20},
        {"rock_fragments_pct", 5},
        {"bulk_density_g_cm3", 1.35},
        {"organic_carbon_pct", 1.2},
        {"ph", 6.8},
        {"cec_cmol_kg", 15},
        {"Cd_mg_kg", 0.097},
        {"Pb_mg_kg", 26.0},
        {"Zn_mg_kg", 74.2},
        {"Cu_mg_kg", 22.6},
        {"As_mg_kg", 11.2},
        {"Sb_mg_kg", 1.21}}},
      {"clean_subsoil",
       {{"sand_pct", 35},
        {"silt_pct", 40},
        {"clay_pct", 25},
        {"rock_fragments_pct", 15},
        {"bulk_density_g_cm3", 1.5},
        {"organic_carbon_pct", 0.3},
        {"ph", 7.2},
        {"cec_cmol_kg", 12},
        {"Cd_mg_kg", 0.097},
        {"Pb_mg_kg", 26.0},
        {"Zn_mg_kg", 74.2},
        {"Cu_mg_kg", 22.6},
        {"As_mg_kg", 11.2},
        {"Sb_mg_kg", 1.21}}},
  };
  return materials;
}

const SoilColumn* find_soil_column(std::string_view column) {
  const auto& columns = soil_columns();
  const auto found = std::find_if(columns.begin(), columns.end(),
                                  [&](const SoilColumn& c) { return column == c.column; });
  return found == columns.end() ? nullptr : &*found;
}

}  // namespace minetwin
