#include "models/hydrology/hydrology_equations.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/core/calendar.hpp"

namespace minetwin::hydrology {

double extraterrestrial_radiation(double latitude_deg, int day) {
  constexpr double pi = std::numbers::pi;
  constexpr double solar_constant = 0.0820;  // MJ m-2 min-1
  const double phi = latitude_deg * pi / 180.0;
  const double dr = 1.0 + 0.033 * std::cos(2.0 * pi * day / 365.0);                      // eq. 23
  const double delta = 0.409 * std::sin(2.0 * pi * day / 365.0 - 1.39);                  // eq. 24
  const double ws = std::acos(std::clamp(-std::tan(phi) * std::tan(delta), -1.0, 1.0));  // eq. 25
  return 24.0 * 60.0 / pi * solar_constant * dr *
         (ws * std::sin(phi) * std::sin(delta) + std::cos(phi) * std::cos(delta) * std::sin(ws));
}

double hargreaves_et0(double ra_mj_m2_day, double mean_temperature_c, double temperature_range_c) {
  if (mean_temperature_c + 17.8 <= 0.0 || temperature_range_c <= 0.0) return 0.0;
  return 0.0023 * 0.408 * ra_mj_m2_day * (mean_temperature_c + 17.8) *
         std::sqrt(temperature_range_c);
}

double hargreaves_monthly_et0(double latitude_deg, int month, double mean_temperature_c,
                              double temperature_range_c) {
  int day = 0;
  for (int m = 0; m + 1 < month; ++m) day += kDaysInMonth[m];
  day += kDaysInMonth[month - 1] / 2 + 1;
  const double ra = extraterrestrial_radiation(latitude_deg, day);
  return hargreaves_et0(ra, mean_temperature_c, temperature_range_c) * kDaysInMonth[month - 1];
}

double storms_curve_number_runoff(std::span<const double> daily_mm, double curve_number) {
  double runoff = 0.0;
  for (const double rain : daily_mm) runoff += curve_number_runoff(rain, curve_number);
  return runoff;
}

int hydrologic_soil_group(double saturated_conductivity_mm_h) {
  const double micrometre_per_s = saturated_conductivity_mm_h / 3.6;
  if (micrometre_per_s > 40.0) return 0;
  if (micrometre_per_s > 10.0) return 1;
  if (micrometre_per_s > 1.0) return 2;
  return 3;
}

}  // namespace minetwin::hydrology
