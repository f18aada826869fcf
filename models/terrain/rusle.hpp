#pragma once
/// @file
/// @brief RUSLE factors and the WaTEM/SEDEM transport capacity.
///
/// A = R K LS C P (Renard et al. 1997, USDA Agriculture Handbook 703), A in t ha-1 yr-1.
/// - R from annual precipitation P (mm): Renard & Freimund (1994), J. Hydrol. 157:287:
///   R = 0.0483 P^1.61 for P <= 850 mm, R = 587.8 - 1.219 P + 0.004105 P^2 above
///   (MJ mm ha-1 h-1 yr-1).
/// - K from texture and organic carbon: Williams (1995) EPIC equation (Sharpley & Williams 1990):
///   K = f_csand f_clsi f_orgc f_hisand x 0.1317 (t ha h ha-1 MJ-1 mm-1), with
///   f_csand = 0.2 + 0.3 exp(-0.0256 SAN (1 - SIL/100)), f_clsi = (SIL/(CLA+SIL))^0.3,
///   f_orgc = 1 - 0.25 C/(C + exp(3.72 - 2.95 C)), f_hisand = 1 - 0.7 SN1/(SN1 + exp(-5.51 + 22.9
///   SN1)), SN1 = 1 - SAN/100 (SAN, SIL, CLA, C in %).
/// - LS from the unit contributing area: Moore & Burch (1986):
///   LS = (As/22.13)^0.4 (sin b/0.0896)^1.3, As = drainage area / cell width; sin b from the
///   gradient S = tan b as S/sqrt(1 + S^2).
/// - C from the canopy and the ground cover (Handbook 703, ch. 5, soil-loss-ratio subfactors):
///   C = CC SC, CC = 1 - Fc exp(-0.34 H) (H the canopy's fall height in feet), SC = exp(-b Sp)
///   (Sp the ground cover in %: plants' basal cover and litter, and rock fragments on the
///   surface, which Handbook 703 counts as cover), cover_factor() below.
/// - Transport capacity (Van Oost, Govers & Desmet 2000, Landscape Ecology 15:577, WaTEM/SEDEM):
///   TC = ktc R K (LS - 4.12 S^0.8), S the slope gradient (m/m), in kg m-1 yr-1 with ktc in m.

#include <algorithm>
#include <cmath>

#include "engine/core/fast_exp.hpp"
#include "engine/core/fast_log.hpp"

namespace minetwin::terrain {

double rainfall_erosivity(double annual_precipitation_mm);

/// The daily erosivity model of Zhang, Xie & Liu (2002, Scientia Geographica Sinica 22:705),
/// fitted to 71 Chinese stations: a day of P >= 12 mm (China's erosive-rain threshold) gives
/// EI = alpha P^beta (MJ mm ha-1 h-1), beta = 0.8363 + 18.144 / Pd12 + 24.455 / Py12,
/// alpha = 21.586 beta^-7.1891, with Pd12 the mean depth of the erosive days and Py12 the mean
/// annual rain of the erosive days (mm) of the site's climate.
struct DailyErosivity {
  double alpha = 0.0, beta = 1.0;
  static constexpr double kErosiveDayMm = 12.0;
  static DailyErosivity of_climate(double erosive_day_mean_mm, double erosive_annual_mean_mm);
  double of_day(double rain_mm) const {
    return rain_mm >= kErosiveDayMm ? alpha * std::pow(rain_mm, beta) : 0.0;
  }
};
double soil_erodibility(double sand_pct, double silt_pct, double clay_pct,
                        double organic_carbon_pct);

/// The ground-cover coefficient b of SC = exp(-b Sp), per % of cover. Handbook 703 (Renard et
/// al. 1997, ch. 5) gives 0.035 where interrill and rill erosion are balanced and 0.05 where rill
/// erosion dominates, as on the steep, freshly graded slopes of mine land; 0.05 also matches
/// the pasture C values of Wischmeier & Smith (1978, Table 10) at 95-100 % ground cover.
inline constexpr double kGroundCoverCoefficient = 0.05;
/// The canopy's average fall height (m): Wischmeier & Smith (1978, Table 10) class "tall weeds
/// or short brush, 20 in (0.5 m) fall height", the grass and shrub of reclaimed mine land.
inline constexpr double kCanopyFallHeightM = 0.5;

/// RUSLE's cover-management factor C = CC SC (Handbook 703, ch. 5) of a cell with vegetation
/// cover @p cover_fraction and rock fragments @p surface_rock_fraction on its surface: the
/// vegetation is the canopy (Fc) and, as basal cover and litter beneath it, ground cover; rock
/// fragments cover the ground the plants leave bare. Bare, rock-free soil gives 1; dense grass
/// (cover 0.95) 0.004. Inline (the exponentials within 1 ulp of std::exp, fast_exp.hpp) so the
/// cell loops around it vectorise.
inline double cover_factor(double cover_fraction, double surface_rock_fraction) {
  const double canopy = std::clamp(cover_fraction, 0.0, 1.0);
  const double rock = std::clamp(surface_rock_fraction, 0.0, 1.0);
  const double ground_cover_pct = 100.0 * (1.0 - (1.0 - canopy) * (1.0 - rock));
  // Handbook 703 writes CC with the fall height in feet: exp(-0.34 H_ft).
  constexpr double kCanopyTerm = -0.34 * kCanopyFallHeightM / 0.3048;
  static_assert(kCanopyTerm < 0.0);
  const double canopy_subfactor = 1.0 - canopy * exp_of_nonpositive(kCanopyTerm);
  return canopy_subfactor * exp_of_nonpositive(-kGroundCoverCoefficient * ground_cover_pct);
}

/// LS from the unit contributing area (m) and the slope gradient S (m/m). The powers are
/// exp(y ln x) (engine/core/fast_log.hpp, within 1e-14 relative of std::pow): inline, so the
/// erosion's cell loop vectorises.
inline double ls_factor(double specific_area_m, double gradient) {
  const double sine = gradient / std::sqrt(1.0 + gradient * gradient);
  return power_of_nonnegative(std::max(specific_area_m, 0.0) / 22.13, 0.4) *
         power_of_nonnegative(sine / 0.0896, 1.3);
}

/// The slope term of the transport capacity, 4.12 S^0.8 (S in m/m).
inline double capacity_slope_term(double gradient) {
  return 4.12 * power_of_nonnegative(gradient, 0.8);
}

}  // namespace minetwin::terrain
