#include "models/terrain/rusle.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::terrain {

double rainfall_erosivity(double p) {
  if (p <= 0.0) return 0.0;
  return p <= 850.0 ? 0.0483 * std::pow(p, 1.61) : 587.8 - 1.219 * p + 0.004105 * p * p;
}

DailyErosivity DailyErosivity::of_climate(double erosive_day_mean_mm,
                                          double erosive_annual_mean_mm) {
  DailyErosivity e;
  if (erosive_day_mean_mm <= 0.0 || erosive_annual_mean_mm <= 0.0) return e;  // no erosive rain
  e.beta = 0.8363 + 18.144 / erosive_day_mean_mm + 24.455 / erosive_annual_mean_mm;
  e.alpha = 21.586 * std::pow(e.beta, -7.1891);
  return e;
}

double soil_erodibility(double sand, double silt, double clay, double carbon) {
  const double f_csand = 0.2 + 0.3 * std::exp(-0.0256 * sand * (1.0 - silt / 100.0));
  const double f_clsi = clay + silt > 0.0 ? std::pow(silt / (clay + silt), 0.3) : 0.0;
  const double f_orgc = 1.0 - 0.25 * carbon / (carbon + std::exp(3.72 - 2.95 * carbon));
  const double sn1 = 1.0 - sand / 100.0;
  const double f_hisand = 1.0 - 0.7 * sn1 / (sn1 + std::exp(-5.51 + 22.9 * sn1));
  return f_csand * f_clsi * f_orgc * f_hisand * 0.1317;
}

}  // namespace minetwin::terrain
