#include "models/carbon/rothc.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::carbon {
namespace {

// The official Fortran's literals are default (single-precision) REALs used in double
// arithmetic: F(x) is the float-rounded value the Fortran computes with.
constexpr double F(float value) {
  return static_cast<double>(value);
}

// Decomposition rate constants, yr-1 (RothC 26.3): DPM 10, RPM 0.3, BIO 0.66, HUM 0.02.
constexpr double kDpm = F(10.0f), kRpm = F(0.3f), kBio = F(0.66f), kHum = F(0.02f);
// The month as the Fortran computes it: 1.0/12 in single precision.
constexpr double kMonth = F(1.0f / 12.0f);

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
  return rothc_month(p, deficit,
                     {maximum_deficit(soil), co2_to_biohum_ratio(soil.clay_percent),
                      temperature_rate(m.temperature_c)},
                     m);
}

RothCStep rothc_month(Pools& p, double& deficit, const RothCTerms& terms, const RothCMonth& m) {
  RothCStep step;
  step.temperature_rate = terms.temperature_rate;
  // Topsoil moisture deficit (RothC 26.3; opt_RMmoist = 1, opt_SMDbare = 1).
  const double deficit_max = terms.deficit_max;
  const double deficit_1bar = F(0.444f) * deficit_max;
  const double deficit_bare = F(0.556f) * deficit_max;
  const double balance = m.rain_mm - F(0.75f) * m.open_pan_evaporation_mm;
  if (m.covered) {
    deficit = std::max(deficit_max, std::min(0.0, deficit + balance));
  } else {
    deficit = std::max(std::min(deficit_bare, deficit), std::min(0.0, deficit + balance));
  }
  step.moisture_rate =
      deficit > deficit_1bar
          ? 1.0
          : F(0.2f) + (1.0 - F(0.2f)) * (deficit_max - deficit) / (deficit_max - deficit_1bar);
  step.cover_rate = m.covered ? F(0.6f) : 1.0;
  // Decay of each active pool over the month.
  std::array<double, 4> factor;
  if (terms.full_moisture_decay != nullptr && step.moisture_rate == 1.0) {
    factor = (*terms.full_moisture_decay)[m.covered ? 1 : 0];
  } else {
    const double rate = step.temperature_rate * step.moisture_rate * step.cover_rate * kMonth;
    if (terms.memo != nullptr && terms.memo->rate == rate) {
      factor = terms.memo->factor;
    } else {
      factor = decay_factors(rate);
      if (terms.memo != nullptr) *terms.memo = {rate, factor};
    }
  }
  const double dpm = p.dpm * factor[0];
  const double rpm = p.rpm * factor[1];
  const double bio = p.bio * factor[2];
  const double hum = p.hum * factor[3];
  const double decayed = (p.dpm - dpm) + (p.rpm - rpm) + (p.bio - bio) + (p.hum - hum);
  // What decayed splits into CO2, BIO (46 %) and HUM (54 %) of the rest, by the clay ratio.
  const double x = terms.co2_ratio;
  const double to_bio = decayed * (F(0.46f) / (x + 1.0));
  const double to_hum = decayed * (F(0.54f) / (x + 1.0));
  // CO2 share x/(x+1) of the decay; counted as what the pools lost so that the carbon ledger
  // closes exactly (0.46f + 0.54f differs from 1 by 1e-8 in the official constants).
  step.respired = decayed - to_bio - to_hum;
  p.dpm = dpm;
  p.rpm = rpm;
  p.bio = bio + to_bio;
  p.hum = hum + to_hum;
  // Inputs at the end of the month: plant C by the DPM/RPM ratio; manure 49/49/2 % DPM/RPM/HUM.
  const double r = m.dpm_rpm_ratio;
  p.dpm += m.plant_carbon * (r / (1.0 + r)) + F(0.49f) * m.manure_carbon;
  p.rpm += m.plant_carbon * (1.0 / (1.0 + r)) + F(0.49f) * m.manure_carbon;
  p.hum += F(0.02f) * m.manure_carbon;
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
