#include "models/terrain/erosivity_component.hpp"

#include "engine/core/summary.hpp"
#include "models/fields.hpp"
#include "models/terrain/rusle.hpp"

namespace minetwin::terrain {
namespace {

using namespace fields;
constexpr FieldSpec kFields[] = {
    reads(kPrecipitationDaily),
    kPrecipitationErosiveDayMean,
    kPrecipitationErosiveAnnualMean,
    kRainfallAnnualErosivity,
};
constexpr SummaryColumn kColumns[] = {
    {"rainfall_erosivity", "MJ mm ha-1 h-1", "RUSLE R of the year, from its storms"},
};

}  // namespace

std::span<const FieldSpec> ErosivityComponent::fields() const {
  return kFields;
}
std::span<const SummaryColumn> ErosivityComponent::summary_columns() const {
  return kColumns;
}
std::string_view ErosivityComponent::citation() const {
  return "Zhang, Xie & Liu 2002 (daily rainfall erosivity, 71 Chinese stations)";
}

void ErosivityComponent::update(FieldAccess& fields, const StepContext& step) {
  const DailyErosivity model =
      DailyErosivity::of_climate(fields.read(kPrecipitationErosiveDayMean)[0] * 1000.0,
                                 fields.read(kPrecipitationErosiveAnnualMean)[0] * 1000.0);
  double month = 0.0;
  for (const double day_m : fields.read(kPrecipitationDaily)) month += model.of_day(day_m * 1000.0);
  auto annual = fields.write(kRainfallAnnualErosivity);
  annual[0] = (step.month == 1 ? 0.0 : annual[0]) + month;
  step.summary->add("rainfall_erosivity", month);
}

}  // namespace minetwin::terrain
