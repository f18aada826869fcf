#include "models/carbon/soil_carbon_passes.hpp"

#include <algorithm>

#include "engine/core/wide_vectors.hpp"

namespace minetwin::carbon {

// Pass 1: the moisture deficit at the month's end, the moisture rate modifier (b) and the decay
// rate a·b·c/12 of the pools (the product as decay_factors forms it). A soil that does not decay
// (held by the spin-up: litter share 0; or an invalid cell) gets rate 0, whose factors are 1.
MINETWIN_WIDE_VECTORS void moisture_pass(
    std::size_t count, const double* __restrict decays, const float* __restrict cover,
    double threshold, double balance, double temperature_term, const double* __restrict deficit_max,
    double* __restrict deficit, double* __restrict deficit_before, double* __restrict moisture,
    double* __restrict rate, double* __restrict covered) {
  for (std::size_t i = 0; i < count; ++i) {
    const bool is_covered = static_cast<double>(cover[i]) >= threshold;
    const double before = deficit[i];
    const double after = monthly::next_deficit(before, deficit_max[i], balance, is_covered);
    deficit_before[i] = before;
    deficit[i] = after;
    const double b = monthly::moisture_rate(after, deficit_max[i]);
    moisture[i] = b;
    rate[i] = decays[i] != 0.0
                  ? temperature_term * b * monthly::cover_rate(is_covered) * monthly::kMonth
                  : 0.0;
    covered[i] = is_covered ? 1.0 : 0.0;
  }
}

// Pass 3: decay, split and inputs (t C/ha). A held soil (litter share 0, the spin-up) has decay
// factors of 1 and no input, so its pools stay as they are, to the bit, and it respires all its
// litter.
MINETWIN_WIDE_VECTORS void pool_pass(
    std::size_t count, const double* __restrict dpm, const double* __restrict rpm,
    const double* __restrict bio, const double* __restrict hum, const double* __restrict litter,
    const float* __restrict share, const float* __restrict ratio, const double* __restrict to_bio,
    const double* __restrict to_hum, const double* __restrict f_dpm, const double* __restrict f_rpm,
    const double* __restrict f_bio, const double* __restrict f_hum,
    const double* __restrict char_loss, double* __restrict p_dpm, double* __restrict p_rpm,
    double* __restrict p_bio, double* __restrict p_hum, double* __restrict loss) {
  constexpr double k = kTonnesPerHectarePerKgPerM2;
  for (std::size_t i = 0; i < count; ++i) {
    const double into_soil = litter[i] * static_cast<double>(share[i]);
    double d = dpm[i] * k, r = rpm[i] * k, b = bio[i] * k, h = hum[i] * k;
    const double respired = monthly::decay_and_add(d, r, b, h, f_dpm[i], f_rpm[i], f_bio[i],
                                                   f_hum[i], to_bio[i], to_hum[i], into_soil * k,
                                                   monthly::litter_dpm_rpm_ratio(ratio[i]), 0.0);
    p_dpm[i] = d;
    p_rpm[i] = r;
    p_bio[i] = b;
    p_hum[i] = h;
    // The litter that does not enter the layer decomposes at the surface or below it: CO2.
    loss[i] = respired * kKgPerM2PerTonnePerHectare + char_loss[i] + (litter[i] - into_soil);
  }
}

// Pass 5: the pools back in kg m-2, biochar's loss, the year's respiration per cell.
MINETWIN_WIDE_VECTORS void store_pass(
    std::size_t count, const double* __restrict p_dpm, const double* __restrict p_rpm,
    const double* __restrict p_bio, const double* __restrict p_hum,
    const double* __restrict char_loss, const double* __restrict loss, double* __restrict dpm,
    double* __restrict rpm, double* __restrict bio, double* __restrict hum,
    double* __restrict biochar, float* __restrict annual) {
  for (std::size_t i = 0; i < count; ++i) {
    dpm[i] = p_dpm[i] * kKgPerM2PerTonnePerHectare;
    rpm[i] = p_rpm[i] * kKgPerM2PerTonnePerHectare;
    bio[i] = p_bio[i] * kKgPerM2PerTonnePerHectare;
    hum[i] = p_hum[i] * kKgPerM2PerTonnePerHectare;
    biochar[i] -= char_loss[i];
    annual[i] += static_cast<float>(loss[i]);
  }
}

}  // namespace minetwin::carbon
