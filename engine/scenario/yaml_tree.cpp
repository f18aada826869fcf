#include "engine/scenario/yaml_tree.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <string_view>

#include "engine/core/errors.hpp"

namespace minetwin {

namespace {

// The deepest nesting of flow collections ([ and {) a file may have: real scenarios use three or
// four levels, and yaml-cpp's own limit fails with no place ("bad file").
constexpr int kMaxNesting = 64;

// A NUL byte (a binary file, a broken editor) or nesting past the limit, with its place, before
// yaml-cpp sees the text (it reports neither where it is).
void check_text(const std::string& file, const std::string& text) {
  int line = 1, column = 1, depth = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i, ++column) {
    const char c = text[i];
    if (c == '\0') throw InputError(file, line, column, "NUL byte: the file is not YAML text");
    if (c == '\n') {
      ++line;
      column = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"')
        ++i, ++column;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t'))
      comment = true;
    else if ((c == '"' || c == '\'') &&
             (i == 0 || std::string_view(" \t\n[{,:").find(text[i - 1]) != std::string_view::npos))
      quote = c;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting)
        throw InputError(file, line, column,
                         "nesting deeper than " + std::to_string(kMaxNesting) +
                             " levels of [ and { (the limit)");
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

// YAML requires the keys of a mapping to be unique; yaml-cpp keeps both and the first wins
// without a word. Every repeated key at any level is refused at its second place.
void find_duplicate_keys(const std::string& file, const YAML::Node& node,
                         std::vector<Diagnostic>& problems, int depth = 0) {
  if (depth > kMaxNesting) return;  // block nesting this deep: yaml-cpp refused it already
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar()) {
        const std::string key = it->first.Scalar();
        const auto [first, inserted] = seen.emplace(key, it->first.Mark());
        if (!inserted) {
          const YAML::Mark at = it->first.Mark();
          problems.push_back({file, at.line + 1, at.column + 1,
                              "duplicate key '" + key + "' (first at line " +
                                  std::to_string(first->second.line + 1) +
                                  "): YAML keys must be unique"});
        }
      }
      find_duplicate_keys(file, it->second, problems, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (const auto& element : node) find_duplicate_keys(file, element, problems, depth + 1);
  }
}

}  // namespace

YAML::Node parse_yaml_text(const std::string& file, const std::string& text) {
  check_text(file, text);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file, e.mark.is_null() ? 0 : e.mark.line + 1,
                     e.mark.is_null() ? 0 : e.mark.column + 1, "YAML syntax: " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) {
    throw InputError(file, 1, 1, "the file is empty; expected a YAML mapping");
  }
  std::vector<Diagnostic> problems;
  find_duplicate_keys(file, root, problems);
  if (!problems.empty()) throw InputError(std::move(problems));
  return root;
}

YAML::Node load_yaml_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    throw InputError(file.string(), 0, 0, "cannot read the file (missing or not readable)");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_yaml_text(file.string(), text.str());
}

namespace {

struct Segment {
  std::string key;
  std::vector<std::size_t> indices;
};

// Splits "a.b[2].c" into keys with their list indices; returns what is wrong, or "" when the path
// is well formed.
std::string parse_path(const std::string& path, std::vector<Segment>& segments) {
  if (path.empty()) return "the key before '=' is empty";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    Segment segment;
    const std::size_t bracket = part.find('[');
    segment.key = part.substr(0, bracket);
    if (segment.key.empty())
      return bracket == 0 ? "'" + part + "' has an index but no key before it"
                          : "an empty key between dots in '" + path + "'";
    if (segment.key.find(']') != std::string::npos)
      return "']' without '[' in '" + segment.key + "'";
    std::size_t at = bracket;
    while (at != std::string::npos && at < part.size()) {
      const std::size_t close = part.find(']', at);
      if (part[at] != '[') return "'" + part.substr(at) + "' follows an index in '" + part + "'";
      if (close == std::string::npos) return "'[' without ']' in '" + part + "'";
      const std::string digits = part.substr(at + 1, close - at - 1);
      if (digits.empty()) return "an empty index '[]' in '" + part + "'";
      if (digits.find_first_not_of("0123456789") != std::string::npos)
        return "the index [" + digits + "] of '" + segment.key +
               "' must be a whole number from 0 (list elements count from 0)";
      if (digits.size() > 9)
        return "the index [" + digits + "] of '" + segment.key + "' is too large";
      segment.indices.push_back(std::stoul(digits));
      at = close + 1;
    }
    segments.push_back(std::move(segment));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return "";
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
    if (equals == std::string::npos) {
      problems.push_back({where, 0, 0,
                          "expected KEY=VALUE with KEY like 'simulation.years' or "
                          "'measures[2].rate_t_per_ha'"});
      continue;
    }
    if (const std::string bad = parse_path(assignment.substr(0, equals), segments); !bad.empty()) {
      problems.push_back({where, 0, 0, "bad KEY: " + bad});
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

std::string yaml_text(const YAML::Node& node) {
  YAML::Emitter emitter;
  emitter << node;
  return std::string(emitter.c_str()) + "\n";
}

}  // namespace minetwin
