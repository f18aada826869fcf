#include "engine/site/climate_forcing.hpp"

#include "engine/core/summary.hpp"

namespace minetwin {

namespace {
constexpr FieldSpec kFields[] = {
    {"air_temperature__monthly_mean", "degC", Location::site, Intent::out, ElementType::float64,
     true, "mean air temperature of the month"},
    {"precipitation__monthly_depth", "m", Location::site, Intent::out, ElementType::float64, true,
     "precipitation of the month, as water depth"},
};
constexpr SummaryColumn kColumns[] = {
    {"precipitation_mm", "mm", "precipitation of the year"},
    {"air_temperature_mean_c", "degC", "mean of the twelve monthly mean temperatures"},
};
}  // namespace

std::span<const FieldSpec> ClimateForcing::fields() const {
  return kFields;
}
std::span<const SummaryColumn> ClimateForcing::summary_columns() const {
  return kColumns;
}

void ClimateForcing::update(FieldAccess& fields, const StepContext& step) {
  const MonthlyClimate& month = climate_.at(step.year, step.month);
  fields.write<double>("air_temperature__monthly_mean")[0] = month.temperature_c;
  fields.write<double>("precipitation__monthly_depth")[0] = month.precipitation_mm / 1000.0;
  step.summary->add("precipitation_mm", month.precipitation_mm);
  step.summary->add("air_temperature_mean_c", month.temperature_c / 12.0);
}

}  // namespace minetwin
