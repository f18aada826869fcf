#pragma once
/// @file
/// @brief The state update of a calibration (docs/calibration.md, "State update"): at an
/// observation year, each observed field of every member is updated by a localised ensemble
/// Kalman analysis, and the members continue from the updated state.
///
/// The analysis is the stochastic ensemble Kalman filter (Burgers, van Leeuwen & Evensen 1998;
/// Evensen 2003: each member assimilates the data perturbed by their errors) computed cell by
/// cell with the observations within the localisation radius, each weighted by the
/// Gaspari & Cohn (1999, eq. 4.10) taper of its distance (R-localisation: its error variance
/// divided by the weight; Hunt, Kostelich & Szunyogh 2007, sec. 2.3; Greybush et al. 2011). Each
/// cell's gain is computed from its local data only, so the cost grows with the members and the
/// local data, not with the grid or the number of data:
///   x_j^a = x_j + x'^T A^-1 Y^T R^-1 (d + e_j - y_j),   A = (N - 1) I + Y^T R^-1 Y   (ensemble
///         space, N x N), or equally x'^T Y^T (Y Y^T + (N - 1) R)^-1 (d + e_j - y_j) (data space,
///         l x l, used when the cell has fewer local data l than members N),
/// with x' the cell's member anomalies, Y the local predicted data's anomalies (data x members)
/// and R the local error variances over their weights.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/calibration/es_mda.hpp"
#include "engine/grid/raster_grid.hpp"

namespace minetwin::calibration {

/// The Gaspari & Cohn (1999, eq. 4.10) fifth-order taper: 1 at distance 0, 0 from @p radius on
/// (their half-width c is radius / 2), a compactly supported correlation function.
double gaspari_cohn(double distance, double radius);

/// The data one analysis of one field assimilates.
struct FieldObservations {
  std::vector<double> x, y;   ///< where (CRS of the grid): a cell's or pixel's centre
  std::vector<double> value;  ///< observed
  std::vector<double> sd;     ///< error standard deviation (> 0)
  EnsembleMatrix predicted;   ///< data x members: each member's simulated value (background)
  EnsembleMatrix noise;       ///< data x members: standard normal draws of the perturbations
};

struct LocalAnalysisOptions {
  double radius_m = 0;       ///< the taper reaches 0 at this distance
  bool nonnegative = false;  ///< analysed values below 0 are set to 0 (truncation)
  bool fraction = false;     ///< ... and above 1 to 1
};

/// Updates @p states (cells x members: each member's field, column-major) in place with
/// @p observations; cells that are not valid in @p grid, and cells without data within the
/// radius, keep their values. The perturbations are centred over the members (their mean is
/// removed, Evensen 2003 sec. 4.3), so the analysed ensemble mean is the Kalman update of the
/// background mean. Deterministic: each cell depends only on the inputs.
void local_ensemble_analysis(const RasterGrid& grid, const FieldObservations& observations,
                             const LocalAnalysisOptions& options, EnsembleMatrix& states);

}  // namespace minetwin::calibration
