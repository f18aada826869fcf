#pragma once
/// @file
/// @brief Fields of the vegetation model shared with the planting measure and the carbon and
/// indices models.

#include "models/fields.hpp"

namespace minetwin::vegetation {

constexpr TypedFieldSpec<double> pool(std::string_view name, std::string_view doc) {
  return TypedFieldSpec<double>{
      name, "kg m-2", Location::cell, Intent::inout, ElementType::float64, false, doc};
}
inline constexpr auto kHerbLeaf = fields::kHerbLeafCarbon;  // also cut by phytoextraction
inline constexpr TypedFieldSpec<double> kHerbRoot =
    pool("vegetation__herb_root_carbon", "carbon in the fine roots of the herb layer");
inline constexpr TypedFieldSpec<double> kWoodyLeaf =
    pool("vegetation__woody_leaf_carbon", "carbon in the leaves of shrubs and trees");
inline constexpr TypedFieldSpec<double> kWoodyStem =
    pool("vegetation__woody_stem_carbon", "carbon in stems, branches and coarse roots");
inline constexpr TypedFieldSpec<double> kWoodyRoot =
    pool("vegetation__woody_root_carbon", "carbon in the fine roots of shrubs and trees");
inline constexpr auto kHerbType = fields::kHerbPlantType;  // also read by phytoextraction
inline constexpr TypedFieldSpec<float> kWoodyType{
    "vegetation__woody_type",
    "1",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "plant type of the woody layer (1-based id; 0 none)"};
inline constexpr TypedFieldSpec<float> kWoodyAge{"vegetation__woody_age",
                                                 "year",
                                                 Location::cell,
                                                 Intent::inout,
                                                 ElementType::float32,
                                                 false,
                                                 "years since the woody layer was planted"};
inline constexpr TypedFieldSpec<double> kPlantedCarbon{
    "vegetation__planted_carbon",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "carbon planted or established this year (carbon ledger input)"};
inline constexpr TypedFieldSpec<double> kNppTotal{"vegetation__npp_total",
                                                  "kg",
                                                  Location::site,
                                                  Intent::inout,
                                                  ElementType::float64,
                                                  false,
                                                  "net primary production of the site this year"};
inline constexpr TypedFieldSpec<float> kLeafAreaIndex{
    "vegetation__leaf_area_index", "1", Location::cell, Intent::out, ElementType::float32, true,
    "leaf area index, both layers"};

// Declared once in models/fields.hpp: the soil carbon reads the litter, the metals and the
// carbon accounting the annual NPP.
inline constexpr auto kLitter = fields::kVegetationMonthlyLitter;
inline constexpr auto kLitterRatio = fields::kVegetationLitterRatio;
inline constexpr auto kAnnualNpp = fields::kVegetationAnnualNpp;

}  // namespace minetwin::vegetation
