#pragma once
/// @file
/// @brief The sweep's outputs, accumulated member by member in member order (so the bytes do
/// not depend on threads or ranks): members.csv, stats.csv, targets.csv, sensitivity.csv,
/// maps.nc.

#include <filesystem>
#include <memory>
#include <vector>

#include "engine/grid/field.hpp"
#include "engine/grid/raster_grid.hpp"
#include "engine/sweep/member.hpp"
#include "engine/sweep/statistics.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace minetwin::sweep {

/// Everything the outputs need besides the members' results.
struct SweepLayout {
  const SweepSpec* spec = nullptr;
  std::vector<std::vector<double>> inputs;  ///< per member, the sampled value of each input
  int start_year = 0;
  int years = 0;
  GridGeometry geometry;
  std::string scenario_name;
  std::vector<FieldInfo> map_fields;  ///< per map, its field (units, long name)
};

class SweepAccumulator {
 public:
  explicit SweepAccumulator(SweepLayout layout);
  /// Adds the next member (results must come in member order).
  void add(const MemberResult& result);
  std::size_t members() const { return added_; }
  /// Writes every output into @p folder, each atomically.
  void write(const std::filesystem::path& folder) const;

 private:
  std::size_t metric_index(const std::string& metric) const;
  SweepLayout layout_;
  std::size_t added_ = 0;
  std::vector<double> metrics_;  ///< members x years x metrics
  std::vector<std::unique_ptr<CellStatistics>> maps_;
};

}  // namespace minetwin::sweep
