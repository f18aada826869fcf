#pragma once
/// @file
/// @brief Fields of the soil-carbon model shared with the amendment measure and the carbon
/// accounting.

#include "engine/core/component.hpp"
#include "models/fields.hpp"

namespace minetwin::carbon {

// The pools are shared with the soil redistribution by erosion: models/fields.hpp.
using fields::kBio;
using fields::kBiochar;
using fields::kDpm;
using fields::kHum;
using fields::kIom;
using fields::kRpm;
// The amendment inputs are shared with the soil measures: models/fields.hpp.
using fields::kBiocharInput;
using fields::kManureInput;
inline constexpr TypedFieldSpec<double> kMoistureDeficit{
    "soil_carbon__moisture_deficit",
    "mm",
    Location::cell,
    Intent::inout,
    ElementType::float64,
    false,
    "RothC accumulated topsoil moisture deficit (<= 0)"};
/// The spin-up's input calibration (docs/models/carbon.md, "Undisturbed soils"): 1 where all
/// litter enters RothC's layer; on soils measured under established vegetation 0 while the
/// spin-up holds them at their measured carbon (its first 1 + `spin_up_years` years), then the
/// share that keeps that carbon at RothC's equilibrium, which the site's other soils then take.
inline constexpr TypedFieldSpec<float> kLitterInputShare{
    "soil_carbon__litter_input_share",
    "1",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "share of the litter carbon that enters the modelled soil layer (the rest is respired at the "
    "surface or enters deeper soil); 0 while the spin-up holds the soil (its first years)",
    false,
    1.0};
inline constexpr TypedFieldSpec<double> kRespiredTotal{
    "soil_carbon__respired_total",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "heterotrophic respiration (CO2-C) of the site this year"};
inline constexpr TypedFieldSpec<double> kMeasureChange{
    "soil_carbon__measure_change",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "soil carbon added (+) or removed (-) by measures this year"};

}  // namespace minetwin::carbon
