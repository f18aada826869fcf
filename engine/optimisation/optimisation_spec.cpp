#include "engine/optimisation/optimisation_spec.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/summary.hpp"
#include "engine/scenario/schema.hpp"
#include "engine/scenario/yaml_tree.hpp"
#include "engine/sweep/sweep_schema_parts.hpp"

namespace minetwin::optimisation {
namespace {

std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string("(a list or mapping as a key)");
}

// decisions: {KEY: {min, max[, step][, integer]} | {choices: [...]}, ...}
YAML::Node check_decisions(const YAML::Node& value, const std::string& path, schema::Validator& v,
                           std::vector<Decision>& decisions) {
  if (!value.IsMap() || value.size() == 0) {
    v.error(value, path,
            "'decisions' expected a mapping of scenario keys to what the optimiser may set, e.g. "
            "'measures[3].rate_t_per_ha: {min: 0, max: 60, step: 5}' or "
            "'measures[6].plant_type: {choices: [robinia, pine]}'");
    return value;
  }
  const std::vector<std::string> known{"min", "max", "step", "integer", "choices"};
  for (auto it = value.begin(); it != value.end(); ++it) {
    Decision d;
    d.key = key_text(it->first);
    const std::string here = path + "." + d.key;
    const Diagnostic where = v.place(it->first, here);
    d.place = {where.file, where.line, where.column};
    const YAML::Node spec = it->second;
    if (!spec.IsMap()) {
      v.error(spec, here, "expected {min, max} (with step or integer: true) or {choices: [...]}");
      continue;
    }
    bool ok = true;
    for (auto a = spec.begin(); a != spec.end(); ++a) {
      const std::string name = key_text(a->first);
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        const std::string hint = closest_match(name, known);
        v.error(a->first, here + "." + name,
                "'" + name + "' is not a decision's key (min, max, step, integer, choices)" +
                    (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        ok = false;
      }
    }
    if (!ok) continue;
    if (const YAML::Node choices = spec["choices"]) {
      for (const char* other : {"min", "max", "step", "integer"})
        if (spec[other]) {
          v.error(spec[other], here + "." + other,
                  std::string("a decision among choices takes no '") + other + "'");
          ok = false;
        }
      if (!choices.IsSequence() || choices.size() < 2) {
        v.error(choices, here + ".choices",
                "a categorical decision needs a list of at least two choices");
        continue;
      }
      if (!ok) continue;
      d.kind = DecisionKind::choice;
      for (const auto& option : choices) d.choices.push_back(sweep::flow_yaml(option));
      decisions.push_back(std::move(d));
      continue;
    }
    for (const char* required : {"min", "max"})
      if (!spec[required]) {
        v.error(spec, here,
                std::string("a decision needs '") + required +
                    "' (or 'choices' for a categorical decision)");
        ok = false;
      }
    if (!ok) continue;
    const std::pair<const char*, double*> numbers[] = {
        {"min", &d.min}, {"max", &d.max}, {"step", &d.step}};
    for (const auto& [name, to] : numbers) {
      if (!spec[name]) continue;
      if (!schema::parse_number(spec[name], *to)) {
        v.error(spec[name], here + "." + name, std::string("'") + name + "' expected a number");
        ok = false;
      }
    }
    bool integer = false;
    if (const YAML::Node flag = spec["integer"]) {
      if (!flag.IsScalar() || (flag.Scalar() != "true" && flag.Scalar() != "false")) {
        v.error(flag, here + ".integer", "'integer' expected true or false");
        ok = false;
      } else {
        integer = flag.Scalar() == "true";
      }
    }
    if (!ok) continue;
    if (!(d.max > d.min)) {
      v.error(spec, here,
              "max (" + format_number(d.max) + ") must be greater than min (" +
                  format_number(d.min) + ")");
      continue;
    }
    if (spec["step"] && !(d.step > 0)) {
      v.error(spec["step"], here + ".step", "step must be > 0");
      continue;
    }
    if (integer) {
      if (spec["step"]) {
        v.error(spec["step"], here + ".step", "an integer decision takes no step (it is 1)");
        continue;
      }
      if (d.min != std::floor(d.min) || d.max != std::floor(d.max)) {
        v.error(spec, here, "an integer decision needs whole-number min and max");
        continue;
      }
      d.kind = DecisionKind::integer;
    }
    decisions.push_back(std::move(d));
  }
  return value;
}

schema::NodePtr optimisation_schema(OptimisationSpec* spec) {
  using namespace schema;
  auto objective = object(
      "What to minimise or maximise: a summary.csv metric in one year, or reduced over every "
      "simulated year (exactly one of year and over); with uncertain inputs, its mean over the "
      "members.",
      {{"metric", text("a summary.csv column")},
       {"year", optional(integer("the simulated calendar year (its summary row)", 0, {}))},
       {"over",
        optional(choice("the reduction over every simulated year", {"sum", "mean", "min", "max"}))},
       {"sense",
        with_default(choice("minimise or maximise", {"minimise", "maximise"}), "minimise")},
       {"name", optional(text("its column in the outputs (default: METRIC_YEAR or "
                              "METRIC_REDUCTION)"))}});
  objective->one_of = {{"year", "over"}};
  auto constraint = sweep::target_schema();
  constraint->doc =
      "A target every plan must meet: the metric of that year against the bound, in at least "
      "`probability` of the uncertainty members.";
  constraint->members.push_back(
      {"probability",
       with_default(number("the share of the members that must meet it", "1", 0, 1), "1")});
  return object(
      "A plan optimisation: the cheapest plans that meet the targets (docs/optimisation.md).",
      {{"scenario", path("the base plan (relative to this file)")},
       {"set", with_default(list("keys of the base scenario set for every plan, KEY=VALUE as "
                                 "`--set` takes them (the command line's --set come after), e.g. "
                                 "'site.cell_size_m=10' for quick evaluations",
                                 text("KEY=VALUE")),
                            "[]")},
       {"decisions",
        custom("What the optimiser may set: scenario keys by dotted name (as `--set` takes "
               "them) mapped to {min, max} (any number), {min, max, step} (the multiples of "
               "step from min), {min, max, integer: true} (a year, a count), or {choices: [...]} "
               "(a species, a material, `enabled` true/false for on/off).",
               "a mapping",
               [spec](const YAML::Node& value, const std::string& path, schema::Validator& v) {
                 return check_decisions(value, path, v, spec->decisions);
               })},
       {"objectives", list("what to minimise or maximise (one for cmaes and de; two or more "
                           "for nsga2)",
                           objective)},
       {"constraints", with_default(list("targets every plan must meet", constraint), "[]")},
       {"uncertain",
        optional(sweep::uncertain_inputs_schema(
            "Uncertain inputs every plan is run under: scenario keys mapped to a distribution (" +
                std::string(sweep::kDistributionSyntax) +
                "). Each plan runs `members` times with the same draws (common random numbers); "
                "objectives are member means, constraints probabilities.",
            &spec->uncertain))},
       {"members",
        with_default(integer("uncertainty members per plan (Latin hypercube draws of `uncertain`)",
                             1, 10000),
                     "1")},
       {"algorithm",
        with_default(choice("nsga2: multi-objective NSGA-II; cmaes: single-objective CMA-ES; de: "
                            "single-objective differential evolution (pagmo2); grid: every plan "
                            "of a finite decision space",
                            {"nsga2", "cmaes", "de", "grid"}),
                     "nsga2")},
       {"generations", with_default(integer("generations of the algorithm", 1, 100000), "10")},
       {"population",
        with_default(integer("plans per generation (nsga2: a multiple of 4)", 5, 100000), "16")},
       {"seed",
        with_default(integer("seed of the algorithm and the uncertainty draws", 0, 4294967295.0),
                     "1")}});
}

}  // namespace

const char* to_string(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::nsga2:
      return "nsga2";
    case Algorithm::cmaes:
      return "cmaes";
    case Algorithm::de:
      return "de";
    case Algorithm::grid:
      return "grid";
  }
  return "?";
}

const char* to_string(Reduction reduction) {
  switch (reduction) {
    case Reduction::year:
      return "year";
    case Reduction::sum:
      return "sum";
    case Reduction::mean:
      return "mean";
    case Reduction::min:
      return "min";
    case Reduction::max:
      return "max";
  }
  return "?";
}

OptimisationSpec load_optimisation(const std::filesystem::path& file) {
  const YAML::Node root = load_yaml_file(file);
  OptimisationSpec spec;
  spec.file = file;
  schema::Validator validator(file.string(), {});
  validator.set_base_dir(std::filesystem::absolute(file).parent_path().string());
  const YAML::Node resolved = validator.validate(*optimisation_schema(&spec), root, "");
  if (!validator.diagnostics().empty()) throw InputError(validator.diagnostics());

  std::vector<Diagnostic> problems;
  auto place = [&](const YAML::Node& node, const std::string& path) {
    return sweep::place_of_node(validator, node, path);
  };
  spec.scenario = resolved["scenario"].as<std::string>();
  spec.overrides = sweep::read_set_list(validator, root, resolved, "site.cell_size_m=10", problems);
  const std::string algorithm = resolved["algorithm"].as<std::string>();
  for (Algorithm a : {Algorithm::nsga2, Algorithm::cmaes, Algorithm::de, Algorithm::grid})
    if (algorithm == to_string(a)) spec.algorithm = a;
  spec.generations = resolved["generations"].as<std::size_t>();
  spec.population = resolved["population"].as<std::size_t>();
  spec.seed = resolved["seed"].as<std::uint64_t>();
  spec.members = resolved["members"].as<std::size_t>();

  const YAML::Node objectives = resolved["objectives"];
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    const YAML::Node o = objectives[i];
    Objective objective;
    objective.metric = o["metric"].as<std::string>();
    if (o["year"]) {
      objective.year = o["year"].as<int>();
    } else {
      const std::string over = o["over"].as<std::string>();
      for (Reduction r : {Reduction::sum, Reduction::mean, Reduction::min, Reduction::max})
        if (over == to_string(r)) objective.over = r;
    }
    objective.maximise = o["sense"].as<std::string>() == "maximise";
    objective.name = o["name"] ? o["name"].as<std::string>()
                               : objective.metric + "_" +
                                     (o["year"] ? std::to_string(objective.year)
                                                : std::string(to_string(objective.over)));
    objective.place = place(root["objectives"][i], "objectives[" + std::to_string(i) + "]");
    for (const Objective& earlier : spec.objectives)
      if (earlier.name == objective.name)
        problems.push_back(objective.place.error("objectives: two objectives are named '" +
                                                 objective.name + "' (give one a name)"));
    spec.objectives.push_back(std::move(objective));
  }
  const YAML::Node constraints = resolved["constraints"];
  for (std::size_t i = 0; i < constraints.size(); ++i) {
    Constraint c;
    c.target.metric = constraints[i]["metric"].as<std::string>();
    c.target.year = constraints[i]["year"].as<int>();
    c.target.op = constraints[i]["op"].as<std::string>();
    c.target.value = constraints[i]["value"].as<double>();
    c.target.place = place(root["constraints"][i], "constraints[" + std::to_string(i) + "]");
    c.probability = constraints[i]["probability"].as<double>();
    spec.constraints.push_back(std::move(c));
  }

  // What each algorithm can do (pagmo2: NSGA-II is multi-objective, CMA-ES and DE are not).
  const SourcePlace algorithm_place =
      root["algorithm"] ? place(root["algorithm"], "algorithm") : place(root, "");
  const std::size_t n_objectives = spec.objectives.size();
  if (spec.algorithm == Algorithm::nsga2 && n_objectives < 2)
    problems.push_back(algorithm_place.error(
        "algorithm: nsga2 is multi-objective and needs at least two objectives (one objective: "
        "cmaes, de or grid)"));
  if ((spec.algorithm == Algorithm::cmaes || spec.algorithm == Algorithm::de) && n_objectives != 1)
    problems.push_back(algorithm_place.error(
        std::string("algorithm: ") + algorithm + " optimises one objective; " +
        std::to_string(n_objectives) + " are given (several: nsga2 or grid)"));
  if (spec.algorithm == Algorithm::nsga2 && spec.population % 4 != 0)
    problems.push_back(
        (root["population"] ? place(root["population"], "population") : algorithm_place)
            .error("population: nsga2 needs a multiple of 4, got " +
                   std::to_string(spec.population)));
  if (spec.algorithm == Algorithm::grid) {
    std::size_t plans = 1;
    for (const Decision& d : spec.decisions) {
      if (d.levels().empty()) {
        problems.push_back(d.place.error("decision '" + d.key +
                                         "': the grid needs a step for a continuous decision"));
        continue;
      }
      plans *= d.levels().size();
      if (plans > 100000) break;
    }
    if (plans > 100000)
      problems.push_back(algorithm_place.error(
          "algorithm: grid would run more than 100000 plans; give coarser steps or search "
          "with nsga2"));
  }
  if (!spec.uncertain.empty() && spec.members < 2)
    problems.push_back((root["members"] ? place(root["members"], "members")
                                        : place(root["uncertain"], "uncertain"))
                           .error("members: uncertain inputs need at least 2 members per plan"));
  if (spec.uncertain.empty() && spec.members > 1)
    problems.push_back(place(root["members"], "members")
                           .error("members: without uncertain inputs every member of a plan "
                                  "would be the same run; give `uncertain` or members: 1"));
  for (const auto& input : spec.uncertain)
    for (const Decision& d : spec.decisions)
      if (input.key == d.key)
        problems.push_back(input.place.error("uncertain: '" + input.key + "' is also a decision"));
  if (!problems.empty()) throw InputError(std::move(problems));
  spec.resolved_yaml = yaml_text(resolved);
  return spec;
}

std::string optimisation_reference_markdown() {
  OptimisationSpec unused;
  return schema::to_markdown(*optimisation_schema(&unused), "optimisation file");
}

}  // namespace minetwin::optimisation
