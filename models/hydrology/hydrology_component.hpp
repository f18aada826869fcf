#pragma once
/// @file
/// @brief The monthly water balance: evapotranspiration, curve-number runoff routed down the
/// flow graph with run-on infiltration, a layered soil bucket, percolation below the profile
/// (the leaching flux of the metals model) and pit lakes in kept closed basins.
///
/// Per cell and month (docs/models/hydrology.md gives the equations and their sources):
/// 1. PET from the climate file, or Hargreaves & Samani (1985) with FAO-56 radiation;
/// 2. runoff by the SCS curve number (NEH 630) of each wet day of the month (the climate's
///    storms, engine/site/daily_rainfall.hpp); CN from the hydrologic soil group of the top
///    layer's saturated conductivity (Saxton & Rawls 2006) and the vegetation cover, between bare
///    fallow and good grassland, adjusted for the slope (Williams 1995); measures may offset it;
/// 3. infiltration into layer 1; evaporation from the top layer (bare fraction) and
///    transpiration from all layers (vegetated fraction), each reduced linearly below the
///    readily available water (FAO-56, p = 0.5); then drainage above field capacity cascades
///    down, and what leaves the bottom layer is percolation;
/// 4. runoff routed along the flow stack: a share of the run-on infiltrates where the soil is
///    below field capacity; the rest leaves at the grid's outlets (exported) or fills pit lakes;
/// 5. pit lakes rise and fall with inflow and evaporation over their hypsometry; above the spill
///    level the excess is exported.
/// A water ledger closes every month: storage change = precipitation - ET - exported -
/// percolation - lake evaporation.
/// Limits: no snow (winter precipitation infiltrates or runs off as rain); drainage completes
/// within the month; pit lakes neither leak nor spill down the valley (spill leaves the site).

#include "engine/core/component.hpp"
#include "engine/core/ledger.hpp"
#include "engine/grid/grid_memory.hpp"
#include "models/terrain/drainage_chunks.hpp"
#include "models/terrain/flow_graph.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace minetwin::hydrology {

class HydrologyComponent final : public Component {
 public:
  std::string_view name() const override { return "hydrology"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;

  /// The ledger of the last month (for tests and diagnostics).
  const Ledger& ledger() const { return ledger_; }

 private:
  void refresh_capacities(const FieldAccess& fields, int year);
  void refresh_topology(const FieldAccess& fields, int year);
  double drain_former_lakes(FieldAccess& fields) const;

  ParameterValues parameters_;
  Ledger ledger_{"water", "m3"};
  // Layer capacities (m of water at the wilting point and at field capacity) and the curve
  // numbers of the top layer's hydrologic soil group (bare fallow, and what grassland adds),
  // derived from the soil fields once a year (soil changes slowly; the cache is rebuilt from
  // State after a restart, so checkpoints need nothing more).
  GridVector<double> wilting_, field_;
  GridVector<float> curve_number_bare_, curve_number_grass_gain_, curve_number_slope_share_;
  int capacity_year_ = -1;
  // The year's flow graph (the terrain's, terrain::shared_flow_graph) and what the routing
  // derives from it once a year.
  std::shared_ptr<const terrain::FlowGraph> flow_;
  // For each stack position k: the stack position of the receiver of stack[k] (k itself at an
  // outlet). The routing pass then streams arrays in stack order instead of hopping through
  // memory cell by cell.
  GridVector<std::uint32_t> receiver_position_;
  terrain::DrainageChunks chunks_;  // whole drainage trees, routed in parallel
  struct Basin {
    std::vector<double> elevations;    // cells below the spill level, sorted
    std::vector<std::uint32_t> cells;  // the cells below the spill level (stack order)
    std::vector<double> prefix_sum;    // prefix_sum[k]: sum of the k lowest elevations
    double capacity_m3 = 0.0;          // water held at the spill level
    double level = 0.0;                // the lake's level this month (m)
  };
  std::vector<std::pair<std::uint32_t, Basin>> basins_;  // by kept sink cell, ascending
  // Monthly scratch, kept between months. Each cell's exchange with the routing (cell order):
  // the cell passes write the runoff generated and the room below field capacity (m3); the
  // routing reads them and writes back, in the same place, the flow leaving the cell downslope
  // and the run-on infiltrated in it. One slot for both halves the cache lines the routing
  // pulls in at random. And the run-on arriving at each stack position from its donors (emptied
  // as the routing consumes it).
  struct RoutingSlot {
    double first_m3, second_m3;  // runoff, room; then out, run-on infiltrated
  };
  GridVector<RoutingSlot> routing_;
  GridVector<double> inflow_;
  int topology_year_ = -1;
};

/// Water level of a pit lake holding @p volume (m3) in a basin whose cells below the spill level
/// have the sorted @p elevations (prefix sums: prefix_sum[k] = sum of the k lowest); @p wet gets
/// the number of flooded cells. Capped at the spill level.
double lake_level(std::span<const double> elevations, std::span<const double> prefix_sum,
                  double spill_level, double cell_area, double volume, std::size_t& wet);

}  // namespace minetwin::hydrology
