#include "models/soil/pedotransfer.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::soil {

HydraulicProperties saxton_rawls(double sand, double clay, double organic_matter_pct,
                                 double bulk_density_g_cm3) {
  const double s = std::clamp(sand, 0.0, 1.0);
  const double c = std::clamp(clay, 0.0, 0.6);
  const double om = std::clamp(organic_matter_pct, 0.0, 8.0);
  const double t1500 =
      -0.024 * s + 0.487 * c + 0.006 * om + 0.005 * s * om - 0.013 * c * om + 0.068 * s * c + 0.031;
  const double theta1500 = t1500 + (0.14 * t1500 - 0.02);
  const double t33 =
      -0.251 * s + 0.195 * c + 0.011 * om + 0.006 * s * om - 0.027 * c * om + 0.452 * s * c + 0.299;
  double theta33 = t33 + (1.283 * t33 * t33 - 0.374 * t33 - 0.015);
  const double ts33 =
      0.278 * s + 0.034 * c + 0.022 * om - 0.018 * s * om - 0.027 * c * om - 0.584 * s * c + 0.078;
  const double thetas33 = ts33 + (0.636 * ts33 - 0.107);
  double theta_s = theta33 + thetas33 - 0.097 * s + 0.043;
  if (bulk_density_g_cm3 > 0.0) {
    // Density adjustment (eqs 6-10): a compacted spoil has less pore space and holds less.
    const double adjusted_s = 1.0 - bulk_density_g_cm3 / 2.65;
    theta33 = theta33 - 0.2 * (theta_s - adjusted_s);
    theta_s = adjusted_s;
  }
  theta33 = std::max(theta33, theta1500 + 1e-3);
  theta_s = std::max(theta_s, theta33 + 1e-3);
  const double lambda =
      (std::log(theta33) - std::log(theta1500)) / (std::log(1500.0) - std::log(33.0));
  const double ks = 1930.0 * std::pow(theta_s - theta33, 3.0 - lambda);
  return {theta1500, theta33, theta_s, ks};
}

}  // namespace minetwin::soil
