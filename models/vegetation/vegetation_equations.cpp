#include "models/vegetation/vegetation_equations.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::vegetation {

double temperature_scalar(double t, double topt) {
  const double t1 = 0.8 + 0.02 * topt - 0.0005 * topt * topt;
  const double t2 = 1.1814 / (1.0 + std::exp(0.2 * (topt - 10.0 - t))) /
                    (1.0 + std::exp(0.3 * (-topt - 10.0 + t)));
  return std::max(0.0, t1 * t2);
}

double soil_factor(const PlantType& type, const SoilConditions& soil) {
  // pH: full growth 5.5-8.0, none below 3.5 or above 9.5 (typical tolerance of reclamation
  // species; assumption).
  const double ph =
      std::clamp((soil.ph - 3.5) / 2.0, 0.0, 1.0) * std::clamp((9.5 - soil.ph) / 1.5, 0.0, 1.0);
  // Metal toxicity: log-logistic dose response, EC50 (mg/kg) × the type's tolerance.
  static constexpr double ec50[6] = {20, 1500, 600, 300, 150, 600};
  double toxicity = 1.0;
  for (int m = 0; m < 6; ++m) {
    const double ratio = std::max(0.0, soil.metals_mg_kg[m]) / (ec50[m] * type.metal_tolerance);
    toxicity *= 1.0 / (1.0 + ratio * ratio);
  }
  // Nutrients: organic carbon as the proxy of N supply, half-saturated at 0.5 % OC; nitrogen
  // fixers keep at least 60 %.
  const double oc = std::max(0.0, soil.organic_carbon_fraction);
  double nutrients = oc / (oc + 0.005);
  if (type.fixes_nitrogen) nutrients = std::max(nutrients, 0.6);
  return ph * toxicity * nutrients;
}

GrowthTerms growth_terms(const PlantType& type, double temperature_c, double epsilon) {
  return {epsilon * type.light_use_factor,
          temperature_scalar(temperature_c, type.optimum_temperature_c),
          month_fraction(type.leaf_turnover),
          month_fraction(type.stem_turnover),
          month_fraction(type.root_turnover),
          type.dpm_rpm_ratio / (1.0 + type.dpm_rpm_ratio),
          1.0 / type.max_carbon,
          type.leaf_share,
          type.stem_share,
          type.root_share,
          type.leaf_share + type.root_share,
          type.root_share + type.stem_share,
          type.specific_leaf_area};
}

}  // namespace minetwin::vegetation
