#pragma once
/// @file
/// @brief The search over plans: pagmo2's algorithms (NSGA-II, CMA-ES, DE) or the full grid,
/// driving a batch evaluator that sees each distinct plan once; the feasible Pareto front and its
/// hypervolume (pagmo2's utilities). pagmo stays inside plan_search.cpp.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/optimisation/decision.hpp"
#include "engine/optimisation/optimisation_spec.hpp"

namespace minetwin::optimisation {

/// A plan's evaluation: its objectives in minimisation form (a maximised metric negated) and
/// how far it is from meeting the constraints (0: feasible).
struct PlanScore {
  std::vector<double> objectives;
  double violation = 0;
  bool feasible() const { return violation == 0; }
};

/// Evaluates plans (decision values, one per decision) never evaluated before, in order.
using BatchEvaluator =
    std::function<std::vector<PlanScore>(const std::vector<std::vector<double>>& plans)>;

struct SearchSettings {
  Algorithm algorithm = Algorithm::nsga2;
  std::size_t objectives = 2;
  std::size_t generations = 10;
  std::size_t population = 16;
  std::uint64_t seed = 1;
};

struct SearchResult {
  std::vector<std::vector<double>> plans;  ///< every distinct plan, in order of evaluation
  std::vector<PlanScore> scores;           ///< per plan
  std::vector<std::size_t> batch_of;       ///< per plan: the batch that evaluated it
  std::size_t requests = 0;  ///< plans the algorithm asked for (repeats answered from memory)
  std::size_t batches = 0;
};

/// Runs the search. The evaluator is called once per batch (a generation, or one plan for
/// cmaes and de, which pagmo2 evaluates one at a time) with the batch's new plans; the same
/// settings and scores give the same calls, so a journal of scores makes a killed search resume.
SearchResult search_plans(const std::vector<Decision>& decisions, const SearchSettings& settings,
                          const BatchEvaluator& evaluate);

/// The feasible plans no other feasible plan dominates (pagmo2's fast non-dominated sorting),
/// in the order of their first objective; plans with the same objectives are all kept.
std::vector<std::size_t> pareto_front(const std::vector<PlanScore>& scores);

/// The hypervolume dominated by @p points (minimisation form) up to @p reference (pagmo2,
/// While et al. 2012 / Beume et al. 2009 algorithms).
double hypervolume(const std::vector<std::vector<double>>& points,
                   const std::vector<double>& reference);

}  // namespace minetwin::optimisation
