#pragma once
/// @file
/// @brief RothC 26.3 (Coleman & Jenkinson), the monthly step of the Rothamsted soil-carbon model,
/// as the official Fortran distribution (version 2.0.0, options 1/1) implements it
/// (shared/reference/rothc.md gives the equations and formats).
///
/// The official code's constants are single-precision literals in double arithmetic; the
/// functions here use the same float-rounded values, so that the official example is reproduced
/// to the printed precision (docs/models/carbon.md).

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
  double deficit_max;       ///< maximum_deficit(soil)
  double co2_ratio;         ///< co2_to_biohum_ratio(clay)
  double temperature_rate;  ///< temperature_rate(T)
  /// Optional: the month's decay factors of DPM, RPM, BIO, HUM at full moisture (b = 1), bare
  /// [0] and covered [1] (decay_factors_at_full_moisture); most cells of a wet month share them.
  const std::array<std::array<double, 4>, 2>* full_moisture_decay = nullptr;
  DecayMemo* memo = nullptr;  ///< optional: reuse the previous cell's factors for the same rate
};

/// The decay factors exp(−a·b·c·k/12) of DPM, RPM, BIO and HUM for b = 1, bare and covered.
std::array<std::array<double, 4>, 2> decay_factors_at_full_moisture(double temperature_rate);
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
