#include "engine/calibration/calibration_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <tbb/global_control.h>
#include <boost/math/distributions/normal.hpp>

#include "engine/calibration/es_mda.hpp"
#include "engine/calibration/filtered_forecast.hpp"
#include "engine/calibration/observations.hpp"
#include "engine/core/random.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/prepared_run.hpp"
#include "engine/run/runner.hpp"
#include "engine/sweep/ensemble_command.hpp"
#include "engine/sweep/journal.hpp"
#include "engine/sweep/mpi_context.hpp"
#include "engine/sweep/sampling.hpp"
#include "engine/sweep/statistics.hpp"
#include "engine/sweep/sweep_outputs.hpp"
#include "engine/sweep/sweep_runner.hpp"

namespace minetwin::calibration {
namespace {

using Clock = std::chrono::steady_clock;
using sweep::Distribution;

// The ensemble smoother assumes Gaussian parameters; each parameter is updated as its normal
// score z = Phi^-1(F(x)) under its prior F (Gaussian anamorphosis, e.g. Zhou et al. 2011,
// Adv. Water Resour. 34:844), so the prior in z is N(0, 1) and any update maps back inside the
// prior's support: x = F^-1(Phi(z)). A normal prior makes the transform linear.
double value_of_score(const Distribution& prior, double z) {
  static const boost::math::normal_distribution<> standard;
  return prior.quantile(boost::math::cdf(standard, z));
}

double score_of_uniform(double u) {
  static const boost::math::normal_distribution<> standard;
  return boost::math::quantile(standard, std::clamp(u, 1e-12, 1.0 - 1e-12));
}

// An ensemble's normal scores and which of the original members they are.
struct Ensemble {
  std::vector<std::size_t> ids;  ///< the original member numbers (keys of their random draws)
  EnsembleMatrix scores;         ///< parameters x members

  std::string encode() const {
    std::string bytes;
    const std::uint64_t n = ids.size(), rows = scores.rows;
    bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
    bytes.append(reinterpret_cast<const char*>(&rows), sizeof rows);
    for (std::size_t id : ids) {
      const std::uint64_t v = id;
      bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    bytes.append(reinterpret_cast<const char*>(scores.values.data()),
                 scores.values.size() * sizeof(double));
    return bytes;
  }
  static Ensemble decode(const std::string& bytes) {
    Ensemble e;
    std::uint64_t n = 0, rows = 0;
    std::size_t at = 0;
    auto take = [&](void* to, std::size_t size) {
      if (at + size > bytes.size()) throw std::runtime_error("calibrate: a truncated ensemble");
      if (size > 0) std::memcpy(to, bytes.data() + at, size);
      at += size;
    };
    take(&n, sizeof n);
    take(&rows, sizeof rows);
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint64_t v = 0;
      take(&v, sizeof v);
      e.ids.push_back(static_cast<std::size_t>(v));
    }
    e.scores = EnsembleMatrix(static_cast<std::size_t>(rows), static_cast<std::size_t>(n));
    take(e.scores.values.data(), e.scores.values.size() * sizeof(double));
    return e;
  }
};

std::vector<std::vector<double>> values_of(const Ensemble& e,
                                           const std::vector<sweep::UncertainInput>& priors) {
  std::vector<std::vector<double>> values(e.ids.size());
  for (std::size_t j = 0; j < e.ids.size(); ++j)
    for (std::size_t i = 0; i < priors.size(); ++i)
      values[j].push_back(value_of_score(priors[i].distribution, e.scores.at(i, j)));
  return values;
}

void moments_of_row(const EnsembleMatrix& m, std::size_t row, double& mean, double& sd) {
  mean = 0;
  for (std::size_t j = 0; j < m.members; ++j) mean += m.at(row, j);
  mean /= static_cast<double>(m.members);
  double ss = 0;
  for (std::size_t j = 0; j < m.members; ++j) ss += (m.at(row, j) - mean) * (m.at(row, j) - mean);
  sd = std::sqrt(ss / static_cast<double>(m.members > 1 ? m.members - 1 : 1));
}

struct GroupFit {
  std::size_t data = 0;
  double rmse = 0, bias = 0, coverage = 0, misfit = 0;
};

// The fit of an ensemble's predictions to one group's data (or every datum: group npos).
// Predictive interval: the ensemble mean +- 1.645 sqrt(ensemble variance + sd^2) (Gaussian).
GroupFit fit_of(const Observations& obs, const EnsembleMatrix& predicted, std::size_t group) {
  GroupFit fit;
  const std::size_t members = predicted.members;
  double squared = 0, bias = 0, inside = 0, misfit = 0;
  for (std::size_t i = 0; i < obs.data.size(); ++i) {
    const Datum& d = obs.data[i];
    if (group != static_cast<std::size_t>(-1) && d.group != group) continue;
    double mean = 0, sd = 0, normalised = 0;
    moments_of_row(predicted, i, mean, sd);
    for (std::size_t j = 0; j < members; ++j)
      normalised += std::pow((predicted.at(i, j) - d.value) / d.sd, 2);
    const double variance = sd * sd;
    squared += (mean - d.value) * (mean - d.value);
    bias += mean - d.value;
    inside += std::abs(d.value - mean) <= 1.6448536269514722 * std::sqrt(variance + d.sd * d.sd);
    misfit += normalised / static_cast<double>(members);
    ++fit.data;
  }
  if (fit.data == 0) return fit;
  const double n = static_cast<double>(fit.data);
  fit.rmse = std::sqrt(squared / n);
  fit.bias = bias / n;
  fit.coverage = inside / n;
  fit.misfit = misfit / n;
  return fit;
}

const char* kind_name(ObservationKind kind) {
  switch (kind) {
    case ObservationKind::points:
      return "points";
    case ObservationKind::raster:
      return "raster";
    case ObservationKind::series:
      return "series";
  }
  return "?";
}

std::string csv_number(double v) {
  return std::isfinite(v) ? format_number(v) : "";
}

// observations.csv: every datum, observed against the prior and posterior ensembles, with its
// normalised misfit ((posterior mean - observed) / sd)^2.
std::string observations_csv(const Observations& observations, const sweep::MemberPlan& plan,
                             const std::vector<std::string>& metrics, const EnsembleMatrix& prior,
                             const EnsembleMatrix& posterior) {
  std::ostringstream out;
  out << "group,kind,year,observes,x,y,observed,sd,prior_mean,prior_sd,posterior_mean,"
         "posterior_sd,misfit\n";
  for (std::size_t i = 0; i < observations.data.size(); ++i) {
    const Datum& d = observations.data[i];
    out << observations.groups[d.group].name << "," << kind_name(observations.groups[d.group].kind)
        << "," << d.year << ",";
    if (d.is_metric) {
      out << metrics[d.metric_index] << ",,";
    } else {
      const sweep::MemberPlan::Probe& probe = plan.probes[d.probe_index];
      out << probe.field << (probe.layer < 0 ? "" : "[" + std::to_string(probe.layer) + "]") << ","
          << format_number(d.x) << "," << format_number(d.y);
    }
    double prior_mean = 0, prior_sd = 0, mean = 0, sd = 0;
    moments_of_row(prior, i, prior_mean, prior_sd);
    moments_of_row(posterior, i, mean, sd);
    out << "," << format_number(d.value) << "," << format_number(d.sd) << ","
        << csv_number(prior_mean) << "," << csv_number(prior_sd) << "," << csv_number(mean) << ","
        << csv_number(sd) << "," << csv_number(std::pow((mean - d.value) / d.sd, 2)) << "\n";
  }
  return out.str();
}

}  // namespace

CalibrationReport run_calibration(const CalibrationSpec& spec, const ModelRegistry& registry,
                                  const CalibrationOptions& options) {
  const auto start = Clock::now();
  sweep::MpiContext& mpi = sweep::MpiContext::instance();
  const bool root = mpi.rank() == 0;
  const std::shared_ptr<void> thread_limit = sweep::limit_threads(options.threads);

  // Everything is checked before any member runs and before the output folder is touched.
  std::vector<std::string> base_overrides = spec.overrides;
  base_overrides.insert(base_overrides.end(), options.overrides.begin(), options.overrides.end());
  const Scenario base = load_scenario(spec.scenario, base_overrides, registry);
  const std::size_t n_parameters = spec.parameters.size(), n_members = spec.ensemble;
  const sweep::Design design =
      sweep::make_design(sweep::SamplingMethod::lhs, n_members, n_parameters, spec.seed);
  Ensemble ensemble;
  ensemble.scores = EnsembleMatrix(n_parameters, n_members);
  for (std::size_t j = 0; j < n_members; ++j) {
    ensemble.ids.push_back(j);
    for (std::size_t i = 0; i < n_parameters; ++i)
      ensemble.scores.at(i, j) = score_of_uniform(design.at(j, i));
  }
  sweep::MemberInputs prior_inputs;
  prior_inputs.uncertain = &spec.parameters;
  prior_inputs.base_overrides = base_overrides;
  prior_inputs.values = values_of(ensemble, spec.parameters);
  sweep::check_members(spec.scenario, spec.file, prior_inputs, base, registry);

  // The forecast is a sweep of the posterior ensemble: its metrics, maps and targets.
  sweep::SweepSpec forecast;
  forecast.file = spec.file;
  forecast.scenario = spec.scenario;
  forecast.samples = n_members;
  forecast.seed = spec.seed;
  forecast.uncertain = spec.parameters;
  forecast.metrics = spec.metrics;
  forecast.metric_places = spec.metric_places;
  forecast.maps = spec.maps;
  forecast.targets = spec.targets;
  forecast.resolved_yaml = spec.resolved_yaml;
  std::vector<FieldInfo> map_fields;
  GridGeometry geometry;
  RasterGrid grid;
  std::map<std::string, std::string> field_units;
  sweep::MemberPlan plan;
  Observations observations;
  {
    PreparedRun probe = prepare_run(base, registry, nullptr);
    auto probe_state_info = [&](const std::string& field) {
      return probe.state().at(field).info();
    };
    plan = sweep::plan_members(forecast, base, probe, map_fields);
    const std::vector<std::string> columns = probe.simulation->summary_columns();
    observations = load_observations(spec, base.simulation.start_year, base.simulation.years,
                                     probe.state(), columns, plan, forecast.metrics);
    // Every observed field is mapped in the forecast (its posterior mean, sd and bands).
    for (const auto& observed_cell : plan.probes) {
      const std::string name =
          observed_cell.field +
          (observed_cell.layer < 0 ? "" : "[" + std::to_string(observed_cell.layer) + "]");
      if (std::any_of(forecast.maps.begin(), forecast.maps.end(),
                      [&](const sweep::MapSpec& m) { return m.name == name; }))
        continue;
      sweep::MapSpec map;
      map.name = name;
      map.field = observed_cell.field;
      map.layer = observed_cell.layer;
      forecast.maps.push_back(map);
      plan.maps.push_back({observed_cell.field, observed_cell.layer});
      map_fields.push_back(probe_state_info(observed_cell.field));
    }
    plan.metric_columns.clear();
    for (const auto& metric : forecast.metrics)
      plan.metric_columns.push_back(static_cast<std::size_t>(
          std::find(columns.begin(), columns.end(), metric) - columns.begin()));
    geometry = probe.state().grid().geometry();
    grid = probe.state().grid();
    for (const auto& observed_cell : plan.probes)
      field_units[observed_cell.field] = probe_state_info(observed_cell.field).units;
  }
  if (spec.state_update && analysis_years(observations).empty())
    throw InputError({spec.state_update_place.error(
        "state_update: true needs observations of state fields (points or rasters); a "
        "calibration to summary series alone has no state to update")});
  CalibrationReport report;
  report.members = n_members;
  report.data = observations.data.size();
  report.ranks = mpi.size();
  report.root = root;
  if (options.check_only) return report;

  const std::string identity =
      sweep::ensemble_identity(spec.resolved_yaml, "", base_overrides, base);
  const std::uint64_t calibration_fingerprint = fingerprint(identity);
  const std::filesystem::path work = options.output / ".minetwin-calibrate";
  if (options.resume) {
    std::error_code ec;
    if (!std::filesystem::is_directory(work, ec))
      throw InputError(options.output.string(), 0, 0,
                       "--resume: no journal of an unfinished calibration here");
    if (sweep::holds_other_journal(work / "iteration-0", calibration_fingerprint))
      throw InputError(options.output.string(), 0, 0,
                       "--resume: the journal belongs to another calibration (or other --set "
                       "values)");
  } else if (root) {
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
  }
  mpi.barrier();

  const std::vector<double> observed = observations.values(), sds = observations.sds();
  const std::vector<double> inflation = es_mda_inflation(spec.iterations);
  // The data the smoother assimilates (sources with assimilate: both or parameters); without
  // any, the parameters keep their prior and only the forecast runs (a state update alone).
  std::vector<std::size_t> parameter_data;
  std::vector<double> parameter_observed, parameter_sds;
  for (std::size_t i = 0; i < observations.data.size(); ++i)
    if (observations.groups[observations.data[i].group].for_parameters) {
      parameter_data.push_back(i);
      parameter_observed.push_back(observed[i]);
      parameter_sds.push_back(sds[i]);
    }
  const std::size_t first_iteration = parameter_data.empty() ? spec.iterations : 0;
  // The assimilations' members stop at the last year an observation needs (a run's first years
  // do not depend on its length: engine/site/climate.cpp); only the forecast runs to the end.
  int assimilation_years = 1;
  for (const Datum& d : observations.data)
    assimilation_years =
        std::max(assimilation_years, d.year - base.simulation.start_year + (d.is_metric ? 1 : 0));
  std::vector<std::string> assimilation_overrides = base_overrides;
  sweep::MemberPlan assimilation_plan = plan;
  assimilation_plan.maps.clear();  // maps are the forecast's
  if (assimilation_years < base.simulation.years)
    assimilation_overrides.push_back("simulation.years=" + std::to_string(assimilation_years));
  std::ostringstream ensemble_csv, fit_csv;
  ensemble_csv << "iteration,member,status";
  for (const auto& p : spec.parameters) ensemble_csv << "," << p.key;
  ensemble_csv << "\n";
  fit_csv << "iteration,group,kind,observations,rmse,bias,coverage_90,misfit_per_datum\n";
  EnsembleMatrix prior_predicted, posterior_predicted;  // the first and last ensembles'
  std::vector<sweep::MemberResult> forecast_results;    // the posterior members that ran
  std::vector<std::vector<double>> forecast_inputs;     // and their parameters
  FilterResult filtered;                                // the forecast's state updates

  sweep::on_every_rank([&] {
    for (std::size_t iteration = first_iteration; iteration <= spec.iterations; ++iteration) {
      const bool forecast_run = iteration == spec.iterations;
      sweep::MemberInputs inputs;
      inputs.uncertain = &spec.parameters;
      inputs.base_overrides = forecast_run ? base_overrides : assimilation_overrides;
      inputs.values = values_of(ensemble, spec.parameters);
      const std::size_t members = ensemble.ids.size();
      sweep::MemberBatch batch;
      batch.scenario = spec.scenario;
      batch.members = members;
      batch.overrides = [&inputs](std::size_t m) { return inputs.overrides(m); };
      batch.plan = forecast_run ? &plan : &assimilation_plan;
      batch.journal = work / ("iteration-" + std::to_string(iteration));
      batch.fingerprint =
          iteration == 0 ? calibration_fingerprint : fingerprint(identity + ensemble.encode());
      batch.keep_failures = true;
      batch.quiet = options.quiet;
      EnsembleMatrix predicted(observed.size(), members);
      std::vector<std::size_t> kept;  // members that ran
      std::vector<std::string> status(members, "ok");
      auto add_result = [&](const sweep::MemberResult& result) {
        if (!result.error.empty()) {
          status[result.index] = "failed";
          if (options.log)
            *options.log << "calibrate: member " << ensemble.ids[result.index] << " of iteration "
                         << iteration << " failed: " << result.error << "\n";
          return;
        }
        const std::vector<double> g =
            simulated_data(observations, *batch.plan, result, base.simulation.start_year);
        for (std::size_t i = 0; i < g.size(); ++i) predicted.at(i, kept.size()) = g[i];
        kept.push_back(result.index);
        if (forecast_run) {
          forecast_results.push_back(result);
          forecast_results.back().index = kept.size() - 1;
          forecast_inputs.push_back(inputs.values[result.index]);
        }
      };
      if (forecast_run && spec.state_update) {
        // The posterior forecast as a filter: members run from analysis to analysis.
        FilterSetup setup;
        setup.spec = &spec;
        setup.observations = &observations;
        setup.plan = &plan;
        setup.grid = &grid;
        setup.units = [&](const std::string& field) { return field_units.at(field); };
        setup.start_year = base.simulation.start_year;
        setup.years = base.simulation.years;
        setup.ids = ensemble.ids;
        setup.overrides = batch.overrides;
        setup.work = work;
        setup.identity = identity + ensemble.encode();
        setup.quiet = options.quiet;
        setup.log = options.log;
        filtered = run_filtered_forecast(setup, registry);
        if (root)
          for (const auto& result : filtered.members) add_result(result);
        report.from_journal += filtered.from_journal;
        report.runs += filtered.runs;
        report.member_seconds += filtered.member_seconds;
      } else {
        const sweep::BatchReport ran = sweep::run_member_batch(batch, registry, add_result);
        report.from_journal += ran.from_journal;
        report.runs += members - ran.from_journal;
        report.member_seconds += ran.member_seconds;
      }

      if (root) {
        report.failed += members - kept.size();
        for (std::size_t j = 0; j < members; ++j) {
          ensemble_csv << iteration << "," << ensemble.ids[j] << "," << status[j];
          for (double v : inputs.values[j]) ensemble_csv << "," << format_number(v);
          ensemble_csv << "\n";
        }
        // A member that fails is left out; the analysis goes on only with 80 % of them.
        if (static_cast<double>(kept.size()) < 0.8 * static_cast<double>(members))
          throw std::runtime_error("calibrate: " + std::to_string(members - kept.size()) + " of " +
                                   std::to_string(members) + " members of iteration " +
                                   std::to_string(iteration) +
                                   " failed (more than 20 %); see the messages above");
        predicted.members = kept.size();
        predicted.values.resize(observed.size() * kept.size());
        if (iteration == first_iteration) prior_predicted = predicted;
        if (forecast_run) posterior_predicted = predicted;
        for (std::size_t g = 0; g <= observations.groups.size(); ++g) {
          const bool all = g == observations.groups.size();
          const GroupFit fit =
              fit_of(observations, predicted, all ? static_cast<std::size_t>(-1) : g);
          fit_csv << iteration << "," << (all ? "all" : observations.groups[g].name) << ","
                  << (all ? "all" : kind_name(observations.groups[g].kind)) << "," << fit.data
                  << "," << csv_number(fit.rmse) << "," << csv_number(fit.bias) << ","
                  << csv_number(fit.coverage) << "," << csv_number(fit.misfit) << "\n";
          if (all && options.log && !options.quiet)
            *options.log << "calibrate: "
                         << (iteration == 0 && !forecast_run ? std::string("prior")
                             : forecast_run                  ? std::string("posterior")
                                            : "after assimilation " + std::to_string(iteration))
                         << ": misfit per datum " << std::setprecision(4) << fit.misfit << ", RMSE "
                         << fit.rmse << ", inside the 90 % interval " << fit.coverage << "\n";
        }
      }
      if (forecast_run) break;

      // The analysis (root), handed to every rank.
      Ensemble next;
      if (root) {
        Ensemble ok;
        ok.scores = EnsembleMatrix(n_parameters, kept.size());
        // The smoother's data: those of the sources that inform the parameters.
        EnsembleMatrix noise(parameter_data.size(), kept.size());
        EnsembleMatrix predicted_data(parameter_data.size(), kept.size());
        for (std::size_t k = 0; k < kept.size(); ++k) {
          const std::size_t j = kept[k];
          ok.ids.push_back(ensemble.ids[j]);
          for (std::size_t i = 0; i < n_parameters; ++i)
            ok.scores.at(i, k) = ensemble.scores.at(i, j);
          for (std::size_t r = 0; r < parameter_data.size(); ++r) {
            const std::size_t i = parameter_data[r];
            noise.at(r, k) = random_normal(
                {spec.seed, ensemble.ids[j], static_cast<std::uint64_t>(iteration), i, 0x0B5E});
            predicted_data.at(r, k) = predicted.at(i, k);
          }
        }
        next.ids = ok.ids;
        next.scores = es_mda_update(ok.scores, predicted_data, parameter_observed, parameter_sds,
                                    inflation[iteration], noise);
        for (int r = 1; r < mpi.size(); ++r) mpi.send(next.encode(), r);
        mpi.finish_sends();
      } else {
        next = Ensemble::decode(mpi.receive(0));
      }
      ensemble = std::move(next);
    }
  });

  if (root) {
    // parameters.csv: the prior (its design) against the posterior ensemble.
    std::ostringstream parameters_csv;
    parameters_csv << "parameter,prior_mean,prior_sd,prior_p5,prior_p50,prior_p95,"
                      "posterior_mean,posterior_sd,posterior_p5,posterior_p50,posterior_p95,"
                      "sd_ratio\n";
    std::vector<std::string> calibrated_overrides = base_overrides;
    const std::vector<std::vector<double>> posterior_values = values_of(ensemble, spec.parameters);
    for (std::size_t i = 0; i < n_parameters; ++i) {
      std::vector<double> prior, posterior;
      for (const auto& member : prior_inputs.values) prior.push_back(member[i]);
      for (const auto& member : posterior_values) posterior.push_back(member[i]);
      const sweep::Moments a = sweep::describe(prior), b = sweep::describe(posterior);
      parameters_csv << spec.parameters[i].key << "," << csv_number(a.mean) << ","
                     << csv_number(a.sd) << "," << csv_number(a.p5) << "," << csv_number(a.p50)
                     << "," << csv_number(a.p95) << "," << csv_number(b.mean) << ","
                     << csv_number(b.sd) << "," << csv_number(b.p5) << "," << csv_number(b.p50)
                     << "," << csv_number(b.p95) << "," << csv_number(b.sd / a.sd) << "\n";
      calibrated_overrides.push_back(spec.parameters[i].key + "=" + format_number(b.mean));
    }
    const Scenario calibrated = load_scenario(spec.scenario, calibrated_overrides, registry);
    std::filesystem::create_directories(options.output);
    const std::filesystem::path staging = work / "forecast";
    std::filesystem::create_directories(staging);
    sweep::SweepLayout layout;
    layout.spec = &forecast;
    layout.inputs = forecast_inputs;
    layout.start_year = base.simulation.start_year;
    layout.years = base.simulation.years;
    layout.geometry = geometry;
    layout.scenario_name = base.name;
    layout.map_fields = map_fields;
    sweep::SweepAccumulator accumulator(std::move(layout));
    for (const auto& result : forecast_results) accumulator.add(result);
    accumulator.write(staging);
    for (const char* name : {"stats.csv", "members.csv", "targets.csv", "sensitivity.csv"})
      std::filesystem::rename(staging / name, options.output / ("posterior_" + std::string(name)));
    if (!forecast.maps.empty())
      std::filesystem::rename(staging / "maps.nc", options.output / "maps.nc");
    write_file_atomically(options.output / "ensemble.csv", ensemble_csv.str());
    write_file_atomically(options.output / "observations.csv",
                          observations_csv(observations, plan, forecast.metrics, prior_predicted,
                                           posterior_predicted));
    write_file_atomically(options.output / "fit.csv", fit_csv.str());
    if (spec.state_update) {
      // The analysed members' checkpoints: minetwin run --resume forecasts from them.
      std::filesystem::remove_all(options.output / "analysis");
      std::filesystem::rename(filtered.kept, options.output / "analysis");
      write_file_atomically(options.output / "analysis.csv", filtered.analysis_csv);
    }
    write_file_atomically(
        options.output / "calibrated.yaml",
        "# The base scenario with the posterior means of the calibrated parameters written in\n"
        "# (every default filled in), by MineTwin " +
            std::string(program_version()) + " from " + spec.file.string() +
            ". Run it with\n#   minetwin run calibrated.yaml -o OUT\n" + calibrated.resolved_yaml);
    write_file_atomically(options.output / "calibration.yaml",
                          sweep::resolved_file_text("calibration", "", spec.resolved_yaml));
    // Last: the file that says the calibration finished.
    write_file_atomically(options.output / "parameters.csv", parameters_csv.str());
  }
  mpi.barrier();
  if (root) std::filesystem::remove_all(work);
  report.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace minetwin::calibration
