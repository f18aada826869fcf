#include "viz/report/run_outputs.hpp"

#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "engine/core/errors.hpp"
#include "engine/io/csv.hpp"
#include "engine/scenario/yaml_tree.hpp"

namespace minetwin::report {
namespace {

// A CSV output of a run or sweep as text rows, the header first (engine/io's reader: located
// errors for a missing or ragged file).
std::vector<std::vector<std::string>> text_rows(const CsvTable& table) {
  std::vector<std::vector<std::string>> rows{table.header()};
  for (const auto& row : table.rows()) {
    std::vector<std::string> cells;
    for (const auto& cell : row.cells) cells.push_back(cell.text);
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::vector<std::vector<std::string>> read_csv_rows(const std::filesystem::path& file) {
  return text_rows(CsvTable::read(file));
}

double number(const std::string& text) {
  if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

// stats.csv of a sweep: metric -> rows (year, mean, sd, p5, p25, p50, p75, p95).
std::map<std::string, std::vector<std::array<double, 8>>> read_stats(
    const std::filesystem::path& file, std::size_t& members) {
  std::map<std::string, std::vector<std::array<double, 8>>> stats;
  const auto rows = read_csv_rows(file);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() < 10) continue;
    members = static_cast<std::size_t>(number(row[2]));
    std::array<double, 8> values{number(row[0]), number(row[3]), number(row[4]), number(row[5]),
                                 number(row[6]), number(row[7]), number(row[8]), number(row[9])};
    stats[row[1]].push_back(values);
  }
  return stats;
}

// A CSV whose cells from @p first_number on are numbers or empty, checked with their place.
std::vector<std::vector<std::string>> numeric_rows(const std::filesystem::path& file,
                                                   std::size_t first_number,
                                                   const std::string& what,
                                                   std::size_t text_at_end = 0) {
  const CsvTable table = CsvTable::read(file);
  for (const auto& row : table.rows())
    for (std::size_t k = first_number; k + text_at_end < row.cells.size(); ++k)
      if (!row.cells[k].text.empty()) table.number(row, k, what);
  return text_rows(table);
}

std::string when_text(const YAML::Node& m) {
  if (m["year"]) return m["year"].as<std::string>();
  if (m["years"]) {
    std::string text;
    for (const auto& y : m["years"]) text += (text.empty() ? "" : ", ") + y.as<std::string>();
    return text;
  }
  if (m["every_years"]) {
    std::string text = m["first_year"] ? m["first_year"].as<std::string>() : "start";
    text += "-" + (m["last_year"] ? m["last_year"].as<std::string>() : std::string("end"));
    return text + ", every " + m["every_years"].as<std::string>() + " yr";
  }
  return "";
}

}  // namespace

const std::vector<double>& RunOutputs::column(const std::string& column_name) const {
  static const std::vector<double> empty;
  const auto found = summary.find(column_name);
  return found == summary.end() ? empty : found->second;
}

double RunOutputs::total(const std::string& column_name) const {
  double sum = 0;
  for (double v : column(column_name))
    if (std::isfinite(v)) sum += v;
  return sum;
}

double RunOutputs::last(const std::string& column_name) const {
  const auto& values = column(column_name);
  return values.empty() ? std::numeric_limits<double>::quiet_NaN() : values.back();
}

bool is_sweep_output(const std::filesystem::path& folder) {
  return std::filesystem::exists(folder / "stats.csv") &&
         std::filesystem::exists(folder / "sweep.yaml");
}

std::vector<std::size_t> zone_label_cells(std::span<const double> zone_ids, std::size_t columns,
                                          std::size_t zone_count) {
  std::vector<double> sx(zone_count, 0.0), sy(zone_count, 0.0), count(zone_count, 0.0);
  for (std::size_t c = 0; c < zone_ids.size(); ++c) {
    const double id = zone_ids[c];
    if (!(id >= 0) || id >= static_cast<double>(zone_count)) continue;
    const auto z = static_cast<std::size_t>(id);
    sx[z] += static_cast<double>(c % columns);
    sy[z] += static_cast<double>(c / columns);
    count[z] += 1;
  }
  std::vector<std::size_t> cells(zone_count, static_cast<std::size_t>(-1));
  for (std::size_t z = 0; z < zone_count; ++z)
    if (count[z] > 0)
      cells[z] = static_cast<std::size_t>(std::lround(sy[z] / count[z])) * columns +
                 static_cast<std::size_t>(std::lround(sx[z] / count[z]));
  return cells;
}

RunOutputs load_run_outputs(const std::filesystem::path& folder) {
  for (const char* file : {"summary.csv", "run.yaml", "state.nc"}) {
    if (!std::filesystem::exists(folder / file))
      throw InputError(folder.string(), 0, 0,
                       std::string("not a MineTwin run output: no ") + file +
                           " (run `minetwin run SCENARIO -o " + folder.string() + "` first)");
  }
  RunOutputs run;
  run.folder = folder;
  const auto rows = read_csv_rows(folder / "summary.csv");
  const auto& header = rows.front();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    run.summary_years.push_back(static_cast<int>(number(rows[r][0])));
    for (std::size_t c = 1; c < header.size() && c < rows[r].size(); ++c)
      run.summary[header[c]].push_back(number(rows[r][c]));
  }
  const YAML::Node scenario = load_yaml_file(folder / "run.yaml");
  {
    std::ifstream run_yaml(folder / "run.yaml");
    const std::string key = "# zone__id values: ";
    for (std::string line; std::getline(run_yaml, line);) {
      if (line.rfind(key, 0) != 0) continue;
      std::stringstream items(line.substr(key.size()));
      for (std::string item; std::getline(items, item, ',');) {
        const auto equals = item.find('=');
        if (equals != std::string::npos) run.zone_names.push_back(item.substr(equals + 1));
      }
    }
  }
  run.name = scenario["name"] ? scenario["name"].as<std::string>() : folder.filename().string();
  run.description = scenario["description"] ? scenario["description"].as<std::string>() : "";
  run.start_year = scenario["simulation"]["start_year"].as<int>();
  run.years = scenario["simulation"]["years"].as<int>();
  const YAML::Node site = scenario["site"];
  if (site["dem"]) {
    run.site = "DEM " + std::filesystem::path(site["dem"].as<std::string>()).filename().string();
    if (site["zones"])
      run.site +=
          ", zones " + std::filesystem::path(site["zones"].as<std::string>()).filename().string();
  } else if (site["generate"]) {
    run.site = "a generated " + site["generate"]["kind"].as<std::string>() + " site, " +
               site["generate"]["size"].as<std::string>() + " x " +
               site["generate"]["size"].as<std::string>() + " cells of " +
               site["generate"]["cell_m"].as<std::string>() + " m";
  }
  for (const auto& m : scenario["measures"]) {
    MeasureLine line;
    line.type = m["type"].as<std::string>();
    line.zone = m["zone"] ? m["zone"].as<std::string>() : "all";
    line.name = m["name"] ? m["name"].as<std::string>() : "";
    line.when = when_text(m);
    run.measures.push_back(line);
  }
  return run;
}

bool is_calibration_output(const std::filesystem::path& folder) {
  return std::filesystem::exists(folder / "parameters.csv") &&
         std::filesystem::exists(folder / "calibration.yaml");
}

CalibrationOutputs load_calibration_outputs(const std::filesystem::path& folder) {
  CalibrationOutputs calibration;
  calibration.folder = folder;
  const YAML::Node spec = load_yaml_file(folder / "calibration.yaml");
  calibration.scenario_name =
      std::filesystem::path(spec["scenario"].as<std::string>()).stem().string();
  calibration.method = spec["method"].as<std::string>();
  calibration.ensemble = spec["ensemble"].as<std::size_t>();
  calibration.iterations = spec["iterations"].as<std::size_t>();
  calibration.parameters = numeric_rows(folder / "parameters.csv", 1, "a parameter statistic");
  calibration.fit = numeric_rows(folder / "fit.csv", 3, "a fit statistic");
  calibration.observations = numeric_rows(folder / "observations.csv", 6, "an observation");
  calibration.targets = numeric_rows(folder / "posterior_targets.csv", 5, "a target statistic");
  if (std::filesystem::exists(folder / "analysis.csv"))
    calibration.analysis = numeric_rows(folder / "analysis.csv", 2, "an analysis statistic");
  std::size_t members = 0;
  calibration.stats = read_stats(folder / "posterior_stats.csv", members);
  return calibration;
}

bool is_optimisation_output(const std::filesystem::path& folder) {
  return std::filesystem::exists(folder / "pareto.csv") &&
         std::filesystem::exists(folder / "optimisation.yaml");
}

OptimisationOutputs load_optimisation_outputs(const std::filesystem::path& folder) {
  OptimisationOutputs o;
  o.folder = folder;
  const YAML::Node spec = load_yaml_file(folder / "optimisation.yaml");
  o.scenario_name = std::filesystem::path(spec["scenario"].as<std::string>()).stem().string();
  o.algorithm = spec["algorithm"].as<std::string>();
  for (auto it = spec["decisions"].begin(); it != spec["decisions"].end(); ++it)
    o.decisions.push_back(it->first.as<std::string>());
  // Objective names as the runner writes them (optimisation_spec.cpp): the given name, or
  // METRIC_YEAR / METRIC_REDUCTION.
  for (const auto& objective : spec["objectives"])
    o.objectives.push_back(objective["name"]
                               ? objective["name"].as<std::string>()
                               : objective["metric"].as<std::string>() + "_" +
                                     (objective["year"] ? objective["year"].as<std::string>()
                                                        : objective["over"].as<std::string>()));
  // Decisions may be text (a species); the objectives, constraints and violation after them
  // are numbers.
  o.evaluations =
      numeric_rows(folder / "evaluations.csv", 3 + o.decisions.size(), "a plan's value");
  // The scenario file's name closes each Pareto row: text, not checked as a number.
  o.pareto = numeric_rows(folder / "pareto.csv", 1 + o.decisions.size(), "a plan's value", 1);
  if (std::filesystem::exists(folder / "least_violating.csv"))
    o.least_violating =
        numeric_rows(folder / "least_violating.csv", 1 + o.decisions.size(), "a plan's value");
  return o;
}

SweepOutputs load_sweep_outputs(const std::filesystem::path& folder) {
  SweepOutputs sweep;
  sweep.folder = folder;
  YAML::Node spec = load_yaml_file(folder / "sweep.yaml");
  sweep.scenario_name = std::filesystem::path(spec["scenario"].as<std::string>()).stem().string();
  sweep.method = spec["method"].as<std::string>();
  for (auto it = spec["uncertain"].begin(); it != spec["uncertain"].end(); ++it)
    sweep.uncertain.push_back(it->first.as<std::string>());
  sweep.stats = read_stats(folder / "stats.csv", sweep.members);
  // The report parses these cells as numbers; a hand-edited or damaged file stops here with the
  // cell's place (exit 2) rather than as a bare conversion error.
  const CsvTable targets = CsvTable::read(folder / "targets.csv");
  for (const auto& row : targets.rows())
    if (row.cells.size() >= 10)
      for (std::size_t k = 7; k < 10; ++k)
        if (!row.cells[k].text.empty()) targets.number(row, k, "a probability");
  sweep.targets = text_rows(targets);
  const CsvTable sensitivity = CsvTable::read(folder / "sensitivity.csv");
  for (const auto& row : sensitivity.rows()) {
    sensitivity.number(row, 0, "the year");
    for (std::size_t k = 3; k < row.cells.size(); ++k)
      if (!row.cells[k].text.empty()) sensitivity.number(row, k, "a sensitivity index");
  }
  sweep.sensitivity = text_rows(sensitivity);
  return sweep;
}

}  // namespace minetwin::report
