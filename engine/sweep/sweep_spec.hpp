#pragma once
/// @file
/// @brief The sweep file: base scenario, design, uncertain inputs, metrics, maps and targets.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/sweep/distribution.hpp"
#include "engine/sweep/sampling.hpp"

namespace minetwin::sweep {

struct UncertainInput {
  std::string key;  ///< a scenario key by dotted name, as `--set` takes it
  Distribution distribution;
  SourcePlace place;
};

/// A per-cell map: a cell field, or a layer field's layer (`name[0]` for the top layer).
struct MapSpec {
  std::string name;  ///< as written (variables in maps.nc start with it)
  std::string field;
  int layer = -1;  ///< -1: a cell field
  std::vector<double> thresholds;
  SourcePlace place;
};

struct Target {
  std::string metric;
  int year = 0;
  std::string op;  ///< <=, <, >=, >
  double value = 0;
  SourcePlace place;
  bool met_by(double metric_value) const;
};

struct SweepSpec {
  std::filesystem::path file;
  std::filesystem::path scenario;
  std::size_t samples = 0;
  SamplingMethod method = SamplingMethod::lhs;
  std::uint64_t seed = 1;
  std::size_t bootstrap = 0;
  std::vector<UncertainInput> uncertain;
  std::vector<std::string> metrics;
  std::vector<SourcePlace> metric_places;
  std::vector<MapSpec> maps;
  std::vector<Target> targets;
  std::string resolved_yaml;  ///< the sweep file with every default filled in
};

/// Reads and validates a sweep file (syntax, keys, distributions). Whether the uncertain keys,
/// metrics, maps and targets exist in the scenario is checked by prepare_sweep(), which
/// needs the base scenario. Throws InputError.
SweepSpec load_sweep(const std::filesystem::path& file);

/// The sweep file reference (Markdown), for docs/sweeps.md.
std::string sweep_reference_markdown();

}  // namespace minetwin::sweep
