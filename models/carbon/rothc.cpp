#include "models/carbon/rothc.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::carbon {
namespace {

using monthly::F;
using monthly::kMonth;

// The decomposition rate constants as the Fortran holds them (monthly::kRateDpm ...).
constexpr double kDpm = monthly::single(monthly::kRateDpm),
                 kRpm = monthly::single(monthly::kRateRpm),
                 kBio = monthly::single(monthly::kRateBio),
                 kHum = monthly::single(monthly::kRateHum);

std::array<double, 4> decay_factors(double rate) {
  return {std::exp(-rate * kDpm), std::exp(-rate * kRpm), std::exp(-rate * kBio),
          std::exp(-rate * kHum)};
}

}  // namespace

std::array<std::array<double, 4>, 2> decay_factors_at_full_moisture(double a) {
  // The same products as the step computes, a · b · c · (1/12) with b = 1.
  return {decay_factors(a * 1.0 * 1.0 * kMonth), decay_factors(a * 1.0 * F(0.6f) * kMonth)};
}

double temperature_rate(double t) {
  if (t < -5.0) return 0.0;
  return F(47.91f) / (1.0 + std::exp(F(106.06f) / (t + F(18.27f))));
}

double maximum_deficit(const RothCSoil& soil) {
  const double clay = soil.clay_percent;
  return -(20.0 + F(1.3f) * clay - F(0.01f) * clay * clay) * (soil.depth_cm / 23.0);
}

double co2_to_biohum_ratio(double clay_percent) {
  return F(1.67f) * (F(1.85f) + F(1.60f) * std::exp(-F(0.0786f) * clay_percent));
}

RothCStep rothc_month(Pools& p, double& deficit, const RothCSoil& soil, const RothCMonth& m) {
  return rothc_month(
      p, deficit,
      {maximum_deficit(soil), monthly::biohum_shares(co2_to_biohum_ratio(soil.clay_percent)),
       temperature_rate(m.temperature_c)},
      m);
}

void refresh_decay_memo(DecayMemo& memo, double rate) {
  memo = {rate, decay_factors(rate)};
}

RothCStep rothc_month(Pools& p, double& deficit, const RothCTerms& terms, const RothCMonth& m) {
  RothCStep step;
  step.temperature_rate = terms.temperature_rate;
  deficit = monthly::next_deficit(deficit, terms.deficit_max,
                                  monthly::water_balance(m.rain_mm, m.open_pan_evaporation_mm),
                                  m.covered);
  step.moisture_rate = monthly::moisture_rate(deficit, terms.deficit_max);
  step.cover_rate = monthly::cover_rate(m.covered);
  DecayMemo own;  // when the caller keeps none
  const std::array<double, 4>& factor =
      decay_factors(step.temperature_rate, step.moisture_rate, m.covered, terms.full_moisture_decay,
                    terms.memo != nullptr ? *terms.memo : own);
  step.respired = monthly::decay_and_add(
      p.dpm, p.rpm, p.bio, p.hum, factor[0], factor[1], factor[2], factor[3], terms.shares.to_bio,
      terms.shares.to_hum, m.plant_carbon, m.dpm_rpm_ratio, m.manure_carbon);
  return step;
}

int spin_up(Pools& pools, double& deficit, const RothCSoil& soil, std::span<const RothCMonth> year,
            int max_years) {
  pools.dpm = pools.rpm = pools.bio = pools.hum = 0.0;
  double previous_december = 0.0;
  int months = 0;
  for (int cycle = 0; cycle < max_years; ++cycle) {
    for (const RothCMonth& m : year) {
      rothc_month(pools, deficit, soil, m);
      ++months;
    }
    const double active = pools.active();
    if (std::abs(active - previous_december) < 1e-6) break;
    previous_december = active;
  }
  return months;
}

std::array<double, 4> seasonal_equilibrium(const std::array<std::array<double, 4>, 4>& year_decay,
                                           const std::array<double, 4>& year_input) {
  // (I − M) Q = B. M's entries are ≥ 0 and each column sums to < 1 (a year loses carbon), so
  // I − M is diagonally dominant by columns: Gaussian elimination without pivoting is stable.
  std::array<std::array<double, 4>, 4> a{};
  std::array<double, 4> q = year_input;
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 4; ++j) a[i][j] = (i == j ? 1.0 : 0.0) - year_decay[j][i];
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t i = k + 1; i < 4; ++i) {
      const double m = a[i][k] / a[k][k];
      for (std::size_t j = k; j < 4; ++j) a[i][j] -= m * a[k][j];
      q[i] -= m * q[k];
    }
  }
  for (std::size_t k = 4; k-- > 0;) {
    for (std::size_t j = k + 1; j < 4; ++j) q[k] -= a[k][j] * q[j];
    q[k] /= a[k][k];
  }
  return q;
}

}  // namespace minetwin::carbon
