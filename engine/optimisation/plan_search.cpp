#include "engine/optimisation/plan_search.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/cmaes.hpp>
#include <pagmo/algorithms/de.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

namespace minetwin::optimisation {
namespace {

// An infeasible plan's objectives, all of them: above any feasible plan's and growing with its
// violation, so that every feasible plan dominates every infeasible one and, among infeasible
// plans, the less violating dominates (Deb 2000's feasibility rules, which pagmo2's NSGA-II does
// not have, as a pure function of the plan). Objectives of real plans stay far below it.
constexpr double kInfeasible = 1e12;

// What pagmo's problem and batch evaluator share: the decisions in pagmo's order (continuous
// first, then the integral ones, which pagmo wants last), and every plan's score.
class SearchContext {
 public:
  SearchContext(const std::vector<Decision>& decisions, const SearchSettings& settings,
                const BatchEvaluator& evaluate)
      : decisions_(decisions), settings_(settings), evaluate_(evaluate) {
    for (std::size_t i = 0; i < decisions.size(); ++i)
      if (!decisions[i].integral()) order_.push_back(i);
    for (std::size_t i = 0; i < decisions.size(); ++i)
      if (decisions[i].integral()) order_.push_back(i);
  }

  std::size_t dimension() const { return decisions_.size(); }
  std::size_t integer_dimension() const {
    // CMA-ES and DE search continuous spaces only; their integral decisions are rounded.
    if (settings_.algorithm != Algorithm::nsga2) return 0;
    return static_cast<std::size_t>(std::count_if(decisions_.begin(), decisions_.end(),
                                                  [](const Decision& d) { return d.integral(); }));
  }
  std::pair<pagmo::vector_double, pagmo::vector_double> bounds() const {
    pagmo::vector_double lower, upper;
    for (std::size_t i : order_) {
      lower.push_back(decisions_[i].lower());
      upper.push_back(decisions_[i].upper());
    }
    return {lower, upper};
  }

  // Fitness of pagmo's decision vectors (concatenated): plans never seen are evaluated in one
  // batch, in the order pagmo asks for them.
  pagmo::vector_double fitness(const pagmo::vector_double& vectors) {
    const std::size_t n = dimension(), count = vectors.size() / n;
    std::vector<std::vector<double>> plans(count), fresh;
    for (std::size_t k = 0; k < count; ++k) {
      plans[k].resize(n);
      for (std::size_t j = 0; j < n; ++j)
        plans[k][order_[j]] = decisions_[order_[j]].value_of(vectors[k * n + j]);
      if (!known_.count(plans[k]) && std::find(fresh.begin(), fresh.end(), plans[k]) == fresh.end())
        fresh.push_back(plans[k]);
    }
    result.requests += count;
    if (!fresh.empty()) {
      const std::vector<PlanScore> scores = evaluate_(fresh);
      if (scores.size() != fresh.size())
        throw std::logic_error("plan search: the evaluator returned another number of scores");
      for (std::size_t k = 0; k < fresh.size(); ++k) {
        if (scores[k].objectives.size() != settings_.objectives)
          throw std::logic_error("plan search: a score with another number of objectives");
        known_[fresh[k]] = result.plans.size();
        result.plans.push_back(fresh[k]);
        result.scores.push_back(scores[k]);
        result.batch_of.push_back(result.batches);
      }
      ++result.batches;
    }
    pagmo::vector_double fitness;
    for (const auto& plan : plans) {
      const PlanScore& score = result.scores[known_.at(plan)];
      for (double f : score.objectives)
        fitness.push_back(score.feasible() ? f : kInfeasible * (1 + score.violation));
    }
    return fitness;
  }

  SearchResult result;

 private:
  const std::vector<Decision>& decisions_;
  const SearchSettings& settings_;
  const BatchEvaluator& evaluate_;
  std::vector<std::size_t> order_;  ///< pagmo's position -> decision
  std::map<std::vector<double>, std::size_t> known_;
};

// pagmo's user-defined problem and batch evaluator: thin handles on the context.
struct PlanProblem {
  SearchContext* context = nullptr;
  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return context->fitness(x); }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    return context->bounds();
  }
  pagmo::vector_double::size_type get_nobj() const { return objectives; }
  pagmo::vector_double::size_type get_nix() const { return context->integer_dimension(); }
  std::size_t objectives = 1;
};

struct PlanBatchEvaluator {
  SearchContext* context = nullptr;
  pagmo::vector_double operator()(const pagmo::problem&, const pagmo::vector_double& x) const {
    return context->fitness(x);
  }
};

void search_grid(const std::vector<Decision>& decisions, const SearchSettings& settings,
                 SearchContext& context) {
  // Every plan, the first decision varying slowest; batches of `population` plans.
  std::vector<std::vector<double>> levels;
  for (const Decision& d : decisions) levels.push_back(d.levels());
  std::vector<std::size_t> digit(decisions.size(), 0);
  pagmo::vector_double batch;
  std::size_t in_batch = 0;
  for (bool more = true; more;) {
    // Values in pagmo's order: continuous decisions first (the context's order).
    for (std::size_t pass = 0; pass < 2; ++pass)
      for (std::size_t i = 0; i < decisions.size(); ++i)
        if (decisions[i].integral() == (pass == 1)) batch.push_back(levels[i][digit[i]]);
    if (++in_batch == settings.population) {
      context.fitness(batch);
      batch.clear();
      in_batch = 0;
    }
    more = false;
    for (std::size_t i = decisions.size(); i-- > 0;) {
      if (++digit[i] < levels[i].size()) {
        more = true;
        break;
      }
      digit[i] = 0;
    }
  }
  if (!batch.empty()) context.fitness(batch);
}

}  // namespace

SearchResult search_plans(const std::vector<Decision>& decisions, const SearchSettings& settings,
                          const BatchEvaluator& evaluate) {
  SearchContext context(decisions, settings, evaluate);
  if (settings.algorithm == Algorithm::grid) {
    search_grid(decisions, settings, context);
    return std::move(context.result);
  }
  PlanProblem udp;
  udp.context = &context;
  udp.objectives = settings.objectives;
  const pagmo::problem problem(udp);
  PlanBatchEvaluator udbfe;
  udbfe.context = &context;
  const pagmo::bfe batch(udbfe);
  const auto seed = static_cast<unsigned>(settings.seed);
  const auto generations = static_cast<unsigned>(settings.generations);
  pagmo::population population(problem, batch, settings.population, seed);
  if (settings.algorithm == Algorithm::nsga2) {
    // Deb et al. (2002)'s operators with pagmo2's defaults (crossover 0.95, distribution
    // indices 10 and 50), but a mutation probability of 1/decisions per variable (Deb 2001),
    // not pagmo's 0.01, which leaves plans of a few decisions almost never mutated.
    pagmo::nsga2 nsga2(generations, 0.95, 10., 1.0 / static_cast<double>(decisions.size()), 50.,
                       seed);
    nsga2.set_bfe(batch);
    pagmo::algorithm(nsga2).evolve(population);
  } else if (settings.algorithm == Algorithm::cmaes) {
    // Hansen (2006)'s defaults; bounds enforced (decisions have hard ranges); one plan at a
    // time, as pagmo2's CMA-ES evaluates.
    pagmo::cmaes cmaes(generations, -1, -1, -1, -1, 0.5, 1e-6, 1e-6, false, true, seed);
    pagmo::algorithm(cmaes).evolve(population);
  } else {
    // DE/rand/1/exp (variant 2) with F = 0.8, CR = 0.9 (Storn & Price 1997), pagmo2's defaults.
    pagmo::de de(generations, 0.8, 0.9, 2u, 1e-6, 1e-6, seed);
    pagmo::algorithm(de).evolve(population);
  }
  return std::move(context.result);
}

std::vector<std::size_t> pareto_front(const std::vector<PlanScore>& scores) {
  std::vector<std::size_t> feasible;
  std::vector<pagmo::vector_double> points;
  for (std::size_t i = 0; i < scores.size(); ++i)
    if (scores[i].feasible()) {
      feasible.push_back(i);
      points.push_back(scores[i].objectives);
    }
  if (points.empty()) return {};
  std::vector<std::size_t> front;
  if (points.size() == 1 || points.front().size() < 2) {
    // One objective: the best value (all plans that reach it).
    double best = points.front().front();
    for (const auto& p : points) best = std::min(best, p.front());
    for (std::size_t k = 0; k < points.size(); ++k)
      if (points[k].front() == best) front.push_back(feasible[k]);
    return front;
  }
  const auto sorted = pagmo::fast_non_dominated_sorting(points);
  for (auto k : std::get<0>(sorted).front()) front.push_back(feasible[k]);
  std::sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) {
    return scores[a].objectives < scores[b].objectives ||
           (scores[a].objectives == scores[b].objectives && a < b);
  });
  return front;
}

double hypervolume(const std::vector<std::vector<double>>& points,
                   const std::vector<double>& reference) {
  std::vector<pagmo::vector_double> inside;
  for (const auto& p : points) {
    bool below = true;
    for (std::size_t j = 0; j < p.size(); ++j) below = below && p[j] < reference[j];
    if (below) inside.push_back(p);
  }
  if (inside.empty()) return 0;
  return pagmo::hypervolume(inside, false).compute(reference);
}

}  // namespace minetwin::optimisation
