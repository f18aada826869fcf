#pragma once
/// @file
/// @brief `minetwin metals column`: the vertical transport of the metals model on one saturated
/// column with steady flow, for verification against analytic solutions and for experts.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace minetwin::metals {

struct ColumnConfig {
  double length_m = 2.0;
  int cells = 200;
  double water_content = 0.35;         ///< θ, volumetric
  double bulk_density_kg_m3 = 1500.0;  ///< ρb
  double darcy_flux_m_per_yr = 0.5;    ///< q
  double dispersivity_m = 0.02;        ///< α
  double kd_l_per_kg = 1.5;            ///< linear sorption
  double inflow_concentration_mg_per_l = 1.0;
  std::optional<double> inflow_until_year;  ///< a pulse that stops then; none: constant inflow
  double initial_concentration_mg_per_l = 0.0;
  double duration_years = 20.0;
  std::vector<double> output_years{1, 5, 10, 20};
  double courant_number = 0.02;  ///< retarded Courant number that sets the time step

  /// R = 1 + (ρb/θ) Kd with ρb in kg/L.
  double retardation() const;
};

/// Reads and validates a column configuration (located errors, exit 2 through InputError).
ColumnConfig load_column_config(const std::filesystem::path& file);

/// One output row: a cell centre at one output time.
struct ColumnSample {
  double time_yr, depth_m, dissolved_mg_per_l, total_mg_per_kg;
};

/// Runs the column and returns the samples at the output years (cell centres, top first).
std::vector<ColumnSample> run_column(const ColumnConfig& config);

/// Writes `time_yr,depth_m,dissolved_mg_per_l,total_mg_per_kg` atomically.
void write_column_csv(const std::filesystem::path& file, const std::vector<ColumnSample>& samples);

}  // namespace minetwin::metals
