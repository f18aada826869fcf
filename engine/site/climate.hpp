#pragma once
/// @file
/// @brief Monthly climate forcing of a run: read from CSV or drawn from monthly normals.

#include <cstdint>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace minetwin {

struct MonthlyClimate {
  double temperature_c = 0.0;     ///< mean air temperature, degC
  double precipitation_mm = 0.0;  ///< monthly total, mm
  double pet_mm = 0.0;            ///< potential evapotranspiration, mm (when the CSV has it)
  double radiation_mj_m2 = 0.0;   ///< global radiation, MJ m-2 (when the CSV has it)
};

/// Twelve months for every simulated year.
class ClimateSeries {
 public:
  ClimateSeries() = default;
  ClimateSeries(int first_year, std::vector<MonthlyClimate> months, bool has_pet = false,
                bool has_radiation = false)
      : first_year_(first_year),
        months_(std::move(months)),
        has_pet_(has_pet),
        has_radiation_(has_radiation) {}
  /// @param month 1..12
  const MonthlyClimate& at(int year, int month) const {
    return months_.at(static_cast<std::size_t>((year - first_year_) * 12 + month - 1));
  }
  int first_year() const { return first_year_; }
  int years() const { return static_cast<int>(months_.size() / 12); }
  /// Whether the series carries PET / radiation (optional CSV columns `pet_mm`,
  /// `radiation_mj_m2`); otherwise the models estimate them.
  bool has_pet() const { return has_pet_; }
  bool has_radiation() const { return has_radiation_; }

 private:
  int first_year_ = 0;
  std::vector<MonthlyClimate> months_;
  bool has_pet_ = false;
  bool has_radiation_ = false;
};

/// Builds the series for the simulated years from the scenario's climate block. A CSV must
/// hold every simulated month exactly once (errors name the file and line); normals are varied
/// with counter-based draws keyed by (seed, year, month), so the series is reproducible.
/// The scenario's precipitation_scale and temperature_shift_c are applied to both.
ClimateSeries load_climate(const ClimateSpec& spec, const SourcePlace& place, int start_year,
                           int years, std::uint64_t seed);

/// Monthly values drawn from normals (used by load_climate and the site generator).
std::vector<MonthlyClimate> draw_climate(const std::array<double, 12>& temperature_c,
                                         const std::array<double, 12>& precipitation_mm,
                                         double temperature_sd_c, double precipitation_cv,
                                         int start_year, int years, std::uint64_t seed);

}  // namespace minetwin
