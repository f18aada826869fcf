#include "engine/calibration/observations.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/csv.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/sweep/sweep_runner.hpp"
#include "engine/sweep/sweep_schema_parts.hpp"

namespace minetwin::calibration {
namespace {

struct ProbeRequest {
  sweep::MemberPlan::Probe probe;
  std::size_t datum = 0;
};

// Reads observations into data and probe requests; problems are collected, not thrown, so
// that a user sees every bad row at once.
class Reader {
 public:
  Reader(int start_year, int years, const State& state, const std::vector<std::string>& columns,
         std::vector<std::string>& metrics)
      : start_year_(start_year),
        years_(years),
        state_(state),
        columns_(columns),
        metrics_(metrics) {}

  std::vector<Diagnostic> problems;
  std::vector<Datum> data;
  std::vector<ProbeRequest> probes;

  // A year the run simulates (a summary.csv row), or the problem.
  std::string check_year(int year) const {
    if (year >= start_year_ && year < start_year_ + years_) return "";
    return "year " + std::to_string(year) + " is not simulated (the scenario's summary.csv runs " +
           std::to_string(start_year_) + " to " + std::to_string(start_year_ + years_ - 1) + ")";
  }

  // A state the run reaches (state.nc's 1 January of the year, after the year before), or the
  // problem.
  std::string check_state_year(int year) const {
    if (year > start_year_ && year <= start_year_ + years_) return "";
    return "year " + std::to_string(year) +
           ": no simulated state on 1 January of it (states, as in state.nc, run from " +
           std::to_string(start_year_ + 1) + " to " + std::to_string(start_year_ + years_) +
           ", each the state after the year before)";
  }

  // A cell or layer field by NAME or NAME[LAYER], or the problem.
  std::string check_field(const std::string& text, std::string& field, int& layer) const {
    if (!sweep::parse_field_name(text, field, layer))
      return "expected a field name NAME or NAME[LAYER], got '" + text + "'";
    return sweep::check_grid_field(state_, field, layer);
  }

  void problem(const CsvTable& table, const CsvRow& row, std::size_t column, std::string message) {
    problems.push_back(
        {table.file().string(), row.line, row.cells[column].column, std::move(message)});
  }

  struct RowBasics {
    int year;
    double value, sd;
  };

  // A row's year (a state's for points, a summary row's for series), value and sd, checked;
  // nothing (and the problem recorded) when one is wrong. A cell that is not a number throws.
  std::optional<RowBasics> row_basics(const CsvTable& table, const CsvRow& row, std::size_t year_c,
                                      std::size_t value_c, std::size_t sd_c, bool state) {
    const double year = table.number(row, year_c, "the year");
    const double value = table.number(row, value_c, "the observed value");
    const double sd = table.number(row, sd_c, "the error standard deviation");
    if (year != std::floor(year) || std::abs(year) > 1e6) {
      problem(table, row, year_c,
              "'year' expected a whole year, got '" + row.cells[year_c].text + "'");
      return std::nullopt;
    }
    const auto whole = static_cast<int>(year);
    if (const std::string p = state ? check_state_year(whole) : check_year(whole); !p.empty()) {
      problem(table, row, year_c, p);
      return std::nullopt;
    }
    if (!(sd > 0)) {
      problem(table, row, sd_c,
              "'sd' must be > 0 (the observation's error standard deviation), got " +
                  row.cells[sd_c].text);
      return std::nullopt;
    }
    return RowBasics{whole, value, sd};
  }

  void add_probe(std::size_t group, double value, double sd, int year, const std::string& field,
                 int layer, std::size_t cell, double x, double y,
                 std::vector<std::size_t> area = {}) {
    // The state on 1 January of @p year is the state after simulating year - 1.
    probes.push_back({{year - 1 - start_year_, field, layer, cell, std::move(area)}, data.size()});
    data.push_back({group, value, sd, year, x, y});
  }

  // The centre of a grid cell in the DEM's CRS.
  void cell_centre(std::size_t cell, double& x, double& y) const {
    const GridGeometry& g = state_.grid().geometry();
    x = g.west_m + (static_cast<double>(cell % g.columns) + 0.5) * g.cell_size_m;
    y = g.north_m - (static_cast<double>(cell / g.columns) + 0.5) * g.cell_size_m;
  }

  void add_metric(std::size_t group, double value, double sd, int year, const std::string& metric) {
    auto found = std::find(metrics_.begin(), metrics_.end(), metric);
    if (found == metrics_.end()) found = metrics_.insert(metrics_.end(), metric);
    data.push_back({group, value, sd, year, NAN, NAN, true,
                    static_cast<std::size_t>(found - metrics_.begin())});
  }

  void read_points(const ObservationSource& source, std::size_t group) {
    const CsvTable table = CsvTable::read(source.file);
    const std::size_t year_c = table.require_column("year"), x_c = table.require_column("x"),
                      y_c = table.require_column("y"), field_c = table.require_column("field"),
                      value_c = table.require_column("value"), sd_c = table.require_column("sd");
    const RasterGrid& grid = state_.grid();
    const GridGeometry& g = grid.geometry();
    for (const CsvRow& row : table.rows()) {
      try {
        const auto basics = row_basics(table, row, year_c, value_c, sd_c, true);
        const double x = table.number(row, x_c, "x in the DEM's CRS, m");
        const double y = table.number(row, y_c, "y in the DEM's CRS, m");
        if (!basics) continue;
        const auto [year, value, sd] = *basics;
        auto at = [&](std::size_t c, std::string message) {
          problem(table, row, c, std::move(message));
        };
        std::string field;
        int layer = -1;
        if (const std::string p = check_field(row.cells[field_c].text, field, layer); !p.empty()) {
          at(field_c, p);
          continue;
        }
        const double column = std::floor((x - g.west_m) / g.cell_size_m);
        const double line = std::floor((g.north_m - y) / g.cell_size_m);
        if (column < 0 || line < 0 || column >= static_cast<double>(g.columns) ||
            line >= static_cast<double>(g.rows)) {
          at(x_c, "the point (" + row.cells[x_c].text + ", " + row.cells[y_c].text +
                      ") is outside the grid (x " + format_number(g.west_m) + " to " +
                      format_number(g.west_m + g.cell_size_m * static_cast<double>(g.columns)) +
                      ", y " +
                      format_number(g.north_m - g.cell_size_m * static_cast<double>(g.rows)) +
                      " to " + format_number(g.north_m) + ")");
          continue;
        }
        const std::size_t cell =
            static_cast<std::size_t>(line) * g.columns + static_cast<std::size_t>(column);
        if (!grid.is_valid(cell)) {
          at(x_c, "the point (" + row.cells[x_c].text + ", " + row.cells[y_c].text +
                      ") lies on a cell outside the site (nodata in the DEM)");
          continue;
        }
        add_probe(group, value, sd, year, field, layer, cell, x, y);
      } catch (const InputError& e) {
        for (const auto& d : e.diagnostics()) problems.push_back(d);
      }
    }
  }

  void read_raster(const ObservationSource& source, std::size_t group) {
    std::string field;
    int layer = -1;
    bool ok = true;
    if (const std::string p = check_field(source.field, field, layer); !p.empty()) {
      problems.push_back(source.place.error("field: " + p));
      ok = false;
    }
    if (const std::string p = check_state_year(source.year); !p.empty()) {
      problems.push_back(source.place.error("year: " + p));
      ok = false;
    }
    if (!ok) return;
    const std::size_t before = data.size();
    const RasterGrid& grid = state_.grid();
    const RasterData native = minetwin::read_raster(source.file);
    const GridGeometry& g = native.geometry;
    const bool same_crs = g.crs_wkt.empty() || grid.geometry().crs_wkt.empty() ||
                          same_crs_wkt(g.crs_wkt, grid.geometry().crs_wkt);
    if (same_crs && g.cell_size_m > 1.5 * grid.cell_size_m()) {
      // A raster coarser than the grid (a satellite's 30 m pixels on 5 m cells): each pixel is
      // one datum, compared with the mean of the site's cells whose centres it holds.
      std::vector<std::vector<std::size_t>> cells_of(native.values.size());
      for (std::size_t c = 0; c < grid.cell_count(); ++c) {
        if (!grid.is_valid(c)) continue;
        double x = 0, y = 0;
        cell_centre(c, x, y);
        const double column = std::floor((x - g.west_m) / g.cell_size_m);
        const double row = std::floor((g.north_m - y) / g.cell_size_m);
        if (column < 0 || row < 0 || column >= static_cast<double>(g.columns) ||
            row >= static_cast<double>(g.rows))
          continue;
        const std::size_t pixel =
            static_cast<std::size_t>(row) * g.columns + static_cast<std::size_t>(column);
        if (native.valid[pixel]) cells_of[pixel].push_back(c);
      }
      for (std::size_t pixel = 0; pixel < cells_of.size(); ++pixel) {
        if (cells_of[pixel].empty()) continue;
        const double x = g.west_m + (static_cast<double>(pixel % g.columns) + 0.5) * g.cell_size_m;
        const double y = g.north_m - (static_cast<double>(pixel / g.columns) + 0.5) * g.cell_size_m;
        const std::size_t first = cells_of[pixel].front();
        add_probe(group, native.values[pixel], source.sd, source.year, field, layer, first, x, y,
                  std::move(cells_of[pixel]));
      }
    } else {
      // As fine as the grid or finer, or in another CRS: resampled onto the grid, cell by cell.
      const RasterData raster = resample_raster_to_grid(source.file, grid.geometry());
      for (std::size_t c = 0; c < raster.values.size(); ++c) {
        if (!raster.valid[c] || !grid.is_valid(c)) continue;
        double x = 0, y = 0;
        cell_centre(c, x, y);
        add_probe(group, raster.values[c], source.sd, source.year, field, layer, c, x, y);
      }
    }
    if (data.size() == before)
      problems.push_back(
          {source.file.string(), 0, 0,
           "the raster has no valid value on a cell of the site (another place, or all nodata?)"});
  }

  void read_series(const ObservationSource& source, std::size_t group) {
    const CsvTable table = CsvTable::read(source.file);
    const std::size_t year_c = table.require_column("year"),
                      metric_c = table.require_column("metric"),
                      value_c = table.require_column("value"), sd_c = table.require_column("sd");
    for (const CsvRow& row : table.rows()) {
      try {
        const auto basics = row_basics(table, row, year_c, value_c, sd_c, false);
        if (!basics) continue;
        const auto [year, value, sd] = *basics;
        auto at = [&](std::size_t c, std::string message) {
          problem(table, row, c, std::move(message));
        };
        const std::string& metric = row.cells[metric_c].text;
        if (std::find(columns_.begin(), columns_.end(), metric) == columns_.end()) {
          const std::string hint = closest_match(metric, columns_);
          at(metric_c, "'" + metric + "' is not a summary.csv column of this scenario" +
                           (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
          continue;
        }
        add_metric(group, value, sd, year, metric);
      } catch (const InputError& e) {
        for (const auto& d : e.diagnostics()) problems.push_back(d);
      }
    }
  }

 private:
  int start_year_, years_;
  const State& state_;
  const std::vector<std::string>& columns_;
  std::vector<std::string>& metrics_;
};

}  // namespace

std::vector<double> Observations::values() const {
  std::vector<double> v;
  v.reserve(data.size());
  for (const auto& d : data) v.push_back(d.value);
  return v;
}

std::vector<double> Observations::sds() const {
  std::vector<double> v;
  v.reserve(data.size());
  for (const auto& d : data) v.push_back(d.sd);
  return v;
}

Observations load_observations(const CalibrationSpec& spec, int start_year, int years,
                               const State& state, const std::vector<std::string>& columns,
                               sweep::MemberPlan& plan, std::vector<std::string>& metrics) {
  Reader reader(start_year, years, state, columns, metrics);
  Observations observations;
  for (const ObservationSource& source : spec.observations) {
    const std::size_t group = observations.groups.size();
    const std::size_t before = reader.data.size(), problems_before = reader.problems.size();
    try {
      switch (source.kind) {
        case ObservationKind::points:
          reader.read_points(source, group);
          break;
        case ObservationKind::raster:
          reader.read_raster(source, group);
          break;
        case ObservationKind::series:
          reader.read_series(source, group);
          break;
      }
    } catch (const InputError& e) {
      for (const auto& d : e.diagnostics()) reader.problems.push_back(d);
    }
    if (reader.data.size() == before && reader.problems.size() == problems_before)
      reader.problems.push_back(
          {source.file.string(), 0, 0, "no observations in this file (a header and no rows)"});
    observations.groups.push_back({source.name, source.kind, source.file.string(),
                                   reader.data.size() - before, source.for_parameters,
                                   source.for_state});
  }
  if (!reader.problems.empty()) throw InputError(std::move(reader.problems));

  // The members record probes in year order (then by field, so that each field is looked up
  // once per year).
  std::vector<ProbeRequest>& probes = reader.probes;
  std::stable_sort(probes.begin(), probes.end(), [](const ProbeRequest& a, const ProbeRequest& b) {
    if (a.probe.year_index != b.probe.year_index) return a.probe.year_index < b.probe.year_index;
    return a.probe.field < b.probe.field;
  });
  const std::size_t first_probe = plan.probes.size();
  for (std::size_t i = 0; i < probes.size(); ++i) {
    reader.data[probes[i].datum].probe_index = first_probe + i;
    plan.probes.push_back(probes[i].probe);
  }
  observations.data = std::move(reader.data);
  return observations;
}

std::vector<double> simulated_data(const Observations& observations, const sweep::MemberPlan& plan,
                                   const sweep::MemberResult& result, int start_year) {
  const std::size_t metrics = plan.metric_columns.size();
  std::vector<double> values;
  values.reserve(observations.data.size());
  for (const Datum& d : observations.data) {
    if (d.is_metric)
      values.push_back(
          result.metrics[static_cast<std::size_t>(d.year - start_year) * metrics + d.metric_index]);
    else
      values.push_back(result.probes[d.probe_index]);
  }
  return values;
}

}  // namespace minetwin::calibration
