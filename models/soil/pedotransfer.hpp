#pragma once
/// @file
/// @brief Soil hydraulic properties from texture, organic matter and density: the Saxton & Rawls
/// (2006) pedotransfer functions.
///
/// Saxton, K.E. & Rawls, W.J. (2006) Soil water characteristic estimates by texture and organic
/// matter for hydrologic solutions. Soil Sci. Soc. Am. J. 70:1569-1578, Table 1, eqs 1-3, 5
/// (moisture regressions), 6-10 (density adjustment) and 16 (saturated conductivity):
///   theta1500t = -0.024 S + 0.487 C + 0.006 OM + 0.005 S OM - 0.013 C OM + 0.068 S C + 0.031
///   theta1500  = theta1500t + (0.14 theta1500t - 0.02)
///   theta33t   = -0.251 S + 0.195 C + 0.011 OM + 0.006 S OM - 0.027 C OM + 0.452 S C + 0.299
///   theta33    = theta33t + (1.283 theta33t^2 - 0.374 theta33t - 0.015)
///   thetaS33t  = 0.278 S + 0.034 C + 0.022 OM - 0.018 S OM - 0.027 C OM - 0.584 S C + 0.078
///   thetaS33   = thetaS33t + (0.636 thetaS33t - 0.107)
///   thetaS     = theta33 + thetaS33 - 0.097 S + 0.043,   rhoN = (1 - thetaS) 2.65
///   density adjustment to the measured bulk density rhoDF: thetaS_DF = 1 - rhoDF / 2.65,
///   theta33_DF = theta33 - 0.2 (thetaS - thetaS_DF)
///   lambda = [ln(theta33) - ln(theta1500)] / [ln(1500) - ln(33)],
///   Ks = 1930 (thetaS - theta33)^(3 - lambda)  (mm/h)
/// with S and C mass fractions of the fine earth and OM in % by weight (OM = 1.724 OC).
/// Limits: fitted for OM <= 8 % and clay <= 60 %; values outside are clamped to that range, as
/// the paper advises. The gravel and salinity corrections are not applied (the rock-fragment
/// fraction reduces storage by volume in the hydrology model instead).

namespace minetwin::soil {

struct HydraulicProperties {
  double wilting_point;   ///< volumetric water content at 1500 kPa (m3 m-3)
  double field_capacity;  ///< at 33 kPa (m3 m-3)
  double saturation;      ///< (m3 m-3)
  double saturated_conductivity_mm_h;
};

/// @param sand, clay mass fractions (0-1); @param organic_matter_pct % by weight;
/// @param bulk_density_g_cm3 measured density (<= 0: the normal density of the texture).
HydraulicProperties saxton_rawls(double sand, double clay, double organic_matter_pct,
                                 double bulk_density_g_cm3);

/// Van Bemmelen factor: organic matter = 1.724 x organic carbon (Saxton & Rawls use OM).
inline constexpr double kOrganicMatterPerCarbon = 1.724;

}  // namespace minetwin::soil
