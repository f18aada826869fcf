#include "engine/optimisation/optimisation_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <limits>
#include <sstream>

#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/optimisation/plan_search.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/prepared_run.hpp"
#include "engine/run/runner.hpp"
#include "engine/sweep/ensemble_command.hpp"
#include "engine/sweep/mpi_context.hpp"
#include "engine/sweep/sampling.hpp"
#include "engine/sweep/sweep_runner.hpp"

namespace minetwin::optimisation {
namespace {

using Clock = std::chrono::steady_clock;

// A plan whose run failed is as infeasible as a plan can be.
constexpr double kFailedViolation = 1e6;

// The decisions as the sweep engine's inputs, so that check_members can try their values.
std::vector<sweep::UncertainInput> decisions_as_inputs(const std::vector<Decision>& decisions) {
  std::vector<sweep::UncertainInput> inputs;
  for (const Decision& d : decisions) {
    sweep::UncertainInput input;
    input.key = d.key;
    input.place = d.place;
    if (d.kind == DecisionKind::choice) {
      input.distribution.kind = sweep::DistributionKind::choice;
      input.distribution.choice_values = d.choices;
    } else {
      input.distribution.min = d.min;
      input.distribution.max = d.max;
    }
    inputs.push_back(std::move(input));
  }
  return inputs;
}

// Plans that try each decision's extreme values (every choice) with the others at their lower
// bound: a key the scenario does not know, or a value it refuses, is found before anything runs.
std::vector<std::vector<double>> extreme_plans(const std::vector<Decision>& decisions) {
  std::vector<double> lowest;
  for (const Decision& d : decisions) lowest.push_back(d.lower());
  std::vector<std::vector<double>> plans{lowest};
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    std::vector<double> values{decisions[i].upper()};
    if (decisions[i].kind == DecisionKind::choice) values = decisions[i].levels();
    for (double v : values) {
      if (v == lowest[i]) continue;
      plans.push_back(lowest);
      plans.back()[i] = v;
    }
  }
  return plans;
}

// What a plan's members gave: each objective (natural sense, member mean), each constraint's
// share of members meeting it and the metric's member mean.
struct PlanRecord {
  bool failed = false;
  std::vector<double> objectives, met, constraint_means;
  PlanScore score;
};

std::string encode_scores(const std::vector<PlanScore>& scores) {
  std::vector<double> numbers;
  for (const PlanScore& s : scores) {
    numbers.push_back(s.violation);
    numbers.insert(numbers.end(), s.objectives.begin(), s.objectives.end());
  }
  return std::string(reinterpret_cast<const char*>(numbers.data()),
                     numbers.size() * sizeof(double));
}

std::vector<PlanScore> decode_scores(const std::string& bytes, std::size_t objectives) {
  std::vector<double> numbers(bytes.size() / sizeof(double));
  if (!numbers.empty()) std::memcpy(numbers.data(), bytes.data(), bytes.size());
  std::vector<PlanScore> scores;
  for (std::size_t at = 0; at + objectives + 1 <= numbers.size(); at += objectives + 1) {
    PlanScore s;
    s.violation = numbers[at];
    s.objectives.assign(numbers.begin() + static_cast<std::ptrdiff_t>(at + 1),
                        numbers.begin() + static_cast<std::ptrdiff_t>(at + 1 + objectives));
    scores.push_back(std::move(s));
  }
  return scores;
}

std::string csv_number(double v) {
  return std::isfinite(v) ? format_number(v) : "";
}

std::string constraint_label(const Constraint& c) {
  return "P[" + c.target.metric + c.target.op + format_number(c.target.value) + " in " +
         std::to_string(c.target.year) + "]";
}

}  // namespace

OptimisationReport run_optimisation(const OptimisationSpec& spec, const ModelRegistry& registry,
                                    const OptimisationOptions& options) {
  const auto start = Clock::now();
  sweep::MpiContext& mpi = sweep::MpiContext::instance();
  const bool root = mpi.rank() == 0;
  const std::shared_ptr<void> thread_limit = sweep::limit_threads(options.threads);

  // Everything is checked before any plan runs and before the output folder is touched.
  std::vector<std::string> base_overrides = spec.overrides;
  base_overrides.insert(base_overrides.end(), options.overrides.begin(), options.overrides.end());
  const Scenario base = load_scenario(spec.scenario, base_overrides, registry);
  const std::vector<sweep::UncertainInput> decision_inputs = decisions_as_inputs(spec.decisions);
  {
    sweep::MemberInputs corners;
    corners.uncertain = &decision_inputs;
    corners.base_overrides = base_overrides;
    corners.values = extreme_plans(spec.decisions);
    sweep::check_members(spec.scenario, spec.file, corners, base, registry, true);
  }
  // The uncertainty members: one Latin hypercube of `members` draws, the same for every plan.
  const std::size_t members = spec.members;
  std::vector<std::vector<double>> draws(members);
  if (!spec.uncertain.empty()) {
    const sweep::Design design =
        sweep::make_design(sweep::SamplingMethod::lhs, members, spec.uncertain.size(), spec.seed);
    for (std::size_t k = 0; k < members; ++k)
      for (std::size_t i = 0; i < spec.uncertain.size(); ++i)
        draws[k].push_back(spec.uncertain[i].distribution.quantile(design.at(k, i)));
    sweep::MemberInputs uncertain;
    uncertain.uncertain = &spec.uncertain;
    uncertain.base_overrides =
        plan_overrides(spec.decisions, extreme_plans(spec.decisions)[0], base_overrides);
    uncertain.values = draws;
    sweep::check_members(spec.scenario, spec.file, uncertain, base, registry);
  }
  // The metrics the members keep: the objectives', then the constraints' (plan_members checks
  // them and the constraints' years).
  sweep::SweepSpec kept;
  kept.file = spec.file;
  for (const Objective& o : spec.objectives)
    if (std::find(kept.metrics.begin(), kept.metrics.end(), o.metric) == kept.metrics.end()) {
      kept.metrics.push_back(o.metric);
      kept.metric_places.push_back(o.place);
    }
  for (const Constraint& c : spec.constraints) kept.targets.push_back(c.target);
  const int first_year = base.simulation.start_year, years = base.simulation.years;
  sweep::MemberPlan member_plan;
  {
    std::vector<Diagnostic> problems;
    for (const Objective& o : spec.objectives)
      if (o.over == Reduction::year && (o.year < first_year || o.year >= first_year + years))
        problems.push_back(o.place.error(
            "objectives: year " + std::to_string(o.year) + " is not simulated (the scenario runs " +
            std::to_string(first_year) + " to " + std::to_string(first_year + years - 1) + ")"));
    PreparedRun probe = prepare_run(base, registry, nullptr);
    std::vector<FieldInfo> no_maps;
    try {
      member_plan = sweep::plan_members(kept, base, probe, no_maps);
    } catch (const InputError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
    if (!problems.empty()) throw InputError(std::move(problems));
  }
  auto metric_index = [&](const std::string& metric) {
    return static_cast<std::size_t>(std::find(kept.metrics.begin(), kept.metrics.end(), metric) -
                                    kept.metrics.begin());
  };
  const std::size_t n_metrics = kept.metrics.size();

  OptimisationReport report;
  report.ranks = mpi.size();
  report.root = root;
  if (options.check_only) return report;

  const std::string identity =
      sweep::ensemble_identity(spec.resolved_yaml, "", base_overrides, base);
  const std::string identity_text = std::to_string(fingerprint(identity)) + "\n";
  const std::filesystem::path work = options.output / ".minetwin-optimise";
  if (options.resume) {
    std::error_code ec;
    if (!std::filesystem::is_directory(work, ec))
      throw InputError(options.output.string(), 0, 0,
                       "--resume: no journal of an unfinished optimisation here");
    std::ifstream written(work / "identity");
    const std::string found((std::istreambuf_iterator<char>(written)),
                            std::istreambuf_iterator<char>());
    if (found != identity_text)
      throw InputError(options.output.string(), 0, 0,
                       "--resume: the journal belongs to another optimisation (or other --set "
                       "values)");
  } else if (root) {
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
    write_file_atomically(work / "identity", identity_text);
  }
  mpi.barrier();

  // The evaluator: each batch's plans x members through the sweep engine, journalled per batch.
  std::vector<PlanRecord> records;  // root: per distinct plan, in order of evaluation
  std::size_t batch_number = 0;
  double run_seconds = 0;
  const BatchEvaluator evaluate = [&](const std::vector<std::vector<double>>& plans) {
    const auto batch_start = Clock::now();
    sweep::MemberBatch batch;
    batch.scenario = spec.scenario;
    batch.members = plans.size() * members;
    batch.overrides = [&](std::size_t m) {
      std::vector<std::string> all =
          plan_overrides(spec.decisions, plans[m / members], base_overrides);
      for (std::size_t i = 0; i < spec.uncertain.size(); ++i)
        all.push_back(spec.uncertain[i].key + "=" +
                      spec.uncertain[i].distribution.scenario_text(draws[m % members][i]));
      return all;
    };
    batch.plan = &member_plan;
    batch.journal = work / ("batch-" + std::to_string(batch_number));
    std::string batch_identity = identity_text;
    for (const auto& plan : plans)
      for (double v : plan) batch_identity += format_number(v) + ",";
    batch.fingerprint = fingerprint(batch_identity);
    batch.keep_failures = true;
    batch.quiet = true;
    std::vector<PlanRecord> fresh(plans.size());
    for (PlanRecord& r : fresh) {
      r.objectives.assign(spec.objectives.size(), 0.0);
      r.met.assign(spec.constraints.size(), 0.0);
      r.constraint_means.assign(spec.constraints.size(), 0.0);
    }
    const sweep::BatchReport ran =
        sweep::run_member_batch(batch, registry, [&](const sweep::MemberResult& result) {
          PlanRecord& r = fresh[result.index / members];
          if (!result.error.empty()) {
            if (!r.failed && options.log)
              *options.log << "optimise: a run of plan " << records.size() + result.index / members
                           << " failed: " << result.error << "\n";
            r.failed = true;
            return;
          }
          auto value = [&](std::size_t year_index, std::size_t metric) {
            return result.metrics[year_index * n_metrics + metric];
          };
          const double share = 1.0 / static_cast<double>(members);
          for (std::size_t j = 0; j < spec.objectives.size(); ++j) {
            const Objective& o = spec.objectives[j];
            const std::size_t column = metric_index(o.metric);
            double v = 0;
            if (o.over == Reduction::year) {
              v = value(static_cast<std::size_t>(o.year - first_year), column);
            } else {
              v = o.over == Reduction::min   ? std::numeric_limits<double>::infinity()
                  : o.over == Reduction::max ? -std::numeric_limits<double>::infinity()
                                             : 0.0;
              for (std::size_t y = 0; y < static_cast<std::size_t>(years); ++y) {
                const double x = value(y, column);
                v = o.over == Reduction::min   ? std::min(v, x)
                    : o.over == Reduction::max ? std::max(v, x)
                                               : v + x;
              }
              if (o.over == Reduction::mean) v /= years;
            }
            r.objectives[j] += share * v;
          }
          for (std::size_t c = 0; c < spec.constraints.size(); ++c) {
            const sweep::Target& t = spec.constraints[c].target;
            const double v =
                value(static_cast<std::size_t>(t.year - first_year), metric_index(t.metric));
            r.met[c] += t.met_by(v) ? share : 0.0;
            r.constraint_means[c] += share * v;
          }
        });
    report.from_journal += ran.from_journal;
    report.member_runs += batch.members - ran.from_journal;
    report.member_seconds += ran.member_seconds;
    ++batch_number;

    std::vector<PlanScore> scores(plans.size());
    if (root) {
      for (std::size_t p = 0; p < plans.size(); ++p) {
        PlanRecord& r = fresh[p];
        PlanScore& s = r.score;
        for (std::size_t j = 0; j < spec.objectives.size(); ++j)
          s.objectives.push_back(
              r.failed ? 0.0 : (spec.objectives[j].maximise ? -r.objectives[j] : r.objectives[j]));
        // Violation: per unmet constraint, the missing share of members, weighted up by how
        // far the failing members' mean lies from the bound (relative to it, or to 1 when the
        // bound is 0), so the search is led towards feasibility (docs/optimisation.md).
        for (std::size_t c = 0; c < spec.constraints.size() && !r.failed; ++c) {
          const Constraint& constraint = spec.constraints[c];
          const double missing = constraint.probability - r.met[c];
          if (missing <= 1e-12) continue;
          const double scale = std::max(std::abs(constraint.target.value), 1.0);
          s.violation +=
              missing * (1.0 + std::abs(r.constraint_means[c] - constraint.target.value) / scale);
        }
        if (r.failed) s.violation = kFailedViolation;
        scores[p] = s;
        records.push_back(r);
      }
      for (int rank = 1; rank < mpi.size(); ++rank) mpi.send(encode_scores(scores), rank);
      mpi.finish_sends();
    } else {
      scores = decode_scores(mpi.receive(0), spec.objectives.size());
    }
    run_seconds += std::chrono::duration<double>(Clock::now() - batch_start).count();
    if (root && options.log && !options.quiet) {
      std::size_t feasible = 0;
      for (const PlanRecord& r : records) feasible += r.score.feasible();
      *options.log << "optimise: batch " << batch_number << ": " << plans.size() << " new plans ("
                   << records.size() << " in all, " << feasible << " feasible)\n";
    }
    return scores;
  };

  SearchSettings settings;
  settings.algorithm = spec.algorithm;
  settings.objectives = spec.objectives.size();
  settings.generations = spec.generations;
  settings.population = spec.population;
  settings.seed = spec.seed;
  SearchResult result;
  const auto search_start = Clock::now();
  sweep::on_every_rank([&] {
    result = search_plans(spec.decisions, settings, evaluate);
    report.search_seconds =
        std::chrono::duration<double>(Clock::now() - search_start).count() - run_seconds;
  });
  report.plans = result.plans.size();
  report.requests = result.requests;

  if (root) {
    const std::vector<std::size_t> front = pareto_front(result.scores);
    std::vector<bool> on_front(result.plans.size(), false);
    for (std::size_t p : front) on_front[p] = true;
    for (const PlanScore& s : result.scores) report.feasible += s.feasible();
    report.front = front.size();

    auto header = [&](std::ostringstream& out, const std::string& first) {
      out << first;
      for (const Decision& d : spec.decisions) out << "," << d.key;
      for (const Objective& o : spec.objectives) out << "," << o.name;
      for (const Constraint& c : spec.constraints) out << "," << constraint_label(c);
      out << ",violation,feasible";
    };
    auto row = [&](std::ostringstream& out, std::size_t p) {
      const PlanRecord& r = records[p];
      for (std::size_t i = 0; i < spec.decisions.size(); ++i) {
        const std::string text = spec.decisions[i].scenario_text(result.plans[p][i]);
        // A choice's YAML text may hold commas (a flow list): quoted for the CSV.
        out << "," << (text.find(',') == std::string::npos ? text : "\"" + text + "\"");
      }
      for (double v : r.objectives) out << "," << (r.failed ? "" : csv_number(v));
      for (double v : r.met) out << "," << (r.failed ? "" : csv_number(v));
      out << "," << csv_number(r.score.violation) << "," << (r.score.feasible() ? 1 : 0);
    };
    std::ostringstream evaluations;
    header(evaluations, "plan,batch,status");
    evaluations << ",pareto\n";
    for (std::size_t p = 0; p < result.plans.size(); ++p) {
      evaluations << p << "," << result.batch_of[p] << "," << (records[p].failed ? "failed" : "ok");
      row(evaluations, p);
      evaluations << "," << (on_front[p] ? 1 : 0) << "\n";
    }

    // pareto.csv: the front by its first objective, each plan's runnable scenario, and for two
    // or more objectives the marginal rate between neighbours: how much of the first objective
    // one unit of the second costs, moving from the previous plan to this one.
    const bool two = spec.objectives.size() >= 2;
    std::ostringstream pareto;
    header(pareto, "plan");
    if (two)
      pareto << ",marginal_" << spec.objectives[0].name << "_per_" << spec.objectives[1].name;
    pareto << ",scenario\n";
    std::filesystem::create_directories(options.output);
    const std::filesystem::path best = options.output / "best";
    std::filesystem::remove_all(best);
    std::filesystem::create_directories(best);
    for (std::size_t k = 0; k < front.size(); ++k) {
      const std::size_t p = front[k];
      pareto << p;
      row(pareto, p);
      if (two) {
        double marginal = std::numeric_limits<double>::quiet_NaN();
        if (k > 0) {
          const std::vector<double>& a = result.scores[front[k - 1]].objectives;
          const std::vector<double>& b = result.scores[p].objectives;
          if (a[1] != b[1]) marginal = std::abs((b[0] - a[0]) / (a[1] - b[1]));
        }
        pareto << "," << csv_number(marginal);
      }
      const std::string name = "plan-" + std::to_string(p) + ".yaml";
      pareto << ",best/" << name << "\n";
      const Scenario plan_scenario = load_scenario(
          spec.scenario, plan_overrides(spec.decisions, result.plans[p], base_overrides), registry);
      write_file_atomically(
          best / name, "# Plan " + std::to_string(p) + " of the Pareto front found by MineTwin " +
                           std::string(program_version()) + " from " + spec.file.string() +
                           " (the base scenario with the plan's decisions written in; uncertain "
                           "inputs at the base scenario's values). Run it with\n#   minetwin run " +
                           name + " -o OUT\n" + plan_scenario.resolved_yaml);
    }
    if (front.empty()) {
      // No plan meets the constraints: the least violating ones, for the planner to see what
      // stands in the way.
      std::vector<std::size_t> order(result.plans.size());
      for (std::size_t p = 0; p < order.size(); ++p) order[p] = p;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return result.scores[a].violation < result.scores[b].violation;
      });
      std::ostringstream least;
      header(least, "plan");
      least << "\n";
      for (std::size_t k = 0; k < std::min<std::size_t>(10, order.size()); ++k) {
        least << order[k];
        row(least, order[k]);
        least << "\n";
      }
      write_file_atomically(options.output / "least_violating.csv", least.str());
      if (options.log)
        *options.log << "optimise: no plan meets every constraint (" << result.plans.size()
                     << " evaluated); the least violating are in least_violating.csv\n";
    } else {
      std::filesystem::remove(options.output / "least_violating.csv");
    }
    if (!spec.uncertain.empty()) {
      // members.csv: the uncertainty draws every plan ran under (a plan's member k: these
      // values with --set, and the plan's decisions).
      std::ostringstream draws_csv;
      draws_csv << "member";
      for (const auto& input : spec.uncertain) draws_csv << "," << input.key;
      draws_csv << "\n";
      for (std::size_t k = 0; k < members; ++k) {
        draws_csv << k;
        for (std::size_t i = 0; i < spec.uncertain.size(); ++i)
          draws_csv << "," << spec.uncertain[i].distribution.scenario_text(draws[k][i]);
        draws_csv << "\n";
      }
      write_file_atomically(options.output / "members.csv", draws_csv.str());
    }
    write_file_atomically(options.output / "evaluations.csv", evaluations.str());
    write_file_atomically(options.output / "optimisation.yaml",
                          sweep::resolved_file_text("optimisation", "", spec.resolved_yaml));
    // Last: the file that says the optimisation finished.
    write_file_atomically(options.output / "pareto.csv", pareto.str());
  }
  mpi.barrier();
  if (root) std::filesystem::remove_all(work);
  report.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace minetwin::optimisation
