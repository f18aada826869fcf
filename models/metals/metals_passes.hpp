#pragma once
/// @file
/// @brief The metals model's loops over the grid (docs/models/metals.md): they apply the
/// equations of metals_equations.hpp and the column solve of column_transport.hpp to a
/// sub-block of cells ("lanes") at a time, or walk the flow order. Built with the flags of the
/// models' hot loops (models/CMakeLists.txt); each is also built for AVX2 (wide_vectors.hpp).
/// The component (metals_component.cpp) decides what runs when and keeps the ledgers.

#include <array>
#include <cstddef>
#include <cstdint>

#include "models/soil/soil_profile.hpp"

namespace minetwin::metals {

inline constexpr std::size_t kSpecies = soil::kMetalCount;

/// A cell's six species side by side in one cache line (two padding zeros), so the runoff pass
/// moves a cell's metals with a few vector operations (kg).
struct alignas(64) SpeciesSlot {
  double kg[8];
};

// ---- Vertical leaching, a sub-block of cells (lanes) at a time ----

/// The layers' pore water (m) of @p count lanes (pore_water_m).
void pore_water(std::size_t count, const double* water, double* pore);

/// A species in one layer of @p count lanes: from the content (mg kg-1) and the layer's
/// fine-earth mass, the immobilised metal held back (@p immobilised: the shares; null: none),
/// the capacity κ (m) and the mobile metal (kg m-2) that the column solve moves.
void mobile_mass(std::size_t count, const double* total_mg_kg, const float* kd,
                 const float* immobilised, const double* mass, const double* pore, double* fixed,
                 double* capacity, double* amount);

/// Back to total content (mg kg-1) from the solved dissolved concentration, where water moved
/// (@p q > 0) and the layer has fine earth.
void store_content(std::size_t count, const double* q, const double* mass, const double* per_mass,
                   const double* fixed, const double* capacity, const double* dissolved,
                   double* total_mg_kg);

/// The month's leaching out of the profile (kg m-2, where water moved) added to the year's;
/// @p out becomes the cells' leaching in kg (over @p area m2), for the ledger.
void add_leached(std::size_t count, const double* q, double area, double* out, float* annual);

/// The water leaving the bottom of the profile of each lane (m; none on invalid cells).
void percolating_water(std::size_t count, const std::uint8_t* valid, const float* percolation,
                       double* q);

/// The fused leaching of one species over a sub-block's lanes, for profiles of up to
/// kFusedLayers layers: per lane, the layers' mobile metal and capacity, the column solve with
/// the column in registers (solve_short_column: the same solution as solve_columns), the new
/// total content, the outflow and the top layer's state for the runoff's pick-up, four lanes at
/// a time. The layer-by-layer passes above do the same in several sweeps over arrays in cache
/// (and serve deeper profiles); this reads each input and writes each output once.
inline constexpr std::size_t kFusedLayers = 4;

/// What every species of a sub-block shares: the water leaving the profile per lane, and the
/// yearly caches and the soil water at the sub-block's first cell (layer or face l at + l *
/// stride).
struct SharedLanes {
  std::size_t lanes, stride;
  double area;                  ///< of a cell (m2)
  const double* q;              ///< water leaving the profile (m), [lanes]
  const double* mass;           ///< fine-earth mass (kg m-2)
  const double* per_mass;       ///< 1e6 / mass (0 without mass)
  const double* water;          ///< soil water (m)
  const double* face_on_upper;  ///< the interior faces' upper coefficient per unit flux
};

/// One species of a profile of @p layers (1 to kFusedLayers) layers: its content (mg kg-1, at
/// the sub-block's first cell, layer l at + l * stride) and the year's leaching (@p annual,
/// kg m-2) updated; the month's leaching in kg per lane to @p out; the top layer's dissolved
/// concentration and capacity to @p top_dissolved and @p top_capacity ([lanes]).
void leach_fused(std::size_t layers, const SharedLanes& in, double* content, const float* kd,
                 const float* immobilised, float* annual, double* out, double* top_dissolved,
                 double* top_capacity);

// ---- Surface water: run-on, pick-up, infiltration, routing ----

/// The run-on of cells [first, first + count) of a grid of @p n cells: the discharge of the
/// neighbours that drain into each (its donors, @p donor_bits), summed in the fixed order of the
/// bits. A cell's donors are its D8 neighbours, so this reads three rows of the discharge in
/// cell order where summing the discharges down the flow graph scattered them in flow order.
void run_on_from_donors(std::size_t first, std::size_t count, std::size_t n,
                        const std::array<std::ptrdiff_t, 8>& offset, const std::uint8_t* donor_bits,
                        const float* discharge, double* run_on);

/// The month's surface water on a sub-block's lanes (surface_water_m3): the runoff generated on
/// each cell (m3) and the share of the water in transit that leaves it; the rest infiltrates as
/// run-on. Water ending in a pit lake or off the site (@p terminal) leaves whole, and so does the
/// water crossing a cell without fine earth, which has no soil to hold the metal it carries.
void surface_water_shares(std::size_t count, const double* run_on, const float* discharge,
                          const double* per_mass, const std::uint8_t* terminal, double* generated,
                          double* leaving);

/// The runoff's pick-up on a sub-block's lanes (runoff_pick_up_kg). It leaves the top layer and
/// goes into the cell's slot, where the metal arriving with the run-on joins it: route_metal
/// splits the two together, the leaving share on towards the receiver (less what a constructed
/// wetland retains), the rest back into the top layer (infiltrate).
struct PickUpLanes {
  std::size_t count;
  double extraction, area;
  const double* generated;  ///< runoff generated on the cell (m3)
  const double* per_mass;   ///< the top layer's 1e6 / fine-earth mass (0 without mass)
};

/// The metal that infiltrated into the top layer of cells [first, first + count) (kg per cell
/// and species), into their content (mg kg-1). Four cells at a time, their slots transposed into
/// one vector per species. @p empty: the slots are emptied; else left as they are, for the
/// pick-up to overwrite.
void infiltrate(std::size_t count, double per_area, const double* per_mass,
                SpeciesSlot* infiltrated, const std::array<double*, kSpecies>& content,
                std::size_t first, bool empty);

/// The pick-up of a sub-block's lanes: from the top layer's dissolved concentration and capacity
/// of every species ([k * count + j]) out of its content (mg kg-1, at the sub-block's first
/// cell) into the cells' slots.
void pick_up(const PickUpLanes& in, const double* dissolved, const double* capacity,
             const std::array<double*, kSpecies>& content, SpeciesSlot* slots);

/// The runoff pass over one chunk of the flow order (route_runoff).
struct RunoffRoute {
  const std::uint32_t* cells;     ///< by flow-order position
  const std::uint32_t* sends_to;  ///< by position: the receiver's slot, or a sink slot
  const double* leaving;          ///< per cell
  const float* wetland;           ///< per cell, the retained share (null: no wetlands)
  SpeciesSlot* metal_in;          ///< per cell and sink slot
};

/// Chunks [a_first, a_last) and [b_first, b_last) of the flow order (b may be empty), stepped
/// through side by side: at each cell, of what its slot holds the leaving share travels on to
/// its receiver's slot (less what a wetland retains, summed into @p a_retained / @p b_retained)
/// and the rest stays in the slot, to infiltrate.
void route_metal(const RunoffRoute& route, std::size_t a_first, std::size_t a_last,
                 std::size_t b_first, std::size_t b_last, SpeciesSlot& a_retained,
                 SpeciesSlot& b_retained);

}  // namespace minetwin::metals
