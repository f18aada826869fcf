#pragma once
/// @file
/// @brief The hydrology's equations (docs/models/hydrology.md): the one place where a scientist
/// edits the physics of the water balance. Extraterrestrial radiation and Hargreaves reference
/// evapotranspiration, SCS curve-number runoff and its slope adjustment, and the water stress of
/// uptake. The loops that apply them to the grid are hydrology_passes.cpp, the orchestration
/// (routing, pit lakes, ledger, summary) hydrology_component.cpp.

#include <algorithm>
#include <cmath>
#include <span>

#include "engine/core/fast_exp.hpp"

namespace minetwin::hydrology {

/// Extraterrestrial radiation Ra (MJ m-2 day-1) at latitude @p latitude_deg on day of year
/// @p day (FAO-56, Allen et al. 1998, eqs 21-25).
double extraterrestrial_radiation(double latitude_deg, int day);

/// Hargreaves & Samani (1985) reference evapotranspiration (mm/day):
/// ET0 = 0.0023 (0.408 Ra) (T + 17.8) sqrt(Tmax - Tmin), 0 when T + 17.8 <= 0.
double hargreaves_et0(double ra_mj_m2_day, double mean_temperature_c, double temperature_range_c);

/// Monthly ET0 (mm) from the mid-month day of a 365-day year.
double hargreaves_monthly_et0(double latitude_deg, int month, double mean_temperature_c,
                              double temperature_range_c);

/// SCS curve-number runoff of one event (mm): S = 25400/CN - 254, Ia = 0.2 S,
/// Q = (P - Ia)^2 / (P - Ia + S) for P > Ia (USDA NRCS NEH 630, ch. 10, eq. 10-11).
/// Inline: the monthly balance calls it in a vectorised cell loop (hydrology_passes.cpp).
/// The same with the retention S (mm) given: the form the vectorised cell loop uses, S computed
/// once per cell for all the month's storms. Both sides of the select are computed (over + S =
/// P + 0.8 S > 0), so the loop around it vectorises.
inline double curve_number_runoff_of_retention(double precipitation_mm, double retention_mm) {
  const double over = precipitation_mm - 0.2 * retention_mm;
  const double runoff = over * over / (over + retention_mm);
  return over > 0.0 ? runoff : 0.0;
}
/// The potential maximum retention S (mm) of a curve number: S = 25400 / CN − 254 (NEH 630
/// ch. 10, eq. 10-12).
inline double curve_number_retention_mm(double curve_number) {
  return 25400.0 / curve_number - 254.0;
}
inline double curve_number_runoff(double precipitation_mm, double curve_number) {
  return curve_number_runoff_of_retention(precipitation_mm,
                                          curve_number_retention_mm(curve_number));
}

/// The curve number's slope adjustment (Williams 1995; SWAT Theory, Neitsch et al. 2011,
/// eqs. 2:1.1.4 and 2:1.1.9): the table values hold for 5 % slopes;
/// CN2s = CN2 + (CN3 - CN2) (1 - 2 exp(-13.86 slope)) / 3, CN3 = CN2 exp(0.00673 (100 - CN2))
/// (the wet antecedent condition). slope_share() is the slope's factor (1 - 2 exp(-13.86 s))/3.
inline double curve_number_slope_share(double gradient) {
  return (1.0 - 2.0 * std::exp(-13.86 * gradient)) / 3.0;
}
inline double slope_adjusted_curve_number(double curve_number, double slope_share) {
  // exp(+x) as 1 / exp(-x): the inline exponential of non-positive arguments vectorises.
  const double wet = curve_number / exp_of_nonpositive(-0.00673 * (100.0 - curve_number));
  return curve_number + (wet - curve_number) * slope_share;
}

/// The water stress of uptake, 0..1, of a layer holding @p water (m) between its wilting point
/// and field capacity: readily available water, uptake runs unstressed down to a share
/// @p p_fraction of the available water, then falls linearly to zero at the wilting point
/// (FAO-56, Allen et al. 1998, eq. 84). Both sides of the select are computed (a layer without
/// available water divides by zero in the unused side), so the loops around it vectorise under
/// -fno-trapping-math (models/CMakeLists.txt).
inline double water_stress(double water, double wilting, double field, double p_fraction) {
  const double available = field - wilting;
  const double ratio = std::clamp((water - wilting) / (p_fraction * available), 0.0, 1.0);
  return available <= 0.0 ? 0.0 : ratio;
}

/// Runoff of a series of storms (mm): the sum of each day's curve-number runoff.
double storms_curve_number_runoff(std::span<const double> daily_mm, double curve_number);

/// Hydrologic soil group index 0..3 (A..D) from saturated conductivity (NEH 630 ch. 7,
/// Table 7-1: A > 40, B 10-40, C 1-10, D < 1 micrometre per second).
int hydrologic_soil_group(double saturated_conductivity_mm_h);

/// Curve numbers by hydrologic soil group (NEH 630 ch. 9, Table 9-1; TR-55 Table 2-2):
/// fallow bare soil, and pasture/grassland in good condition.
inline constexpr double kCurveNumberBare[4] = {77, 86, 91, 94};
inline constexpr double kCurveNumberGrassGood[4] = {39, 61, 74, 80};

}  // namespace minetwin::hydrology
