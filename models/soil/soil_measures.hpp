#pragma once
/// @file
/// @brief Soil reconstruction and pollution-control measures (docs/models/soil.md): placing,
/// replacing and mixing soil, lime, gypsum, ferrous sulfate, organic amendments, phosphate,
/// silicon, constructed wetlands, capping and phytoextraction harvests.

#include <memory>
#include <vector>

#include "engine/core/measure.hpp"

namespace minetwin::soil {

/// Every soil measure type, for the registry.
std::vector<std::unique_ptr<MeasureType>> soil_measures();

/// pH buffer capacity of a soil (mol(+) per kg per pH unit) from its organic carbon and clay
/// mass fractions (docs/models/soil.md).
double ph_buffer_capacity(double organic_carbon_fraction, double clay_fraction);

/// Molar mass of calcite, CaCO3 (kg mol-1): 2 mol(+) of neutralising charge per mol. Lime,
/// carbonate reserves and acidity are all counted in it (acid_generation.hpp).
inline constexpr double kCalciteMolarMass = 0.10009;

}  // namespace minetwin::soil
