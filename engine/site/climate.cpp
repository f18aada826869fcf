#include "engine/site/climate.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/core/summary.hpp"

#include "engine/core/random.hpp"
#include "engine/io/csv.hpp"
#include "engine/site/daily_rainfall.hpp"

namespace minetwin {
namespace {

// The former hydrology's assumption (mean event depth 12 mm), kept for sites without wet-day
// counts: a month's rain falls on about P / 12 mm wet days.
constexpr double kWetDayDepthWithoutCountsMm = 12.0;

// Reads the daily CSV into @p daily (31 slots per simulated month); every simulated day once, in
// date order. 29 February adds to 28 February (the climate's calendar has 365-day years).
void read_daily_csv(const ClimateSpec& spec, const SourcePlace& place, int start_year, int years,
                    std::vector<double>& daily) {
  const CsvTable table = CsvTable::read(spec.daily_csv);
  const std::string file = spec.daily_csv.string();
  const std::vector<std::string> known{"year", "month", "day", "precipitation_mm"};
  for (const auto& header : table.header()) {
    if (std::find(known.begin(), known.end(), header) == known.end()) {
      const std::string hint = closest_match(header, known);
      throw InputError(file, 1, 1,
                       "unknown column '" + header + "'" +
                           (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
  }
  const std::size_t year_column = table.require_column("year");
  const std::size_t month_column = table.require_column("month");
  const std::size_t day_column = table.require_column("day");
  const std::size_t rain_column = table.require_column("precipitation_mm");
  std::vector<Diagnostic> problems;
  // Days are counted on the 365-day calendar: (year, day of year 0..364).
  long previous = -1;
  int previous_line = 0;
  const long first = static_cast<long>(start_year) * 365;
  const long last = first + static_cast<long>(years) * 365 - 1;
  long expected = first;  // the next simulated day the file must give
  for (const auto& row : table.rows()) {
    const double year = table.number(row, year_column, "calendar year");
    const double month = table.number(row, month_column, "month 1-12");
    const double day = table.number(row, day_column, "day of the month");
    const double rain = table.number(row, rain_column, "mm");
    auto error = [&](std::size_t column, std::string message) {
      problems.push_back({file, row.line, row.cells[column].column, std::move(message)});
    };
    if (month < 1 || month > 12 || std::floor(month) != month) {
      error(month_column, "month must be 1 to 12");
      continue;
    }
    const int m = static_cast<int>(month);
    const int days_in_month = m == 2 ? 29 : kDaysInMonth[m - 1];
    if (day < 1 || day > days_in_month || std::floor(day) != day) {
      error(day_column,
            "day must be 1 to " + std::to_string(days_in_month) + " in month " + std::to_string(m));
      continue;
    }
    if (std::floor(year) != year || year < -9999 || year > 99999) {
      error(year_column, "year must be a whole calendar year");
      continue;
    }
    if (rain < 0 || rain > 2000) {
      error(rain_column, "precipitation_mm must be 0 to 2000 mm a day");
      continue;
    }
    const bool leap_day = m == 2 && day == 29;
    int day_of_year = static_cast<int>(day) - 1 - (leap_day ? 1 : 0);
    for (int k = 0; k + 1 < m; ++k) day_of_year += kDaysInMonth[k];
    const long date = static_cast<long>(year) * 365 + day_of_year;
    if (date < previous || (date == previous && !leap_day)) {
      error(year_column, "dates out of order: this row comes before or on the date of line " +
                             std::to_string(previous_line));
      continue;
    }
    if (date >= first && date <= last) {
      if (!leap_day && date != expected) {
        error(year_column, "a gap: no row for the " + std::to_string(date - expected) +
                               " day(s) before this one");
      }
      expected = leap_day ? expected : date + 1;
      const auto month_index =
          static_cast<std::size_t>((static_cast<int>(year) - start_year) * 12 + m - 1);
      const int day_in_month = leap_day ? 27 : static_cast<int>(day) - 1;
      daily[month_index * ClimateSeries::kDaySlots + static_cast<std::size_t>(day_in_month)] +=
          rain;
    }
    previous = date;
    previous_line = row.line;
    if (problems.size() > 20) break;
  }
  if (problems.empty() && expected <= last) {
    const long missing_year = expected / 365;
    problems.push_back({file, previous_line, 0,
                        "no rows from " + std::to_string(missing_year) + ", day " +
                            std::to_string(expected % 365 + 1) +
                            " of the year on (the simulation runs " + std::to_string(start_year) +
                            "-" + std::to_string(start_year + years - 1) + "; referenced at " +
                            place.file + ":" + std::to_string(place.line) + ")"});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

}  // namespace

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

namespace {

ClimateSeries build_climate(const ClimateSpec& spec, const SourcePlace& place,
                            const SourcePlace& daily_place, int start_year, int years,
                            std::uint64_t seed, std::vector<std::string>* notices) {
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
  // The days of each month (daily_rainfall.hpp), before the what-if scale.
  constexpr std::size_t slots = ClimateSeries::kDaySlots;
  std::vector<double> daily(months.size() * slots, 0.0);
  auto days_of = [&](std::size_t index) {
    return std::span<double>(daily).subspan(index * slots, slots);
  };
  if (!spec.daily_csv.empty()) {
    read_daily_csv(spec, daily_place, start_year, years, daily);
  } else if (spec.csv.empty() && spec.has_wet_days) {
    for (std::size_t i = 0; i < months.size(); ++i) {
      const int month = static_cast<int>(i % 12) + 1;
      const double mean = spec.precipitation_mm[i % 12];
      const MonthlyRainfallModel model =
          fit_month({mean, spec.wet_days[i % 12], spec.precipitation_cv * mean},
                    kDaysInMonth[month - 1], spec.wet_day_persistence);
      generate_month(model.chain, model.mean_wet_day_mm, model.shape, seed,
                     start_year + static_cast<int>(i / 12), month, days_of(i));
    }
  } else {
    if (!spec.has_wet_days && notices != nullptr) {
      notices->push_back(
          "notice: site.climate.wet_days not given: each month's precipitation "
          "falls on wet days of about 12 mm (at least one); give the site's "
          "mean wet days per month for its storms (docs/models/hydrology.md)");
    }
    for (std::size_t i = 0; i < months.size(); ++i) {
      const int month = static_cast<int>(i % 12) + 1;
      const int days = kDaysInMonth[month - 1];
      const double total = months[i].precipitation_mm;
      const double wet_days =
          spec.has_wet_days
              ? std::clamp(spec.wet_days[i % 12], 1.0, static_cast<double>(days))
              : std::clamp(total / kWetDayDepthWithoutCountsMm, 1.0, static_cast<double>(days));
      disaggregate_month(total, {wet_days / days, spec.wet_day_persistence},
                         geng_gamma_shape(total / wet_days), seed,
                         start_year + static_cast<int>(i / 12), month, days_of(i));
    }
  }
  for (std::size_t i = 0; i < months.size(); ++i) {
    double total = 0.0;
    for (double& day : days_of(i)) {
      day *= spec.precipitation_scale;
      total += day;
    }
    months[i].precipitation_mm = total;
    months[i].temperature_c += spec.temperature_shift_c;
  }
  return ClimateSeries(start_year, std::move(months), has_pet, has_radiation, std::move(daily));
}

}  // namespace

ClimateSeries load_climate(const ClimateSpec& spec, const SourcePlace& place,
                           const SourcePlace& daily_place, int start_year, int years,
                           std::uint64_t seed, std::vector<std::string>* notices) {
  ClimateSeries series = build_climate(spec, place, daily_place, start_year, years, seed, notices);
  // The erosivity model's climate statistics (its mean erosive-day depth and annual sum) are a
  // property of the site's climate, not of how long a run is: they are taken over a fixed
  // reference period, the 30 years of a WMO climatological normal from the start year, so that
  // the first years of a short run are those of a long one (and a calibration's runs can stop at
  // the last observation). A climate source that holds fewer years than that gives the run's own.
  constexpr int kReferenceYears = 30;
  if (years > kReferenceYears) {
    const std::vector<double>& days = series.daily_mm();
    series.set_reference_days(std::vector<double>(
        days.begin(), days.begin() + static_cast<std::ptrdiff_t>(kReferenceYears * 12 *
                                                                 ClimateSeries::kDaySlots)));
  } else if (years < kReferenceYears) {
    try {
      series.set_reference_days(
          build_climate(spec, place, daily_place, start_year, kReferenceYears, seed, nullptr)
              .daily_mm());
    } catch (const InputError&) {
      // The CSV ends before the reference period does: the run's own years.
    }
  }
  return series;
}

}  // namespace minetwin
