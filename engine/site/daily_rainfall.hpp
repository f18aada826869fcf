#pragma once
/// @file
/// @brief Daily rainfall inside the month: wet and dry days from a first-order two-state Markov
/// chain, wet-day depths from a gamma distribution (Richardson 1981, Water Resour. Res. 17:182,
/// WGEN; Richardson & Wright 1984), with parameters from monthly statistics (Geng, Penning de
/// Vries & Supit 1986, Agric. For. Meteorol. 36:363). Draws are counter-based
/// (engine/core/random.hpp), keyed by (seed, year, month, day): a month's days do not depend on
/// the months before it, so a resumed run draws the same days.

#include <cstddef>
#include <span>

#include "engine/core/calendar.hpp"
#include "engine/core/random.hpp"

namespace minetwin {

/// The wet/dry chain of a month: P(wet | dry) = (1 - d) f, P(wet | wet) = d + (1 - d) f, with f
/// the stationary share of wet days and d = P(W|W) - P(W|D) the lag-1 autocorrelation of the
/// wet/dry sequence. Geng et al. (1986) found P(W|D) = 0.75 f and P(W|W) = 0.25 + P(W|D) across
/// their stations, i.e. d = 0.25, the default persistence (`kGengPersistence`).
struct WetDayChain {
  double wet_fraction = 0.0;  ///< f
  double persistence = 0.0;   ///< d, 0 <= d < 1
  double wet_after_dry() const { return (1.0 - persistence) * wet_fraction; }
  double wet_after_wet() const { return persistence + (1.0 - persistence) * wet_fraction; }
};
inline constexpr double kGengPersistence = 0.25;

/// Variance of the number of wet days among @p days days of a stationary chain:
/// n f (1 - f) [(1 + d)/(1 - d) - 2 d (1 - d^n) / (n (1 - d)^2)] (the binomial variance
/// inflated by the persistence; Katz 1974, J. Appl. Meteorol. 13:953).
double wet_day_count_variance(int days, const WetDayChain& chain);

/// Gamma shape of the wet-day depths of mean @p mean_wet_day_mm by Geng et al. (1986): scale
/// beta = -2.16 + 1.83 mean (mm), shape = mean / beta; kept within [0.3, 10] (the relation was
/// fitted to means of about 2-20 mm).
double geng_gamma_shape(double mean_wet_day_mm);

/// A gamma variate of shape @p shape and unit scale (Marsaglia & Tsang 2000, ACM TOMS 26:363;
/// shapes below 1 by the boost G(k) = G(k + 1) U^(1/k)). Uses the uniform streams 0, 1, 2, ... of
/// @p key, as many as it needs.
double gamma_variate(double shape, RandomKey key);

/// The key of a day's draws: @p what 0 for the wet/dry draw, 1 for the depth.
inline RandomKey day_key(std::uint64_t seed, int year, int month, int day, int what) {
  return {seed, 0, static_cast<std::uint64_t>(year),
          static_cast<std::uint64_t>(((month * 32) + day) * 2 + what), 0};
}

/// One month's days without scaling: wet days from the chain (the first day from the stationary
/// share), gamma depths of @p shape and mean @p mean_wet_day_mm. Writes kDaysInMonth values;
/// returns the month's total (mm).
double generate_month(const WetDayChain& chain, double mean_wet_day_mm, double shape,
                      std::uint64_t seed, int year, int month, std::span<double> days_mm);

/// The month's @p total_mm split into days: generate_month's days scaled to add up to the total.
/// A month with rain whose chain drew no wet day gets all of it on one day, drawn uniformly
/// among the month's days.
void disaggregate_month(double total_mm, const WetDayChain& chain, double shape, std::uint64_t seed,
                        int year, int month, std::span<double> days_mm);

/// Monthly statistics a generator is fitted to.
struct MonthlyRainfallStatistics {
  double mean_mm = 0.0;   ///< mean monthly total
  double wet_days = 0.0;  ///< mean number of wet days
  double sd_mm = 0.0;     ///< standard deviation of the monthly total
};

/// A month's generator: the chain from the wet days and the persistence; the gamma shape from
/// the variance of the monthly totals. For a total S of N wet days with depths X independent of
/// N: Var S = E[N] Var X + Var N E[X]^2, so Var X = (Var S - Var N mu^2) / E[N] and shape =
/// mu^2 / Var X. Where that shape would exceed 10 (the occurrences alone vary about as much as
/// the target, or more), the shape is 10 and `variance_reachable` is false.
struct MonthlyRainfallModel {
  WetDayChain chain;
  double mean_wet_day_mm = 0.0;
  double shape = 1.0;
  bool variance_reachable = true;
};
MonthlyRainfallModel fit_month(const MonthlyRainfallStatistics& statistics, int days,
                               double persistence);

}  // namespace minetwin
