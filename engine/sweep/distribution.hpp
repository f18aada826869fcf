#pragma once
/// @file
/// @brief The distribution of one uncertain input of a sweep, as an inverse CDF: a design's
/// uniform number in (0, 1) becomes the input's value (Boost.Math quantiles).

#include <string>
#include <vector>

namespace minetwin::sweep {

enum class DistributionKind {
  uniform,
  normal,
  lognormal,
  triangular,
  truncated_normal,
  beta,
  choice
};

/// One uncertain input's distribution. Numbers are named as in the sweep file:
/// uniform {min, max}; normal {mean, sd}; lognormal {median, sigma} (sigma of ln x);
/// triangular {min, mode, max}; truncated_normal {mean, sd, min, max}; beta {alpha, beta,
/// min = 0, max = 1}; choice {values: [...], weights: [...] (default equal)}.
struct Distribution {
  DistributionKind kind = DistributionKind::uniform;
  double mean = 0, sd = 1, median = 1, sigma = 1, min = 0, max = 1, mode = 0.5, alpha = 1, beta = 1;
  std::vector<std::string> choice_values;  ///< each a YAML value, written as flow YAML
  std::vector<double> choice_weights;      ///< normalised to sum to 1

  /// The problem with the arguments ("sd must be > 0"), or "" when they are possible.
  std::string check() const;
  /// The value at probability @p u in (0, 1). For a choice: the chosen index (0, 1, ...).
  double quantile(double u) const;
  /// The probability of a value <= @p x: quantile's inverse (not for a choice).
  double cdf(double x) const;
  /// The scenario text of a value drawn by quantile(): the number in shortest round-trip form,
  /// or the chosen YAML value.
  std::string scenario_text(double value) const;
};

/// The distribution's name in the sweep file ("truncated_normal").
const char* to_string(DistributionKind kind);

}  // namespace minetwin::sweep
