#pragma once
/// @file
/// @brief Reading YAML files with located syntax errors, and `--set KEY=VALUE` overrides.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace minetwin {

/// Parses a YAML file. Unreadable files and syntax errors throw InputError with the place.
YAML::Node load_yaml_file(const std::filesystem::path& file);

/// Applies "a.b[2].c=VALUE" assignments (VALUE is parsed as YAML, so lists and numbers work)
/// and returns the dotted paths set, for error places. Malformed assignments throw InputError.
std::set<std::string> apply_overrides(YAML::Node& root,
                                      const std::vector<std::string>& assignments);

}  // namespace minetwin
