#include "engine/calibration/state_update.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace minetwin::calibration {

double gaspari_cohn(double distance, double radius) {
  if (!(radius > 0)) return 0.0;
  const double z = std::abs(distance) / (0.5 * radius);  // distance over the half-width c
  if (z >= 2.0) return 0.0;
  const double z2 = z * z, z3 = z2 * z, z4 = z3 * z, z5 = z4 * z;
  if (z <= 1.0) return -0.25 * z5 + 0.5 * z4 + 0.625 * z3 - 5.0 / 3.0 * z2 + 1.0;
  return z5 / 12.0 - 0.5 * z4 + 0.625 * z3 + 5.0 / 3.0 * z2 - 5.0 * z + 4.0 - 2.0 / (3.0 * z);
}

namespace {

// The data in square buckets of the radius's size, so that a cell looks at nine buckets only.
struct Buckets {
  double west = 0, north = 0, size = 1;
  std::size_t columns = 0, rows = 0;
  std::vector<std::vector<std::size_t>> data;

  Buckets(const RasterGrid& grid, const FieldObservations& obs, double radius) {
    const GridGeometry& g = grid.geometry();
    west = g.west_m - radius;  // a datum may lie up to a radius outside the grid and count
    north = g.north_m + radius;
    size = radius;
    columns = static_cast<std::size_t>(
                  std::ceil((static_cast<double>(g.columns) * g.cell_size_m + 2 * radius) / size)) +
              1;
    rows = static_cast<std::size_t>(
               std::ceil((static_cast<double>(g.rows) * g.cell_size_m + 2 * radius) / size)) +
           1;
    data.resize(columns * rows);
    for (std::size_t i = 0; i < obs.value.size(); ++i) {
      const long bx = static_cast<long>(std::floor((obs.x[i] - west) / size));
      const long by = static_cast<long>(std::floor((north - obs.y[i]) / size));
      if (bx < 0 || by < 0 || bx >= static_cast<long>(columns) || by >= static_cast<long>(rows))
        continue;  // farther than a radius from every cell
      data[static_cast<std::size_t>(by) * columns + static_cast<std::size_t>(bx)].push_back(i);
    }
  }
};

}  // namespace

void local_ensemble_analysis(const RasterGrid& grid, const FieldObservations& obs,
                             const LocalAnalysisOptions& options, EnsembleMatrix& states) {
  const std::size_t members = states.members, cells = grid.cell_count(), data = obs.value.size();
  if (states.rows != cells || obs.predicted.rows != data || obs.predicted.members != members ||
      obs.noise.rows != data || obs.noise.members != members || obs.x.size() != data ||
      obs.y.size() != data || obs.sd.size() != data)
    throw std::logic_error("local_ensemble_analysis: sizes do not match");
  if (members < 2 || data == 0 || !(options.radius_m > 0)) return;
  const auto n = static_cast<Eigen::Index>(members);
  const double spread_divisor = static_cast<double>(members - 1);

  // The predicted data's anomalies, and each member's innovation with its centred perturbation.
  Eigen::MatrixXd anomalies(static_cast<Eigen::Index>(data), n);
  Eigen::MatrixXd innovations(static_cast<Eigen::Index>(data), n);
  for (std::size_t i = 0; i < data; ++i) {
    double mean = 0, noise_mean = 0;
    for (std::size_t j = 0; j < members; ++j) {
      mean += obs.predicted.at(i, j);
      noise_mean += obs.noise.at(i, j);
    }
    mean /= static_cast<double>(members);
    noise_mean /= static_cast<double>(members);
    for (std::size_t j = 0; j < members; ++j) {
      const auto r = static_cast<Eigen::Index>(i), c = static_cast<Eigen::Index>(j);
      anomalies(r, c) = obs.predicted.at(i, j) - mean;
      innovations(r, c) =
          obs.value[i] + obs.sd[i] * (obs.noise.at(i, j) - noise_mean) - obs.predicted.at(i, j);
    }
  }
  const Buckets buckets(grid, obs, options.radius_m);

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, 256), [&](const auto& range) {
    std::vector<std::size_t> local;
    std::vector<double> weight;  // the taper over the error variance: R^-1 of the local data
    Eigen::MatrixXd local_anomalies, a;
    Eigen::VectorXd cell_anomaly(n), u;
    for (std::size_t c = range.begin(); c < range.end(); ++c) {
      if (!grid.is_valid(c)) continue;
      const double x = grid.x_center(c % grid.columns()), y = grid.y_center(c / grid.columns());
      const long bx = static_cast<long>(std::floor((x - buckets.west) / buckets.size));
      const long by = static_cast<long>(std::floor((buckets.north - y) / buckets.size));
      local.clear();
      weight.clear();
      for (long ny = by - 1; ny <= by + 1; ++ny)
        for (long nx = bx - 1; nx <= bx + 1; ++nx) {
          if (nx < 0 || ny < 0 || nx >= static_cast<long>(buckets.columns) ||
              ny >= static_cast<long>(buckets.rows))
            continue;
          for (std::size_t i : buckets.data[static_cast<std::size_t>(ny) * buckets.columns +
                                            static_cast<std::size_t>(nx)]) {
            const double rho =
                gaspari_cohn(std::hypot(obs.x[i] - x, obs.y[i] - y), options.radius_m);
            if (rho <= 0) continue;
            local.push_back(i);
            weight.push_back(rho / (obs.sd[i] * obs.sd[i]));
          }
        }
      if (local.empty()) continue;
      // The buckets are visited in a fixed order; sort so that the sums do not depend on it.
      std::vector<std::size_t> order(local.size());
      for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
      std::sort(order.begin(), order.end(),
                [&](std::size_t p, std::size_t q) { return local[p] < local[q]; });
      const auto l = static_cast<Eigen::Index>(local.size());
      local_anomalies.resize(l, n);
      Eigen::VectorXd local_weight(l);
      for (Eigen::Index k = 0; k < l; ++k) {
        const std::size_t p = order[static_cast<std::size_t>(k)];
        local_anomalies.row(k) = anomalies.row(static_cast<Eigen::Index>(local[p]));
        local_weight(k) = weight[p];
      }
      double mean = 0;
      for (std::size_t j = 0; j < members; ++j) mean += states.at(c, j);
      mean /= static_cast<double>(members);
      for (std::size_t j = 0; j < members; ++j)
        cell_anomaly(static_cast<Eigen::Index>(j)) = states.at(c, j) - mean;
      if (l < n) {
        // Fewer local data than members: the data-space form, u = (Y Y^T / (N - 1) + R)^-1
        // Y x' / (N - 1), an l x l solve.
        a = local_anomalies * local_anomalies.transpose() / spread_divisor;
        a.diagonal().array() += local_weight.array().inverse();
        u = a.llt().solve(local_anomalies * cell_anomaly / spread_divisor);
      } else {
        // A = (N - 1) I + Y^T R^-1 Y;  v = A^-1 x';  u = R^-1 Y v: a members x members solve.
        a = local_anomalies.transpose() * local_weight.asDiagonal() * local_anomalies;
        a.diagonal().array() += spread_divisor;
        const Eigen::VectorXd v = a.llt().solve(cell_anomaly);
        u = local_weight.asDiagonal() * (local_anomalies * v);
      }
      // x_j += u . innovation_j (the same u from either form).
      for (std::size_t j = 0; j < members; ++j) {
        double increment = 0;
        for (Eigen::Index k = 0; k < l; ++k)
          increment +=
              u(k) *
              innovations(static_cast<Eigen::Index>(local[order[static_cast<std::size_t>(k)]]),
                          static_cast<Eigen::Index>(j));
        double analysed = states.at(c, j) + increment;
        if (options.nonnegative) analysed = std::max(analysed, 0.0);
        if (options.fraction) analysed = std::min(analysed, 1.0);
        states.at(c, j) = analysed;
      }
    }
  });
}

}  // namespace minetwin::calibration
