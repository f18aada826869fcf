#include "engine/site/climate_forcing.hpp"

#include "engine/core/summary.hpp"

namespace minetwin {

namespace {
// The optional columns of the climate CSV become fields only when present, so a model reading
// them declares them as optional inputs and estimates them otherwise (e.g. Hargreaves PET).
constexpr FieldSpec kFields[] = {
    {"air_temperature__monthly_mean", "degC", Location::site, Intent::out, ElementType::float64,
     true, "mean air temperature of the month"},
    {"precipitation__monthly_depth", "m", Location::site, Intent::out, ElementType::float64, true,
     "precipitation of the month, as water depth"},
    {"precipitation__annual_depth", "m", Location::site, Intent::out, ElementType::float64, true,
     "precipitation of the calendar year so far (the whole year once December is done)"},
    {"precipitation__daily_depth", "m", Location::day, Intent::out, ElementType::float64, true,
     "precipitation of each day of the month (31 values; the days past the month's end 0)"},
    {"precipitation__erosive_day_mean", "m", Location::site, Intent::out, ElementType::float64,
     true, "mean depth of the days with at least 12 mm, over the run's climate"},
    {"precipitation__erosive_annual_mean", "m", Location::site, Intent::out, ElementType::float64,
     true, "mean annual precipitation of the days with at least 12 mm, over the run's climate"},
    {"potential_evapotranspiration__monthly_depth", "m", Location::site, Intent::out,
     ElementType::float64, true,
     "potential evapotranspiration of the month (from the climate CSV)"},
    {"solar_radiation__monthly_total", "MJ m-2", Location::site, Intent::out, ElementType::float64,
     true, "global radiation of the month (from the climate CSV)"},
};
constexpr SummaryColumn kColumns[] = {
    {"precipitation_mm", "mm", "precipitation of the year"},
    {"air_temperature_mean_c", "degC", "mean of the twelve monthly mean temperatures"},
};
}  // namespace

std::span<const FieldSpec> ClimateForcing::fields() const {
  std::span<const FieldSpec> all(kFields);
  if (climate_.has_pet() && climate_.has_radiation()) return all;
  if (climate_.has_pet()) return all.first(7);
  if (!climate_.has_radiation()) return all.first(6);
  fields_.assign(all.begin(), all.begin() + 6);
  fields_.push_back(kFields[7]);
  return fields_;
}

std::span<const SummaryColumn> ClimateForcing::summary_columns() const {
  return kColumns;
}

void ClimateForcing::update(FieldAccess& fields, const StepContext& step) {
  const MonthlyClimate& month = climate_.at(step.year, step.month);
  fields.write<double>("air_temperature__monthly_mean")[0] = month.temperature_c;
  fields.write<double>("precipitation__monthly_depth")[0] = month.precipitation_mm / 1000.0;
  auto annual = fields.write<double>("precipitation__annual_depth");
  annual[0] = (step.month == 1 ? 0.0 : annual[0]) + month.precipitation_mm / 1000.0;
  auto daily = fields.write<double>("precipitation__daily_depth");
  const auto days = climate_.days(step.year, step.month);
  for (std::size_t d = 0; d < days.size(); ++d) daily[d] = days[d] / 1000.0;
  fields.write<double>("precipitation__erosive_day_mean")[0] = erosive_days_.first / 1000.0;
  fields.write<double>("precipitation__erosive_annual_mean")[0] = erosive_days_.second / 1000.0;
  if (climate_.has_pet()) {
    fields.write<double>("potential_evapotranspiration__monthly_depth")[0] = month.pet_mm / 1000.0;
  }
  if (climate_.has_radiation()) {
    fields.write<double>("solar_radiation__monthly_total")[0] = month.radiation_mj_m2;
  }
  step.summary->add("precipitation_mm", month.precipitation_mm);
  step.summary->add("air_temperature_mean_c", month.temperature_c / 12.0);
}

}  // namespace minetwin
