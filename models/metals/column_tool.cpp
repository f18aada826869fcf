#include "models/metals/column_tool.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/scenario/schema.hpp"
#include "engine/scenario/yaml_tree.hpp"
#include "models/metals/column_transport.hpp"

namespace minetwin::metals {

double ColumnConfig::retardation() const {
  return 1.0 + (bulk_density_kg_m3 / 1000.0) / water_content * kd_l_per_kg;
}

namespace {

schema::NodePtr column_schema() {
  using namespace schema;
  auto column = object(
      "the soil column: saturated, homogeneous, steady flow",
      {{"length_m", with_default(number("column length", "m", 0.01, 1000), "2.0")},
       {"cells", with_default(integer("finite-volume cells", 2, 1e6), "200")},
       {"water_content", with_default(number("volumetric water content θ", "1", 0.01, 1), "0.35")},
       {"bulk_density_kg_m3",
        with_default(number("dry bulk density ρb", "kg m-3", 100, 3000), "1500")},
       {"darcy_flux_m_per_yr",
        with_default(number("Darcy flux q (pore velocity v = q/θ)", "m yr-1", 1e-6, 1e4), "0.5")},
       {"dispersivity_m",
        with_default(number("longitudinal dispersivity α (D = α v)", "m", 1e-6, 100), "0.02")},
       {"kd_l_per_kg",
        with_default(number("linear sorption coefficient Kd (> 0)", "L kg-1", 0, 1e7), "1.5")}});
  column->members[6].node->exclusive_minimum = true;
  auto inflow = object(
      "the water entering the top (a flux, third-type, inlet)",
      {{"concentration_mg_per_l",
        with_default(number("dissolved concentration of the inflow", "mg L-1", 0, 1e6), "1.0")},
       {"until_year", optional(number("null: constant inflow; a number: a pulse that stops then",
                                      "yr", 0, 1e6))}});
  return object(
      "a one-dimensional column run (`minetwin metals column`)",
      {{"column", column},
       {"inflow", inflow},
       {"initial_concentration_mg_per_l",
        with_default(number("dissolved concentration in the column at t = 0", "mg L-1", 0, 1e6),
                     "0.0")},
       {"duration_years", with_default(number("simulated time", "yr", 1e-6, 1e6), "20")},
       {"output_years",
        with_default(number_list("times at which profiles are written", "yr", std::nullopt, 0, 1e6),
                     "[1, 5, 10, 20]")},
       {"courant_number",
        with_default(
            number("retarded Courant number v Δt / (R Δz) that sets the time step", "1", 1e-4, 1),
            "0.02")}});
}

}  // namespace

ColumnConfig load_column_config(const std::filesystem::path& file) {
  const YAML::Node root = load_yaml_file(file);
  schema::Validator validator(file.string(), {});
  const auto schema = column_schema();
  const YAML::Node r = validator.validate(*schema, root, "");
  if (!validator.diagnostics().empty()) throw InputError(validator.diagnostics());
  ColumnConfig c;
  const YAML::Node col = r["column"];
  c.length_m = col["length_m"].as<double>();
  c.cells = col["cells"].as<int>();
  c.water_content = col["water_content"].as<double>();
  c.bulk_density_kg_m3 = col["bulk_density_kg_m3"].as<double>();
  c.darcy_flux_m_per_yr = col["darcy_flux_m_per_yr"].as<double>();
  c.dispersivity_m = col["dispersivity_m"].as<double>();
  c.kd_l_per_kg = col["kd_l_per_kg"].as<double>();
  c.inflow_concentration_mg_per_l = r["inflow"]["concentration_mg_per_l"].as<double>();
  if (const YAML::Node until = r["inflow"]["until_year"]; until && !until.IsNull())
    c.inflow_until_year = until.as<double>();
  c.initial_concentration_mg_per_l = r["initial_concentration_mg_per_l"].as<double>();
  c.duration_years = r["duration_years"].as<double>();
  c.output_years.clear();
  for (const auto& y : r["output_years"]) c.output_years.push_back(y.as<double>());
  c.courant_number = r["courant_number"].as<double>();
  std::vector<Diagnostic> problems;
  for (std::size_t k = 0; k < c.output_years.size(); ++k) {
    if (c.output_years[k] > c.duration_years) {
      problems.push_back(
          validator.place(root["output_years"][k], "output_years[" + std::to_string(k) + "]"));
      problems.back().message = "output year " + format_number(c.output_years[k]) +
                                " is after duration_years " + format_number(c.duration_years);
    }
  }
  if (!problems.empty()) throw InputError(problems);
  std::sort(c.output_years.begin(), c.output_years.end());
  return c;
}

std::vector<ColumnSample> run_column(const ColumnConfig& config) {
  const std::size_t n = static_cast<std::size_t>(config.cells);
  const double dz = config.length_m / static_cast<double>(n);
  const double theta = config.water_content;
  const double rho_kg_per_l = config.bulk_density_kg_m3 / 1000.0;
  const double retardation = config.retardation();
  // Time step from the retarded Courant number, shortened so that every output time and the end
  // of a pulse fall on a step boundary.
  const double velocity = config.darcy_flux_m_per_yr / theta;
  const double nominal_dt = config.courant_number * retardation * dz / velocity;
  std::vector<double> marks = config.output_years;
  if (config.inflow_until_year) marks.push_back(*config.inflow_until_year);
  marks.push_back(config.duration_years);
  std::sort(marks.begin(), marks.end());

  std::vector<double> thickness(n, dz), capacity(n, theta * retardation * dz);
  std::vector<double> concentration(n, config.initial_concentration_mg_per_l);
  std::vector<double> lower(n), diagonal(n), upper(n);
  ColumnGeometry geometry;
  geometry.prepare(n, 1, thickness, config.dispersivity_m);
  std::vector<ColumnSample> samples;
  double time = 0.0;
  std::size_t next_output = 0;
  auto emit = [&] {
    while (next_output < config.output_years.size() &&
           std::abs(config.output_years[next_output] - time) <= 1e-9 * std::max(1.0, time)) {
      for (std::size_t i = 0; i < n; ++i) {
        const double c = concentration[i];
        samples.push_back({config.output_years[next_output], (static_cast<double>(i) + 0.5) * dz, c,
                           c * (theta / rho_kg_per_l + config.kd_l_per_kg)});
      }
      ++next_output;
    }
  };
  emit();
  for (double mark : marks) {
    if (mark <= time) continue;
    const auto steps = static_cast<long>(std::ceil((mark - time) / nominal_dt - 1e-9));
    const double dt = (mark - time) / static_cast<double>(steps);
    const bool inflowing = !config.inflow_until_year || time < *config.inflow_until_year;
    const double water_depth = config.darcy_flux_m_per_yr * dt;
    const double inflow = inflowing ? config.inflow_concentration_mg_per_l : 0.0;
    double outflow = 0.0;
    for (long s = 0; s < steps; ++s)
      advance_columns(geometry, capacity, std::span<const double>(&water_depth, 1),
                      std::span<const double>(&inflow, 1), concentration,
                      std::span<double>(&outflow, 1), {lower, diagonal, upper});
    time = mark;
    emit();
  }
  return samples;
}

void write_column_csv(const std::filesystem::path& file, const std::vector<ColumnSample>& samples) {
  std::ostringstream out;
  out << "time_yr,depth_m,dissolved_mg_per_l,total_mg_per_kg\n";
  for (const auto& s : samples) {
    out << format_number(s.time_yr) << ',' << format_number(s.depth_m) << ','
        << format_number(s.dissolved_mg_per_l) << ',' << format_number(s.total_mg_per_kg) << '\n';
  }
  write_file_atomically(file, out.str());
}

}  // namespace minetwin::metals
