#include "engine/sweep/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "engine/io/atomic_file.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/prepared_run.hpp"
#include "engine/run/progress.hpp"
#include "engine/run/runner.hpp"
#include "engine/sweep/ensemble_command.hpp"
#include "engine/sweep/journal.hpp"
#include "engine/sweep/member.hpp"
#include "engine/sweep/mpi_context.hpp"
#include "engine/sweep/sweep_outputs.hpp"

namespace minetwin::sweep {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::vector<std::string> MemberInputs::overrides(std::size_t member) const {
  std::vector<std::string> all = base_overrides;
  for (std::size_t i = 0; i < uncertain->size(); ++i) {
    const UncertainInput& input = (*uncertain)[i];
    all.push_back(input.key + "=" + input.distribution.scenario_text(values[member][i]));
  }
  return all;
}

void check_members(const std::filesystem::path& scenario, const std::filesystem::path& file,
                   const MemberInputs& inputs, const Scenario& base, const ModelRegistry& registry,
                   bool decisions) {
  for (std::size_t m = 0; m < inputs.values.size(); ++m) {
    std::vector<Diagnostic> problems;
    try {
      const Scenario s = load_scenario(scenario, inputs.overrides(m), registry);
      if (s.simulation.years != base.simulation.years ||
          s.simulation.start_year != base.simulation.start_year)
        problems.push_back({file.string(), 0, 0,
                            "simulation.start_year and simulation.years cannot be uncertain: "
                            "every member must simulate the same years"});
    } catch (const InputError& e) {
      for (const Diagnostic& d : e.diagnostics()) {
        const UncertainInput* culprit = nullptr;
        // The scenario loader names a --set by its key (schema checks) or by the whole
        // assignment (a path that does not exist); both are the uncertain input's.
        for (const auto& input : *inputs.uncertain)
          if (d.file == "<command line --set " + input.key + ">" ||
              d.file.starts_with("<command line --set " + input.key + "="))
            culprit = &input;
        if (!culprit) {
          problems.push_back(d);
          continue;
        }
        const std::size_t i = static_cast<std::size_t>(culprit - inputs.uncertain->data());
        const std::string value = culprit->distribution.scenario_text(inputs.values[m][i]);
        problems.push_back(culprit->place.error(
            decisions ? "decision '" + culprit->key + "' (its value " + value + "): " + d.message
                      : "uncertain '" + culprit->key + "' (member " + std::to_string(m) + " drew " +
                            value + "): " + d.message));
      }
    }
    if (!problems.empty()) throw InputError(std::move(problems));
  }
}

std::string check_grid_field(const State& state, const std::string& field, int layer) {
  if (!state.contains(field) || !on_grid(state.at(field).info().location)) {
    std::vector<std::string> names;
    for (const auto& name : state.names())
      if (on_grid(state.at(name).info().location)) names.push_back(name);
    const std::string hint = closest_match(field, names);
    return "no cell or layer field named '" + field + "' in this run" +
           (hint.empty() ? "" : "; did you mean '" + hint + "'?");
  }
  const FieldInfo& info = state.at(field).info();
  if (info.location == Location::layer &&
      (layer < 0 || static_cast<std::size_t>(layer) >= state.soil_layers()))
    return "'" + field + "' is a layer field: name a layer from 0 to " +
           std::to_string(state.soil_layers() - 1) + ", e.g. '" + field + "[0]'";
  if (info.location == Location::cell && layer >= 0)
    return "'" + field + "' is a cell field: it has no layers";
  return "";
}

MemberPlan plan_members(SweepSpec& spec, const Scenario& base, PreparedRun& probe,
                        std::vector<FieldInfo>& map_fields) {
  std::vector<Diagnostic> problems;
  const std::vector<std::string> columns = probe.simulation->summary_columns();
  MemberPlan plan;
  auto column_of = [&](const std::string& metric) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), metric) -
                                    columns.begin());
  };
  auto unknown_metric = [&](const SourcePlace& place, const std::string& what,
                            const std::string& metric) {
    const std::string hint = closest_match(metric, columns);
    problems.push_back(place.error(what + ": '" + metric + "' is not a summary.csv column of " +
                                   "this scenario" +
                                   (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
  };
  for (std::size_t i = 0; i < spec.metrics.size(); ++i) {
    if (column_of(spec.metrics[i]) == columns.size())
      unknown_metric(spec.metric_places[i], "metrics", spec.metrics[i]);
  }
  const int first = base.simulation.start_year,
            last = base.simulation.start_year + base.simulation.years - 1;
  for (const Target& t : spec.targets) {
    if (column_of(t.metric) == columns.size()) {
      unknown_metric(t.place, "targets", t.metric);
    } else if (std::find(spec.metrics.begin(), spec.metrics.end(), t.metric) ==
               spec.metrics.end()) {
      spec.metrics.push_back(t.metric);  // a target's metric is described like the others
      spec.metric_places.push_back(t.place);
    }
    if (t.year < first || t.year > last)
      problems.push_back(t.place.error(
          "targets: year " + std::to_string(t.year) + " is not simulated (the scenario runs " +
          std::to_string(first) + " to " + std::to_string(last) + ")"));
  }
  for (const auto& metric : spec.metrics) plan.metric_columns.push_back(column_of(metric));

  const State& state = probe.state();
  for (const MapSpec& map : spec.maps) {
    if (const std::string problem = check_grid_field(state, map.field, map.layer);
        !problem.empty()) {
      problems.push_back(map.place.error("maps: " + problem));
      continue;
    }
    const FieldInfo& info = state.at(map.field).info();
    plan.maps.push_back({map.field, map.layer});
    map_fields.push_back(info);
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return plan;
}

namespace {

std::size_t index_of_record(const std::string& bytes) {
  return decode(bytes).index;
}

[[noreturn]] void rethrow_member_failure(const MemberResult& result) {
  const std::string where = "sweep member " + std::to_string(result.index);
  if (result.input_error) throw InputError(where, 0, 0, result.error);
  throw std::runtime_error(where + ": " + result.error);
}

}  // namespace

BatchReport run_member_batch(const MemberBatch& batch, const ModelRegistry& registry,
                             const std::function<void(const MemberResult&)>& add_result) {
  MpiContext& mpi = MpiContext::instance();
  const bool root = mpi.rank() == 0;
  const std::size_t members = batch.members;
  std::filesystem::create_directories(batch.journal);
  mpi.barrier();
  const std::map<std::size_t, JournalPlace> journalled =
      scan_journals(batch.journal, batch.fingerprint, &index_of_record);
  mpi.barrier();  // every rank has the same list before any journal grows
  JournalWriter journal(batch.journal, mpi.rank(), batch.fingerprint);
  const int ranks = mpi.size();
  std::vector<std::size_t> own;
  for (std::size_t m = static_cast<std::size_t>(mpi.rank()); m < members;
       m += static_cast<std::size_t>(ranks))
    if (!journalled.count(m)) own.push_back(m);

  ProgressLine progress(batch.quiet || !root, static_cast<int>(members), "members",
                        static_cast<int>(journalled.size()));
  const char* kill_after = std::getenv("MINETWIN_KILL_AFTER_MEMBERS");
  const std::size_t kill_after_members =
      kill_after != nullptr ? static_cast<std::size_t>(std::atoll(kill_after)) : 0;
  double member_seconds = 0;
  std::size_t next = 0;  // the next member the root adds to the statistics
  auto add = [&](const MemberResult& result) {
    add_result(result);
    ++next;
    progress.update(static_cast<int>(next));
  };
  // The root adds members strictly in member order, fetching those it did not compute from
  // the journal or from the rank that computed them.
  auto add_until = [&](std::size_t end) {
    while (next < end) {
      const auto found = journalled.find(next);
      const std::string bytes =
          found != journalled.end()
              ? read_journal_record(found->second)
              : mpi.receive(static_cast<int>(next % static_cast<std::size_t>(ranks)));
      const MemberResult result = decode(bytes);
      if (result.index != next) throw std::runtime_error("sweep: members arrived out of order");
      add(result);
    }
  };

  on_every_rank([&] {
    const unsigned threads = static_cast<unsigned>(
        tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
    std::size_t position = 0;
    tbb::parallel_pipeline(
        std::max(4u, 4 * threads),
        tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                            [&](tbb::flow_control& control) -> std::size_t {
                                              if (position == own.size()) {
                                                control.stop();
                                                return 0;
                                              }
                                              return own[position++];
                                            }) &
            tbb::make_filter<std::size_t, MemberResult>(
                tbb::filter_mode::parallel,
                [&](std::size_t m) {
                  MemberResult result;
                  try {
                    const Scenario scenario =
                        load_scenario(batch.scenario, batch.overrides(m), registry);
                    // Isolated: a thread waiting inside this member's parallel loops must not
                    // start another member (that would hold two sites in memory per thread).
                    tbb::this_task_arena::isolate([&] {
                      result = batch.run ? batch.run(m, scenario)
                                         : run_member(m, scenario, registry, *batch.plan);
                    });
                  } catch (const InputError& e) {
                    result = MemberResult{};
                    result.index = m;
                    result.input_error = true;
                    for (const auto& d : e.diagnostics())
                      result.error += (result.error.empty() ? "" : "\n") + d.format();
                    return result;
                  } catch (const std::exception& e) {
                    result = MemberResult{};
                    result.index = m;
                    result.error = e.what();
                    return result;
                  }
                  if (journal.append(encode(result)) == kill_after_members)
                    std::_Exit(137);  // test hook: a kill right after a journal record
                  return result;
                }) &
            tbb::make_filter<MemberResult, void>(
                tbb::filter_mode::serial_in_order, [&](const MemberResult& result) {
                  member_seconds += result.seconds;
                  if (root) {
                    add_until(result.index);
                    add(result);
                  } else {
                    mpi.send(encode(result), 0);
                    // The root reports a failure and aborts, unless failures are kept.
                    if (!result.error.empty() && !batch.keep_failures) mpi.barrier();
                  }
                }));
    if (root) add_until(members);
    mpi.finish_sends();
  });
  progress.finish();

  BatchReport report;
  report.from_journal = journalled.size();
  report.member_seconds = member_seconds;
  return report;
}

SweepReport run_sweep(const SweepSpec& spec_in, const ModelRegistry& registry,
                      const SweepOptions& options) {
  const auto start = Clock::now();
  SweepSpec spec = spec_in;
  if (options.samples > 0) spec.samples = options.samples;
  MpiContext& mpi = MpiContext::instance();
  const bool root = mpi.rank() == 0;
  const std::shared_ptr<void> thread_limit = limit_threads(options.threads);

  // Everything is checked before any member runs and before the output folder is touched.
  const Scenario base = load_scenario(spec.scenario, options.overrides, registry);
  const Design design = make_design(spec.method, spec.samples, spec.uncertain.size(), spec.seed);
  const std::size_t members = design.members();
  MemberInputs inputs;
  inputs.uncertain = &spec.uncertain;
  inputs.base_overrides = options.overrides;
  inputs.values.resize(members);
  for (std::size_t m = 0; m < members; ++m)
    for (std::size_t i = 0; i < spec.uncertain.size(); ++i)
      inputs.values[m].push_back(spec.uncertain[i].distribution.quantile(design.at(m, i)));
  check_members(spec.scenario, spec.file, inputs, base, registry);
  std::vector<FieldInfo> map_fields;
  GridGeometry geometry;
  MemberPlan plan;
  {
    PreparedRun probe = prepare_run(base, registry, nullptr);
    plan = plan_members(spec, base, probe, map_fields);
    geometry = probe.state().grid().geometry();
  }

  if (options.check_only) {
    SweepReport report;
    report.members = members;
    report.ranks = mpi.size();
    report.root = root;
    return report;
  }

  const std::string identity = ensemble_identity(
      spec.resolved_yaml, "\nsamples " + std::to_string(spec.samples), options.overrides, base);
  const std::uint64_t sweep_fingerprint = fingerprint(identity);
  const std::filesystem::path work = options.output / ".minetwin-sweep";
  if (options.resume) {
    std::error_code ec;
    if (!std::filesystem::is_directory(work, ec))
      throw InputError(options.output.string(), 0, 0,
                       "--resume: no journal of an unfinished sweep here");
    if (holds_other_journal(work, sweep_fingerprint))
      throw InputError(options.output.string(), 0, 0,
                       "--resume: the journal belongs to another sweep (or other --samples or "
                       "--set values)");
  } else if (root) {
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
  }
  mpi.barrier();
  if (options.resume && root && options.log &&
      scan_journals(work, sweep_fingerprint, &index_of_record).empty())
    *options.log << "--resume: no finished member of this sweep in the journal; starting afresh\n";

  SweepLayout layout;
  layout.spec = &spec;
  layout.inputs = inputs.values;
  layout.start_year = base.simulation.start_year;
  layout.years = base.simulation.years;
  layout.geometry = geometry;
  layout.scenario_name = base.name;
  layout.map_fields = map_fields;
  std::optional<SweepAccumulator> accumulator;
  if (root) accumulator.emplace(std::move(layout));

  MemberBatch batch;
  batch.scenario = spec.scenario;
  batch.members = members;
  batch.overrides = [&inputs](std::size_t m) { return inputs.overrides(m); };
  batch.plan = &plan;
  batch.journal = work;
  batch.fingerprint = sweep_fingerprint;
  batch.quiet = options.quiet;
  const BatchReport ran = run_member_batch(batch, registry, [&](const MemberResult& result) {
    if (!result.error.empty()) rethrow_member_failure(result);
    accumulator->add(result);
  });
  const int ranks = mpi.size();

  SweepReport report;
  report.members = members;
  report.from_journal = ran.from_journal;
  report.computed = members - ran.from_journal;
  report.ranks = ranks;
  report.root = root;
  report.member_seconds = ran.member_seconds;
  if (root) {
    accumulator->write(options.output);
    write_file_atomically(options.output / "sweep.yaml",
                          resolved_file_text("sweep", "; " + std::to_string(members) + " members",
                                             spec.resolved_yaml));
  }
  mpi.barrier();  // no rank may still read the journals
  if (root) std::filesystem::remove_all(work);
  report.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace minetwin::sweep
