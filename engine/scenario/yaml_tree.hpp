#pragma once
/// @file
/// @brief Reading YAML files with located syntax errors, and `--set KEY=VALUE` overrides.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace minetwin {

/// Parses a YAML file. Unreadable files, syntax errors, NUL bytes, nesting past the limit and
/// duplicate keys throw InputError with the place.
YAML::Node load_yaml_file(const std::filesystem::path& file);

/// The same checks on a text already read; @p file names it in the messages.
YAML::Node parse_yaml_text(const std::string& file, const std::string& text);

/// @p node as block YAML text, ending with a newline (a resolved file as written back).
std::string yaml_text(const YAML::Node& node);

/// Applies "a.b[2].c=VALUE" assignments (VALUE is parsed as YAML, so lists and numbers work)
/// and returns the dotted paths set, for error places. Malformed assignments throw InputError.
std::set<std::string> apply_overrides(YAML::Node& root,
                                      const std::vector<std::string>& assignments);

}  // namespace minetwin
