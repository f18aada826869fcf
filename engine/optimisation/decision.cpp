#include "engine/optimisation/decision.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/summary.hpp"

namespace minetwin::optimisation {

double Decision::lower() const {
  return kind == DecisionKind::choice ? 0.0 : min;
}

double Decision::upper() const {
  return kind == DecisionKind::choice ? static_cast<double>(choices.size()) - 1.0 : max;
}

namespace {

// min + k step, rounded to six decimal digits finer than the step: 0.1 + 2 x 0.1 is 0.3, not
// 0.30000000000000004, so that a plan's value reads as written and is the same however reached.
double step_value(double min, double step, double k) {
  const double digits = std::max(0.0, 6.0 - std::floor(std::log10(step)));
  const double scale = std::pow(10.0, std::min(digits, 15.0));
  return std::round((min + k * step) * scale) / scale;
}

}  // namespace

double Decision::value_of(double searched) const {
  const double x = std::clamp(searched, lower(), upper());
  if (integral()) return std::round(x);
  if (step > 0) {
    const double last = std::floor((max - min) / step + 1e-9);
    return step_value(min, step, std::min(std::round((x - min) / step), last));
  }
  return x;
}

std::string Decision::scenario_text(double value) const {
  if (kind == DecisionKind::choice) return choices.at(static_cast<std::size_t>(value));
  return format_number(value);
}

std::vector<double> Decision::levels() const {
  std::vector<double> values;
  if (kind == DecisionKind::continuous && step <= 0) return values;
  const double spacing = kind == DecisionKind::continuous ? step : 1.0;
  // Counted, not accumulated: min + k step without the drift of repeated additions.
  const auto count = static_cast<std::size_t>(std::floor((upper() - lower()) / spacing + 1e-9));
  for (std::size_t k = 0; k <= count; ++k)
    values.push_back(integral() ? lower() + static_cast<double>(k)
                                : step_value(min, step, static_cast<double>(k)));
  return values;
}

std::vector<std::string> plan_overrides(const std::vector<Decision>& decisions,
                                        const std::vector<double>& plan,
                                        const std::vector<std::string>& base) {
  std::vector<std::string> all = base;
  for (std::size_t i = 0; i < decisions.size(); ++i)
    all.push_back(decisions[i].key + "=" + decisions[i].scenario_text(plan[i]));
  return all;
}

}  // namespace minetwin::optimisation
