#pragma once
/// @file
/// @brief The ensemble smoother with multiple data assimilation (ES-MDA; Emerick & Reynolds
/// 2013): one assimilation step, computed in ensemble space (docs/calibration.md).
///
/// Matrices are column-major with one column per member, so that a member's parameters or
/// predictions lie together; Eigen stays inside the .cpp.

#include <cstddef>
#include <vector>

namespace minetwin::calibration {

/// A dense matrix, column-major: rows x members.
struct EnsembleMatrix {
  std::size_t rows = 0;
  std::size_t members = 0;
  std::vector<double> values;  ///< values[member * rows + row]

  EnsembleMatrix() = default;
  EnsembleMatrix(std::size_t rows_, std::size_t members_)
      : rows(rows_), members(members_), values(rows_ * members_, 0.0) {}
  double& at(std::size_t row, std::size_t member) { return values[member * rows + row]; }
  double at(std::size_t row, std::size_t member) const { return values[member * rows + row]; }
};

/// The inflation factors of @p iterations assimilations: all equal to the number of
/// iterations, so that their inverses sum to 1 (Emerick & Reynolds 2013, eq. 13; the
/// choice their examples use).
std::vector<double> es_mda_inflation(std::size_t iterations);

/// One ES-MDA analysis (Emerick & Reynolds 2013, eq. 12):
///   m_j^a = m_j + C_MD (C_DD + alpha C_D)^-1 (d_obs + sqrt(alpha) C_D^1/2 z_j - d_j),
/// with C_MD and C_DD the ensemble's cross- and auto-covariances and C_D = diag(sd^2), evaluated
/// as  M^a = M + dM (S^T S + alpha I)^-1 S^T R,  where dM and dD are the ensemble anomalies over
/// sqrt(N - 1), S = C_D^-1/2 dD and R's column j = C_D^-1/2 (d_obs + sqrt(alpha) sd z_j - d_j):
/// the matrix inverted is members x members (or, with fewer observations than members, the
/// equal observations x observations form), so the cost grows with the number of observations
/// only linearly.
/// @param parameters  parameters x members (in the space where the prior is Gaussian)
/// @param predictions observations x members: each member's simulated observations
/// @param observed    the observed values
/// @param sd          their error standard deviations (> 0)
/// @param alpha       this iteration's inflation factor
/// @param noise       observations x members standard normal draws (z_j)
EnsembleMatrix es_mda_update(const EnsembleMatrix& parameters, const EnsembleMatrix& predictions,
                             const std::vector<double>& observed, const std::vector<double>& sd,
                             double alpha, const EnsembleMatrix& noise);

}  // namespace minetwin::calibration
