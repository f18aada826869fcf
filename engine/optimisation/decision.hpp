#pragma once
/// @file
/// @brief One decision of a plan optimisation: a scenario key the optimiser may set, with the
/// values it may take (a number in bounds, optionally on a step; an integer; one of a list).

#include <cstddef>
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace minetwin::optimisation {

enum class DecisionKind {
  continuous,  ///< any number in [min, max], or the multiples of `step` from min
  integer,     ///< the integers in [min, max] (a year, a count)
  choice       ///< one of `choices` (a species, a material, on/off); searched as its index
};

struct Decision {
  std::string key;  ///< a scenario key by dotted name, as `--set` takes it
  DecisionKind kind = DecisionKind::continuous;
  double min = 0, max = 0;
  double step = 0;                   ///< continuous: > 0 snaps values to min + k step
  std::vector<std::string> choices;  ///< choice: each a YAML value, written as flow YAML
  SourcePlace place;

  /// The search's bounds: [min, max], or [0, choices - 1] for a choice.
  double lower() const;
  double upper() const;
  /// Whether the search must keep it integral (an integer, or a choice's index).
  bool integral() const { return kind != DecisionKind::continuous; }
  /// The plan's value of a searched number: clamped into the bounds, rounded for an integer or a
  /// choice, snapped to the step. Two searched numbers with one value are one plan.
  double value_of(double searched) const;
  /// The scenario text of a value (`--set KEY=TEXT`): the number in shortest round-trip form, or
  /// the chosen YAML value.
  std::string scenario_text(double value) const;
  /// Every value the decision can take, in order; empty for a continuous decision without a
  /// step (infinitely many).
  std::vector<double> levels() const;
};

/// `--set` assignments of a plan: base, then one per decision.
std::vector<std::string> plan_overrides(const std::vector<Decision>& decisions,
                                        const std::vector<double>& plan,
                                        const std::vector<std::string>& base);

}  // namespace minetwin::optimisation
