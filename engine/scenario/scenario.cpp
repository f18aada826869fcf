#include "engine/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "engine/core/calendar.hpp"
#include "engine/core/registry.hpp"
#include "engine/core/summary.hpp"
#include "engine/scenario/scenario_schema.hpp"
#include "engine/scenario/yaml_tree.hpp"

namespace minetwin {
namespace {

SourcePlace place_of(const schema::Validator& validator, const YAML::Node& node,
                     const std::string& path) {
  const Diagnostic d = validator.place(node, path);
  return SourcePlace{d.file, d.line, d.column};
}

std::array<double, 12> twelve(const YAML::Node& list) {
  std::array<double, 12> values{};
  for (std::size_t i = 0; i < 12 && i < list.size(); ++i) values[i] = list[i].as<double>();
  return values;
}

// @p drop_after_run: measures after the run are dropped with a notice (simulation.
// measures_after_the_run: drop, which a run shortened on the command line sets); otherwise a
// measure after the run is an error, as one before it is (almost always a typo).
Measure resolve_measure(const YAML::Node& m, std::size_t index, const SimulationSpec& sim,
                        const MeasureType& type, const SourcePlace& where, bool drop_after_run,
                        std::vector<Diagnostic>& problems, std::vector<std::string>& notices) {
  Measure measure;
  measure.type = m["type"].as<std::string>();
  measure.zone = m["zone"].as<std::string>();
  measure.index = index;
  const int first = sim.start_year;
  const int last = sim.start_year + sim.years - 1;
  if (m["year"]) {
    measure.years.push_back(m["year"].as<int>());
  } else if (m["years"]) {
    for (const auto& y : m["years"]) measure.years.push_back(static_cast<int>(y.as<double>()));
  } else {
    const int every = m["every_years"].as<int>();
    const int from = m["first_year"] ? m["first_year"].as<int>() : first;
    const int until = m["last_year"] ? m["last_year"].as<int>() : last;
    if (until < from) {
      problems.push_back(
          where.error("measures[" + std::to_string(index) + "] (" + measure.type + "): last_year " +
                      std::to_string(until) + " is before first_year " + std::to_string(from) +
                      (m["last_year"] ? "" : " (last_year defaults to the last simulated year)") +
                      ", so it would never be applied"));
    }
    for (int y = from; y <= until; y += every) measure.years.push_back(y);
  }
  std::sort(measure.years.begin(), measure.years.end());
  for (int year : measure.years) {
    if (year < first) {
      problems.push_back(where.error("measures[" + std::to_string(index) + "] (" + measure.type +
                                     ") is scheduled in " + std::to_string(year) +
                                     ", before the first simulated year " + std::to_string(first)));
      break;
    }
  }
  const auto beyond = std::find_if(measure.years.begin(), measure.years.end(),
                                   [last](int year) { return year > last; });
  if (beyond != measure.years.end()) {
    const std::string what = "measures[" + std::to_string(index) + "] (" + measure.type + ") in " +
                             std::to_string(*beyond) +
                             (beyond + 1 != measure.years.end() ? " and later" : "") +
                             " falls after the last simulated year " + std::to_string(last);
    if (drop_after_run) {
      notices.push_back(where.file + ":" + std::to_string(where.line) + ": notice: " + what +
                        " and is not applied");
    } else {
      problems.push_back(where.error(what + "; extend simulation.years or correct the year"));
    }
    measure.years.erase(beyond, measure.years.end());
  }
  for (const auto& p : type.parameters()) {
    const YAML::Node value = m[std::string(p.name)];
    if (!value) continue;
    if (p.is_text) {
      measure.texts[std::string(p.name)] = value.as<std::string>();
    } else {
      measure.numbers[std::string(p.name)] = value.as<double>();
    }
  }
  // A disabled measure keeps its checks (a plan that switches it on must be valid) and is
  // never applied.
  if (m["enabled"] && !m["enabled"].as<bool>()) measure.years.clear();
  return measure;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                       const ModelRegistry& registry) {
  YAML::Node root = load_yaml_file(file);
  const std::set<std::string> overridden = apply_overrides(root, overrides);
  schema::Validator validator(file.string(), overridden);
  validator.set_base_dir(std::filesystem::absolute(file).parent_path().string());
  const schema::NodePtr scenario_schema = build_scenario_schema(registry);
  YAML::Node resolved = validator.validate(*scenario_schema, root, "");
  if (!validator.diagnostics().empty()) throw InputError(validator.diagnostics());

  const YAML::Node& written_root = root;  // const: lookups below must not insert keys
  Scenario s;
  s.file = file;
  s.name = resolved["name"].as<std::string>();
  s.description = resolved["description"].as<std::string>();

  const YAML::Node sim = resolved["simulation"];
  s.simulation.start_year = sim["start_year"].as<int>();
  s.simulation.years = sim["years"].as<int>();
  s.simulation.landform_only = sim["models"].as<std::string>() == "landform";
  s.simulation.seed = sim["seed"].as<std::uint64_t>();
  s.simulation.threads = sim["threads"].as<int>();

  const YAML::Node site = resolved["site"];
  if (site["dem"]) s.site.dem = site["dem"].as<std::string>();
  if (const YAML::Node generate = site["generate"]) {
    s.site.generate.enabled = true;
    s.site.generate.kind = generate["kind"].as<std::string>();
    s.site.generate.size = generate["size"].as<std::size_t>();
    s.site.generate.cell_m = generate["cell_m"].as<double>();
    s.site.generate.seed = generate["seed"].as<std::uint64_t>();
  }
  if (site["cell_size_m"]) {
    s.site.cell_size_m = site["cell_size_m"].as<double>();
    s.cell_size_place =
        place_of(validator, written_root["site"]["cell_size_m"], "site.cell_size_m");
  }
  if (site["zones"]) s.site.zones = site["zones"].as<std::string>();
  s.site.zone_attribute = site["zone_attribute"].as<std::string>();
  s.site.default_zone = site["default_zone"].as<std::string>();
  if (site["soil"]) s.site.soil = site["soil"].as<std::string>();
  for (const auto& b : site["layer_bottoms_m"]) s.site.layer_bottoms_m.push_back(b.as<double>());
  // Numbers by zone: the values, and where each is written (the zones are checked on the site).
  const auto zone_values = [&](const char* key, std::map<std::string, double>& values,
                               std::map<std::string, SourcePlace>& places) {
    const YAML::Node mapping = site[key];
    if (!mapping) return;
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
      const std::string zone = it->first.as<std::string>();
      values[zone] = it->second.as<double>();
      places[zone] = place_of(validator, written_root["site"][key][zone],
                              std::string("site.") + key + "." + zone);
    }
  };
  zone_values("initial_cover", s.site.initial_cover, s.initial_cover_places);
  zone_values("cover_thickness_m", s.site.cover_thickness_m, s.cover_thickness_places);
  const YAML::Node climate = site["climate"];
  s.site.climate.has_normals = climate["normals"].IsDefined();
  if (climate["csv"]) {
    s.site.climate.csv = climate["csv"].as<std::string>();
    s.climate_place =
        place_of(validator, written_root["site"]["climate"]["csv"], "site.climate.csv");
  } else if (s.site.climate.has_normals) {
    const YAML::Node normals = climate["normals"];
    s.site.climate.temperature_c = twelve(normals["temperature_c"]);
    s.site.climate.precipitation_mm = twelve(normals["precipitation_mm"]);
    s.site.climate.temperature_sd_c = normals["temperature_sd_c"].as<double>();
    s.site.climate.precipitation_cv = normals["precipitation_cv"].as<double>();
  }
  s.site.climate.precipitation_scale = climate["precipitation_scale"].as<double>();
  if (climate["daily_csv"]) {
    s.site.climate.daily_csv = climate["daily_csv"].as<std::string>();
    s.daily_climate_place =
        place_of(validator, written_root["site"]["climate"]["daily_csv"], "site.climate.daily_csv");
  }
  if (climate["wet_days"]) {
    s.site.climate.has_wet_days = true;
    s.site.climate.wet_days = twelve(climate["wet_days"]);
  }
  s.site.climate.wet_day_persistence = climate["wet_day_persistence"].as<double>();
  s.site.climate.temperature_shift_c = climate["temperature_shift_c"].as<double>();

  std::vector<Diagnostic> problems;
  if (s.site.climate.has_wet_days) {
    const SourcePlace where =
        place_of(validator, written_root["site"]["climate"]["wet_days"], "site.climate.wet_days");
    for (std::size_t m = 0; m < 12; ++m) {
      const double wet = s.site.climate.wet_days[m];
      if (wet > kDaysInMonth[m]) {
        problems.push_back(where.error("'site.climate.wet_days' gives " + format_number(wet) +
                                       " wet days for month " + std::to_string(m + 1) +
                                       ", which has " + std::to_string(kDaysInMonth[m]) + " days"));
      } else if (wet <= 0.0 && s.site.climate.has_normals &&
                 s.site.climate.precipitation_mm[m] > 0.0) {
        problems.push_back(where.error("'site.climate.wet_days' gives no wet day for month " +
                                       std::to_string(m + 1) + ", whose normal precipitation is " +
                                       format_number(s.site.climate.precipitation_mm[m]) + " mm"));
      }
    }
  }
  const YAML::Node written_site = written_root["site"];
  const SourcePlace site_place = place_of(validator, written_site, "site");
  if (!s.site.dem.empty()) {
    // A real site brings its own soil table and climate; a generated one writes both.
    if (s.site.soil.empty()) {
      problems.push_back(
          site_place.error("missing key 'site.soil' (a file path; required with site.dem)"));
    }
    if (s.site.climate.csv.empty() && !s.site.climate.has_normals) {
      problems.push_back(site_place.error(
          "'site.climate' needs one of 'csv' or 'normals' (required with site.dem)"));
    }
  }
  if (!s.site.climate.csv.empty() && s.site.climate.has_normals) {
    problems.push_back(place_of(validator, written_site["climate"], "site.climate")
                           .error("'site.climate' needs exactly one of 'csv', 'normals', got 2"));
  }
  const auto& bottoms = s.site.layer_bottoms_m;
  for (std::size_t i = 1; i < bottoms.size(); ++i) {
    if (bottoms[i] <= bottoms[i - 1]) {
      problems.push_back(
          place_of(validator, written_root["site"]["layer_bottoms_m"], "site.layer_bottoms_m")
              .error("'site.layer_bottoms_m' must increase with depth"));
      break;
    }
  }
  if (bottoms.empty()) {
    problems.push_back(
        place_of(validator, written_root["site"]["layer_bottoms_m"], "site.layer_bottoms_m")
            .error("'site.layer_bottoms_m' needs at least one layer"));
  }

  const YAML::Node measures = resolved["measures"];
  // A run whose years were set on the command line drops the file's later measures with a
  // notice, and says so in its run.yaml, which then reproduces it alone.
  if (overridden.count("simulation") != 0 || overridden.count("simulation.years") != 0 ||
      overridden.count("simulation.start_year") != 0)
    resolved["simulation"]["measures_after_the_run"] = "drop";
  const bool drop_after_run =
      resolved["simulation"]["measures_after_the_run"].as<std::string>() == "drop";
  for (std::size_t i = 0; i < measures.size(); ++i) {
    const std::string path = "measures[" + std::to_string(i) + "]";
    const YAML::Node written = written_root["measures"][i];
    const YAML::Node zone_node = written["zone"] ? written["zone"] : written;
    const SourcePlace where = place_of(validator, written, path);
    s.measure_zone_places.push_back(place_of(validator, zone_node, path + ".zone"));
    s.measure_places.push_back(where);
    const MeasureType* type = registry.find_measure(measures[i]["type"].as<std::string>());
    s.measures.push_back(resolve_measure(measures[i], i, s.simulation, *type, where, drop_after_run,
                                         problems, s.notices));
    // A text parameter that names a row of a registered table (a plant type): the row's id and
    // values travel with the measure as numbers.
    for (const auto& p : type->parameters()) {
      if (p.table.empty()) continue;
      Measure& m = s.measures.back();
      const auto text_value = m.texts.find(std::string(p.name));
      if (text_value == m.texts.end()) continue;
      const TableSpec* table = registry.find_table(p.table);
      const YAML::Node& rows = std::as_const(resolved)[table->name];
      std::vector<std::string> names;
      int id = 0, index = 0;
      for (auto it = rows.begin(); it != rows.end(); ++it, ++index) {
        names.push_back(it->first.as<std::string>());
        if (names.back() == text_value->second) id = index + 1;
      }
      if (id == 0) {
        const std::string hint = closest_match(text_value->second, names);
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        problems.push_back(
            place_of(validator, written[std::string(p.name)], path + "." + std::string(p.name))
                .error(std::string(p.name) + " '" + text_value->second + "' is not one of " +
                       table->name + " (" + list + ")" +
                       (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
        continue;
      }
      m.numbers[std::string(p.name) + ".id"] = id;
      const YAML::Node row = rows[text_value->second];
      for (const auto& c : table->columns)
        m.numbers[std::string(p.name) + "." + std::string(c.name)] =
            row[std::string(c.name)].as<double>();
    }
    // A measure that places soil names a material: its properties travel with the measure as
    // numbers "material.<column>" (written units).
    const auto material = s.measures.back().texts.find("material");
    if (material != s.measures.back().texts.end()) {
      const YAML::Node& materials = std::as_const(resolved)["materials"];
      const YAML::Node found = materials[material->second];
      if (!found.IsDefined()) {
        std::vector<std::string> names;
        for (auto it = materials.begin(); it != materials.end(); ++it)
          names.push_back(it->first.as<std::string>());
        const std::string hint = closest_match(material->second, names);
        problems.push_back(
            place_of(validator, written["material"], path + ".material")
                .error("material '" + material->second + "' is not defined (materials: " +
                       [&] {
                         std::string list;
                         for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
                         return list;
                       }() +
                       ")" + (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
      } else {
        for (auto it = found.begin(); it != found.end(); ++it)
          s.measures.back().numbers["material." + it->first.as<std::string>()] =
              it->second.as<double>();
      }
    }
  }

  const YAML::Node outputs = resolved["outputs"];
  // 0: auto, chosen by the runner from the size of a record (OutputSpec::every_years).
  s.outputs.every_years =
      outputs["every_years"].Scalar() == "auto" ? 0 : outputs["every_years"].as<int>();
  if (s.outputs.every_years > s.simulation.years) {
    const YAML::Node written =
        written_root["outputs"] ? written_root["outputs"]["every_years"] : YAML::Node();
    problems.push_back(place_of(validator, written, "outputs.every_years")
                           .error("outputs.every_years: " + std::to_string(s.outputs.every_years) +
                                  " is longer than the run (" + std::to_string(s.simulation.years) +
                                  " years); give at most " + std::to_string(s.simulation.years) +
                                  " or auto"));
  }
  s.outputs.single_precision = outputs["precision"].as<std::string>() == "float32";
  for (std::size_t i = 0; i < outputs["fields"].size(); ++i) {
    s.outputs.fields.push_back(outputs["fields"][i].as<std::string>());
    const YAML::Node written = written_root["outputs"] && written_root["outputs"]["fields"]
                                   ? written_root["outputs"]["fields"][i]
                                   : YAML::Node();
    s.output_field_places.push_back(
        place_of(validator, written, "outputs.fields[" + std::to_string(i) + "]"));
  }

  for (const auto& table : registry.tables()) {
    auto& rows = s.tables[table.name];
    const YAML::Node& resolved_rows = std::as_const(resolved)[table.name];
    for (auto it = resolved_rows.begin(); it != resolved_rows.end(); ++it) {
      std::vector<double> values;
      for (const auto& c : table.columns)
        values.push_back(it->second[std::string(c.name)].as<double>());
      rows.emplace_back(it->first.as<std::string>(), std::move(values));
    }
  }
  for (auto it = resolved["parameters"].begin(); it != resolved["parameters"].end(); ++it) {
    s.parameters[it->first.as<std::string>()] = it->second.as<double>();
  }
  if (!problems.empty()) throw InputError(std::move(problems));

  s.resolved_yaml = yaml_text(resolved);
  return s;
}

std::string scenario_reference_markdown(const ModelRegistry& registry) {
  std::ostringstream out;
  out << "# Scenario reference\n\n"
      << "Generated by `minetwin schema --markdown` from the schema the loader validates "
         "against; a test fails when this page and the program differ. Unknown keys are "
         "errors. Any key can be overridden on the command line with "
         "`--set a.b.c=VALUE` (lists by index: `measures[2].rate_t_per_ha=8`).\n\n"
      << "## Keys\n\n"
      << schema::to_markdown(*build_scenario_schema(registry), "");
  out << "## Measure types\n\n";
  const auto types = registry.measures();
  if (types.empty()) out << "No model in this build implements a measure yet.\n\n";
  for (const auto* type : types) {
    out << "### `" << type->name() << "`\n\n"
        << type->doc() << "\n\n"
        << "| parameter | units | default | allowed | description |\n|---|---|---|---|---|\n";
    for (const auto& p : type->parameters()) {
      out << "| `" << p.name << "` | " << p.units << " | "
          << (p.required                  ? std::string("**required**")
              : p.is_text                     ? ""
              : std::isnan(p.default_value) ? std::string("by kind")
                                              : format_number(p.default_value))
          << " | "
          << (p.is_text ? (p.choices.empty() ? std::string("text") : [&] {
               std::string list;
               for (const auto& c : p.choices) list += (list.empty() ? "`" : ", `") + std::string(c) + "`";
               return list;
             }())
                        : format_number(p.minimum) + " to " + format_number(p.maximum))
          << " | " << p.doc << " |\n";
    }
    out << "\n";
  }
  for (const auto& table : registry.tables()) {
    out << "## Table `" << table.name << "`\n\n"
        << table.doc << " A row is `NAME: {based_on: ROW, COLUMN: VALUE, ...}`; a new row needs "
        << "`based_on`. Built-in rows: ";
    for (std::size_t r = 0; r < table.builtin.size(); ++r)
      out << (r == 0 ? "" : ", ") << "`" << table.builtin[r].first << "`";
    out << ".\n\n| column | units | allowed | description |\n|---|---|---|---|\n";
    for (const auto& c : table.columns) {
      out << "| `" << c.name << "` | " << c.units << " | " << format_number(c.minimum) << " to "
          << format_number(c.maximum) << " | " << c.doc << " |\n";
    }
    for (const auto& group : table.sum_to_one) {
      out << "\n";
      for (std::size_t k = 0; k < group.size(); ++k)
        out << (k == 0 ? "" : " + ") << "`" << group[k] << "`";
      out << " must sum to 1.\n";
    }
    out << "\n";
  }
  out << "## Model parameters\n\n";
  const auto parameters = registry.parameters();
  if (parameters.empty())
    out << "No model in this build declares parameters yet.\n\n";
  else {
    out << "| name | units | default | allowed | source | description "
           "|\n|---|---|---|---|---|---|\n";
    for (const auto& p : parameters) {
      out << "| `" << p.dotted_name << "` | " << p.spec.units << " | "
          << format_number(p.spec.default_value) << " | " << format_number(p.spec.minimum) << " to "
          << format_number(p.spec.maximum) << " | " << p.spec.source << " | " << p.spec.doc
          << " |\n";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace minetwin
