#pragma once
/// @file
/// @brief The scenario: a validated, fully resolved description of one run.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/core/errors.hpp"
#include "engine/core/measure.hpp"

namespace minetwin {

class ModelRegistry;

/// Monthly climate: a CSV series, or monthly normals with seeded year-to-year variation.
struct ClimateSpec {
  std::filesystem::path csv;  ///< empty when normals are used (or the generated site's CSV)
  bool has_normals = false;
  std::array<double, 12> temperature_c{};
  std::array<double, 12> precipitation_mm{};
  double temperature_sd_c = 0.0;     ///< sd of monthly temperature anomalies
  double precipitation_cv = 0.0;     ///< coefficient of variation of monthly precipitation
  double precipitation_scale = 1.0;  ///< multiplies every month's precipitation (what-if, sweeps)
  /// Daily precipitation CSV (`year,month,day,precipitation_mm`); empty: the days are generated
  /// from the monthly totals (engine/site/daily_rainfall.hpp).
  std::filesystem::path daily_csv;
  bool has_wet_days = false;
  std::array<double, 12> wet_days{};  ///< mean number of days with >= 0.1 mm, January first
  double wet_day_persistence = 0.25;  ///< P(W|W) - P(W|D) of the wet/dry chain
  double temperature_shift_c = 0.0;   ///< added to every month's temperature (warming scenarios)
};

/// A generated synthetic site (`site.generate`).
struct GeneratedSiteSpec {
  bool enabled = false;
  std::string kind = "open_pit";
  std::size_t size = 256;
  double cell_m = 5.0;
  std::uint64_t seed = 1;
};

struct SiteSpec {
  std::filesystem::path dem;  ///< empty when the site is generated
  GeneratedSiteSpec generate;
  std::filesystem::path zones;  ///< OGR vector or raster of zone ids; empty: one zone
  std::string zone_attribute = "name";
  std::string default_zone = "undisturbed";
  std::filesystem::path soil;  ///< initial soil and contamination table (CSV)
  std::vector<double> layer_bottoms_m;
  double cell_size_m = 0;  ///< > 0: the DEM averaged onto cells of this size
  ClimateSpec climate;
  std::map<std::string, double> initial_cover;      ///< zone -> vegetation cover fraction
  std::map<std::string, double> cover_thickness_m;  ///< zone -> engineered cover over the waste
};

struct SimulationSpec {
  int start_year = 2025;
  int years = 50;
  std::uint64_t seed = 1;
  int threads = 0;  ///< 0: all cores
  /// Which components run: every one, or those of a long-term landform check (ComponentEntry).
  bool landform_only = false;
};

struct OutputSpec {
  /// Record every this many years (the first and last always); 0: auto, every year unless the
  /// records would hold more than kAutoRecordBytes of values (record_interval_years).
  int every_years = 0;
  std::vector<std::string> fields;  ///< empty: every cell and layer field
  bool single_precision = true;     ///< state.nc stores float64 fields as float32
};

/// A place in the scenario file (for errors found after validation, e.g. unknown zones).
struct SourcePlace {
  std::string file;
  int line = 0;
  int column = 0;
  Diagnostic error(std::string message) const { return {file, line, column, std::move(message)}; }
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  SiteSpec site;
  SimulationSpec simulation;
  std::vector<Measure> measures;
  std::vector<SourcePlace> measure_zone_places;  ///< per measure, where its zone is written
  std::vector<SourcePlace> measure_places;       ///< per measure, where it is written
  OutputSpec outputs;
  std::vector<SourcePlace> output_field_places;
  SourcePlace climate_place;
  SourcePlace cell_size_place;                                ///< of `site.cell_size_m`
  SourcePlace daily_climate_place;                            ///< of `site.climate.daily_csv`
  std::map<std::string, SourcePlace> initial_cover_places;    ///< zone -> where it is written
  std::map<std::string, SourcePlace> cover_thickness_places;  ///< zone -> where it is written
  std::map<std::string, double> parameters;                   ///< "component.parameter" -> value
  /// Registered tables (plant types) with the scenario's rows: name -> rows (name, values in
  /// column order), built-in rows first.
  std::map<std::string, std::vector<std::pair<std::string, std::vector<double>>>> tables;
  std::string resolved_yaml;         ///< every default filled in (run.yaml)
  std::vector<std::string> notices;  ///< things the user should know (not errors)
};

/// The scenario format version this program reads (`minetwin-version:`).
inline constexpr int kScenarioVersion = 1;

/// Loads, overrides (`--set`), validates and resolves a scenario. Throws InputError listing
/// every problem found.
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                       const ModelRegistry& registry);

/// The scenario reference (docs/scenario-reference.md), generated from the schema.
std::string scenario_reference_markdown(const ModelRegistry& registry);

}  // namespace minetwin
