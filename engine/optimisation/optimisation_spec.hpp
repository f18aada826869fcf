#pragma once
/// @file
/// @brief The optimisation file: the base plan, the decisions the optimiser may take, the
/// objectives, the constraints (targets, optionally as probabilities over uncertain inputs) and
/// the algorithm (docs/optimisation.md).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/optimisation/decision.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace minetwin::optimisation {

/// How an objective reduces a metric's yearly values: one year's, or over every simulated year.
enum class Reduction { year, sum, mean, min, max };

struct Objective {
  std::string name;  ///< its column in the outputs (default: metric, and year or reduction)
  std::string metric;
  Reduction over = Reduction::year;
  int year = 0;  ///< Reduction::year: the summary row
  bool maximise = false;
  SourcePlace place;
};

/// A target every plan must meet, in at least `probability` of the uncertainty members.
struct Constraint {
  sweep::Target target;
  double probability = 1.0;
};

enum class Algorithm {
  nsga2,  ///< multi-objective (Deb et al. 2002), pagmo2
  cmaes,  ///< single objective (Hansen 2006), pagmo2
  de,     ///< single objective (Storn & Price 1997), pagmo2
  grid    ///< every plan of a finite decision space (each continuous decision with a step)
};

struct OptimisationSpec {
  std::filesystem::path file;
  std::filesystem::path scenario;
  std::vector<std::string> overrides;  ///< `set:`, KEY=VALUE before the --set
  std::vector<Decision> decisions;
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;
  std::vector<sweep::UncertainInput> uncertain;
  std::size_t members = 1;  ///< uncertainty members per plan (the same draws for every plan)
  Algorithm algorithm = Algorithm::nsga2;
  std::size_t generations = 10;
  std::size_t population = 16;
  std::uint64_t seed = 1;
  std::string resolved_yaml;  ///< the file with every default filled in
};

/// Reads and validates an optimisation file. Whether the decision keys and their values, the
/// metrics and the years exist in the scenario is checked when the optimisation is prepared.
/// Throws InputError.
OptimisationSpec load_optimisation(const std::filesystem::path& file);

/// The optimisation file reference (Markdown), for docs/optimisation.md.
std::string optimisation_reference_markdown();

const char* to_string(Algorithm algorithm);
const char* to_string(Reduction reduction);

}  // namespace minetwin::optimisation
