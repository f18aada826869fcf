#include "engine/sweep/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>

#include "engine/core/summary.hpp"

namespace minetwin::sweep {

const char* to_string(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::uniform:
      return "uniform";
    case DistributionKind::normal:
      return "normal";
    case DistributionKind::lognormal:
      return "lognormal";
    case DistributionKind::triangular:
      return "triangular";
    case DistributionKind::truncated_normal:
      return "truncated_normal";
    case DistributionKind::beta:
      return "beta";
    case DistributionKind::choice:
      return "choice";
  }
  return "?";
}

std::string Distribution::check() const {
  auto finite = [](double v) { return std::isfinite(v); };
  switch (kind) {
    case DistributionKind::uniform:
      if (!finite(min) || !finite(max) || !(min < max)) return "uniform needs min < max";
      break;
    case DistributionKind::normal:
      if (!finite(mean) || !finite(sd) || !(sd > 0)) return "normal needs sd > 0";
      break;
    case DistributionKind::lognormal:
      if (!finite(median) || !(median > 0)) return "lognormal needs median > 0";
      if (!finite(sigma) || !(sigma > 0)) return "lognormal needs sigma > 0";
      break;
    case DistributionKind::triangular:
      if (!finite(min) || !finite(max) || !(min < max)) return "triangular needs min < max";
      if (!finite(mode) || mode < min || mode > max) return "triangular needs min <= mode <= max";
      break;
    case DistributionKind::truncated_normal: {
      if (!finite(mean) || !finite(sd) || !(sd > 0)) return "truncated_normal needs sd > 0";
      if (!finite(min) || !finite(max) || !(min < max)) return "truncated_normal needs min < max";
      // Bounds so far into a tail that the normal CDF cannot tell them apart leave no mass.
      const boost::math::normal_distribution<> n(mean, sd);
      if (!(boost::math::cdf(n, max) - boost::math::cdf(n, min) > 1e-12))
        return "truncated_normal: [min, max] holds no probability of normal(mean, sd)";
      break;
    }
    case DistributionKind::beta:
      if (!finite(alpha) || !(alpha > 0) || !finite(beta) || !(beta > 0))
        return "beta needs alpha > 0 and beta > 0";
      if (!finite(min) || !finite(max) || !(min < max)) return "beta needs min < max";
      break;
    case DistributionKind::choice:
      if (choice_values.empty()) return "choice needs a non-empty list of values";
      if (choice_weights.size() != choice_values.size()) return "choice needs one weight per value";
      for (double w : choice_weights)
        if (!finite(w) || w < 0) return "choice weights must be >= 0";
      break;
  }
  return "";
}

double Distribution::quantile(double u) const {
  // Designs give u in (0, 1); keep clear of the ends where unbounded quantiles are infinite.
  u = std::clamp(u, 1e-12, 1.0 - 1e-12);
  switch (kind) {
    case DistributionKind::uniform:
      return boost::math::quantile(boost::math::uniform_distribution<>(min, max), u);
    case DistributionKind::normal:
      return boost::math::quantile(boost::math::normal_distribution<>(mean, sd), u);
    case DistributionKind::lognormal:
      return boost::math::quantile(boost::math::lognormal_distribution<>(std::log(median), sigma),
                                   u);
    case DistributionKind::triangular:
      return boost::math::quantile(boost::math::triangular_distribution<>(min, mode, max), u);
    case DistributionKind::truncated_normal: {
      // Inverse CDF of the normal restricted to [min, max] (e.g. Robert 1995).
      const boost::math::normal_distribution<> n(mean, sd);
      const double lo = boost::math::cdf(n, min), hi = boost::math::cdf(n, max);
      const double p = std::clamp(lo + u * (hi - lo), 1e-300, 1.0 - 1e-16);
      return std::clamp(boost::math::quantile(n, p), min, max);
    }
    case DistributionKind::beta:
      return min +
             (max - min) * boost::math::quantile(boost::math::beta_distribution<>(alpha, beta), u);
    case DistributionKind::choice: {
      double cumulative = 0;
      for (std::size_t i = 0; i < choice_weights.size(); ++i) {
        cumulative += choice_weights[i];
        if (u < cumulative) return static_cast<double>(i);
      }
      return static_cast<double>(choice_weights.size() - 1);
    }
  }
  return 0;
}

double Distribution::cdf(double x) const {
  switch (kind) {
    case DistributionKind::uniform:
      return boost::math::cdf(boost::math::uniform_distribution<>(min, max),
                              std::clamp(x, min, max));
    case DistributionKind::normal:
      return boost::math::cdf(boost::math::normal_distribution<>(mean, sd), x);
    case DistributionKind::lognormal:
      if (!(x > 0)) return 0.0;
      return boost::math::cdf(boost::math::lognormal_distribution<>(std::log(median), sigma), x);
    case DistributionKind::triangular:
      return boost::math::cdf(boost::math::triangular_distribution<>(min, mode, max),
                              std::clamp(x, min, max));
    case DistributionKind::truncated_normal: {
      const boost::math::normal_distribution<> n(mean, sd);
      const double lo = boost::math::cdf(n, min), hi = boost::math::cdf(n, max);
      return (boost::math::cdf(n, std::clamp(x, min, max)) - lo) / (hi - lo);
    }
    case DistributionKind::beta:
      return boost::math::cdf(boost::math::beta_distribution<>(alpha, beta),
                              std::clamp((x - min) / (max - min), 0.0, 1.0));
    case DistributionKind::choice:
      break;
  }
  throw std::logic_error("Distribution::cdf: a choice has no cumulative distribution");
}

std::string Distribution::scenario_text(double value) const {
  if (kind == DistributionKind::choice) return choice_values.at(static_cast<std::size_t>(value));
  return format_number(value);
}

}  // namespace minetwin::sweep
