#include "models/vegetation/plant_types.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::vegetation {

std::span<const PlantType> plant_types() {
  // Specific leaf area from dry-matter values / 0.47 kg C per kg (IPCC 2006 Table 4.3); the
  // other values are MineTwin defaults within reported ranges (docs/models/vegetation.md).
  static constexpr PlantType types[] = {
      // name, layer, SLA, shares, turnover, Cmax, Topt, DPM/RPM, tolerance, N-fix, seedling, root
      {"grass", Layer::herb, 42.6, 0.5, 0.0, 0.5, 1.0, 0.0, 0.8, 0.4, 20, 0.67, 1, false, 0.01,
       0.2},
      {"alfalfa", Layer::herb, 42.6, 0.55, 0.0, 0.45, 1.0, 0.0, 0.6, 0.5, 22, 1.44, 1, true, 0.01,
       0.3},
      {"amorpha", Layer::woody, 31.9, 0.3, 0.4, 0.3, 1.0, 0.05, 0.5, 2.0, 22, 0.67, 2, true, 0.03,
       0.5},
      {"sea_buckthorn", Layer::woody, 31.9, 0.3, 0.4, 0.3, 1.0, 0.05, 0.5, 2.0, 20, 0.67, 2, true,
       0.03, 0.5},
      {"robinia", Layer::woody, 34.0, 0.2, 0.55, 0.25, 1.0, 0.015, 0.4, 8.0, 24, 0.25, 1.5, true,
       0.05, 0.8, 2.0},
      {"poplar", Layer::woody, 31.9, 0.2, 0.55, 0.25, 1.0, 0.03, 0.5, 7.0, 25, 0.25, 1, false, 0.05,
       0.8},
      {"pine", Layer::woody, 10.6, 0.25, 0.5, 0.25, 0.33, 0.02, 0.3, 6.0, 20, 0.25, 1, false, 0.05,
       0.6},
      // Phytoextraction BCFs (shoot/soil, Cd Pb Zn Cu As Sb). Pteris vittata, As: 0.67, the
      // geometric centre of 16 field-grown ferns' 0.06-7.43 near a Hunan arsenic mine (Chemosphere
      // 2006; up to ~100 in pot trials, Geosciences 2023, 13:8); its other metals at ordinary
      // grass values. Sedum (S. alfredii / plumbizincicola), Cd: 66, the 8-ha Yunnan field trial's
      // shoot Cd of about 170 mg/kg on soil of 2.58 mg/kg; Zn 5, Pb 0.05, Cu 0.2, As 0.2, Sb 0.05:
      // MineTwin defaults (field trials in south China report Zn shoot/soil ratios of several).
      // clang-format off
      {"pteris_vittata", Layer::herb, 42.6, 0.5, 0.0, 0.5, 1.0, 0.0, 0.8, 0.3, 24, 0.67, 10, false,
       0.01, 0.2, 1.0, {0.5, 0.02, 0.3, 0.1, 0.67, 0.02}},
      {"sedum_alfredii", Layer::herb, 42.6, 0.5, 0.0, 0.5, 1.0, 0.0, 0.8, 0.2, 22, 0.67, 10, false,
       0.01, 0.2, 1.0, {66.0, 0.05, 5.0, 0.2, 0.2, 0.05}},
      // clang-format on
  };
  return types;
}

const PlantType* find_plant_type(std::string_view name) {
  for (const auto& t : plant_types())
    if (t.name == name) return &t;
  return nullptr;
}

std::span<const ParameterSpec> plant_type_columns() {
  static constexpr ParameterSpec columns[] = {
      {"woody", "1", 0, 0, 1, "-", "1: shrub or tree (woody layer); 0: herb layer"},
      {"specific_leaf_area_m2_per_kg_c", "m2 kg-1", 40, 1, 200, "dry-matter SLA / 0.47",
       "leaf area per kg of leaf carbon"},
      {"leaf_share", "1", 0.5, 0, 1, "allocation", "share of NPP to leaves"},
      {"stem_share", "1", 0, 0, 1, "allocation", "share of NPP to stems (woody only)"},
      {"root_share", "1", 0.5, 0, 1, "allocation", "share of NPP to fine roots"},
      {"leaf_turnover_per_yr", "yr-1", 1, 0, 10, "phenology", "leaf turnover rate"},
      {"stem_turnover_per_yr", "yr-1", 0.02, 0, 1, "mortality", "stem turnover rate"},
      {"root_turnover_per_yr", "yr-1", 0.5, 0, 10, "root dynamics", "fine-root turnover rate"},
      {"max_carbon_kg_m2", "kg m-2", 1, 0.01, 100, "carrying capacity", "living carbon capacity"},
      {"optimum_temperature_c", "degC", 20, 0, 40, "CASA Topt", "optimum temperature"},
      {"dpm_rpm_ratio", "1", 0.67, 0.01, 10, "RothC 26.3", "DPM/RPM ratio of its litter"},
      {"metal_tolerance", "1", 1, 0.1, 100, "dose response",
       "multiplies the metal toxicity thresholds"},
      {"fixes_nitrogen", "1", 0, 0, 1, "-", "1: a nitrogen fixer"},
      {"seedling_carbon_kg_m2", "kg m-2", 0.01, 0.0001, 1, "planting", "carbon planted per m2"},
      {"rooting_depth_m", "m", 0.3, 0.01, 5, "establishment",
       "fine-earth depth it needs to establish well"},
      {"light_use_factor", "1", 1, 0.1, 5, "calibration (docs/models/vegetation.md)",
       "multiplies the CASA light-use efficiency for this type"},
      {"cd_bcf", "1", 0, 0, 500, "field trials (docs/models/vegetation.md)",
       "shoot/soil Cd ratio when harvested by phytoextraction (0 with all the others: not a "
       "phytoextraction plant)"},
      {"pb_bcf", "1", 0, 0, 500, "as cd_bcf", "shoot/soil Pb ratio when harvested"},
      {"zn_bcf", "1", 0, 0, 500, "as cd_bcf", "shoot/soil Zn ratio when harvested"},
      {"cu_bcf", "1", 0, 0, 500, "as cd_bcf", "shoot/soil Cu ratio when harvested"},
      {"as_bcf", "1", 0, 0, 500, "as cd_bcf", "shoot/soil As ratio when harvested"},
      {"sb_bcf", "1", 0, 0, 500, "as cd_bcf", "shoot/soil Sb ratio when harvested"},
  };
  return columns;
}

std::vector<double> to_row(const PlantType& t) {
  return {t.layer == Layer::woody ? 1.0 : 0.0,
          t.specific_leaf_area,
          t.leaf_share,
          t.stem_share,
          t.root_share,
          t.leaf_turnover,
          t.stem_turnover,
          t.root_turnover,
          t.max_carbon,
          t.optimum_temperature_c,
          t.dpm_rpm_ratio,
          t.metal_tolerance,
          t.fixes_nitrogen ? 1.0 : 0.0,
          t.seedling_carbon,
          t.rooting_depth_m,
          t.light_use_factor,
          t.shoot_bcf[0],
          t.shoot_bcf[1],
          t.shoot_bcf[2],
          t.shoot_bcf[3],
          t.shoot_bcf[4],
          t.shoot_bcf[5]};
}

PlantType from_row(std::span<const double> r) {
  return {"",    r[0] >= 0.5 ? Layer::woody : Layer::herb,
          r[1],  r[2],
          r[3],  r[4],
          r[5],  r[6],
          r[7],  r[8],
          r[9],  r[10],
          r[11], r[12] >= 0.5,
          r[13], r[14],
          r[15], {r[16], r[17], r[18], r[19], r[20], r[21]}};
}

}  // namespace minetwin::vegetation
