#include "engine/scenario/schema.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "engine/core/summary.hpp"

namespace minetwin::schema {
namespace {

NodePtr make(Kind kind, std::string doc) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->doc = std::move(doc);
  return node;
}

bool defined(const YAML::Node& value) {
  return value.IsDefined() && !value.IsNull();
}

// An object whose members all have defaults (or are optional) may be omitted entirely.
bool can_default_to_empty(const Node& schema) {
  if (schema.kind != Kind::object || !schema.one_of.empty()) return false;
  for (const auto& m : schema.members) {
    if (m.node->default_yaml || m.node->optional) continue;
    if (!can_default_to_empty(*m.node)) return false;
  }
  return true;
}

std::string range_text(const Node& s) {
  std::string text;
  if (s.minimum) text += (s.exclusive_minimum ? "> " : ">= ") + format_number(*s.minimum);
  if (s.maximum)
    text += (text.empty() ? "" : ", ") + std::string("<= ") + format_number(*s.maximum);
  if (!s.choices.empty()) {
    for (const auto& c : s.choices)
      text += (text.empty() ? "" : " | ") + std::string("`") + c + "`";
  }
  if (s.length) text += (text.empty() ? "" : ", ") + std::to_string(*s.length) + " values";
  return text;
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

}  // namespace

NodePtr object(std::string doc, std::vector<Member> members) {
  auto node = make(Kind::object, std::move(doc));
  node->members = std::move(members);
  return node;
}

NodePtr number(std::string doc, std::string units, std::optional<double> minimum,
               std::optional<double> maximum) {
  auto node = make(Kind::number, std::move(doc));
  node->units = std::move(units);
  node->minimum = minimum;
  node->maximum = maximum;
  return node;
}

NodePtr integer(std::string doc, std::optional<double> minimum, std::optional<double> maximum) {
  auto node = make(Kind::integer, std::move(doc));
  node->minimum = minimum;
  node->maximum = maximum;
  return node;
}

NodePtr text(std::string doc) {
  return make(Kind::string, std::move(doc));
}
NodePtr boolean(std::string doc) {
  return make(Kind::boolean, std::move(doc));
}
NodePtr path(std::string doc) {
  return make(Kind::path, std::move(doc));
}

NodePtr choice(std::string doc, std::vector<std::string> choices) {
  auto node = make(Kind::choice, std::move(doc));
  node->choices = std::move(choices);
  return node;
}

NodePtr list(std::string doc, NodePtr item) {
  auto node = make(Kind::list, std::move(doc));
  node->item = std::move(item);
  return node;
}

NodePtr number_list(std::string doc, std::string units, std::optional<std::size_t> length,
                    std::optional<double> minimum, std::optional<double> maximum) {
  auto node = make(Kind::number_list, std::move(doc));
  node->units = std::move(units);
  node->length = length;
  node->minimum = minimum;
  node->maximum = maximum;
  return node;
}

NodePtr custom(std::string doc, std::string type_name, CustomCheck check) {
  auto node = make(Kind::custom, std::move(doc));
  node->custom_type = std::move(type_name);
  node->custom = std::move(check);
  return node;
}

NodePtr with_default(NodePtr node, std::string default_yaml) {
  node->default_yaml = std::move(default_yaml);
  return node;
}

NodePtr optional(NodePtr node) {
  node->optional = true;
  return node;
}

std::string kind_name(const Node& schema) {
  switch (schema.kind) {
    case Kind::object:
      return "a mapping";
    case Kind::number:
      return "a number";
    case Kind::integer:
      return "an integer";
    case Kind::string:
      return "a text";
    case Kind::boolean:
      return "true or false";
    case Kind::path:
      return "a file path";
    case Kind::choice:
      return "one of " + range_text(schema);
    case Kind::list:
      return "a list";
    case Kind::number_list:
      return "a list of numbers";
    case Kind::custom:
      return schema.custom_type;
  }
  return "?";
}

bool parse_number(const YAML::Node& value, double& number) {
  if (!value.IsScalar()) return false;
  const std::string& text = value.Scalar();
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  in >> number;
  return !in.fail() && in.eof() && std::isfinite(number);
}

Validator::Validator(std::string file, std::set<std::string> overridden)
    : file_(std::move(file)), overridden_(std::move(overridden)) {}

Diagnostic Validator::place(const YAML::Node& where, const std::string& path) const {
  for (const auto& o : overridden_) {
    if (path == o || path.rfind(o + ".", 0) == 0 || path.rfind(o + "[", 0) == 0) {
      return Diagnostic{"<command line --set " + o + ">", 0, 0, ""};
    }
  }
  Diagnostic d{file_, 0, 0, ""};
  if (where.IsDefined()) {
    const YAML::Mark mark = where.Mark();
    if (!mark.is_null()) {
      d.line = mark.line + 1;
      d.column = mark.column + 1;
    }
  }
  return d;
}

void Validator::error(const YAML::Node& where, const std::string& path,
                      const std::string& message) {
  Diagnostic d = place(where, path);
  d.message = message;
  diagnostics_.push_back(std::move(d));
}

void Validator::check_range(const Node& s, double number, const YAML::Node& value,
                            const std::string& path) {
  const bool too_small =
      s.minimum && (s.exclusive_minimum ? number <= *s.minimum : number < *s.minimum);
  const bool too_large = s.maximum && number > *s.maximum;
  if (too_small || too_large) {
    error(value, path,
          "'" + path + "' is " + (value.IsScalar() ? value.Scalar() : format_number(number)) +
              (s.units.empty() || s.units == "1" ? "" : " " + s.units) + ", expected " +
              range_text(s));
  }
}

YAML::Node Validator::validate_scalar(const Node& s, const YAML::Node& value,
                                      const std::string& path) {
  auto expected = [&](const std::string& got) {
    error(value, path, "'" + path + "' expected " + kind_name(s) + ", got " + got);
    return YAML::Node();
  };
  if (!value.IsScalar()) return expected(value.IsSequence() ? "a list" : "a mapping");
  const std::string& text = value.Scalar();
  switch (s.kind) {
    case Kind::number: {
      double number = 0;
      if (!parse_number(value, number)) return expected("'" + text + "'");
      check_range(s, number, value, path);
      return YAML::Node(text);  // the text as written: run.yaml reproduces it exactly
    }
    case Kind::integer: {
      double number = 0;
      if (!parse_number(value, number) || std::floor(number) != number || std::abs(number) > 9e15) {
        return expected("'" + text + "'");
      }
      check_range(s, number, value, path);
      // The value the range check saw, written as plain digits: "3e2", "300.0" or "0300" would
      // otherwise reach yaml-cpp's integer conversion, which rejects the first two and reads
      // the third as octal. Plain integers keep their text, so run.yaml reproduces them.
      return YAML::Node(std::to_string(static_cast<long long>(number)));
    }
    case Kind::boolean: {
      bool flag = false;
      if (!YAML::convert<bool>::decode(value, flag)) return expected("'" + text + "'");
      return YAML::Node(flag);
    }
    case Kind::choice: {
      for (const auto& c : s.choices) {
        if (c == text) return YAML::Node(text);
      }
      const std::string hint = closest_match(text, s.choices);
      error(value, path,
            "'" + path + "' is '" + text + "', expected " + kind_name(s) +
                (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      return YAML::Node();
    }
    case Kind::path: {
      if (text.empty()) return expected("an empty text");
      std::filesystem::path file(text);
      if (file.is_relative() && !base_dir_.empty()) file = std::filesystem::path(base_dir_) / file;
      file = file.lexically_normal();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file, ec)) {
        error(value, path, "'" + path + "': file not found: " + file.string());
      }
      return YAML::Node(file.string());
    }
    default:
      return YAML::Node(text);
  }
}

YAML::Node Validator::validate_object(const Node& s, const YAML::Node& value,
                                      const std::string& path) {
  if (!value.IsMap()) {
    error(value, path,
          "'" + (path.empty() ? std::string("scenario") : path) +
              "' expected a mapping of keys, got " +
              (value.IsSequence() ? "a list" : "'" + value.Scalar() + "'"));
    return YAML::Node();
  }
  std::vector<std::string> known;
  for (const auto& m : s.members) known.push_back(m.key);
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string key = it->first.Scalar();
    bool found = false;
    for (const auto& k : known) found = found || k == key;
    if (found) continue;
    const std::string hint = closest_match(key, known);
    error(it->first, child_path(path, key),
          "unknown key '" + key + "'" + (path.empty() ? "" : " in '" + path + "'") +
              (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  for (const auto& group : s.one_of) {
    std::size_t given = 0;
    std::string names;
    for (const auto& k : group) {
      given += defined(value[k]) ? 1 : 0;
      names += (names.empty() ? "'" : ", '") + k + "'";
    }
    if (given != 1) {
      error(value, path,
            "'" + path + "' needs exactly one of " + names + ", got " + std::to_string(given));
    }
  }
  YAML::Node resolved(YAML::NodeType::Map);
  for (const auto& m : s.members) {
    const std::string member_path = child_path(path, m.key);
    const YAML::Node child = value[m.key];
    if (!defined(child)) {
      bool in_one_of = false;
      for (const auto& group : s.one_of) {
        for (const auto& k : group) in_one_of = in_one_of || k == m.key;
      }
      if (m.node->optional) {
        continue;  // absent stays absent, even an object whose members all have defaults
      }
      if (m.node->default_yaml) {
        resolved[m.key] = validate(*m.node, YAML::Load(*m.node->default_yaml), member_path);
      } else if (can_default_to_empty(*m.node)) {
        resolved[m.key] = validate(*m.node, YAML::Node(YAML::NodeType::Map), member_path);
      } else if (!m.node->optional && !in_one_of) {
        error(value, member_path,
              "missing key '" + member_path + "' (" + kind_name(*m.node) +
                  (m.node->units.empty() ? "" : ", " + m.node->units) + ")");
      }
      continue;
    }
    YAML::Node checked = validate(*m.node, child, member_path);
    if (checked.IsDefined()) resolved[m.key] = checked;
  }
  return resolved;
}

YAML::Node Validator::validate(const Node& s, const YAML::Node& value, const std::string& path) {
  switch (s.kind) {
    case Kind::object:
      return validate_object(s, value, path);
    case Kind::custom:
      return s.custom(value, path, *this);
    case Kind::list: {
      if (!value.IsSequence()) {
        error(value, path, "'" + path + "' expected a list");
        return YAML::Node();
      }
      YAML::Node resolved(YAML::NodeType::Sequence);
      for (std::size_t i = 0; i < value.size(); ++i) {
        YAML::Node item = validate(*s.item, value[i], path + "[" + std::to_string(i) + "]");
        if (item.IsDefined()) resolved.push_back(item);
      }
      return resolved;
    }
    case Kind::number_list: {
      if (!value.IsSequence()) {
        error(value, path, "'" + path + "' expected a list of numbers");
        return YAML::Node();
      }
      if (s.length && value.size() != *s.length) {
        error(value, path,
              "'" + path + "' has " + std::to_string(value.size()) + " values, expected " +
                  std::to_string(*s.length));
      }
      YAML::Node resolved(YAML::NodeType::Sequence);
      for (std::size_t i = 0; i < value.size(); ++i) {
        Node element = s;
        element.kind = Kind::number;
        YAML::Node item = validate_scalar(element, value[i], path + "[" + std::to_string(i) + "]");
        if (item.IsDefined()) resolved.push_back(item);
      }
      resolved.SetStyle(YAML::EmitterStyle::Flow);
      return resolved;
    }
    default:
      return validate_scalar(s, value, path);
  }
}

std::string to_markdown(const Node& schema, const std::string& title_path) {
  std::ostringstream out;
  std::vector<std::pair<std::string, const Node*>> sections{{title_path, &schema}};
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const auto [section_path, node] = sections[i];
    out << "### `" << (section_path.empty() ? "(top level)" : section_path) << "`\n\n";
    if (!node->doc.empty()) out << node->doc << "\n\n";
    for (const auto& group : node->one_of) {
      out << "Exactly one of:";
      for (const auto& k : group) out << " `" << k << "`";
      out << ".\n\n";
    }
    out << "| key | type | units | default | allowed | description |\n";
    out << "|---|---|---|---|---|---|\n";
    for (const auto& m : node->members) {
      const Node& child = *m.node;
      std::string def = child.default_yaml ? "`" + *child.default_yaml + "`"
                        : child.optional || can_default_to_empty(child) ? ""
                                                                        : "**required**";
      std::string doc = child.doc;
      for (auto& ch : doc) ch = ch == '\n' ? ' ' : ch;
      // A '|' inside a cell ends it in Markdown tables (GFM): escape it.
      auto cell = [](std::string text) {
        std::string escaped;
        for (char ch : text) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
        return escaped;
      };
      out << "| `" << m.key << "` | " << cell(kind_name(child)) << " | " << child.units << " | "
          << def << " | " << cell(range_text(child)) << " | " << cell(doc) << " |\n";
      const std::string sub = child_path(section_path, m.key);
      if (child.kind == Kind::object) sections.push_back({sub, &child});
      if (child.kind == Kind::list && child.item->kind == Kind::object) {
        sections.push_back({sub + "[]", child.item.get()});
      }
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace minetwin::schema
