#include "models/metals/species.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <vector>

#include "models/soil/soil_profile.hpp"

namespace minetwin::metals {

std::span<const Species> species() {
  // Cation fits: Sauvé, Hendershot & Allen (2000), Environ. Sci. Technol. 34:1125, Table 3
  // (log Kd vs pH and log SOM). Anions at pH 7 on the published medians: As log Kd 3.4 (about
  // 2,500 L/kg; soils' log Kp 0.3-4.3, US EPA compilation, Allison & Allison 2005,
  // EPA/600/R-05/074), Sb 50 L/kg (110 Japanese soils, geometric mean 62 L/kg, Nakamaru et al.
  // 2006); the slope -0.2 per pH unit is a MineTwin assumption (docs/models/metals.md). GB
  // 15618-2018 Tables 1 and 3, "other" agricultural land. Ordinary-vegetation BCFs: typical
  // grass/shrub shoot values (Kabata-Pendias 2011, ranges), MineTwin defaults.
  // Keys from the models' one list of the metals (soil_profile.hpp), in its order.
  static constexpr Species catalogue[] = {
      {"Cd",
       soil::kMetalKeys[0],
       "cadmium",
       {false, -0.65, 0.48, 0.82},
       {{0.3, 0.3, 0.3, 0.6}, {1.5, 2.0, 3.0, 4.0}},
       0.5},
      {"Pb",
       soil::kMetalKeys[1],
       "lead",
       {false, 1.19, 0.37, 0.44},
       {{70, 90, 120, 170}, {400, 500, 700, 1000}},
       0.02},
      {"Zn",
       soil::kMetalKeys[2],
       "zinc",
       {false, -1.34, 0.60, 0.21},
       {{200, 200, 250, 300}, {0, 0, 0, 0}},
       0.3},
      {"Cu",
       soil::kMetalKeys[3],
       "copper",
       {false, 1.75, 0.21, 0.51},
       {{50, 50, 100, 100}, {0, 0, 0, 0}},
       0.1},
      {"As",
       soil::kMetalKeys[4],
       "arsenic",
       {true, 3.4, -0.2, 0.0},
       {{40, 40, 30, 25}, {200, 150, 120, 100}},
       0.02},
      {"Sb",
       soil::kMetalKeys[5],
       "antimony",
       {true, 1.7, -0.2, 0.0},
       {{0, 0, 0, 0}, {0, 0, 0, 0}},
       0.02},
  };
  return catalogue;
}

double log_som_percent(double som_percent) {
  return std::log10(std::max(som_percent, 0.1));
}

double partition_coefficient_of_log_som(const Partitioning& p, double ph, double log_som) {
  const double log_kd = p.anion ? p.intercept + p.ph_slope * (ph - 7.0)
                                : p.intercept + p.ph_slope * ph + p.log_som_slope * log_som;
  return std::pow(10.0, log_kd);
}

double partition_coefficient(const Partitioning& p, double ph, double som_percent) {
  return partition_coefficient_of_log_som(p, ph, log_som_percent(som_percent));
}

int ph_class(double ph) {
  return ph <= 5.5 ? 0 : ph <= 6.5 ? 1 : ph <= 7.5 ? 2 : 3;
}

int risk_class(const RiskValues& values, double ph, double total_mg_per_kg) {
  const int k = ph_class(ph);
  const auto index = static_cast<std::size_t>(k);
  if (values.intervention[index] > 0 && total_mg_per_kg > values.intervention[index]) return 2;
  if (values.screening[index] > 0 && total_mg_per_kg > values.screening[index]) return 1;
  return 0;
}

namespace {
std::string field(const Species& s, std::string_view prefix, std::string_view suffix) {
  return std::string(prefix) + std::string(s.key) + std::string(suffix);
}
}  // namespace

std::string total_concentration_field(const Species& s) {
  return field(s, "soil_", "__total_concentration");
}
std::string annual_leaching_field(const Species& s) {
  return field(s, "soil_", "__annual_leaching");
}
std::string added_field(const Species& s) {
  return field(s, "metal_", "__added_by_measures");
}
std::string excavated_field(const Species& s) {
  return field(s, "metal_", "__excavated");
}
std::string harvested_field(const Species& s) {
  return field(s, "metal_", "__harvested");
}
std::string sediment_exported_field(const Species& s) {
  return field(s, "metal_", "__sediment_exported");
}
std::string pit_lake_field(const Species& s) {
  return field(s, "metal_", "__pit_lake_storage");
}
std::string wetland_field(const Species& s) {
  return field(s, "metal_", "__wetland_storage");
}
std::string lake_concentration_field(const Species& s) {
  return field(s, "pit_lake_", "__dissolved_concentration");
}

std::string_view lasting_name(std::string name) {
  // Each name on the heap of its own: views stay valid however many names are added (short
  // strings live inside a std::string, which a growing vector of strings would move).
  static std::vector<std::unique_ptr<std::string>> names;
  static std::mutex guard;
  const std::lock_guard<std::mutex> lock(guard);
  names.push_back(std::make_unique<std::string>(std::move(name)));
  return *names.back();
}

}  // namespace minetwin::metals
