#include "engine/calibration/filtered_forecast.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "engine/calibration/state_update.hpp"
#include "engine/core/random.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/run/runner.hpp"
#include "engine/sweep/mpi_context.hpp"
#include "engine/sweep/sweep_runner.hpp"

namespace minetwin::calibration {
namespace {

using FieldLayer = std::pair<std::string, int>;

std::string member_name(std::size_t id) {
  std::ostringstream name;
  name << "member-" << std::setw(3) << std::setfill('0') << id;
  return name.str();
}

std::string field_name(const FieldLayer& f) {
  return f.first + (f.second < 0 ? "" : "[" + std::to_string(f.second) + "]");
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("calibrate: cannot read " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A member's value of a datum from one of its fields: the cell, or the mean of a pixel's cells.
double value_at(const sweep::MemberPlan::Probe& probe, const EnsembleMatrix& states,
                std::size_t member) {
  if (probe.area.empty()) return states.at(probe.cell, member);
  double sum = 0;
  for (std::size_t c : probe.area) sum += states.at(c, member);
  return sum / static_cast<double>(probe.area.size());
}

// The ensemble mean's RMSE against the data, and the mean ensemble spread (sd) at the data.
std::pair<double, double> fit_and_spread(const std::vector<double>& observed,
                                         const EnsembleMatrix& at_data) {
  double squared = 0, spread = 0;
  const auto members = static_cast<double>(at_data.members);
  for (std::size_t i = 0; i < observed.size(); ++i) {
    double mean = 0, ss = 0;
    for (std::size_t j = 0; j < at_data.members; ++j) mean += at_data.at(i, j);
    mean /= members;
    for (std::size_t j = 0; j < at_data.members; ++j)
      ss += (at_data.at(i, j) - mean) * (at_data.at(i, j) - mean);
    squared += (mean - observed[i]) * (mean - observed[i]);
    spread += std::sqrt(ss / (members - 1));
  }
  const auto n = static_cast<double>(observed.size());
  return {std::sqrt(squared / n), spread / n};
}

// Whether the state update assimilates the datum (a state field's, of a source for the state).
bool for_state(const Observations& observations, const Datum& d) {
  return !d.is_metric && observations.groups[d.group].for_state;
}

}  // namespace

std::vector<int> analysis_years(const Observations& observations) {
  std::set<int> years;
  for (const Datum& d : observations.data)
    if (for_state(observations, d)) years.insert(d.year);
  return {years.begin(), years.end()};
}

FilterResult run_filtered_forecast(const FilterSetup& setup, const ModelRegistry& registry) {
  const CalibrationSpec& spec = *setup.spec;
  const Observations& observations = *setup.observations;
  const sweep::MemberPlan& plan = *setup.plan;
  const RasterGrid& grid = *setup.grid;
  const std::size_t members = setup.ids.size(), cells = grid.cell_count();
  const std::vector<int> years_analysed = analysis_years(observations);
  const std::size_t analyses = years_analysed.size();
  const std::filesystem::path filter = setup.work / "filter";

  // Per analysis: its completed years and the fields (with layers) it updates.
  std::vector<int> boundary;
  std::vector<std::vector<FieldLayer>> analysed(analyses);
  for (std::size_t s = 0; s < analyses; ++s) {
    boundary.push_back(years_analysed[s] - setup.start_year);
    for (const Datum& d : observations.data) {
      if (!for_state(observations, d) || d.year != years_analysed[s]) continue;
      const auto& probe = plan.probes[d.probe_index];
      const FieldLayer f{probe.field, probe.layer};
      if (std::find(analysed[s].begin(), analysed[s].end(), f) == analysed[s].end())
        analysed[s].push_back(f);
    }
  }
  auto background = [&](std::size_t s, std::size_t m) {
    return filter / ("segment-" + std::to_string(s)) / (member_name(m) + ".checkpoint");
  };
  auto analysis_file = [&](std::size_t s, std::size_t m) {
    return filter / ("analysis-" + std::to_string(s)) / (member_name(m) + ".values");
  };
  auto kept_folder = [&](std::size_t s, std::size_t m) {
    return filter / "kept" / std::to_string(years_analysed[s]) / member_name(setup.ids[m]);
  };

  FilterResult out;
  out.kept = filter / "kept";
  out.members.resize(members);
  std::vector<bool> alive(members, true);
  std::ostringstream analysis_csv;
  analysis_csv << "year,field,data,members,background_rmse,analysis_rmse,background_spread,"
                  "analysis_spread\n";

  for (std::size_t s = 0; s <= analyses; ++s) {
    const int first = s == 0 ? 0 : boundary[s - 1];
    const bool last = s == analyses;
    std::size_t first_probe = 0;
    while (first_probe < plan.probes.size() && plan.probes[first_probe].year_index < first)
      ++first_probe;

    sweep::MemberBatch batch;
    batch.scenario = spec.scenario;
    batch.members = members;
    batch.overrides = setup.overrides;
    batch.plan = setup.plan;
    batch.journal = filter / ("journal-" + std::to_string(s));
    batch.fingerprint = fingerprint(setup.identity + "filter segment " + std::to_string(s));
    batch.keep_failures = true;
    batch.quiet = setup.quiet;
    batch.run = [&, s, first, last](std::size_t m, const Scenario& scenario) {
      sweep::MemberSegment segment;
      segment.first_year_index = first;
      segment.end_year_index = last ? -1 : boundary[s];
      if (s > 0) {
        segment.start_from = background(s - 1, m);
        const std::filesystem::path values = analysis_file(s - 1, m);
        if (!std::filesystem::exists(values))
          throw std::runtime_error("the member failed before the analysis of " +
                                   std::to_string(years_analysed[s - 1]));
        segment.on_start = [&, s, m, values](State& state, const CheckpointHeader& header,
                                             const std::vector<std::string>& fields) {
          // The analysis's values of the updated fields, in their order.
          const std::string bytes = read_bytes(values);
          const std::vector<FieldLayer>& updated = analysed[s - 1];
          if (bytes.size() != updated.size() * cells * sizeof(double))
            throw std::runtime_error("calibrate: a damaged analysis file " + values.string());
          for (std::size_t f = 0; f < updated.size(); ++f) {
            Field& field = state.at(updated[f].first);
            const std::size_t offset =
                updated[f].second < 0 ? 0 : static_cast<std::size_t>(updated[f].second) * cells;
            for (std::size_t c = 0; c < cells; ++c) {
              double v = 0;
              std::memcpy(&v, bytes.data() + (f * cells + c) * sizeof(double), sizeof v);
              field.set(offset + c, v);
            }
          }
          // Kept in the form `minetwin run --resume` forecasts from (records start here).
          const std::filesystem::path folder = kept_folder(s - 1, m);
          std::filesystem::create_directories(folder / ".minetwin-work");
          write_file_atomically(
              folder / "scenario.yaml",
              "# Member " + std::to_string(setup.ids[m]) + " of the posterior ensemble of " +
                  spec.file.string() + ", its state updated by the observations of " +
                  std::to_string(years_analysed[s - 1]) + " (MineTwin " + program_version() +
                  "). Forecast from that state with\n#   minetwin run scenario.yaml -o . --resume\n"
                  "# in this folder (state.nc starts on 1 January " +
                  std::to_string(years_analysed[s - 1]) + ").\n" + scenario.resolved_yaml);
          // The run checks the hash of the scenario it loads: that of this file as read back
          // (a resolved scenario read again fills in the built-in materials' defaults).
          CheckpointHeader kept = header;
          kept.scenario_hash =
              fingerprint(load_scenario(folder / "scenario.yaml", {}, registry).resolved_yaml);
          write_checkpoint(folder / ".minetwin-work" / "checkpoint.bin", kept, state, fields);
        };
      }
      if (!last) {
        std::filesystem::create_directories(background(s, m).parent_path());
        segment.end_checkpoint = background(s, m);
        for (const FieldLayer& f : analysed[s]) segment.end_fields.push_back({f.first, f.second});
      }
      return sweep::run_member(m, scenario, registry, plan, &segment);
    };

    std::vector<sweep::MemberResult> results(members);
    const sweep::BatchReport ran = sweep::run_member_batch(
        batch, registry,
        [&](const sweep::MemberResult& result) { results[result.index] = result; });
    out.from_journal += ran.from_journal;
    out.runs += members - ran.from_journal;
    out.member_seconds += ran.member_seconds;
    if (sweep::MpiContext::instance().rank() != 0) continue;

    // Each member's years of this segment join its whole-run result.
    std::size_t running = 0;
    for (std::size_t m = 0; m < members; ++m) {
      sweep::MemberResult& whole = out.members[m];
      whole.index = m;
      if (!alive[m]) continue;
      const sweep::MemberResult& part = results[m];
      if (!part.error.empty()) {
        alive[m] = false;
        whole.error = part.error;
        whole.input_error = part.input_error;
        if (setup.log)
          *setup.log << "calibrate: member " << setup.ids[m]
                     << " of the forecast failed: " << part.error << "\n";
        continue;
      }
      ++running;
      whole.seconds += part.seconds;
      whole.metrics.insert(whole.metrics.end(), part.metrics.begin(), part.metrics.end());
      whole.probes.insert(whole.probes.end(), part.probes.begin(), part.probes.end());
      if (last) whole.maps = part.maps;
    }
    if (static_cast<double>(running) < 0.8 * static_cast<double>(members))
      throw std::runtime_error("calibrate: " + std::to_string(members - running) + " of " +
                               std::to_string(members) +
                               " members of the forecast failed (more than 20 %); see the "
                               "messages above");
    if (last) break;

    // The analysis of this year: each updated field from its own data.
    std::vector<std::size_t> live;
    for (std::size_t m = 0; m < members; ++m)
      if (alive[m]) live.push_back(m);
    std::vector<std::vector<double>> analysed_values(live.size());
    for (std::size_t f = 0; f < analysed[s].size(); ++f) {
      const FieldLayer& field = analysed[s][f];
      std::vector<std::size_t> data;
      for (std::size_t i = 0; i < observations.data.size(); ++i) {
        const Datum& d = observations.data[i];
        if (!for_state(observations, d) || d.year != years_analysed[s]) continue;
        const auto& probe = plan.probes[d.probe_index];
        if (probe.field == field.first && probe.layer == field.second) data.push_back(i);
      }
      FieldObservations obs;
      obs.predicted = EnsembleMatrix(data.size(), live.size());
      obs.noise = EnsembleMatrix(data.size(), live.size());
      for (std::size_t k = 0; k < data.size(); ++k) {
        const Datum& d = observations.data[data[k]];
        obs.x.push_back(d.x);
        obs.y.push_back(d.y);
        obs.value.push_back(d.value);
        obs.sd.push_back(d.sd);
        for (std::size_t j = 0; j < live.size(); ++j) {
          obs.predicted.at(k, j) = results[live[j]].probes[d.probe_index - first_probe];
          // Keyed by the member's original number and the datum: the same on every rank and
          // thread count, and apart from the smoother's draws (stream 0x0B5E).
          obs.noise.at(k, j) = random_normal({spec.seed, setup.ids[live[j]], s, data[k], 0x57A7E});
        }
      }
      EnsembleMatrix states(cells, live.size());
      bool nonnegative = true, fraction = setup.units(field.first) == "1";
      for (std::size_t j = 0; j < live.size(); ++j) {
        const std::vector<double>& values = results[live[j]].maps[f];
        for (std::size_t c = 0; c < cells; ++c) {
          states.at(c, j) = values[c];
          if (!grid.is_valid(c)) continue;
          nonnegative = nonnegative && values[c] >= 0;
          fraction = fraction && values[c] <= 1;
        }
      }
      LocalAnalysisOptions options;
      options.radius_m = spec.localisation_radius_m;
      options.nonnegative = nonnegative;
      options.fraction = nonnegative && fraction;
      local_ensemble_analysis(grid, obs, options, states);

      EnsembleMatrix after(data.size(), live.size());
      for (std::size_t k = 0; k < data.size(); ++k)
        for (std::size_t j = 0; j < live.size(); ++j)
          after.at(k, j) = value_at(plan.probes[observations.data[data[k]].probe_index], states, j);
      const auto [rmse_before, spread_before] = fit_and_spread(obs.value, obs.predicted);
      const auto [rmse_after, spread_after] = fit_and_spread(obs.value, after);
      analysis_csv << years_analysed[s] << "," << field_name(field) << "," << data.size() << ","
                   << live.size() << "," << format_number(rmse_before) << ","
                   << format_number(rmse_after) << "," << format_number(spread_before) << ","
                   << format_number(spread_after) << "\n";
      if (setup.log && !setup.quiet)
        *setup.log << "calibrate: state update " << years_analysed[s] << ", " << field_name(field)
                   << ": " << data.size() << " data, RMSE " << std::setprecision(4) << rmse_before
                   << " -> " << rmse_after << ", spread " << spread_before << " -> " << spread_after
                   << "\n";
      for (std::size_t j = 0; j < live.size(); ++j)
        analysed_values[j].insert(analysed_values[j].end(),
                                  states.values.begin() + static_cast<long>(j * cells),
                                  states.values.begin() + static_cast<long>((j + 1) * cells));
    }
    for (std::size_t j = 0; j < live.size(); ++j) {
      std::filesystem::create_directories(analysis_file(s, live[j]).parent_path());
      write_file_atomically(
          analysis_file(s, live[j]),
          std::string_view(reinterpret_cast<const char*>(analysed_values[j].data()),
                           analysed_values[j].size() * sizeof(double)));
    }
  }
  out.analysis_csv = analysis_csv.str();
  return out;
}

}  // namespace minetwin::calibration
