#include "engine/calibration/calibration_spec.hpp"

#include "engine/scenario/schema.hpp"
#include "engine/scenario/yaml_tree.hpp"
#include "engine/sweep/sweep_schema_parts.hpp"

namespace minetwin::calibration {
namespace {

schema::NodePtr calibration_schema(CalibrationSpec* spec) {
  using namespace schema;
  auto observation = object(
      "One source of observations: exactly one of points, raster or series.",
      {{"points", optional(path("CSV with columns year,x,y,field,value,sd (year: the state on "
                                "1 January, as in state.nc; x, y in the DEM's CRS; field NAME or "
                                "NAME[LAYER] of a state field)"))},
       {"raster", optional(path("any GDAL raster of one field in one year: as fine as the "
                                "grid or finer (or in another CRS) resampled onto it, cells "
                                "averaged; coarser, each pixel compared with the mean of the "
                                "cells it covers; nodata skipped"))},
       {"series", optional(path("CSV with columns year,metric,value,sd of summary.csv metrics "
                                "(year: the summary row)"))},
       {"field", optional(text("raster: the state field it shows (NAME or NAME[LAYER])"))},
       {"year",
        optional(integer(
            "raster: the year of the state it shows (state on 1 January, as in state.nc)", 0, {}))},
       {"sd", optional(number("raster: each datum's (cell's or pixel's) error standard "
                              "deviation, in the field's units",
                              "", 0, {}))},
       {"name", optional(text("the group's name in fit.csv (default: the file's name)"))},
       {"assimilate",
        with_default(choice("what the data inform: the parameters (the ensemble smoother), the "
                            "state (the forecast's state update; points and rasters, with "
                            "state_update: true), both (the data then count twice: "
                            "docs/calibration.md, State update), or none (withheld: compared in "
                            "fit.csv and observations.csv, never assimilated)",
                            {"both", "parameters", "state", "none"}),
                     "both")}});
  observation->one_of = {{"points", "raster", "series"}};
  observation->members[5].node->exclusive_minimum = true;
  auto target = sweep::target_schema();
  auto radius = number(
      "state update: the distance at which an observation's weight (Gaspari & Cohn 1999 "
      "taper) falls to zero",
      "m", 0, {});
  radius->exclusive_minimum = true;
  return object(
      "A calibration of a scenario's parameters to observations (docs/calibration.md).",
      {{"scenario", path("the base scenario (relative to this file)")},
       {"set", with_default(list("keys of the base scenario set for every member, KEY=VALUE as "
                                 "`--set` takes them (the command line's --set come after), "
                                 "e.g. 'simulation.years=10' for the monitoring period",
                                 text("KEY=VALUE")),
                            "[]")},
       {"parameters",
        sweep::uncertain_inputs_schema(
            "The parameters to fit: scenario keys by dotted name (as `--set` takes them) mapped "
            "to their prior distribution: " +
                std::string(sweep::kDistributionSyntax) +
                " (a choice cannot be fitted by an ensemble smoother).",
            &spec->parameters)},
       {"observations",
        list("the observations, each with its error standard deviation", observation)},
       {"method", with_default(choice("the assimilation method: the ensemble smoother with "
                                      "multiple data assimilation (Emerick & Reynolds 2013)",
                                      {"es-mda"}),
                               "es-mda")},
       {"iterations", with_default(integer("assimilations (each with the inflation factor "
                                           "alpha = iterations)",
                                           1, 20),
                                   "4")},
       {"ensemble", with_default(integer("members of the ensemble", 4, 100000), "32")},
       {"seed", with_default(integer("seed of the prior design and the observation "
                                     "perturbations",
                                     0, {}),
                             "1")},
       {"state_update",
        with_default(boolean("the posterior forecast updates the observed state fields at each "
                             "observation year by a localised ensemble Kalman analysis and "
                             "continues from the updated state; the analysed members' "
                             "checkpoints are kept in analysis/YEAR/"),
                     "false")},
       {"localisation_radius_m", with_default(radius, "100")},
       {"metrics", with_default(list("summary.csv columns the posterior forecast describes per "
                                     "year (the observed series' metrics are added)",
                                     text("a summary.csv column")),
                                "[]")},
       {"maps", with_default(sweep::maps_schema(sweep::kMapsDoc, &spec->maps), "[]")},
       {"targets",
        with_default(list("targets: the posterior probability of meeting each is reported", target),
                     "[]")}});
}

}  // namespace

CalibrationSpec load_calibration(const std::filesystem::path& file) {
  const YAML::Node root = load_yaml_file(file);
  CalibrationSpec spec;
  spec.file = file;
  schema::Validator validator(file.string(), {});
  validator.set_base_dir(std::filesystem::absolute(file).parent_path().string());
  const YAML::Node resolved = validator.validate(*calibration_schema(&spec), root, "");
  if (!validator.diagnostics().empty()) throw InputError(validator.diagnostics());

  std::vector<Diagnostic> problems;
  spec.scenario = resolved["scenario"].as<std::string>();
  spec.overrides = sweep::read_set_list(validator, root, resolved, "simulation.years=10", problems);
  spec.iterations = resolved["iterations"].as<std::size_t>();
  spec.ensemble = resolved["ensemble"].as<std::size_t>();
  spec.seed = resolved["seed"].as<std::uint64_t>();
  spec.state_update = resolved["state_update"].as<bool>();
  spec.localisation_radius_m = resolved["localisation_radius_m"].as<double>();
  spec.state_update_place = sweep::place_of_node(
      validator, root["state_update"] ? root["state_update"] : root, "state_update");
  for (const auto& parameter : spec.parameters)
    if (parameter.distribution.kind == sweep::DistributionKind::choice)
      problems.push_back(parameter.place.error(
          "parameters: '" + parameter.key +
          "' has a choice prior; an ensemble smoother fits continuous parameters only (run the "
          "alternatives as a sweep, or give a continuous prior)"));

  const YAML::Node observations = resolved["observations"];
  if (observations.size() == 0)
    problems.push_back(sweep::place_of_node(validator, root["observations"], "observations")
                           .error("observations: expected at least one source of observations"));
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const YAML::Node entry = observations[i];
    const YAML::Node written = root["observations"][i];
    const std::string here = "observations[" + std::to_string(i) + "]";
    ObservationSource source;
    source.place = sweep::place_of_node(validator, written, here);
    const char* kinds[] = {"points", "raster", "series"};
    for (int k = 0; k < 3; ++k)
      if (entry[kinds[k]]) {
        source.kind = static_cast<ObservationKind>(k);
        source.file = entry[kinds[k]].as<std::string>();
      }
    source.name = entry["name"] ? entry["name"].as<std::string>() : source.file.stem().string();
    const bool raster = source.kind == ObservationKind::raster;
    for (const char* key : {"field", "year", "sd"}) {
      if (raster && !entry[key])
        problems.push_back(source.place.error(here + ": a raster needs '" + key + "'"));
      if (!raster && entry[key])
        problems.push_back(sweep::place_of_node(validator, written[key], here + "." + key)
                               .error(here + "." + key + ": only a raster takes '" + key +
                                      "' (a CSV's rows carry their own field, year and sd)"));
    }
    if (raster && entry["field"] && entry["year"] && entry["sd"]) {
      source.field = entry["field"].as<std::string>();
      source.year = entry["year"].as<int>();
      source.sd = entry["sd"].as<double>();
      std::string name;
      int layer = -1;
      if (!sweep::parse_field_name(source.field, name, layer))
        problems.push_back(sweep::place_of_node(validator, written["field"], here + ".field")
                               .error(here + ".field: expected NAME or NAME[LAYER]"));
    }
    const std::string assimilate = entry["assimilate"].as<std::string>();
    source.for_parameters = assimilate == "both" || assimilate == "parameters";
    source.for_state =
        (assimilate == "both" || assimilate == "state") && source.kind != ObservationKind::series;
    if (assimilate == "state" && (source.kind == ObservationKind::series || !spec.state_update))
      problems.push_back(
          sweep::place_of_node(validator, written["assimilate"], here + ".assimilate")
              .error(here + ".assimilate: 'state' needs " +
                     (source.kind == ObservationKind::series
                          ? std::string("points or a raster (summary series are not state)")
                          : std::string("state_update: true"))));
    spec.observations.push_back(std::move(source));
  }
  const YAML::Node metrics = resolved["metrics"];
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    spec.metrics.push_back(metrics[i].as<std::string>());
    spec.metric_places.push_back(
        sweep::place_of_node(validator, root["metrics"][i], "metrics[" + std::to_string(i) + "]"));
  }
  spec.targets = sweep::read_targets(validator, root, resolved);
  if (!problems.empty()) throw InputError(std::move(problems));
  spec.resolved_yaml = yaml_text(resolved);
  return spec;
}

std::string calibration_reference_markdown() {
  CalibrationSpec unused;
  return schema::to_markdown(*calibration_schema(&unused), "calibration file");
}

}  // namespace minetwin::calibration
