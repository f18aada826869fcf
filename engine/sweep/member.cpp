#include "engine/sweep/member.hpp"

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "engine/core/summary.hpp"
#include "engine/run/prepared_run.hpp"

namespace minetwin::sweep {

namespace {

std::vector<double> grid_values(const State& state, const MemberPlan::Map& map) {
  const Field& field = state.at(map.field);
  const std::size_t cells = state.grid().cell_count();
  const std::size_t offset = map.layer < 0 ? 0 : static_cast<std::size_t>(map.layer) * cells;
  std::vector<double> values(cells);
  for (std::size_t c = 0; c < cells; ++c) values[c] = field.get(offset + c);
  return values;
}

}  // namespace

MemberResult run_member(std::size_t index, const Scenario& scenario, const ModelRegistry& registry,
                        const MemberPlan& plan, const MemberSegment* segment) {
  const auto start = std::chrono::steady_clock::now();
  MemberResult result;
  result.index = index;
  PreparedRun run = prepare_run(scenario, registry, nullptr);
  Simulation& simulation = *run.simulation;
  State& state = run.state();
  const std::vector<std::string> columns = simulation.summary_columns();
  const int years = scenario.simulation.years;
  const int first = segment ? segment->first_year_index : 0;
  const int end = segment && segment->end_year_index >= 0 ? segment->end_year_index : years;
  std::vector<std::string> checkpointed;
  std::string summary_rows;
  if (segment) {
    checkpointed = checkpointed_fields(run);
    if (first > 0) {
      CheckpointHeader header;
      if (!read_checkpoint(segment->start_from, header, state) || header.completed_years != first)
        throw std::runtime_error("sweep member: no checkpoint of year index " +
                                 std::to_string(first) + " at " + segment->start_from.string());
      if (segment->on_start) segment->on_start(state, header, checkpointed);
      simulation.restart(header.carry_over);
      summary_rows = header.summary_rows;
    }
  }
  result.metrics.reserve(static_cast<std::size_t>(end - first) * plan.metric_columns.size());
  const std::size_t cells = state.grid().cell_count();
  std::size_t next_probe = 0;
  while (next_probe < plan.probes.size() && plan.probes[next_probe].year_index < first)
    ++next_probe;
  for (int k = first; k < end; ++k) {
    SummaryRow row(columns);
    simulation.run_year(scenario.simulation.start_year + k, k, row);
    if (segment) summary_rows += summary_row_text(scenario.simulation.start_year + k, row);
    for (std::size_t column : plan.metric_columns) result.metrics.push_back(row.values()[column]);
    const Field* field = nullptr;
    for (; next_probe < plan.probes.size() && plan.probes[next_probe].year_index == k;
         ++next_probe) {
      const MemberPlan::Probe& probe = plan.probes[next_probe];
      if (!field || field->info().name != probe.field) field = &state.at(probe.field);
      const std::size_t offset =
          (probe.layer < 0 ? 0 : static_cast<std::size_t>(probe.layer)) * cells;
      if (probe.area.empty()) {
        result.probes.push_back(field->get(offset + probe.cell));
      } else {
        double sum = 0;
        for (std::size_t c : probe.area) sum += field->get(offset + c);
        result.probes.push_back(sum / static_cast<double>(probe.area.size()));
      }
    }
  }
  if (end == years && next_probe != plan.probes.size())
    throw std::logic_error("sweep member: probes out of year order or beyond the run");
  if (segment) {
    for (const auto& map : segment->end_fields) result.maps.push_back(grid_values(state, map));
    if (end < years && !segment->end_checkpoint.empty()) {
      CheckpointHeader header{
          fingerprint(scenario.resolved_yaml), end, 0, end, summary_rows, simulation.carry_over()};
      write_checkpoint(segment->end_checkpoint, header, state, checkpointed);
    }
  }
  if (end == years) {
    simulation.finalize();
    for (const auto& map : plan.maps) result.maps.push_back(grid_values(state, map));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

namespace {

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <class T>
T take(std::string_view& in) {
  if (in.size() < sizeof(T)) throw std::runtime_error("sweep: a member record is truncated");
  T value;
  std::memcpy(&value, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return value;
}

void put_doubles(std::string& out, const std::vector<double>& values) {
  put<std::uint64_t>(out, values.size());
  if (!values.empty())  // an empty vector's data() may be null
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
}

std::vector<double> take_doubles(std::string_view& in) {
  const auto n = take<std::uint64_t>(in);
  if (in.size() < n * sizeof(double))
    throw std::runtime_error("sweep: a member record is truncated");
  std::vector<double> values(n);
  // memcpy must not be given the null data() of an empty vector, even for no bytes (UBSan).
  if (n > 0) std::memcpy(values.data(), in.data(), n * sizeof(double));
  in.remove_prefix(n * sizeof(double));
  return values;
}

}  // namespace

std::string encode(const MemberResult& result) {
  std::string out;
  put<std::uint64_t>(out, result.index);
  put<double>(out, result.seconds);
  put<std::uint8_t>(out, result.input_error ? 1 : 0);
  put<std::uint64_t>(out, result.error.size());
  out += result.error;
  put_doubles(out, result.metrics);
  put<std::uint64_t>(out, result.maps.size());
  for (const auto& map : result.maps) put_doubles(out, map);
  put_doubles(out, result.probes);
  return out;
}

MemberResult decode(std::string_view bytes) {
  MemberResult result;
  result.index = take<std::uint64_t>(bytes);
  result.seconds = take<double>(bytes);
  result.input_error = take<std::uint8_t>(bytes) != 0;
  const auto error_size = take<std::uint64_t>(bytes);
  if (bytes.size() < error_size) throw std::runtime_error("sweep: a member record is truncated");
  result.error = std::string(bytes.substr(0, error_size));
  bytes.remove_prefix(error_size);
  result.metrics = take_doubles(bytes);
  const auto maps = take<std::uint64_t>(bytes);
  for (std::uint64_t m = 0; m < maps; ++m) result.maps.push_back(take_doubles(bytes));
  result.probes = take_doubles(bytes);
  return result;
}

}  // namespace minetwin::sweep
