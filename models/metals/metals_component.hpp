#pragma once
/// @file
/// @brief The heavy-metal model (docs/models/metals.md): per month, partitioning between soil
/// and water (Kd from pH and organic matter), vertical leaching with the percolation (implicit
/// advection–dispersion, column_transport.hpp), dissolved metals carried by runoff down the flow
/// graph (through constructed wetlands, into pit lakes or off the site); once a year, metals on
/// the eroded sediment, plant uptake returned with litter, the GB 15618-2018 risk class, and a
/// ledger per metal that closes to round-off.

#include <array>
#include <cstdint>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/core/ledger.hpp"
#include "engine/grid/grid_memory.hpp"
#include "models/metals/metals_passes.hpp"
#include "models/terrain/drainage_chunks.hpp"

namespace minetwin::metals {

class MetalsComponent final : public Component {
 public:
  MetalsComponent();
  std::string_view name() const override { return "metals"; }
  Cadence cadence() const override { return Cadence::monthly; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void update(FieldAccess& fields, const StepContext& step) override;
  void restart(FieldAccess& fields) override;
  bool holds_monthly_carry_over() const override { return infiltration_waiting_; }
  void save_carry_over(CarryOverWriter& out) const override;
  void load_carry_over(CarryOverReader& in) override;

  /// The ledgers of the last closed year, one per species (tests, diagnostics).
  const std::vector<Ledger>& ledgers() const { return ledgers_; }

 private:
  void refresh_partitioning(const FieldAccess& fields);
  void leach(FieldAccess& fields);
  void route_runoff(FieldAccess& fields, bool end_of_year);
  void refresh_topology(const FieldAccess& fields);
  void cycle_through_vegetation(FieldAccess& fields, const StepContext& step);
  void close_year(FieldAccess& fields, const StepContext& step);
  std::vector<double> stored(const FieldAccess& fields) const;
  void carry_lake_pools(FieldAccess& fields);
  void mix_into_lakes(FieldAccess& fields);
  void report_lakes(FieldAccess& fields, const StepContext& step) const;

  ParameterValues parameters_;
  std::vector<Ledger> ledgers_;
  std::vector<double> storage_open_;  // kg per species at the start of the year
  // This year's fluxes, kg per species.
  std::vector<double> leached_, runoff_exported_, sediment_exported_, plant_uptake_;
  // Yearly caches derived from State (rebuilt after a restart): fine-earth mass per layer and
  // cell (kg m-2) and 1e6 over it (0 without mass: from kg per m2 to mg per kg), Kd per species,
  // layer and cell (m3 kg-1), and the upper transport coefficient of each interior face of the
  // profile per unit water flux (ColumnGeometry's on_upper; on_lower is 1 - on_upper;
  // [face * cells + cell]).
  GridVector<double> soil_mass_, per_soil_mass_;
  GridVector<float> kd_;
  GridVector<double> face_on_upper_;
  // The share of the water in transit that leaves each cell this month (the rest infiltrates as
  // run-on): the leaching pass writes it, the runoff pass reads it.
  GridVector<double> leaving_;
  // Flow topology, rebuilt each January from the shared flow fields: the cells in flow order
  // (each drainage tree's segment of the depth-first stack reversed, so every cell comes after
  // its donors), where each position sends its water and metal (its receiver, or for a terminal
  // cell a sink slot past the grid: n + chunk for the outlets of chunk `chunk`, n + chunks + l
  // for pit lake l), the chunks of whole trees routed in parallel, and per cell whether its
  // water leaves whole (an outlet or a pit lake).
  GridVector<std::uint32_t> flow_order_, sends_to_;
  terrain::DrainageChunks chunks_;
  GridVector<std::uint8_t> terminal_;
  // Per cell, which of its eight neighbours drain into it (bit d: the d-th in
  // terrain::Neighbourhood's order, N to NW): its run-on is their discharge.
  GridVector<std::uint8_t> donor_bits_;
  // The metal arriving at each cell (and sink slot) from its donors this month, which joins the
  // metal that the runoff generated on the cell picked up (the leaching pass writes that first);
  // after the runoff pass, the metal that infiltrates into the cell, which the next month's
  // leaching pass adds to the top layer (December's: at once).
  GridVector<SpeciesSlot> metal_in_;
  bool infiltration_waiting_ = false;  // metal_in_ holds infiltrated metal for the next month
  // Pit lakes (kept closed basins), rebuilt with the topology: each lake's sink cell in cell
  // order, and per cell the lake its water ends in (kNoLake: none).
  static constexpr std::uint32_t kNoLake = 0xFFFFFFFFu;
  std::vector<std::uint32_t> lake_sinks_;
  GridVector<std::uint32_t> lake_of_;
  // The metal dissolved in each pit lake's water, kg ([pool * species + s]), and the sink cells
  // the pools belong to (last year's lakes until carry_lake_pools moves them onto this year's):
  // part of the pit-lake storage, carried from year to year (checkpoints: the carry-over).
  std::vector<std::uint32_t> pool_sinks_;
  std::vector<double> pool_kg_;
};

}  // namespace minetwin::metals
