#include "engine/scenario/yaml_tree.hpp"

#include <fstream>
#include <sstream>

#include "engine/core/errors.hpp"

namespace minetwin {

YAML::Node load_yaml_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    throw InputError(file.string(), 0, 0, "cannot read the file (missing or not readable)");
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    YAML::Node root = YAML::Load(text.str());
    if (!root.IsDefined() || root.IsNull()) {
      throw InputError(file.string(), 1, 1, "the file is empty; expected a YAML mapping");
    }
    return root;
  } catch (const YAML::Exception& e) {
    throw InputError(file.string(), e.mark.is_null() ? 0 : e.mark.line + 1,
                     e.mark.is_null() ? 0 : e.mark.column + 1, "YAML syntax: " + e.msg);
  }
}

namespace {

struct Segment {
  std::string key;
  std::vector<std::size_t> indices;
};

bool parse_path(const std::string& path, std::vector<Segment>& segments) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    Segment segment;
    const std::size_t bracket = part.find('[');
    segment.key = part.substr(0, bracket);
    if (segment.key.empty()) return false;
    std::size_t at = bracket;
    while (at != std::string::npos && at < part.size()) {
      const std::size_t close = part.find(']', at);
      if (part[at] != '[' || close == std::string::npos || close == at + 1) return false;
      const std::string digits = part.substr(at + 1, close - at - 1);
      if (digits.find_first_not_of("0123456789") != std::string::npos) return false;
      segment.indices.push_back(std::stoul(digits));
      at = close + 1;
    }
    segments.push_back(std::move(segment));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return !segments.empty();
}

}  // namespace

std::set<std::string> apply_overrides(YAML::Node& root,
                                      const std::vector<std::string>& assignments) {
  std::set<std::string> paths;
  std::vector<Diagnostic> problems;
  for (const auto& assignment : assignments) {
    const std::string where = "<command line --set " + assignment + ">";
    const std::size_t equals = assignment.find('=');
    std::vector<Segment> segments;
    if (equals == std::string::npos || !parse_path(assignment.substr(0, equals), segments)) {
      problems.push_back({where, 0, 0,
                          "expected KEY=VALUE with KEY like 'simulation.years' or "
                          "'measures[2].rate_t_per_ha'"});
      continue;
    }
    const std::string key = assignment.substr(0, equals);
    YAML::Node value;
    try {
      value = YAML::Load(assignment.substr(equals + 1));
    } catch (const YAML::Exception& e) {
      problems.push_back({where, 0, 0, "the value is not valid YAML: " + e.msg});
      continue;
    }
    YAML::Node current;
    current.reset(root);
    bool ok = true;
    for (std::size_t s = 0; s < segments.size() && ok; ++s) {
      const Segment& segment = segments[s];
      const bool last_key = s + 1 == segments.size();
      if (last_key && segment.indices.empty()) {
        current[segment.key] = value;
        break;
      }
      if (!current.IsMap() && current.IsDefined() && !current.IsNull()) {
        problems.push_back(
            {where, 0, 0,
             "'" + key + "': '" + segment.key + "' is inside a value that is not a mapping"});
        ok = false;
        break;
      }
      YAML::Node next = current[segment.key];
      for (std::size_t i = 0; i < segment.indices.size(); ++i) {
        const std::size_t index = segment.indices[i];
        if (!next.IsSequence() || index >= next.size()) {
          problems.push_back(
              {where, 0, 0,
               "'" + key + "': no list element [" + std::to_string(index) + "] to set"});
          ok = false;
          break;
        }
        if (last_key && i + 1 == segment.indices.size()) {
          next[index] = value;
          break;
        }
        YAML::Node element = next[index];
        next.reset(element);
      }
      current.reset(next);
    }
    if (ok) paths.insert(key);
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return paths;
}

}  // namespace minetwin
