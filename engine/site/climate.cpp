#include "engine/site/climate.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/core/summary.hpp"

#include "engine/core/random.hpp"
#include "engine/io/csv.hpp"

namespace minetwin {

std::vector<MonthlyClimate> draw_climate(const std::array<double, 12>& temperature_c,
                                         const std::array<double, 12>& precipitation_mm,
                                         double temperature_sd_c, double precipitation_cv,
                                         int start_year, int years, std::uint64_t seed) {
  // Monthly precipitation is lognormal with the normal as its mean and the given coefficient
  // of variation: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2.
  const double sigma = std::sqrt(std::log1p(precipitation_cv * precipitation_cv));
  std::vector<MonthlyClimate> months;
  months.reserve(static_cast<std::size_t>(years) * 12);
  for (int y = 0; y < years; ++y) {
    for (int m = 0; m < 12; ++m) {
      RandomKey key{seed, 0, static_cast<std::uint64_t>(start_year + y),
                    static_cast<std::uint64_t>(m), 0};
      const double temperature = temperature_c[m] + temperature_sd_c * random_normal(key);
      key.stream = 1;
      const double factor = std::exp(sigma * random_normal(key) - 0.5 * sigma * sigma);
      months.push_back({temperature, precipitation_mm[m] * factor, 0.0, 0.0});
    }
  }
  return months;
}

ClimateSeries load_climate(const ClimateSpec& spec, const SourcePlace& place, int start_year,
                           int years, std::uint64_t seed) {
  std::vector<MonthlyClimate> months;
  bool has_pet = false;
  bool has_radiation = false;
  if (spec.csv.empty()) {
    months = draw_climate(spec.temperature_c, spec.precipitation_mm, spec.temperature_sd_c,
                          spec.precipitation_cv, start_year, years, seed);
  } else {
    const CsvTable table = CsvTable::read(spec.csv);
    const std::size_t year_column = table.require_column("year");
    const std::size_t month_column = table.require_column("month");
    const std::size_t temperature_column = table.require_column("temperature_c");
    const std::size_t precipitation_column = table.require_column("precipitation_mm");
    const int pet_column = table.column("pet_mm");
    const int radiation_column = table.column("radiation_mj_m2");
    has_pet = pet_column >= 0;
    has_radiation = radiation_column >= 0;
    const std::vector<std::string> known{
        "year", "month", "temperature_c", "precipitation_mm", "pet_mm", "radiation_mj_m2"};
    for (const auto& header : table.header()) {
      if (std::find(known.begin(), known.end(), header) == known.end()) {
        const std::string hint = closest_match(header, known);
        throw InputError(spec.csv.string(), 1, 1,
                         "unknown column '" + header + "'" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      }
    }
    std::map<std::pair<int, int>, std::pair<MonthlyClimate, int>> rows;
    std::vector<Diagnostic> problems;
    const std::string file = spec.csv.string();
    for (const auto& row : table.rows()) {
      const double year = table.number(row, year_column, "calendar year");
      const double month = table.number(row, month_column, "month 1-12");
      const double temperature = table.number(row, temperature_column, "degC");
      const double precipitation = table.number(row, precipitation_column, "mm");
      MonthlyClimate values{temperature, precipitation, 0.0, 0.0};
      auto optional_column = [&](int column, double& target, double maximum, const char* what) {
        if (column < 0) return;
        const auto index = static_cast<std::size_t>(column);
        target = table.number(row, index, what);
        if (target < 0 || target > maximum) {
          problems.push_back({file, row.line, row.cells[index].column,
                              "'" + table.header()[index] + "' must be 0 to " +
                                  format_number(maximum) + " " + what});
        }
      };
      optional_column(pet_column, values.pet_mm, 1000, "mm");
      optional_column(radiation_column, values.radiation_mj_m2, 1500, "MJ m-2");
      if (month < 1 || month > 12 || std::floor(month) != month) {
        problems.push_back(
            {file, row.line, row.cells[month_column].column, "month must be 1 to 12"});
      }
      if (temperature < -70 || temperature > 60) {
        problems.push_back({file, row.line, row.cells[temperature_column].column,
                            "temperature_c is outside -70 to 60 degC"});
      }
      if (precipitation < 0 || precipitation > 5000) {
        problems.push_back({file, row.line, row.cells[precipitation_column].column,
                            "precipitation_mm must be 0 to 5000 mm"});
      }
      const auto key = std::make_pair(static_cast<int>(year), static_cast<int>(month));
      if (!rows.emplace(key, std::make_pair(values, row.line)).second) {
        problems.push_back(
            {file, row.line, 1,
             "a second row for " + std::to_string(key.first) + "-" + std::to_string(key.second)});
      }
    }
    int last_line = 0;
    for (int y = start_year; y < start_year + years && problems.empty(); ++y) {
      for (int m = 1; m <= 12; ++m) {
        auto found = rows.find({y, m});
        if (found == rows.end()) {
          problems.push_back({file, last_line, 0,
                              "no row for " + std::to_string(y) + "-" + (m < 10 ? "0" : "") +
                                  std::to_string(m) + " (the simulation runs " +
                                  std::to_string(start_year) + "-" +
                                  std::to_string(start_year + years - 1) + "; referenced at " +
                                  place.file + ":" + std::to_string(place.line) + ")"});
          break;
        }
        last_line = found->second.second;
        months.push_back(found->second.first);
      }
    }
    if (!problems.empty()) throw InputError(std::move(problems));
  }
  for (auto& month : months) {
    month.precipitation_mm *= spec.precipitation_scale;
    month.temperature_c += spec.temperature_shift_c;
  }
  return ClimateSeries(start_year, std::move(months), has_pet, has_radiation);
}

}  // namespace minetwin
