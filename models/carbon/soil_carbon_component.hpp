#pragma once
/// @file
/// @brief RothC 26.3 on every cell (docs/models/carbon.md), a cell_year component (twelve
/// months cell block by cell block): the top soil layer's organic carbon as the five RothC pools
/// plus a biochar pool, monthly, driven by the site's weather, the
/// vegetation's litter and cover, and the amendments; the layer's organic-carbon field follows
/// the pools. Soil edited by measures (placed, removed, mixed) is reconciled each January.

#include <array>
#include <cstdint>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/grid/grid_memory.hpp"
#include "models/carbon/rothc.hpp"

namespace minetwin::carbon {

class SoilCarbonComponent final : public Component {
 public:
  std::string_view name() const override { return "soil_carbon"; }
  Cadence cadence() const override { return Cadence::cell_year; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void begin_year(FieldAccess& fields, const StepContext& step) override;
  void update_cells(FieldAccess& fields, const StepContext& step, std::size_t begin,
                    std::size_t end) override;
  void end_year(FieldAccess& fields, const StepContext& step) override;
  /// The spin-up in progress (its held cells, their runs and the years run) spans years: it is
  /// the component's carry-over, so a run resumed during the spin-up ends it when an
  /// uninterrupted one does.
  void save_carry_over(CarryOverWriter& out) const override;
  void load_carry_over(CarryOverReader& in) override;

 private:
  void reconcile_with_measures(FieldAccess& fields);
  void refresh_soil_terms(const FieldAccess& fields);
  ParameterValues parameters_;
  // Per cell, from clay and the layer's depth, refreshed each January (and after a restart):
  // RothC's maximum moisture deficit and the shares of decayed carbon into BIO and HUM; and 1
  // where the soil decays this year, 0 where it does not (invalid, or held by the spin-up).
  GridVector<double> deficit_max_, to_bio_, to_hum_, decays_;
  std::vector<double> respired_by_block_;  // this year's CO2-C per cell block, kg m-2 summed
  // The spin-up of the soils initialised under vegetation (docs/models/carbon.md, "Undisturbed
  // soils"; such cells carry a litter share of 0 until it ends): per held cell the runs that give
  // RothC's linear map of the spin-up years (unit carbon in each pool without input; empty pools
  // with the litter), in t C/ha.
  struct SpinUpRuns {
    std::array<std::array<double, 4>, 4> unit{};
    std::array<double, 4> input{};
  };
  void settle_at_equilibrium(Pools& pools, const SpinUpRuns& runs, float& share) const;
  void share_site_calibration(FieldAccess& fields) const;
  std::vector<std::uint32_t> spin_up_slot_;
  std::vector<SpinUpRuns> spin_up_runs_;
  int spin_up_years_run_ = 0;
  bool settle_this_year_ = false;
};

/// Shares of the active carbon in DPM, RPM, BIO and HUM at the steady state of constant inputs
/// with DPM/RPM ratio @p dpm_rpm on a soil of @p clay_percent (RothC's pools are linear, so the
/// shares do not depend on the input rate or on a constant rate modifier).
struct ActiveShares {
  double dpm, rpm, bio, hum;
};
ActiveShares equilibrium_shares(double dpm_rpm, double clay_percent);

/// Inert organic matter from total SOC, both t C/ha: IOM = 0.049 SOC^1.139 (Falloon et al. 1998).
double falloon_iom(double soc_t_per_ha);

}  // namespace minetwin::carbon
