#pragma once
/// @file
/// @brief Slope, aspect and curvature of a DEM from its 3 x 3 neighbourhoods (focal operations).
///
/// Slope and aspect use Horn's (1981) third-order finite difference, the method of `gdaldem`
/// and of most GIS:
/// \f[ \frac{\partial z}{\partial x} = \frac{(c + 2f + i) - (a + 2d + g)}{8\,\Delta x},\quad
///     \frac{\partial z}{\partial y} = \frac{(g + 2h + i) - (a + 2b + c)}{8\,\Delta y} \f]
/// for the window a b c / d e f / g h i (a north-west), slope = atan(|grad z|) in degrees and
/// aspect the azimuth (degrees clockwise from north) of the downslope direction.
/// Curvature is the total curvature of Zevenbergen & Thorne (1987): -2 (D + E) with
/// D = ((d + f)/2 - e)/L^2, E = ((b + h)/2 - e)/L^2, in m-1 (positive on convex ground).
/// Source: Horn, B.K.P. (1981) Proc. IEEE 69:14-47; Zevenbergen, L.W. & Thorne, C.R. (1987)
/// Earth Surf. Process. Landforms 12:47-56.
/// Limits: on the grid edge and next to nodata the missing neighbours take the centre cell's
/// value (so edges get a one-sided estimate); gdaldem leaves those cells nodata by default, and
/// the verification test compares interior cells only.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

#include "engine/grid/raster_grid.hpp"

namespace minetwin::terrain {

/// Slope as the gradient |grad z| (m/m: the tangent of the slope angle); invalid cells get
/// @p fill.
std::vector<double> slope_gradient(const RasterGrid& grid, std::span<const double> elevation,
                                   double fill);

/// The slope angle in degrees (0-90) of a gradient.
inline double slope_angle_degrees(double gradient) {
  return std::atan(gradient) * (180.0 / std::numbers::pi);
}

/// Slope in degrees (0-90); invalid cells get @p fill.
std::vector<double> slope_degrees(const RasterGrid& grid, std::span<const double> elevation,
                                  double fill);

/// Aspect in degrees clockwise from north (0-360) of the steepest descent; flat cells (zero
/// gradient) and invalid cells get @p fill, as gdaldem does.
std::vector<double> aspect_degrees(const RasterGrid& grid, std::span<const double> elevation,
                                   double fill);

/// Total curvature (m-1) of Zevenbergen & Thorne (1987); invalid cells get @p fill.
std::vector<double> total_curvature(const RasterGrid& grid, std::span<const double> elevation,
                                    double fill);

}  // namespace minetwin::terrain
