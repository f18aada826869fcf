#include "engine/scenario/scenario_schema.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "engine/core/summary.hpp"
#include "engine/scenario/soil_properties.hpp"

namespace minetwin {
namespace {

using namespace schema;

// A measure: type, where, when, and the parameters its registered type declares.
YAML::Node check_measure(const ModelRegistry& registry, const YAML::Node& value,
                         const std::string& path, Validator& validator) {
  if (!value.IsMap()) {
    validator.error(value, path,
                    "'" + path + "' expected a mapping with 'type', 'zone' and 'year'");
    return YAML::Node();
  }
  const YAML::Node type_node = value["type"];
  if (!type_node.IsDefined() || !type_node.IsScalar()) {
    validator.error(value, path + ".type", "'" + path + "' has no 'type'");
    return YAML::Node();
  }
  const std::string type_name = type_node.Scalar();
  const MeasureType* type = registry.find_measure(type_name);
  if (type == nullptr) {
    const auto known = registry.measure_names();
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    const std::string hint = closest_match(type_name, known);
    validator.error(type_node, path + ".type",
                    "measure type '" + type_name + "' is not implemented by any model in this " +
                        "build (known: " + (list.empty() ? "none" : list) + ")" +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    return YAML::Node();
  }
  // The common keys, then the type's own parameters, as one object schema.
  Node measure_schema = *object(
      "",
      {
          {"type", text("measure type")},
          {"name", optional(text("a label for reports"))},
          {"zone", with_default(text("zone name, or `all`"), "all")},
          {"year", integer("the one year it is applied", 1, 9999)},
          {"years", number_list("the years it is applied", "", std::nullopt, 1, 9999)},
          {"every_years", integer("applied every N years from first_year", 1, 1000)},
          {"enabled", optional(boolean("false: the measure is checked but never applied (a plan "
                                       "without it, e.g. an optimisation's on/off decision)"))},
          {"first_year", optional(integer("first year for every_years (default: start)", 1, 9999))},
          {"last_year", optional(integer("last year for every_years (default: end)", 1, 9999))},
      });
  measure_schema.one_of = {{"year", "years", "every_years"}};
  for (const auto& p : type->parameters()) {
    NodePtr node =
        p.is_text ? (p.choices.empty()
                         ? text(std::string(p.doc))
                         : choice(std::string(p.doc),
                                  std::vector<std::string>(p.choices.begin(), p.choices.end())))
                  : number(std::string(p.doc), std::string(p.units), p.minimum, p.maximum);
    if (!p.required) {
      if (p.is_text || std::isnan(p.default_value)) {
        node = optional(node);
      } else {
        node = with_default(node, format_number(p.default_value));
      }
    }
    measure_schema.members.push_back({std::string(p.name), node});
  }
  return validator.validate(measure_schema, value, path);
}

void flatten(const YAML::Node& node, const std::string& prefix,
             std::vector<std::pair<std::string, YAML::Node>>& leaves) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      flatten(it->second, prefix.empty() ? it->first.Scalar() : prefix + "." + it->first.Scalar(),
              leaves);
    }
  } else {
    leaves.emplace_back(prefix, node);
  }
}

YAML::Node check_parameters(const ModelRegistry& registry, const YAML::Node& value,
                            const std::string& path, Validator& validator) {
  YAML::Node resolved(YAML::NodeType::Map);
  if (!value.IsMap()) {
    validator.error(value, path, "'parameters' expected a mapping of parameter names to numbers");
    return resolved;
  }
  const auto known = registry.parameters();
  std::vector<std::string> names;
  for (const auto& k : known) names.push_back(k.dotted_name);
  std::vector<std::pair<std::string, YAML::Node>> leaves;
  flatten(value, "", leaves);
  for (const auto& [name, leaf] : leaves) {
    const std::string leaf_path = path + "." + name;
    const ModelRegistry::NamedParameter* found = nullptr;
    for (const auto& k : known) found = k.dotted_name == name ? &k : found;
    if (found == nullptr) {
      const std::string hint = closest_match(name, names);
      validator.error(leaf, leaf_path,
                      "unknown model parameter '" + name + "'" +
                          (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      continue;
    }
    const ParameterSpec& spec = found->spec;
    Node parameter =
        *number(std::string(spec.doc), std::string(spec.units), spec.minimum, spec.maximum);
    YAML::Node checked = validator.validate(parameter, leaf, leaf_path);
    if (checked.IsDefined()) resolved[name] = checked;
  }
  return resolved;
}

// A registered table: the built-in rows, then the scenario's; a row may start from another
// (`based_on`) and change some columns; a new row needs `based_on`.
YAML::Node check_table(const TableSpec& table, const YAML::Node& value, const std::string& path,
                       Validator& validator) {
  YAML::Node resolved(YAML::NodeType::Map);
  auto row_node = [&](const std::vector<double>& values) {
    YAML::Node row(YAML::NodeType::Map);
    for (std::size_t k = 0; k < table.columns.size(); ++k)
      row[std::string(table.columns[k].name)] = values[k];
    return row;
  };
  std::vector<std::string> names;
  for (const auto& [name, values] : table.builtin) {
    resolved[name] = row_node(values);
    names.push_back(name);
  }
  if (value.IsDefined() && !value.IsNull() && !value.IsMap()) {
    validator.error(value, path, "'" + table.name + "' expected a mapping of names to properties");
    return resolved;
  }
  std::vector<Member> members = {{"based_on", optional(text("the row this one starts from"))}};
  for (const auto& c : table.columns) {
    members.push_back(
        {std::string(c.name),
         optional(number(std::string(c.doc), std::string(c.units), c.minimum, c.maximum))});
  }
  const Node row_schema = *object("a row of " + table.name, members);
  auto add_row = [&](const std::string& name, const YAML::Node& written_row) {
    const std::string row_path = path + "." + name;
    const YAML::Node checked = validator.validate(row_schema, written_row, row_path);
    if (!checked.IsDefined() || !checked.IsMap()) return;
    std::string base = name;
    if (checked["based_on"]) base = checked["based_on"].as<std::string>();
    const YAML::Node& known = std::as_const(resolved);
    if (!known[base].IsDefined()) {
      const std::string hint = closest_match(base, names);
      const YAML::Node written = written_row;
      validator.error(
          checked["based_on"] ? std::as_const(written)["based_on"] : written, row_path,
          "'" + row_path + "' " +
              (checked["based_on"] ? "is based on '" + base + "', which is not"
                                   : std::string("is new and needs 'based_on'; ") + "it is not") +
              " a row of " + table.name + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      return;
    }
    YAML::Node row = YAML::Clone(known[base]);
    for (const auto& c : table.columns) {
      const std::string column(c.name);
      if (checked[column]) row[column] = checked[column].as<double>();
    }
    for (const auto& group : table.sum_to_one) {
      double sum = 0.0;
      std::string list;
      for (const auto& column : group) {
        sum += row[column].as<double>();
        list += (list.empty() ? "" : " + ") + column;
      }
      if (std::abs(sum - 1.0) > 1e-6) {
        validator.error(
            written_row, row_path,
            "'" + row_path + "': " + list + " is " + format_number(sum) + ", expected 1");
      }
    }
    if (!known[name].IsDefined()) names.push_back(name);
    resolved[name] = row;
  };
  if (!value.IsMap()) return resolved;

  // The scenario's rows and what each is based on; a row based on another of the scenario's
  // rows is resolved after it, wherever it stands in the file. A row based on its own name starts
  // from the built-in row of that name.
  std::vector<std::pair<std::string, YAML::Node>> rows;
  std::map<std::string, std::string> base_of;
  for (auto it = value.begin(); it != value.end(); ++it) {
    rows.emplace_back(it->first.Scalar(), it->second);
    const YAML::Node& row = rows.back().second;
    if (!row.IsMap()) continue;
    const YAML::Node based_on = std::as_const(row)["based_on"];  // invalid when absent
    if (based_on.IsDefined() && based_on.IsScalar()) base_of[rows.back().first] = based_on.Scalar();
  }
  auto scenario_row = [&](const std::string& name) {
    return std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == name; });
  };
  std::set<std::string> done, in_cycle;
  std::function<void(const std::string&, std::vector<std::string>&)> visit =
      [&](const std::string& name, std::vector<std::string>& chain) {
        if (done.count(name) != 0 || in_cycle.count(name) != 0) return;
        const auto cycle_start = std::find(chain.begin(), chain.end(), name);
        if (cycle_start != chain.end()) {
          std::string cycle;
          for (auto c = cycle_start; c != chain.end(); ++c) cycle += *c + " -> ";
          cycle += name;
          for (auto c = cycle_start; c != chain.end(); ++c) {
            in_cycle.insert(*c);
            const YAML::Node& row = scenario_row(*c)->second;
            validator.error(std::as_const(row)["based_on"], path + "." + *c,
                            "'" + path + "." + *c + "' is based on itself through a cycle: " +
                                cycle + "; one of them must be based on a built-in row");
          }
          return;
        }
        const auto base = base_of.find(name);
        if (base != base_of.end() && base->second != name &&
            scenario_row(base->second) != rows.end()) {
          chain.push_back(name);
          visit(base->second, chain);
          chain.pop_back();
          if (in_cycle.count(name) != 0) return;
        }
        done.insert(name);
        add_row(name, scenario_row(name)->second);
      };
  for (const auto& [name, row] : rows) {
    std::vector<std::string> chain;
    visit(name, chain);
  }
  return resolved;
}

// The soil materials: name -> properties, with the soil table's columns as keys.
YAML::Node check_materials(const YAML::Node& value, const std::string& path, Validator& validator) {
  YAML::Node resolved(YAML::NodeType::Map);
  for (const auto& [name, builtin] : builtin_soil_materials()) {
    for (const auto& [column, number] : builtin) resolved[name][column] = number;
  }
  if (value.IsDefined() && !value.IsNull() && !value.IsMap()) {
    validator.error(value, path, "'materials' expected a mapping of material names to properties");
    return resolved;
  }
  std::vector<Member> members;
  for (const auto& c : soil_columns()) {
    NodePtr node = number(c.long_name, c.units, c.minimum, c.maximum);
    node->units = "";  // written units are in the key's name (_pct, _g_cm3, _mg_kg)
    members.push_back({c.column, c.required ? node : with_default(node, "0")});
  }
  const Node material = *object("a soil material", members);
  for (auto it = value.begin(); value.IsMap() && it != value.end(); ++it) {
    const std::string name = it->first.Scalar();
    const std::string material_path = path + "." + name;
    YAML::Node checked = validator.validate(material, it->second, material_path);
    if (!checked.IsDefined() || !checked.IsMap()) continue;
    double texture = 0.0;
    for (const auto& c : soil_columns()) {
      if (c.texture && checked[c.column]) texture += checked[c.column].as<double>();
    }
    if (std::abs(texture - 100.0) > 2.0) {
      validator.error(it->second, material_path,
                      "'" + material_path + "': sand + silt + clay is " + format_number(texture) +
                          " %, expected 100 (within 2)");
    }
    resolved[name] = checked;
  }
  return resolved;
}

// A mapping of zone names to numbers within [minimum, maximum] (site.initial_cover,
// site.cover_thickness_m); the zones are checked against the site when it is built.
schema::NodePtr zone_values(std::string doc, std::string expected, std::string units,
                            double minimum, double maximum) {
  return custom(std::move(doc), "a mapping of zone to " + expected,
                [expected, units, minimum, maximum](const YAML::Node& value,
                                                    const std::string& path, Validator& v) {
                  YAML::Node resolved(YAML::NodeType::Map);
                  if (!value.IsMap()) {
                    v.error(value, path,
                            "'" + path + "' expected a mapping of zone names to " + expected);
                    return resolved;
                  }
                  const Node each = *number("", units, minimum, maximum);
                  for (auto it = value.begin(); it != value.end(); ++it) {
                    const std::string zone = it->first.Scalar();
                    YAML::Node checked = v.validate(each, it->second, path + "." + zone);
                    if (checked.IsDefined()) resolved[zone] = checked;
                  }
                  return resolved;
                });
}

}  // namespace

schema::NodePtr build_scenario_schema(const ModelRegistry& registry) {
  auto climate_normals = object(
      "Monthly climate normals; each year is drawn from them with seeded variation.",
      {
          {"temperature_c",
           number_list("mean air temperature, January to December", "degC", 12, -60, 50)},
          {"precipitation_mm",
           number_list("precipitation, January to December", "mm", 12, 0, 3000)},
          {"temperature_sd_c",
           with_default(number("sd of monthly temperature anomalies", "degC", 0, 10), "0.8")},
          {"precipitation_cv",
           with_default(number("coefficient of variation of monthly precipitation", "1", 0, 3),
                        "0.3")},
      });
  auto climate = object(
      "Monthly climate forcing: a CSV (`year,month,temperature_c,precipitation_mm` and optional "
      "`pet_mm`, `radiation_mj_m2`) covering every simulated month, or `normals` (exactly one; "
      "neither with `site.generate`, which writes the site's own climate CSV).",
      {
          {"csv", optional(path("monthly climate CSV"))},
          {"normals", optional(climate_normals)},
          {"precipitation_scale",
           with_default(number("multiplies all precipitation (what-if)", "1", 0, 10), "1")},
          {"temperature_shift_c",
           with_default(number("added to all temperatures (what-if)", "degC", -20, 20), "0")},
          {"wet_days",
           optional(number_list("mean number of days with >= 0.1 mm of precipitation, January "
                                "to December (the daily rain generator's wet-day frequency; "
                                "without it, wet days of about 12 mm)",
                                "day", 12, 0, 31))},
          {"wet_day_persistence",
           with_default(number("P(wet | wet) - P(wet | dry) of the daily wet/dry chain (Geng et "
                               "al. 1986: 0.25)",
                               "1", 0, 0.95),
                        "0.25")},
          {"daily_csv",
           optional(path("daily precipitation CSV (`year,month,day,precipitation_mm`) covering "
                         "every simulated day; replaces the months' precipitation"))},
      });
  auto generate =
      object("A synthetic mine site generated for the run (see docs/site.md), instead of `dem`.",
             {
                 {"kind", with_default(choice("kind of site", {"open_pit"}), "open_pit")},
                 {"size", with_default(integer("cells along each side", 32, 16384), "256")},
                 {"cell_m", with_default(number("cell size", "m", 0.5, 100), "5")},
                 {"seed",
                  with_default(integer("seed of the terrain noise and climate", 0, 9.007e15), "1")},
             });

  auto site = object(
      "The site: terrain, zones, initial soil and contamination, climate.",
      {
          {"dem", path("elevation raster, any GDAL format (GeoTIFF, ESRI ASCII grid, ...); "
                       "geographic DEMs are reprojected to their UTM zone")},
          {"generate", optional(generate)},
          {"cell_size_m",
           optional(number("run on cells of this size: the DEM averaged onto a coarser grid "
                           "(gdalwarp -r average) with the same north-west corner, zones and soil "
                           "on that grid; at least the DEM's own cell size. For quick sweeps, "
                           "calibrations and optimisations of a large site",
                           "m", 0.01, 10000))},
          {"zones", optional(path("zones: an OGR vector (GeoJSON, GeoPackage, Shapefile) with a "
                                  "name attribute, or a raster of zone ids"))},
          {"zone_attribute",
           with_default(text("attribute of the zone vector holding the zone name"), "name")},
          {"default_zone",
           with_default(text("zone of cells outside every zone polygon"), "undisturbed")},
          {"soil", optional(path("initial soil and contamination by zone and layer (CSV, see "
                                 "docs/site.md); required with `dem`"))},
          {"layer_bottoms_m", with_default(number_list("depth of the bottom of each soil layer",
                                                       "m", std::nullopt, 0.01, 10),
                                           "[0.2, 0.5, 1.0]")},
          {"climate", climate},
          {"initial_cover",
           optional(zone_values("initial vegetation cover fraction (0-1) by zone name; zones not "
                                "listed start bare. The vegetation model takes it over.",
                                "fractions 0-1", "1", 0.0, 1.0))},
          {"cover_thickness_m",
           optional(zone_values(
               "thickness of the engineered cover (topsoil, clean fill, store-and-release) over "
               "the waste by zone name, for the landform check (docs/models/terrain.md, "
               "\"Landform check\"); zones not listed have none. Cover measures add to it.",
               "thicknesses in m", "m", 0.0, 100.0))},
      });
  site->one_of = {{"dem", "generate"}};

  auto simulation = object(
      "Time span, seed and threads.",
      {
          {"start_year", with_default(integer("first simulated calendar year", 1, 9999), "2025")},
          {"years", with_default(integer("number of simulated years", 1, 1000), "50")},
          {"models",
           with_default(
               choice("which models run: `all`, or `landform` for a long-term landform check "
                      "(closure criteria, up to 1000 years): the climate's storms, terrain and "
                      "landform evolution, erosion, the soil it moves and the landform check "
                      "only; the vegetation keeps its initial cover and no water, metals or "
                      "carbon are modelled (docs/models/terrain.md, \"Landform check\")",
                      {"all", "landform"}),
               "all")},
          {"seed", with_default(integer("seed of every random draw", 0, 9.007e15), "1")},
          {"threads",
           with_default(
               integer("worker threads (0: all cores); results do not depend on it", 0, 1024),
               "0")},
          {"measures_after_the_run",
           with_default(choice("a measure scheduled after the last simulated year: 'error' (a "
                               "typo, as one before the first year) or 'drop' it with a notice "
                               "(a run shortened with --set simulation.years drops them; its "
                               "run.yaml says 'drop')",
                               {"error", "drop"}),
                        "error")},
      });

  auto outputs = object(
      "What state.nc records.",
      {
          {"every_years",
           with_default(
               custom("record the state every N years (the first and the last year always); "
                      "`auto`: every year unless the records would hold more than 6 GB of "
                      "values (about 1 GB of state.nc), else the shortest of 2, 5, 10 and 25 "
                      "years that keeps them within it",
                      "a whole number of years or auto",
                      [](const YAML::Node& value, const std::string& path, Validator& v) {
                        if (value.IsScalar() && value.Scalar() == "auto") return value;
                        double years = 0;
                        if (!value.IsScalar() || !parse_number(value, years) ||
                            years != std::floor(years) || years < 1 || years > 1000) {
                          v.error(value, path,
                                  "'" + path +
                                      "' expected a whole number of years from 1 to 1000, or "
                                      "auto");
                        }
                        return value;
                      }),
               "auto")},
          {"fields", with_default(list("fields to record (empty: every cell and layer field)",
                                       text("field name")),
                                  "[]")},
          {"precision",
           with_default(choice("precision of state.nc: float32 stores the float64 state fields "
                               "(metal contents, carbon pools, elevation) in single precision, "
                               "half the size; the run and its checkpoints keep float64",
                               {"float32", "float64"}),
                        "float32")},
      });

  auto measures = list(
      "Restoration measures. Each has a `type` implemented by a model, a `zone`, and exactly one "
      "of `year`, `years` or `every_years`, plus the parameters of its type (see Measure types).",
      custom("a measure", "a measure",
             [&registry](const YAML::Node& value, const std::string& path, Validator& v) {
               return check_measure(registry, value, path, v);
             }));

  auto materials = custom(
      "Soil materials by name, for the measures that place soil (`topsoil_cover`, "
      "`soil_replacement`): each a mapping with the soil table's columns as keys (`sand_pct`, "
      "`silt_pct`, `clay_pct`, `rock_fragments_pct`, `bulk_density_g_cm3`, `organic_carbon_pct`, "
      "`ph`, `cec_cmol_kg`, and optional `<Metal>_mg_kg`). `topsoil` and `clean_subsoil` are "
      "built in (docs/models/soil.md) and may be redefined.",
      "a mapping", [](const YAML::Node& value, const std::string& path, Validator& v) {
        return check_materials(value, path, v);
      });

  auto parameters = custom(
      "Overrides of model parameters by dotted name (`component.parameter`), as a flat or "
      "nested mapping (see Model parameters).",
      "a mapping", [&registry](const YAML::Node& value, const std::string& path, Validator& v) {
        return check_parameters(registry, value, path, v);
      });

  std::vector<Member> table_members;
  for (const auto& table : registry.tables()) {
    table_members.push_back(
        {table.name,
         with_default(custom(table.doc, "a mapping",
                             [&table](const YAML::Node& value, const std::string& path,
                                      Validator& v) { return check_table(table, value, path, v); }),
                      "{}")});
  }
  auto scenario = object(
      "A MineTwin scenario.",
      {
          {"minetwin-version", integer("scenario format version; this program reads 1", 1, 1)},
          {"name", with_default(text("short name of the scenario"), "\"unnamed\"")},
          {"description", with_default(text("what the scenario tests, in plain words"), "\"\"")},
          {"site", site},
          {"simulation", simulation},
          {"materials", with_default(materials, "{}")},
          {"measures", with_default(measures, "[]")},
          {"outputs", outputs},
          {"parameters", with_default(parameters, "{}")},
      });
  for (auto& member : table_members) scenario->members.push_back(std::move(member));
  return scenario;
}

}  // namespace minetwin
