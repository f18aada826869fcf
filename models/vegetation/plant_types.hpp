#pragma once
/// @file
/// @brief Plant functional types of the vegetation model: their parameters, with every value's
/// source in docs/models/vegetation.md (the equations are vegetation_equations.hpp).

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include <string_view>
#include "engine/core/component.hpp"

namespace minetwin::vegetation {

enum class Layer : unsigned char { herb, woody };

struct PlantType {
  std::string_view name;
  Layer layer;
  double specific_leaf_area;                           ///< m2 leaf per kg leaf C
  double leaf_share, stem_share, root_share;           ///< allocation of NPP
  double leaf_turnover, stem_turnover, root_turnover;  ///< yr-1 (litter, mortality)
  double max_carbon;             ///< kg C m-2, carrying capacity of the living pools
  double optimum_temperature_c;  ///< CASA Topt
  double dpm_rpm_ratio;          ///< of its litter (RothC 26.3 values)
  double metal_tolerance;        ///< multiplies the toxicity thresholds (hyperaccumulators > 1)
  bool fixes_nitrogen;           ///< legumes, Robinia, Amorpha: less limited on raw spoil
  double seedling_carbon;        ///< kg C m-2 planted
  double rooting_depth_m;        ///< fine-earth depth it needs to establish well
  /// Multiplies the CASA light-use efficiency ε* (a global calibration, 0.389 g C MJ-1): 1 for
  /// herbs; above 1 for trees whose stand NPP is calibrated on chronosequences.
  double light_use_factor = 1.0;
  /// Shoot/soil concentration ratios of Cd, Pb, Zn, Cu, As, Sb (the metals model's order) for
  /// phytoextraction harvests; all 0: not a phytoextraction plant (docs/models/vegetation.md).
  std::array<double, 6> shoot_bcf{};
  bool phytoextracts() const {
    return std::any_of(shoot_bcf.begin(), shoot_bcf.end(), [](double b) { return b > 0; });
  }
};

/// The built-in types, id = index + 1 (0 means none).
std::span<const PlantType> plant_types();

/// The id of a type-id field's value (the fields are float): its integer part when it names one
/// of @p type_count types, else 0 (none; also for _FillValue and NaN). Branch-free, for loops.
inline std::int32_t type_index(float id, std::size_t type_count) {
  return id >= 1.0f && id < static_cast<float>(type_count) + 1.0f ? static_cast<std::int32_t>(id)
                                                                  : 0;
}
const PlantType* find_plant_type(std::string_view name);

/// The columns of the `plant_types` table a scenario may extend (one per PlantType property;
/// `woody` and `fixes_nitrogen` are 0 or 1), with units, defaults, ranges and sources.
std::span<const ParameterSpec> plant_type_columns();
/// A type as a row of those columns, and back (the name is not part of the row).
std::vector<double> to_row(const PlantType& type);
PlantType from_row(std::span<const double> row);

}  // namespace minetwin::vegetation
