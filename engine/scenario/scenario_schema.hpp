#pragma once
/// @file
/// @brief The schema of MineTwin's scenario YAML (internal to engine/scenario).

#include "engine/core/registry.hpp"
#include "engine/scenario/schema.hpp"

namespace minetwin {

/// The whole scenario schema; `measures` and `parameters` are checked against @p registry.
schema::NodePtr build_scenario_schema(const ModelRegistry& registry);

}  // namespace minetwin
