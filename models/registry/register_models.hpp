#pragma once
/// @file
/// @brief The one place that lists the process models of this build.

#include "engine/core/registry.hpp"

namespace minetwin {

/// Registers every model's components (in coupling order) and measure types. A new model adds
/// one call here; the scenario loader, wiring check and docs pick it up from the registry.
void register_models(ModelRegistry& registry);

}  // namespace minetwin
