#pragma once
/// @file
/// @brief The metal species of the metals model: their fields, how they partition between soil
/// and water, and the GB 15618-2018 risk values they are screened against.

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace minetwin::metals {

/// Solid–solution partitioning: log10 Kd (L/kg) = a + b pH + c log10(SOM %) for the cations
/// (Sauvé, Hendershot & Allen 2000, pH + log SOM fits); for the anions As and Sb, whose sorption
/// falls as pH rises, log10 Kd = log10 Kd7 + b (pH − 7) with b < 0 (docs/models/metals.md).
struct Partitioning {
  bool anion;
  double intercept;  ///< a (cations) or log10 Kd at pH 7 (anions)
  double ph_slope;   ///< b
  double log_som_slope;
};

/// GB 15618-2018, agricultural land other than paddy, by pH class (≤ 5.5, 5.5–6.5, 6.5–7.5,
/// > 7.5), mg/kg. Table 1 (risk screening values) and Table 3 (risk intervention values; 0 where
/// the standard sets none: Cu, Zn, and Sb, which the standard does not list).
struct RiskValues {
  std::array<double, 4> screening;
  std::array<double, 4> intervention;
};

struct Species {
  std::string_view symbol;  ///< "Cd"
  std::string_view key;     ///< "cd": field and column names
  std::string_view name;    ///< "cadmium"
  Partitioning partitioning;
  RiskValues risk;
  double default_bcf;  ///< shoot/soil bioconcentration factor of ordinary vegetation
};

/// Cd, Pb, Zn, Cu, As, Sb (the soil table's optional `<Metal>_mg_kg` columns).
std::span<const Species> species();

/// Kd in L/kg for @p ph and soil organic matter @p som_percent (floored at 0.1 %).
double partition_coefficient(const Partitioning& p, double ph, double som_percent);
/// log10 of the soil organic matter in %, floored at 0.1 % (the cations' Kd term).
double log_som_percent(double som_percent);
/// The same Kd from log_som_percent() (computed once for the species of a layer).
double partition_coefficient_of_log_som(const Partitioning& p, double ph, double log_som);

/// 0: at or below the screening value; 1: above screening; 2: above intervention.
int risk_class(const RiskValues& values, double ph, double total_mg_per_kg);
/// Index of the pH class of GB 15618-2018 (0: pH ≤ 5.5, 1: ≤ 6.5, 2: ≤ 7.5, 3: > 7.5).
int ph_class(double ph);

/// Field names of one species: "soil_cd__total_concentration" and so on.
std::string total_concentration_field(const Species& s);  ///< mg kg-1, per layer (float64)
std::string annual_leaching_field(const Species& s);      ///< kg m-2 per year, per cell
std::string added_field(const Species& s);                ///< kg, site: added by measures
std::string excavated_field(const Species& s);            ///< kg, site: removed by excavation
std::string sediment_exported_field(const Species& s);    ///< kg, site: off the site on sediment
std::string harvested_field(const Species& s);            ///< kg, site: removed by harvest
std::string pit_lake_field(const Species& s);             ///< kg, site: held in pit lakes
std::string wetland_field(const Species& s);              ///< kg, site: held in wetland sediment
/// mg/L, cell: dissolved in the pit lake over the cell (fill where no lake water stands).
std::string lake_concentration_field(const Species& s);
inline constexpr std::string_view kPbImmobilisedField = "soil_pb__immobilised_fraction";

/// A copy of @p name that lives as long as the program: FieldSpec, ParameterSpec and
/// SummaryColumn hold string_views of the names made from the species' keys.
std::string_view lasting_name(std::string name);

}  // namespace minetwin::metals
