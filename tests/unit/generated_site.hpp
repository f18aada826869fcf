#pragma once
// A generated mine site for tests and benchmarks: rolling terrain with closed depressions, a
// three-layer loam with six metals, and the terrain, hydrology, erosion and metals models run
// under a simple monthly weather.

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/random.hpp"
#include "engine/core/simulation.hpp"
#include "engine/grid/state.hpp"
#include "models/hydrology/hydrology_component.hpp"
#include "models/metals/metals_component.hpp"
#include "models/soil/soil_redistribution.hpp"
#include "models/terrain/erosion_component.hpp"
#include "models/terrain/terrain_component.hpp"

namespace minetwin::test {

// Rolling terrain with closed depressions: sums of sinusoids and keyed noise.
inline std::vector<double> synthetic_dem(std::size_t n, double cell) {
  std::vector<double> z(n * n);
  for (std::size_t c = 0; c < n * n; ++c) {
    const double x = static_cast<double>(c % n) * cell, y = static_cast<double>(c / n) * cell;
    z[c] = 200.0 + 0.01 * y + 15.0 * std::sin(x / 310.0) * std::cos(y / 270.0) +
           4.0 * std::sin(x / 53.0 + y / 71.0) + random_uniform({1, 0, 0, c, 0});
  }
  return z;
}

inline RasterGrid square_grid(std::size_t n, double cell) {
  return RasterGrid(GridGeometry{n, n, cell, 0, 0, ""}, std::vector<std::uint8_t>(n * n, 1));
}

// Site-wide monthly weather: the given precipitation of each month (mm, January first), 15 °C,
// and the calendar year's precipitation.
class MonthlyWeather final : public Component {
 public:
  explicit MonthlyWeather(std::vector<double> monthly_mm) : monthly_mm_(std::move(monthly_mm)) {}
  std::string_view name() const override { return "forcing"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override {
    static constexpr FieldSpec specs[] = {
        {"precipitation__monthly_depth", "m", Location::site, Intent::out, ElementType::float64,
         true, "precipitation of the month, as water depth"},
        {"air_temperature__monthly_mean", "degC", Location::site, Intent::out, ElementType::float64,
         true, "mean air temperature of the month"},
        {"precipitation__annual_depth", "m", Location::site, Intent::out, ElementType::float64,
         true, "precipitation of the calendar year so far (the whole year once December is done)"},
        {"precipitation__daily_depth", "m", Location::day, Intent::out, ElementType::float64, true,
         "precipitation of each day of the month"}};
    return specs;
  }
  // The month's rain falls on its first days in storms of 12 mm (at least one storm).
  void update(FieldAccess& f, const StepContext& step) override {
    const double month_mm = monthly_mm_[static_cast<std::size_t>(step.month - 1)];
    f.write<double>("precipitation__monthly_depth")[0] = month_mm / 1000.0;
    auto days = f.write<double>("precipitation__daily_depth");
    const auto storms =
        static_cast<std::size_t>(std::clamp(std::floor(month_mm / 12.0), 1.0, 28.0));
    for (std::size_t d = 0; d < days.size(); ++d)
      days[d] = d < storms ? month_mm / static_cast<double>(storms) / 1000.0 : 0.0;
    f.write<double>("air_temperature__monthly_mean")[0] = 15.0;
    double year_mm = 0.0;
    for (double mm : monthly_mm_) year_mm += mm;
    f.write<double>("precipitation__annual_depth")[0] = year_mm / 1000.0;
  }

 private:
  std::vector<double> monthly_mm_;
};

// 10 mm times the month's number (a dry spring, a wetter autumn), or with @p wet_july a monsoon
// July of 300 mm that brings the soil to field capacity and percolates below the profile
// everywhere (the metals' leaching month).
inline std::vector<double> rising_months(bool wet_july) {
  std::vector<double> mm;
  for (int month = 1; month <= 12; ++month)
    mm.push_back(wet_july && month == 7 ? 300.0 : 10.0 * month);
  return mm;
}

// @p layers layers of @p thickness_m each (three of 0.3 m: 0.9 m of soil).
inline std::unique_ptr<State> model_state(std::size_t n, std::size_t layers = 3,
                                          double thickness_m = 0.3) {
  auto state = std::make_unique<State>(square_grid(n, 5.0), layers);
  auto& z = state->add({"topographic__elevation", "m", "", Location::cell, ElementType::float64});
  const auto dem = synthetic_dem(n, 5.0);
  for (std::size_t c = 0; c < n * n; ++c) z.set(c, dem[c]);
  auto layer = [&](const char* name, const char* units, double value, ElementType type) {
    state->add({name, units, "", Location::layer, type}, value);
  };
  layer("soil__sand_fraction", "1", 0.4, ElementType::float32);
  layer("soil__silt_fraction", "1", 0.4, ElementType::float32);
  layer("soil__clay_fraction", "1", 0.2, ElementType::float32);
  layer("soil__organic_carbon_fraction", "kg kg-1", 0.01, ElementType::float32);
  layer("soil__bulk_density", "kg m-3", 1500.0, ElementType::float32);
  layer("soil__rock_fragment_fraction", "1", 0.1, ElementType::float32);
  layer("soil__layer_thickness", "m", thickness_m, ElementType::float64);
  layer("soil__ph", "1", 5.5, ElementType::float32);
  int k = 0;
  for (const char* metal : {"cd", "pb", "zn", "cu", "as", "sb"})
    layer((std::string("soil_") + metal + "__total_concentration").c_str(), "mg kg-1",
          std::pow(10.0, k++ % 3), ElementType::float64);
  return state;
}

struct ModelRun {
  std::unique_ptr<State> state;
  ModelRegistry registry;
  std::unique_ptr<Simulation> simulation;
  std::vector<Component*> components;
};

// The weather (forcing), terrain, hydrology, erosion, soil redistribution and metals components
// over a generated site (or @p state), with @p monthly_mm of precipitation every year.
inline ModelRun make_run_with_weather(std::size_t n, std::vector<double> monthly_mm,
                                      std::map<std::string, double> parameter_overrides = {},
                                      std::unique_ptr<State> state = nullptr) {
  ModelRun run;
  run.state = state ? std::move(state) : model_state(n);
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<MonthlyWeather>(std::move(monthly_mm)));
  components.push_back(std::make_unique<terrain::TerrainComponent>());
  components.push_back(std::make_unique<hydrology::HydrologyComponent>());
  components.push_back(std::make_unique<terrain::ErosionComponent>());
  components.push_back(std::make_unique<soil::SoilRedistribution>());
  components.push_back(std::make_unique<metals::MetalsComponent>());
  for (auto& c : components) run.components.push_back(c.get());
  run.simulation =
      std::make_unique<Simulation>(*run.state, std::move(components), run.registry,
                                   std::vector<Measure>{}, 1, std::move(parameter_overrides));
  run.simulation->initialize();
  return run;
}

inline ModelRun make_run(std::size_t n, bool wet_july = false,
                         std::map<std::string, double> parameter_overrides = {},
                         std::unique_ptr<State> state = nullptr) {
  return make_run_with_weather(n, rising_months(wet_july), std::move(parameter_overrides),
                               std::move(state));
}

}  // namespace minetwin::test
