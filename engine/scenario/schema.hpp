#pragma once
/// @file
/// @brief A small typed schema for YAML inputs: validation with located errors, defaults
/// filled in, unknown keys reported with a "did you mean", and a Markdown reference.
///
/// MOOSE's lesson (style.md 12-13): declare every key once, with type, units, range, default
/// and doc; walk the whole tree, collect every problem with its place, and treat unknown keys
/// as errors so that a typo never falls back to a default.

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/core/errors.hpp"

namespace minetwin::schema {

enum class Kind {
  object,
  number,
  integer,
  string,
  boolean,
  path,
  choice,
  list,
  number_list,
  custom
};

class Validator;
struct Node;
using NodePtr = std::shared_ptr<Node>;

/// A custom check: validates @p value at @p path and returns the resolved node.
using CustomCheck = std::function<YAML::Node(const YAML::Node& value, const std::string& path,
                                             Validator& validator)>;

struct Member {
  std::string key;
  NodePtr node;
};

/// One schema node. Build them with the helper functions below.
struct Node {
  Kind kind = Kind::object;
  std::string doc;
  std::string units;
  std::optional<double> minimum;
  std::optional<double> maximum;
  bool exclusive_minimum = false;
  std::optional<std::string> default_yaml;  ///< default as YAML text; none and !optional: required
  bool optional = false;                    ///< may be absent without a default
  std::vector<Member> members;              ///< object members, in documentation order
  NodePtr item;                             ///< list items
  std::vector<std::string> choices;         ///< choice values
  std::optional<std::size_t> length;        ///< fixed number_list length
  CustomCheck custom;
  std::string custom_type;  ///< how a custom node's type reads in the reference
  /// Sets of members of which exactly one must be given (e.g. year | years | every_years).
  std::vector<std::vector<std::string>> one_of;
};

NodePtr object(std::string doc, std::vector<Member> members);
NodePtr number(std::string doc, std::string units, std::optional<double> minimum,
               std::optional<double> maximum);
NodePtr integer(std::string doc, std::optional<double> minimum, std::optional<double> maximum);
NodePtr text(std::string doc);
NodePtr boolean(std::string doc);
NodePtr path(std::string doc);
NodePtr choice(std::string doc, std::vector<std::string> choices);
NodePtr list(std::string doc, NodePtr item);
NodePtr number_list(std::string doc, std::string units, std::optional<std::size_t> length,
                    std::optional<double> minimum, std::optional<double> maximum);
NodePtr custom(std::string doc, std::string type_name, CustomCheck check);
/// Returns @p node with a default (YAML text) set.
NodePtr with_default(NodePtr node, std::string default_yaml);
NodePtr optional(NodePtr node);

/// Walks a YAML tree against a schema, collecting diagnostics.
class Validator {
 public:
  /// @param overridden dotted paths set on the command line (their places are reported so).
  Validator(std::string file, std::set<std::string> overridden);

  /// Validates @p value (may be undefined for a missing key) and returns a resolved copy with
  /// every default filled in. Paths of resolved `path` nodes are made absolute against
  /// @p base_dir.
  YAML::Node validate(const Node& schema, const YAML::Node& value, const std::string& path);

  void error(const YAML::Node& where, const std::string& path, const std::string& message);
  void set_base_dir(std::string base_dir) { base_dir_ = std::move(base_dir); }
  const std::string& base_dir() const { return base_dir_; }
  Diagnostic place(const YAML::Node& where, const std::string& path) const;

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  YAML::Node validate_scalar(const Node& schema, const YAML::Node& value, const std::string& path);
  YAML::Node validate_object(const Node& schema, const YAML::Node& value, const std::string& path);
  void check_range(const Node& schema, double number, const YAML::Node& value,
                   const std::string& path);

  std::string file_;
  std::set<std::string> overridden_;
  std::string base_dir_;
  std::vector<Diagnostic> diagnostics_;
  YAML::Node last_object_;  // where to report a missing key
};

/// The reference, as Markdown tables (one per object), from the schema.
std::string to_markdown(const Node& schema, const std::string& title_path);

/// "a number", "an integer", ... for messages.
std::string kind_name(const Node& schema);
/// Parses a YAML scalar as a finite double; false when it is not one.
bool parse_number(const YAML::Node& value, double& number);

}  // namespace minetwin::schema
