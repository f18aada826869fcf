#include "engine/site/daily_rainfall.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin {

double wet_day_count_variance(int days, const WetDayChain& chain) {
  const double n = days, f = chain.wet_fraction, d = chain.persistence;
  if (d <= 0.0) return n * f * (1.0 - f);
  return n * f * (1.0 - f) *
         ((1.0 + d) / (1.0 - d) - 2.0 * d * (1.0 - std::pow(d, n)) / (n * (1.0 - d) * (1.0 - d)));
}

double geng_gamma_shape(double mean_wet_day_mm) {
  const double scale = -2.16 + 1.83 * mean_wet_day_mm;
  if (scale <= 0.0) return 10.0;
  return std::clamp(mean_wet_day_mm / scale, 0.3, 10.0);
}

double gamma_variate(double shape, RandomKey key) {
  auto uniform = [&key]() {
    const double u = random_uniform(key);
    ++key.stream;
    return u;
  };
  const double boosted = shape < 1.0 ? shape + 1.0 : shape;
  const double d = boosted - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double value = 0.0;
  for (;;) {
    // A standard normal by Box-Muller from two of the key's uniforms.
    const double x =
        std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
    const double root = 1.0 + c * x;
    if (root <= 0.0) continue;
    const double v = root * root * root;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x ||
        std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) {
      value = d * v;
      break;
    }
  }
  if (shape < 1.0) value *= std::pow(uniform(), 1.0 / shape);
  return value;
}

double generate_month(const WetDayChain& chain, double mean_wet_day_mm, double shape,
                      std::uint64_t seed, int year, int month, std::span<double> days_mm) {
  const int days = kDaysInMonth[month - 1];
  double total = 0.0;
  bool wet = false;
  for (int day = 0; day < days; ++day) {
    const double p = day == 0 ? chain.wet_fraction
                     : wet    ? chain.wet_after_wet()
                              : chain.wet_after_dry();
    wet = random_uniform(day_key(seed, year, month, day, 0)) < p;
    days_mm[static_cast<std::size_t>(day)] =
        wet ? mean_wet_day_mm / shape * gamma_variate(shape, day_key(seed, year, month, day, 1))
            : 0.0;
    total += days_mm[static_cast<std::size_t>(day)];
  }
  return total;
}

void disaggregate_month(double total_mm, const WetDayChain& chain, double shape, std::uint64_t seed,
                        int year, int month, std::span<double> days_mm) {
  const int days = kDaysInMonth[month - 1];
  std::fill(days_mm.begin(), days_mm.begin() + days, 0.0);
  if (total_mm <= 0.0) return;
  const double drawn = generate_month(chain, 1.0, shape, seed, year, month, days_mm);
  if (drawn <= 0.0) {
    // No wet day drawn in a month with rain: it falls on one day, drawn from a key of its own.
    const auto day = static_cast<std::size_t>(
        random_uniform(day_key(seed, year, month, kMostDaysInMonth, 0)) * days);
    days_mm[std::min<std::size_t>(day, static_cast<std::size_t>(days) - 1)] = total_mm;
    return;
  }
  const double scale = total_mm / drawn;
  for (int day = 0; day < days; ++day) days_mm[static_cast<std::size_t>(day)] *= scale;
}

MonthlyRainfallModel fit_month(const MonthlyRainfallStatistics& statistics, int days,
                               double persistence) {
  MonthlyRainfallModel model;
  model.chain = {std::clamp(statistics.wet_days / days, 0.0, 1.0), persistence};
  const double expected_wet_days = statistics.wet_days;
  if (expected_wet_days <= 0.0 || statistics.mean_mm <= 0.0) return model;
  const double mu = statistics.mean_mm / expected_wet_days;
  model.mean_wet_day_mm = mu;
  const double depth_variance =
      (statistics.sd_mm * statistics.sd_mm - wet_day_count_variance(days, model.chain) * mu * mu) /
      expected_wet_days;
  if (depth_variance < mu * mu / 10.0) {
    model.shape = 10.0;
    model.variance_reachable = false;
  } else {
    model.shape = mu * mu / depth_variance;
  }
  return model;
}

}  // namespace minetwin
