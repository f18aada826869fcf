#include "models/hydrology/hydrology_passes.hpp"

#include <algorithm>

#include "engine/core/vector_checks.hpp"
#include "engine/core/wide_vectors.hpp"
#include "models/hydrology/hydrology_equations.hpp"

namespace minetwin::hydrology {
MINETWIN_WIDE_VECTORS void vertical_balance(const MonthWater& month, const SoilColumns& soil,
                                            const ColumnFluxes& out) {
  const std::size_t count = soil.count;
  const std::size_t stride = soil.layer_stride;
  alignas(64) double cover[kBalanceBatch];
  alignas(64) double transpiration[kBalanceBatch];
  if (soil.cover != nullptr) {
    for (std::size_t i = 0; i < count; ++i) cover[i] = std::clamp<double>(soil.cover[i], 0.0, 1.0);
  } else {
    std::fill_n(cover, count, 0.0);
  }

  // 2: curve-number runoff of each wet day (NEH 630 eq. 10-11 per storm, as
  // curve_number_runoff); the rest infiltrates into layer 1. The cell's retention S and initial
  // abstraction come first, then one pass over the cells per wet day.
  alignas(64) double retention[kBalanceBatch];
  const float* bare = soil.curve_number_bare;
  const float* gain = soil.curve_number_grass_gain;
  const float* slope = soil.curve_number_slope_share;
  auto retention_pass = [&](auto offset) {
    for (std::size_t i = 0; i < count; ++i) {
      double curve_number = bare[i] + cover[i] * static_cast<double>(gain[i]);
      curve_number += offset(i);
      curve_number = std::clamp(curve_number, 30.0, 98.0);
      if (slope != nullptr) {
        curve_number = std::clamp(
            slope_adjusted_curve_number(curve_number, static_cast<double>(slope[i])), 30.0, 98.0);
      }
      retention[i] = curve_number_retention_mm(curve_number);
      out.runoff[i] = 0.0;
    }
  };
  if (soil.curve_number_offset != nullptr) {
    retention_pass([&](std::size_t i) { return static_cast<double>(soil.curve_number_offset[i]); });
  } else {
    retention_pass([](std::size_t) { return 0.0; });
  }
  // A storm below every cell's initial abstraction runs off nowhere in the run: skipped (most
  // wet days are small; the smallest retention is a vectorised reduction).
  double least_retention = curve_number_retention_mm(98.0);
  if (count > 0) least_retention = *std::min_element(retention, retention + count);
  for (std::size_t day = 0; day < month.wet_days; ++day) {
    const double rain_mm = month.wet_day_mm[day];
    if (rain_mm <= 0.2 * least_retention) continue;
    for (std::size_t i = 0; i < count; ++i)
      out.runoff[i] += curve_number_runoff_of_retention(rain_mm, retention[i]);
  }
  for (std::size_t i = 0; i < count; ++i) {
    out.runoff[i] /= 1000.0;
    soil.water[i] += month.precipitation_m - out.runoff[i];
  }

  // 3a: evaporation from the top layer's bare share.
  const double p_fraction = month.depletion_fraction;
  const double pet = month.pet_m;
  for (std::size_t i = 0; i < count; ++i) {
    const double wilting = soil.wilting[i];
    const double demand =
        pet * (1.0 - cover[i]) * water_stress(soil.water[i], wilting, soil.field[i], p_fraction);
    const double taken = std::min(demand, std::max(0.0, soil.water[i] - wilting));
    soil.water[i] -= taken;
    out.et[i] = taken;
    transpiration[i] = pet * cover[i];
  }
  // 3b: transpiration from every layer, top down, each under its own stress. Once the demand is
  // met, later layers give exactly zero (min(0, x >= 0)), as if the loop had stopped; a run
  // without vegetation skips the pass.
  const std::size_t transpiring_layers = any_positive(count, transpiration) ? soil.layers : 0;
  for (std::size_t l = 0; l < transpiring_layers; ++l) {
    double* water = soil.water + l * stride;
    const double* wilting = soil.wilting + l * stride;
    const double* field = soil.field + l * stride;
    for (std::size_t i = 0; i < count; ++i) {
      const double from_layer =
          std::min(transpiration[i] * water_stress(water[i], wilting[i], field[i], p_fraction),
                   std::max(0.0, water[i] - wilting[i]));
      water[i] -= from_layer;
      transpiration[i] -= from_layer;
      out.et[i] += from_layer;
    }
  }
  // 3c: drainage above field capacity cascades down; below the profile it percolates. A
  // low-permeability cap passes only its share; the rest drains laterally off the cap and
  // joins the cell's surface runoff.
  for (std::size_t l = 0; l < soil.layers; ++l) {
    double* water = soil.water + l * stride;
    const double* field = soil.field + l * stride;
    const bool bottom = l + 1 == soil.layers;
    for (std::size_t i = 0; i < count; ++i) {
      const double excess = std::max(0.0, water[i] - field[i]);
      water[i] -= excess;
      if (!bottom) {
        water[i + stride] += excess;
      } else {
        const double passing =
            soil.percolation_factor != nullptr
                ? excess * std::clamp<double>(soil.percolation_factor[i], 0.0, 1.0)
                : excess;
        out.percolation[i] = passing;
        out.runoff[i] += excess - passing;
      }
    }
  }
  // Room below field capacity in the profile: what run-on can fill.
  std::fill_n(out.room, count, 0.0);
  for (std::size_t l = 0; l < soil.layers; ++l) {
    const double* water = soil.water + l * stride;
    const double* field = soil.field + l * stride;
    for (std::size_t i = 0; i < count; ++i) out.room[i] += std::max(0.0, field[i] - water[i]);
  }
}

MINETWIN_WIDE_VECTORS void fill_from_top(const SoilColumns& soil, const double* amount_m) {
  if (!any_positive(soil.count, amount_m)) return;  // no run-on: most cells most months
  alignas(64) double left[kBalanceBatch];
  std::copy_n(amount_m, soil.count, left);
  for (std::size_t l = 0; l < soil.layers; ++l) {
    double* water = soil.water + l * soil.layer_stride;
    const double* field = soil.field + l * soil.layer_stride;
    for (std::size_t i = 0; i < soil.count; ++i) {
      const double into = std::min(left[i], std::max(0.0, field[i] - water[i]));
      water[i] += into;
      left[i] -= into;
    }
  }
}

MINETWIN_WIDE_VECTORS void profile_water(const SoilColumns& soil, double* depth_m) {
  std::fill_n(depth_m, soil.count, 0.0);
  for (std::size_t l = 0; l < soil.layers; ++l) {
    const double* water = soil.water + l * soil.layer_stride;
    for (std::size_t i = 0; i < soil.count; ++i) depth_m[i] += water[i];
  }
}

// A month's flux written as the month's float field and added to the year's (restarted in
// January), over a run of cells: one branch-free loop the compiler vectorises.
MINETWIN_WIDE_VECTORS void store_flux(std::size_t count, const double* __restrict month_m,
                                      float* __restrict month_out, float* __restrict year_out,
                                      bool new_year) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<float>(month_m[i]);
    month_out[i] = value;
    year_out[i] = new_year ? value : year_out[i] + value;
  }
}

// A month's flux added to the year's (restarted in January).
MINETWIN_WIDE_VECTORS void add_to_year(std::size_t count, const double* __restrict month_m,
                                       float* __restrict year_out, bool new_year) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<float>(month_m[i]);
    year_out[i] = new_year ? value : year_out[i] + value;
  }
}

}  // namespace minetwin::hydrology
