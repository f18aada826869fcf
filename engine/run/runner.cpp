#include "engine/run/runner.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include <unistd.h>
#include <ostream>

#include <tbb/global_control.h>

#include "engine/core/simulation.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/prepared_run.hpp"
#include "engine/run/progress.hpp"
#include "engine/run/recorder.hpp"

namespace minetwin {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> output_fields(const Scenario& scenario, const State& state) {
  std::vector<std::string> fields;
  if (scenario.outputs.fields.empty()) {
    for (const auto& name : state.names()) {
      const FieldInfo& info = state.at(name).info();
      if (on_grid(info.location) && !info.internal) fields.push_back(name);
    }
    return fields;
  }
  std::vector<Diagnostic> problems;
  std::vector<std::string> known;
  for (const auto& name : state.names()) {
    if (on_grid(state.at(name).info().location)) known.push_back(name);
  }
  for (std::size_t i = 0; i < scenario.outputs.fields.size(); ++i) {
    const std::string& name = scenario.outputs.fields[i];
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      const std::string hint = closest_match(name, known);
      problems.push_back(scenario.output_field_places[i].error(
          "outputs.fields: no cell or layer field named '" + name + "' in this run" +
          (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
    } else if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
      fields.push_back(name);
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return fields;
}

std::string run_yaml_text(const Scenario& scenario, const State& state) {
  std::string zones;
  for (std::size_t i = 0; i < state.zone_names.size(); ++i) {
    zones += (i ? ", " : "") + std::to_string(i) + "=" + state.zone_names[i];
  }
  return "# The fully resolved scenario of this run (every default filled in), written by\n"
         "# MineTwin " +
         std::string(program_version()) +
         ". Reproduce the run from it alone:\n"
         "#   minetwin run run.yaml -o OUT\n"
         "# zone__id values: " +
         zones + "\n" + scenario.resolved_yaml;
}

// The output folder must be a folder that can be made or written, and a finished run in it is
// replaced only when asked: checked before anything is written (exit 2, naming the folder).
void check_output_folder(const std::filesystem::path& out, bool resume, bool overwrite) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string name = out.string();
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    throw InputError(name, 0, 0, "-o: this is a file, not a folder; name a folder for the outputs");
  // The nearest part of the path that exists must be a folder this process can write into.
  fs::path existing = fs::absolute(out, ec);
  while (!existing.empty() && !fs::exists(existing, ec) && existing != existing.parent_path())
    existing = existing.parent_path();
  if (!fs::is_directory(existing, ec))
    throw InputError(name, 0, 0,
                     "-o: the output folder cannot be created: '" + existing.string() +
                         "' is a file, not a folder");
  if (::access(existing.c_str(), W_OK | X_OK) != 0)
    throw InputError(name, 0, 0,
                     "-o: the output folder cannot be " +
                         std::string(existing == fs::absolute(out, ec) ? "written" : "created") +
                         ": no permission to write in '" + existing.string() + "'");
  if (resume || overwrite) return;
  for (const char* finished : {"summary.csv", "state.nc", "run.yaml"}) {
    if (fs::exists(out / finished, ec))
      throw InputError(name, 0, 0,
                       std::string("-o: the folder holds a finished run (") + finished +
                           "); give --overwrite to replace it, or choose another folder");
  }
}

}  // namespace

const char* program_version() {
  return MINETWIN_VERSION;
}

RunReport run_scenario(const Scenario& scenario, const ModelRegistry& registry,
                       const RunOptions& options) {
  const auto run_start = Clock::now();
  const int threads = options.threads >= 0 ? options.threads : scenario.simulation.threads;
  std::unique_ptr<tbb::global_control> thread_limit;
  if (threads > 0) {
    thread_limit = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  }

  // Preprocess and initialize: every input problem surfaces here, before OUT is touched.
  PreparedRun prepared = prepare_run(scenario, registry, options.log);
  State& state = prepared.state();
  Simulation& simulation = *prepared.simulation;
  const std::vector<std::string> fields = output_fields(scenario, state);
  const auto prepared_end = Clock::now();

  if (options.validate_only) {
    RunReport report;
    report.valid_cells = state.grid().valid_cell_count();
    return report;
  }

  const std::filesystem::path& out = options.output;
  check_output_folder(out, options.resume, options.overwrite);
  const std::filesystem::path work = out / ".minetwin-work";
  const std::filesystem::path checkpoint_file = work / "checkpoint.bin";
  const std::uint64_t hash = fingerprint(scenario.resolved_yaml);
  std::vector<std::string> columns = simulation.summary_columns();
  std::string summary_rows;
  const std::vector<std::string> changing = simulation.changing_fields();
  const std::vector<std::string> checkpointed = checkpointed_fields(prepared);
  std::vector<std::string> recorded_changing, recorded_fixed;
  for (const auto& name : fields) {
    const bool changes = std::find(changing.begin(), changing.end(), name) != changing.end();
    (changes ? recorded_changing : recorded_fixed).push_back(name);
  }
  const Recorder recorder(state, recorded_changing, recorded_fixed,
                          scenario.outputs.single_precision);
  const int every_years = record_interval_years(scenario.outputs.every_years,
                                                scenario.simulation.years, recorder.value_bytes());
  int first_year_index = 0;
  // Completed years at the first record: 0, or an analysis year's for a run resumed from a
  // calibration's analysed state (its state.nc starts there).
  int record_origin = 0;
  std::size_t existing_records = 0;

  CheckpointHeader header;
  if (options.resume) {
    if (!read_checkpoint(checkpoint_file, header, state)) {
      throw InputError(out.string(), 0, 0, "--resume: no checkpoint of an unfinished run here");
    }
    if (header.scenario_hash != hash) {
      throw InputError(
          out.string(), 0, 0,
          "--resume: the checkpoint belongs to another scenario (or other --set values)");
    }
    first_year_index = header.completed_years;
    record_origin = header.record_origin_years;
    summary_rows = header.summary_rows;
    existing_records = header.records;
    try {
      simulation.restart(header.carry_over);
    } catch (const std::runtime_error& e) {  // a carry-over of another program version
      throw InputError(checkpoint_file.string(), 0, 0,
                       std::string(e.what()) + "; run again without --resume to start afresh");
    }
  } else {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
    std::filesystem::create_directories(work, ec);
    if (ec)
      throw InputError(out.string(), 0, 0, "-o: cannot create the output folder: " + ec.message());
  }
  if (options.log) {
    const std::size_t records = recorded_years(every_years, scenario.simulation.years) -
                                static_cast<std::size_t>(record_origin / every_years);
    *options.log << "state.nc: " << records << " records (every " << every_years
                 << (every_years == 1 ? " year" : " years") << ") of " << recorder.fields().size()
                 << " fields, "
                 << format_bytes(static_cast<double>(records * recorder.value_bytes()))
                 << " of values before compression"
                 << (scenario.outputs.every_years == 0 ? " (outputs.every_years: auto)" : "")
                 << "\n";
  }

  // state.nc is compressed from the records on a thread of its own while the run goes on, into
  // the work folder; it is moved into place when the run completes.
  NetcdfLayout layout;
  layout.geometry = state.grid().geometry();
  layout.layer_bottoms_m = scenario.site.layer_bottoms_m;
  layout.start_year = scenario.simulation.start_year;
  layout.title = "MineTwin run: " + scenario.name;
  layout.program_version = program_version();
  layout.single_precision = scenario.outputs.single_precision;
  const auto nc_partial = work / "state.nc.partial";
  NetcdfStream netcdf_stream(recorder, work / "records.bin", existing_records, nc_partial, layout,
                             state);
  std::chrono::duration<double> recording{0}, waiting{0}, checkpointing{0};
  auto push_record = [&](int year) {
    const auto wait_start = Clock::now();
    netcdf_stream.wait_until_idle();  // one record in memory at most
    const auto take_start = Clock::now();
    netcdf_stream.push(recorder.take(state, year, netcdf_stream.spare()));
    waiting += take_start - wait_start;
    recording += Clock::now() - take_start;
  };
  if (!options.resume) push_record(scenario.simulation.start_year);
  // A checkpoint is written before its year's record is pushed (the record is taken from the
  // same State, so a resumed run pushes it first): it names only records that the writer has had
  // a whole year to save, instead of waiting for the deflate of the record just pushed.
  if (options.resume && first_year_index > 0) {
    // The origin's record and one every every_years completed years (as counted from the start).
    const auto records_before =
        static_cast<std::size_t>(1 + first_year_index / every_years - record_origin / every_years);
    if (existing_records + 1 == records_before)
      push_record(scenario.simulation.start_year + first_year_index);
    else if (existing_records != records_before)
      throw InputError(checkpoint_file.string(), 0, 0,
                       "the checkpoint names " + std::to_string(existing_records) +
                           " records where its year needs " + std::to_string(records_before) +
                           "; run again without --resume to start afresh");
  }

  const int years = scenario.simulation.years;
  // Test hook: MINETWIN_KILL_AFTER_YEARS=N ends the process abruptly after N completed years,
  // as a kill would, so the resume tests need no timing games.
  const char* kill_after = std::getenv("MINETWIN_KILL_AFTER_YEARS");
  const int kill_after_years = kill_after != nullptr ? std::atoi(kill_after) : -1;
  ProgressLine progress(options.quiet, years, "years", first_year_index);
  const auto simulate_start = Clock::now();
  // A checkpoint after the first year of this invocation, then after at least 60 s of wall time
  // and at least 40 times the last checkpoint's own time (not after the last year: the run is
  // complete): a killed run loses at most that much work, and checkpoints of a large grid (its
  // whole state, 0.7 GB on 1024^2, about 1.1 s each) take at most about 2.5 % of the run (30 s
  // and 20 times took 5.8 s of the 50-year 1024^2 benchmark's 128 s).
  constexpr std::chrono::duration<double> kCheckpointEvery{60.0};
  constexpr double kCheckpointShare = 40.0;
  std::chrono::duration<double> checkpoint_interval = kCheckpointEvery;
  auto last_checkpoint = Clock::now();
  for (int k = first_year_index; k < years; ++k) {
    const int year = scenario.simulation.start_year + k;
    SummaryRow row(columns);
    simulation.run_year(year, k, row);
    summary_rows += summary_row_text(year, row);
    const bool last = k + 1 == years;
    const auto checkpoint_start = Clock::now();
    if (!last &&
        (k == first_year_index || checkpoint_start - last_checkpoint >= checkpoint_interval)) {
      netcdf_stream.wait_until_saved();  // the checkpoint names only records on disk
      const auto write_start = Clock::now();
      header = CheckpointHeader{hash,          k + 1,        netcdf_stream.records(),
                                record_origin, summary_rows, simulation.carry_over()};
      write_checkpoint(checkpoint_file, header, state, checkpointed);
      last_checkpoint = Clock::now();
      checkpoint_interval =
          std::max(kCheckpointEvery,
                   kCheckpointShare * std::chrono::duration<double>(last_checkpoint - write_start));
    }
    checkpointing += Clock::now() - checkpoint_start;
    if ((k + 1) % every_years == 0 || last) push_record(year + 1);
    progress.update(k + 1, "(" + std::to_string(year) + ")");
    if (k + 1 == kill_after_years) std::_Exit(137);
  }
  progress.finish();
  const auto simulate_end = Clock::now();
  simulation.finalize();

  // Finalize: every output is written to a temporary name and renamed into place.
  const auto netcdf_start = Clock::now();
  netcdf_stream.finish();
  commit_file(nc_partial, out / "state.nc");
  const auto outputs_start = Clock::now();
  const std::chrono::duration<double> netcdf = outputs_start - netcdf_start;
  std::string header_line = "year";
  for (const auto& c : columns) header_line += "," + c;
  write_file_atomically(out / "summary.csv", header_line + "\n" + summary_rows);
  write_file_atomically(out / "run.yaml", run_yaml_text(scenario, state));
  std::filesystem::remove_all(work);
  const std::chrono::duration<double> outputs = Clock::now() - outputs_start;

  RunReport report;
  report.years_simulated = years - first_year_index;
  report.valid_cells = state.grid().valid_cell_count();
  report.wall_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  report.simulate_seconds = std::chrono::duration<double>(simulate_end - simulate_start).count();
  for (const auto& [name, seconds] : simulation.timings())
    report.component_seconds[name] = seconds.count();
  report.engine_seconds["preparing (site, components)"] =
      std::chrono::duration<double>(prepared_end - run_start).count();
  report.engine_seconds["recording (compression of the fields)"] = recording.count();
  report.engine_seconds["checkpoints"] = checkpointing.count();
  report.engine_seconds["state.nc (waiting for the writer)"] = (waiting + netcdf).count();
  report.engine_seconds["outputs (summary, run.yaml)"] = outputs.count();
  report.writer_seconds = netcdf_stream.seconds();
  return report;
}

}  // namespace minetwin
