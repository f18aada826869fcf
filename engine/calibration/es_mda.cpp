#include "engine/calibration/es_mda.hpp"

#include <cmath>
#include <stdexcept>

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace minetwin::calibration {

namespace {

using Matrix = Eigen::MatrixXd;
using ConstMap = Eigen::Map<const Matrix>;

ConstMap view(const EnsembleMatrix& m) {
  return ConstMap(m.values.data(), static_cast<Eigen::Index>(m.rows),
                  static_cast<Eigen::Index>(m.members));
}

// Member anomalies over sqrt(N - 1): their products are the ensemble covariances.
Matrix anomalies(const ConstMap& m) {
  const Eigen::VectorXd mean = m.rowwise().mean();
  return (m.colwise() - mean) / std::sqrt(static_cast<double>(m.cols()) - 1.0);
}

}  // namespace

std::vector<double> es_mda_inflation(std::size_t iterations) {
  return std::vector<double>(iterations, static_cast<double>(iterations));
}

EnsembleMatrix es_mda_update(const EnsembleMatrix& parameters, const EnsembleMatrix& predictions,
                             const std::vector<double>& observed, const std::vector<double>& sd,
                             double alpha, const EnsembleMatrix& noise) {
  const std::size_t members = parameters.members;
  if (members < 2 || predictions.members != members || noise.members != members ||
      predictions.rows != observed.size() || sd.size() != observed.size() ||
      noise.rows != observed.size())
    throw std::invalid_argument("es_mda_update: inconsistent ensemble sizes");
  const auto n = static_cast<Eigen::Index>(members);
  const auto d = static_cast<Eigen::Index>(observed.size());
  const ConstMap m = view(parameters), g = view(predictions), z = view(noise);
  const Eigen::Map<const Eigen::VectorXd> obs(observed.data(), d), sigma(sd.data(), d);
  const Eigen::VectorXd inverse_sd = sigma.cwiseInverse();

  const Matrix dm = anomalies(m);
  const Matrix s = inverse_sd.asDiagonal() * anomalies(g);
  // R: each member's perturbed observations minus its prediction, in units of sd.
  Matrix r = (-g).colwise() + obs;
  r += std::sqrt(alpha) * (sigma.asDiagonal() * z);
  r = inverse_sd.asDiagonal() * r;

  // (S^T S + alpha I)^-1 S^T = S^T (S S^T + alpha I)^-1: invert the smaller of the two
  // (members x members in ensemble space, observations x observations in data space), and
  // multiply in the order that never forms a members x members product in data space.
  Matrix change;  // parameters x members
  if (s.cols() <= s.rows()) {
    Matrix gram = s.transpose() * s;
    gram.diagonal().array() += alpha;
    change = dm * gram.ldlt().solve(s.transpose() * r);
  } else {
    Matrix gram = s * s.transpose();
    gram.diagonal().array() += alpha;
    change = (dm * s.transpose()) * gram.ldlt().solve(r);
  }
  EnsembleMatrix updated(parameters.rows, members);
  Eigen::Map<Matrix>(updated.values.data(), static_cast<Eigen::Index>(parameters.rows), n) =
      m + change;
  return updated;
}

}  // namespace minetwin::calibration
