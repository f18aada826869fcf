#pragma once
/// @file
/// @brief The `planting` measure: seedlings of a plant type on a zone, with a survival that
/// depends on soil depth, pH and metal toxicity.

#include <memory>
#include <vector>

#include "engine/core/measure.hpp"

namespace minetwin::vegetation {

std::vector<std::unique_ptr<MeasureType>> vegetation_measures();

}  // namespace minetwin::vegetation
