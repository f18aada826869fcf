#pragma once
/// @file
/// @brief Parts of the sweep file's schema that other ensemble files share (a calibration's
/// priors are a sweep's uncertain inputs; its forecast maps are a sweep's maps).

#include <string>
#include <vector>

#include "engine/grid/field.hpp"
#include "engine/scenario/schema.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace minetwin::sweep {

inline constexpr const char* kDistributionSyntax =
    "uniform {min, max}, normal {mean, sd}, lognormal {median, sigma}, triangular {min, mode, "
    "max}, truncated_normal {mean, sd, min, max}, beta {alpha, beta, min = 0, max = 1}, choice "
    "{values: [...], weights: [...]}";

inline constexpr const char* kMapsDoc =
    "Per-cell statistics of the final year's state: field names (NAME[LAYER] for a layer field), "
    "or {field, thresholds} for exceedance probabilities.";

/// A mapping of scenario keys to distributions, checked into @p inputs.
schema::NodePtr uncertain_inputs_schema(std::string doc, std::vector<UncertainInput>* inputs);

/// A list of maps, checked into @p maps.
schema::NodePtr maps_schema(std::string doc, std::vector<MapSpec>* maps);

/// The place of @p node in the file the validator reads.
SourcePlace place_of_node(schema::Validator& validator, const YAML::Node& node,
                          const std::string& path);

/// A target {metric, year, op, value}.
schema::NodePtr target_schema();

/// The validated `targets:` list of @p resolved, placed in @p root (as written).
std::vector<Target> read_targets(schema::Validator& validator, const YAML::Node& root,
                                 const YAML::Node& resolved);

/// The validated `set:` list of @p resolved (KEY=VALUE assignments for the base scenario, as
/// `--set` takes them); an entry without '=' is a problem at its place in @p root, shown with
/// @p example ("simulation.years=10").
std::vector<std::string> read_set_list(schema::Validator& validator, const YAML::Node& root,
                                       const YAML::Node& resolved, const std::string& example,
                                       std::vector<Diagnostic>& problems);

/// A YAML value as flow YAML text (a choice's value, as `--set` takes it).
std::string flow_yaml(const YAML::Node& node);

using minetwin::parse_field_name;  // engine/grid/field.hpp

}  // namespace minetwin::sweep
