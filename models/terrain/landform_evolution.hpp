#pragma once
/// @file
/// @brief Landform evolution: stream-power incision and linear hillslope diffusion, both
/// implicit.
///
/// Stream power (detachment-limited): dz/dt = U - K A^m S^n with n = 1, solved implicitly down
/// the flow stack (Braun & Willett 2013, Geomorphology 180-181:170, eq. 17):
/// z_i(t+dt) = (z_i(t) + U dt + F z_r(t+dt)) / (1 + F), F = K A^m dt / L_ir,
/// unconditionally stable and O(n). A node is never lowered below its receiver (the count of such
/// corrections is returned, as fastscapelib does).
/// Hillslope diffusion: dz/dt = U + D (d2z/dx2 + d2z/dy2), Peaceman-Rachford alternating
/// direction implicit (two half steps, each a tridiagonal solve per row or column; Thomas
/// algorithm), unconditionally stable and O(n).
/// Parameters: K spans orders of magnitude with lithology and climate and D is typically
/// 0.001-0.01 m2/yr (parameters.md section 4): calibrate them and sweep them.

#include <cstdint>
#include <span>
#include <vector>

#include "engine/grid/raster_grid.hpp"

namespace minetwin::terrain {

class FlowGraph;

/// One implicit stream-power step (n = 1). @p erodibility is K per cell (yr-1 m^(1-2m));
/// @p drainage_area in m2. Outlets (receiver = self) stay fixed. Returns the number of nodes
/// held at their receiver's elevation.
std::size_t stream_power_step(const FlowGraph& graph, std::span<const double> drainage_area,
                              std::span<const double> erodibility, double area_exponent_m,
                              double uplift_m_per_yr, double dt_yr, std::span<double> elevation);

/// Boundary of the diffusion domain: grid edges and cells next to nodata are held fixed, or
/// the north and south edges are reflective (zero flux), as in a one-dimensional hillslope.
enum class DiffusionBoundary { fixed, reflective_north_south };

/// One ADI step of linear diffusion with diffusivity @p d_m2_per_yr and uplift.
void diffusion_step(const RasterGrid& grid, double d_m2_per_yr, double uplift_m_per_yr,
                    double dt_yr, std::span<double> elevation,
                    DiffusionBoundary boundary = DiffusionBoundary::fixed);

}  // namespace minetwin::terrain
