#pragma once
/// @file
/// @brief RothC 26.3 (Coleman & Jenkinson), the monthly step of the Rothamsted soil-carbon model,
/// as the official Fortran distribution (version 2.0.0, options 1/1) implements it
/// (shared/reference/rothc.md gives the equations and formats).
///
/// The official code's constants are single-precision literals in double arithmetic; the
/// functions here use the same float-rounded values, so that the official example is reproduced
/// to the printed precision (docs/models/carbon.md).

#include <algorithm>
#include <array>
#include <span>

namespace minetwin::carbon {

/// The five pools, t C/ha (the grid model stores kg C m-2 and converts).
struct Pools {
  double dpm = 0, rpm = 0, bio = 0, hum = 0, iom = 0;
  double active() const { return dpm + rpm + bio + hum; }
  double total() const { return active() + iom; }
};

/// The soil of a RothC site: clay (%) and the depth of the modelled topsoil (cm).
struct RothCSoil {
  double clay_percent = 0;
  double depth_cm = 23;
};

/// One month of forcing and inputs.
struct RothCMonth {
  double temperature_c = 0;
  double rain_mm = 0;
  double open_pan_evaporation_mm = 0;  ///< the model uses 0.75 of it
  double plant_carbon = 0;             ///< t C/ha entering the soil this month
  double manure_carbon = 0;            ///< farmyard manure / compost C, t C/ha
  bool covered = false;                ///< plant cover (PC = 1)
  double dpm_rpm_ratio = 1.44;         ///< of this month's plant input
};

/// What one month did, besides updating the pools (for outputs and ledgers).
struct RothCStep {
  double temperature_rate = 0;  ///< a
  double moisture_rate = 0;     ///< b
  double cover_rate = 0;        ///< c
  double respired = 0;          ///< CO2-C released this month, t C/ha
};

/// The pieces of the monthly step, shared by rothc_month (one site) and the grid model's loops
/// over cell blocks (inline, so that those loops vectorise). The official Fortran's literals are
/// default (single-precision) REALs used in double arithmetic: F(x) is the float-rounded value.
namespace monthly {

constexpr double F(float value) {
  return static_cast<double>(value);
}
/// The month as the Fortran computes it: 1.0/12 in single precision.
inline constexpr double kMonth = F(1.0f / 12.0f);

/// RothC 26.3's constants (Coleman & Jenkinson 1996; shared/reference/rothc.md), typed once.
/// The monthly step uses them as the Fortran does, rounded to single precision (F(float(x)));
/// the continuous steady state (equilibrium_shares) uses the published decimals.
/// Decomposition rate constants k (yr-1) of DPM, RPM, BIO and HUM.
inline constexpr double kRateDpm = 10.0, kRateRpm = 0.3, kRateBio = 0.66, kRateHum = 0.02;
/// The part of what decays that is not respired goes to BIO and HUM in these shares.
inline constexpr double kToBio = 0.46, kToHum = 0.54;
/// Farmyard manure (and compost) enters as DPM, RPM and HUM in these shares.
inline constexpr double kManureDpm = 0.49, kManureRpm = 0.49, kManureHum = 0.02;
/// The Fortran's single-precision value of a constant.
constexpr double single(double constant) {
  return F(static_cast<float>(constant));
}

/// The month's water balance, mm: rain − 0.75 × open-pan evaporation.
inline double water_balance(double rain_mm, double open_pan_evaporation_mm) {
  return rain_mm - F(0.75f) * open_pan_evaporation_mm;
}

/// The topsoil moisture deficit (mm, ≤ 0) at the end of the month (RothC 26.3, opt_RMmoist = 1,
/// opt_SMDbare = 1): bounded by the maximum deficit under plants, by 0.556 of it when bare.
inline double next_deficit(double deficit, double deficit_max, double balance, bool covered) {
  const double deficit_bare = F(0.556f) * deficit_max;
  return covered ? std::max(deficit_max, std::min(0.0, deficit + balance))
                 : std::max(std::min(deficit_bare, deficit), std::min(0.0, deficit + balance));
}

/// Rate modifier for moisture (b): 1 above the deficit at −1 bar (0.444 of the maximum), then
/// falling linearly to 0.2 at the maximum deficit.
inline double moisture_rate(double deficit, double deficit_max) {
  const double deficit_1bar = F(0.444f) * deficit_max;
  // Both branches computed, then chosen: a select the compiler vectorises (a division in only
  // one branch is not speculated under the default -ftrapping-math).
  const double ramp =
      F(0.2f) + (1.0 - F(0.2f)) * (deficit_max - deficit) / (deficit_max - deficit_1bar);
  return deficit > deficit_1bar ? 1.0 : ramp;
}

/// Rate modifier for plant cover (c): 0.6 covered, 1 bare.
inline double cover_rate(bool covered) {
  return covered ? F(0.6f) : 1.0;
}

/// The litter's DPM/RPM ratio as the grid takes it from the vegetation: at least 0.01 (a litter
/// of pure RPM has none; MineTwin guard).
inline double litter_dpm_rpm_ratio(float ratio) {
  return std::max(0.01, static_cast<double>(ratio));
}

/// The shares of what decays that become BIO (46 %) and HUM (54 %) of the part not respired,
/// by the clay-dependent CO2 / (BIO + HUM) ratio x: 0.46 / (x + 1) and 0.54 / (x + 1).
struct BioHumShares {
  double to_bio, to_hum;
};
inline BioHumShares biohum_shares(double x) {
  return {single(kToBio) / (x + 1.0), single(kToHum) / (x + 1.0)};
}

/// Decays the four active pools (t C/ha) by their month's factors exp(−a·b·c·k/12), splits what
/// decayed into CO2, BIO and HUM by @p to_bio and @p to_hum (biohum_shares), then adds the
/// month's inputs: plant carbon by the DPM/RPM ratio @p r, manure 49/49/2 % DPM/RPM/HUM.
/// Returns the CO2-C respired, counted as what the pools lost so that the carbon ledger closes
/// exactly (0.46f + 0.54f differs from 1 by 1e-8 in the official constants).
inline double decay_and_add(double& dpm, double& rpm, double& bio, double& hum, double f_dpm,
                            double f_rpm, double f_bio, double f_hum, double to_bio, double to_hum,
                            double plant, double r, double manure) {
  const double d = dpm * f_dpm, rp = rpm * f_rpm, b = bio * f_bio, h = hum * f_hum;
  const double decayed = (dpm - d) + (rpm - rp) + (bio - b) + (hum - h);
  const double into_bio = decayed * to_bio;
  const double into_hum = decayed * to_hum;
  const double rpm_share = 1.0 / (1.0 + r);  // one division: the grid runs this for every cell
  dpm = d + (plant * (r * rpm_share) + single(kManureDpm) * manure);
  rpm = rp + (plant * rpm_share + single(kManureRpm) * manure);
  bio = b + into_bio;
  hum = h + into_hum + single(kManureHum) * manure;
  return decayed - into_bio - into_hum;
}

}  // namespace monthly

/// Rate modifier for temperature (a): 47.91 / (1 + exp(106.06 / (T + 18.27))), 0 below -5 °C.
double temperature_rate(double temperature_c);

/// The maximum topsoil moisture deficit of a soil (mm, negative).
double maximum_deficit(const RothCSoil& soil);

/// CO2 / (BIO + HUM) ratio x = 1.67 (1.85 + 1.60 exp(-0.0786 clay)).
double co2_to_biohum_ratio(double clay_percent);

/// Advances @p pools and the accumulated topsoil moisture deficit @p deficit_mm (≤ 0) by one
/// month. Inputs enter at the end of the month.
RothCStep rothc_month(Pools& pools, double& deficit_mm, const RothCSoil& soil,
                      const RothCMonth& month);

/// The decay factors of the last rate modifier computed, for the next cell: cells with the same
/// soil and cover history share their moisture deficit, so neighbours usually repeat the same
/// a·b·c and the four exponentials need not be computed again (identical inputs, identical
/// factors: results do not change).
struct DecayMemo {
  double rate = -1.0;
  std::array<double, 4> factor{};
};

/// What a month's step needs of the soil and the temperature, computed once: the grid model
/// keeps the soil terms per cell for a year and the temperature term per month for all cells.
struct RothCTerms {
  double deficit_max;            ///< maximum_deficit(soil)
  monthly::BioHumShares shares;  ///< monthly::biohum_shares(co2_to_biohum_ratio(clay))
  double temperature_rate;       ///< temperature_rate(T)
  /// Optional: the month's decay factors of DPM, RPM, BIO, HUM at full moisture (b = 1), bare
  /// [0] and covered [1] (decay_factors_at_full_moisture); most cells of a wet month share them.
  const std::array<std::array<double, 4>, 2>* full_moisture_decay = nullptr;
  DecayMemo* memo = nullptr;  ///< optional: reuse the previous cell's factors for the same rate
};

/// The decay factors exp(−a·b·c·k/12) of DPM, RPM, BIO and HUM for b = 1, bare and covered.
std::array<std::array<double, 4>, 2> decay_factors_at_full_moisture(double temperature_rate);
/// Puts exp(−rate·k) for k of DPM, RPM, BIO and HUM, and the rate, in @p memo.
void refresh_decay_memo(DecayMemo& memo, double rate);

/// The decay factors of DPM, RPM, BIO and HUM for the month's rate modifiers: from
/// @p full_moisture (optional) when b = 1, else @p memo's, computed first when a·b·c is not the
/// memo's rate. Inline, and a reference rather than a copy: the grid model calls it for every cell.
inline const std::array<double, 4>& decay_factors(
    double temperature_rate, double moisture_rate, bool covered,
    const std::array<std::array<double, 4>, 2>* full_moisture, DecayMemo& memo) {
  if (full_moisture != nullptr && moisture_rate == 1.0) return (*full_moisture)[covered ? 1 : 0];
  const double rate =
      temperature_rate * moisture_rate * monthly::cover_rate(covered) * monthly::kMonth;
  if (memo.rate != rate) refresh_decay_memo(memo, rate);
  return memo.factor;
}
/// The same step as rothc_month with the terms precomputed (identical arithmetic).
RothCStep rothc_month(Pools& pools, double& deficit_mm, const RothCTerms& terms,
                      const RothCMonth& month);

/// The official driver's spin-up: from empty active pools, cycle @p year (12 months) until the
/// December-to-December change of the active pools is below 1e-6 t C/ha (the first comparison is
/// against zero). Returns the number of months run; @p pools and @p deficit_mm hold the state.
int spin_up(Pools& pools, double& deficit_mm, const RothCSoil& soil,
            std::span<const RothCMonth> year, int max_years = 100000);

/// The seasonal (periodic) equilibrium of the active pools (DPM, RPM, BIO, HUM) under one year's
/// forcing, repeated: @p year_decay[j] is where unit carbon put in pool j at the start of the
/// year has gone by its end without inputs (the columns of the year's linear map M), @p
/// year_input where empty pools end with the year's inputs (B). RothC is linear in its pools and
/// inputs, so the state that a year returns to itself is Q = (I − M)⁻¹ B: what the official
/// driver's spin-up converges to, in one solve.
std::array<double, 4> seasonal_equilibrium(const std::array<std::array<double, 4>, 4>& year_decay,
                                           const std::array<double, 4>& year_input);

}  // namespace minetwin::carbon
