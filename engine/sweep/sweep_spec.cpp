#include "engine/sweep/sweep_spec.hpp"

#include <map>

#include "engine/scenario/schema.hpp"
#include "engine/scenario/yaml_tree.hpp"
#include "engine/sweep/sweep_schema_parts.hpp"

namespace minetwin::sweep {
namespace {

// A mapping key as text; a key that is itself a list or mapping (legal YAML) is no name.
std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string("(a list or mapping as a key)");
}

// The numbers each distribution takes: required ones, then those with a default.
struct DistributionArguments {
  DistributionKind kind;
  std::vector<std::string> required;
  std::map<std::string, double> defaults;
};

const std::vector<DistributionArguments>& distribution_arguments() {
  static const std::vector<DistributionArguments> table{
      {DistributionKind::uniform, {"min", "max"}, {}},
      {DistributionKind::normal, {"mean", "sd"}, {}},
      {DistributionKind::lognormal, {"median", "sigma"}, {}},
      {DistributionKind::triangular, {"min", "mode", "max"}, {}},
      {DistributionKind::truncated_normal, {"mean", "sd", "min", "max"}, {}},
      {DistributionKind::beta, {"alpha", "beta"}, {{"min", 0.0}, {"max", 1.0}}},
      {DistributionKind::choice, {"values"}, {}},
  };
  return table;
}

void set_argument(Distribution& d, const std::string& name, double value) {
  if (name == "min")
    d.min = value;
  else if (name == "max")
    d.max = value;
  else if (name == "mean")
    d.mean = value;
  else if (name == "sd")
    d.sd = value;
  else if (name == "median")
    d.median = value;
  else if (name == "sigma")
    d.sigma = value;
  else if (name == "mode")
    d.mode = value;
  else if (name == "alpha")
    d.alpha = value;
  else if (name == "beta")
    d.beta = value;
}

SourcePlace place_at(schema::Validator& v, const YAML::Node& node, const std::string& path) {
  const Diagnostic d = v.place(node, path);
  return {d.file, d.line, d.column};
}

// uncertain: {KEY: {dist: ..., ...}, ...}
YAML::Node check_uncertain(const YAML::Node& value, const std::string& path, schema::Validator& v,
                           std::vector<UncertainInput>& inputs) {
  if (!value.IsMap() || value.size() == 0) {
    v.error(value, path,
            "'uncertain' expected a mapping of scenario keys to distributions, e.g. "
            "'parameters.metals.cd_log_kd_shift: {dist: normal, mean: 0, sd: 0.2}'");
    return value;
  }
  std::vector<std::string> kinds;
  for (const auto& a : distribution_arguments()) kinds.emplace_back(to_string(a.kind));
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string key = key_text(it->first);
    const std::string here = path + "." + key;
    const YAML::Node spec = it->second;
    UncertainInput input;
    input.key = key;
    input.place = place_at(v, it->first, here);
    if (!spec.IsMap() || !spec["dist"] || !spec["dist"].IsScalar()) {
      v.error(
          spec, here, "expected a distribution: a mapping with 'dist' (one of " + [&] {
            std::string list;
            for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
            return list;
          }() + ") and its arguments");
      continue;
    }
    const std::string dist = spec["dist"].Scalar();
    const DistributionArguments* arguments = nullptr;
    for (const auto& a : distribution_arguments())
      if (dist == to_string(a.kind)) arguments = &a;
    if (!arguments) {
      const std::string hint = closest_match(dist, kinds);
      v.error(spec["dist"], here + ".dist",
              "unknown distribution '" + dist + "'" +
                  (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      continue;
    }
    Distribution& d = input.distribution;
    d.kind = arguments->kind;
    std::vector<std::string> known{"dist"};
    for (const auto& r : arguments->required) known.push_back(r);
    for (const auto& [name, _] : arguments->defaults) known.push_back(name);
    if (d.kind == DistributionKind::choice) known.push_back("weights");
    bool ok = true;
    for (auto a = spec.begin(); a != spec.end(); ++a) {
      const std::string name = key_text(a->first);
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        const std::string hint = closest_match(name, known);
        v.error(a->first, here + "." + name,
                "'" + name + "' is not an argument of " + dist +
                    (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        ok = false;
      }
    }
    for (const auto& r : arguments->required) {
      if (!spec[r]) {
        v.error(spec, here, dist + " needs '" + r + "'");
        ok = false;
      }
    }
    if (!ok) continue;
    if (d.kind == DistributionKind::choice) {
      const YAML::Node values = spec["values"];
      if (!values.IsSequence() || values.size() == 0) {
        v.error(values, here + ".values", "expected a non-empty list of values");
        continue;
      }
      for (const auto& option : values) d.choice_values.push_back(flow_yaml(option));
      if (const YAML::Node weights = spec["weights"]) {
        if (!weights.IsSequence()) {
          v.error(weights, here + ".weights", "expected a list of numbers");
          continue;
        }
        for (const auto& w : weights) {
          double number = 0;
          if (!schema::parse_number(w, number)) {
            v.error(w, here + ".weights", "expected a number");
            ok = false;
          }
          d.choice_weights.push_back(number);
        }
      } else {
        d.choice_weights.assign(d.choice_values.size(), 1.0);
      }
    } else {
      for (const auto& [name, fallback] : arguments->defaults) set_argument(d, name, fallback);
      for (auto a = spec.begin(); a != spec.end(); ++a) {
        const std::string name = key_text(a->first);
        if (name == "dist") continue;
        double number = 0;
        if (!schema::parse_number(a->second, number)) {
          v.error(a->second, here + "." + name, "'" + name + "' expected a number");
          ok = false;
        }
        set_argument(d, name, number);
      }
    }
    if (!ok) continue;
    if (const std::string problem = d.check(); !problem.empty()) {
      v.error(spec, here, "impossible distribution: " + problem);
      continue;
    }
    if (d.kind == DistributionKind::choice) {
      double sum = 0;
      for (double w : d.choice_weights) sum += w;
      if (!(sum > 0)) {
        v.error(spec, here, "impossible distribution: choice weights sum to 0");
        continue;
      }
      for (double& w : d.choice_weights) w /= sum;
    }
    inputs.push_back(std::move(input));
  }
  return value;
}

// maps: [NAME | {field: NAME, thresholds: [...]}, ...]
YAML::Node check_maps(const YAML::Node& value, const std::string& path, schema::Validator& v,
                      std::vector<MapSpec>& maps) {
  if (!value.IsSequence()) {
    v.error(value, path, "'maps' expected a list of field names (or {field, thresholds})");
    return value;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const YAML::Node entry = value[i];
    const std::string here = path + "[" + std::to_string(i) + "]";
    MapSpec map;
    map.place = place_at(v, entry, here);
    YAML::Node name_node;
    name_node.reset(entry);  // reset, not '=': assignment would overwrite the entry itself
    if (entry.IsMap()) {
      for (auto a = entry.begin(); a != entry.end(); ++a) {
        const std::string key = key_text(a->first);
        if (key != "field" && key != "thresholds") {
          const std::string hint = closest_match(key, {"field", "thresholds"});
          v.error(a->first, here + "." + key,
                  "unknown key '" + key + "' in a map" +
                      (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        }
      }
      // A const lookup of a missing key gives an invalid node, which reset() refuses.
      const YAML::Node field = entry["field"];
      name_node.reset(field.IsDefined() ? field : YAML::Node());
      if (const YAML::Node thresholds = entry["thresholds"]) {
        if (!thresholds.IsSequence()) {
          v.error(thresholds, here + ".thresholds", "expected a list of numbers");
        } else {
          for (const auto& t : thresholds) {
            double number = 0;
            if (!schema::parse_number(t, number))
              v.error(t, here + ".thresholds", "expected a number");
            map.thresholds.push_back(number);
          }
        }
      }
    }
    if (!name_node || !name_node.IsScalar()) {
      v.error(entry, here, "expected a field name, e.g. 'soil_cd__total_concentration[0]'");
      continue;
    }
    map.name = name_node.as<std::string>();
    if (const std::size_t bracket = map.name.find('[');
        bracket != std::string::npos && map.name.size() - bracket - 1 > 7) {
      v.error(name_node, here, "the layer number in '" + map.name + "' is too large");
      continue;
    }
    if (!parse_field_name(map.name, map.field, map.layer)) {
      v.error(name_node, here, "expected NAME or NAME[LAYER] with a layer number from 0");
      continue;
    }
    maps.push_back(std::move(map));
  }
  return value;
}

schema::NodePtr sweep_schema(SweepSpec* spec) {
  using namespace schema;
  auto target = target_schema();
  return object(
      "A Monte Carlo sweep of a scenario.",
      {{"scenario", path("the base scenario (relative to this file)")},
       {"samples", integer("base samples: members for lhs, sobol and random; "
                           "samples x (inputs + 2) members for saltelli",
                           1, 1000000)},
       {"method", with_default(choice("sampling design (docs/sweeps.md)",
                                      {"lhs", "sobol", "random", "saltelli"}),
                               "lhs")},
       {"seed", with_default(integer("seed of the design and of the bootstrap", 0, {}), "1")},
       {"bootstrap",
        with_default(integer("bootstrap resamples for the Sobol index intervals", 0, 100000),
                     "500")},
       {"uncertain",
        uncertain_inputs_schema(
            "Uncertain inputs: scenario keys by dotted name (as `--set` takes them) mapped to a "
            "distribution: " +
                std::string(kDistributionSyntax) + ".",
            &spec->uncertain)},
       {"metrics", list("summary.csv columns to keep per member and to describe per year",
                        text("a summary.csv column"))},
       {"maps", with_default(maps_schema(kMapsDoc, &spec->maps), "[]")},
       {"targets",
        with_default(list("targets: the probability of meeting each is reported", target), "[]")}});
}

}  // namespace

SourcePlace place_of_node(schema::Validator& validator, const YAML::Node& node,
                          const std::string& path) {
  return place_at(validator, node, path);
}

schema::NodePtr uncertain_inputs_schema(std::string doc, std::vector<UncertainInput>* inputs) {
  return schema::custom(
      std::move(doc), "a mapping",
      [inputs](const YAML::Node& value, const std::string& path, schema::Validator& v) {
        return check_uncertain(value, path, v, *inputs);
      });
}

schema::NodePtr maps_schema(std::string doc, std::vector<MapSpec>* maps) {
  return schema::custom(std::move(doc), "a list",
                        [maps](const YAML::Node& value, const std::string& path,
                               schema::Validator& v) { return check_maps(value, path, v, *maps); });
}

schema::NodePtr target_schema() {
  using namespace schema;
  return object("A planner's question: does the metric of that year meet the bound?",
                {{"metric", text("a metric (summary.csv column)")},
                 {"year", integer("the simulated calendar year (its summary row)", 0, {})},
                 {"op", choice("the comparison", {"<=", "<", ">=", ">"})},
                 {"value", number("the bound, in the metric's units", "", {}, {})}});
}

std::vector<Target> read_targets(schema::Validator& validator, const YAML::Node& root,
                                 const YAML::Node& resolved) {
  std::vector<Target> targets;
  const YAML::Node list = resolved["targets"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    Target t;
    t.metric = list[i]["metric"].as<std::string>();
    t.year = list[i]["year"].as<int>();
    t.op = list[i]["op"].as<std::string>();
    t.value = list[i]["value"].as<double>();
    t.place = place_at(validator, root["targets"][i], "targets[" + std::to_string(i) + "]");
    targets.push_back(std::move(t));
  }
  return targets;
}

std::vector<std::string> read_set_list(schema::Validator& validator, const YAML::Node& root,
                                       const YAML::Node& resolved, const std::string& example,
                                       std::vector<Diagnostic>& problems) {
  std::vector<std::string> assignments;
  for (const auto& assignment : resolved["set"]) {
    const std::string text = assignment.as<std::string>();
    if (text.find('=') == std::string::npos || text.front() == '=')
      problems.push_back(
          place_at(validator, root["set"][assignments.size()], "set")
              .error("set: expected KEY=VALUE, e.g. '" + example + "', got '" + text + "'"));
    assignments.push_back(text);
  }
  return assignments;
}

std::string flow_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << node;
  return out.c_str();
}

bool Target::met_by(double metric_value) const {
  if (op == "<=") return metric_value <= value;
  if (op == "<") return metric_value < value;
  if (op == ">=") return metric_value >= value;
  return metric_value > value;
}

SweepSpec load_sweep(const std::filesystem::path& file) {
  const YAML::Node root = load_yaml_file(file);
  SweepSpec spec;
  spec.file = file;
  schema::Validator validator(file.string(), {});
  validator.set_base_dir(std::filesystem::absolute(file).parent_path().string());
  const YAML::Node resolved = validator.validate(*sweep_schema(&spec), root, "");
  if (!validator.diagnostics().empty()) throw InputError(validator.diagnostics());

  spec.scenario = resolved["scenario"].as<std::string>();
  spec.samples = resolved["samples"].as<std::size_t>();
  const std::string method = resolved["method"].as<std::string>();
  for (auto m : {SamplingMethod::lhs, SamplingMethod::sobol, SamplingMethod::random,
                 SamplingMethod::saltelli})
    if (method == to_string(m)) spec.method = m;
  spec.seed = resolved["seed"].as<std::uint64_t>();
  spec.bootstrap = resolved["bootstrap"].as<std::size_t>();
  const YAML::Node metrics = root["metrics"];
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    spec.metrics.push_back(metrics[i].as<std::string>());
    spec.metric_places.push_back(
        place_at(validator, metrics[i], "metrics[" + std::to_string(i) + "]"));
  }
  spec.targets = read_targets(validator, root, resolved);
  spec.resolved_yaml = yaml_text(resolved);
  return spec;
}

std::string sweep_reference_markdown() {
  SweepSpec unused;
  return schema::to_markdown(*sweep_schema(&unused), "sweep file");
}

}  // namespace minetwin::sweep
