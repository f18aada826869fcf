#pragma once
/// @file
/// @brief The erosion's loop over a run of cells (docs/models/erosion.md): RUSLE's detachment
/// and the WaTEM/SEDEM transport capacity, whose equations and sources are rusle.hpp. Built
/// with the flags of the models' hot loops (models/CMakeLists.txt); the routing of the sediment
/// down the flow graph, the ledger and the summary are erosion_component.cpp.

#include <cstddef>

namespace minetwin::terrain {

/// The year's site-wide terms of the cell loop.
struct SiteTerms {
  double erosivity;  ///< R, MJ mm ha-1 h-1 yr-1
  double cell_area_m2;
  double cell_width_m;
  double transport_capacity_ktc_m;
  double max_specific_area_m;
};

/// Detachment and transport capacity (kg/yr) of a run of cells: RUSLE A = R K LS C P and the
/// WaTEM/SEDEM capacity (rusle.hpp). @p cover_practice is C P.
void detach_cells(std::size_t count, const SiteTerms& site, const double* erodibility,
                  const float* gradient, const float* drainage_area, const double* cover_practice,
                  double* detached, double* capacity);

}  // namespace minetwin::terrain
