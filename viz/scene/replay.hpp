#pragma once
/// @file
/// @brief A run's outputs opened for replay (state.nc one record at a time, summary.csv for the
/// heads-up figures, zone names from run.yaml), and how a draped field is coloured.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <osg/Vec3d>

#include "engine/io/netcdf_writer.hpp"
#include "viz/report/run_outputs.hpp"

namespace minetwin::viz {

/// How the terrain is coloured.
struct DrapeSpec {
  std::string
      field;  ///< "" : the satellite-like look (bare spoil, soil, grass, shrub, forest, water)
  std::size_t layer = 0;
  bool change = false;       ///< colour the change since the first recorded year (diverging)
  double low = 0, high = 1;  ///< colour range (fitted over the run when not given)
  bool categorical = false;  ///< class fields (risk, hazard): fixed colours per class
};

/// A run's outputs opened for replay: state.nc is read one year at a time (memory stays bounded
/// on long runs and large grids), summary.csv for the heads-up figures.
class Replay {
 public:
  explicit Replay(const std::filesystem::path& output);
  const NetcdfReader& state() const { return *state_; }
  const report::RunOutputs& outputs() const { return outputs_; }
  const std::vector<int>& years() const { return state_->years(); }
  std::size_t record_of(int year) const;  ///< the record of @p year, or the nearest
  /// Zone names by zone__id (from run.yaml).
  const std::vector<std::string>& zone_names() const { return outputs_.zone_names; }
  /// The lowest elevation of the first recorded year (m): drawn at z = 0 in every year, so that
  /// the land visibly sinks or rises against a fixed datum.
  double base_elevation() const { return base_elevation_; }
  double highest_elevation() const { return highest_elevation_; }  ///< first recorded year, m
  /// zone__id of every cell (fixed for the run; empty when the run has no zones).
  const std::vector<double>& zones() const { return zones_; }
  /// Where zone @p z's name goes: its cell nearest the zone's centre of mass (none: SIZE_MAX).
  std::size_t zone_label_cell(std::size_t z) const {
    return z < zone_label_cells_.size() ? zone_label_cells_[z] : static_cast<std::size_t>(-1);
  }
  bool has(const std::string& variable) const;
  /// One record of a variable, or an empty vector when the run did not write it.
  std::vector<double> read_or_empty(const std::string& variable, std::size_t record,
                                    std::size_t layer = 0) const;

 private:
  std::unique_ptr<NetcdfReader> state_;
  std::vector<std::string> variables_;
  report::RunOutputs outputs_;
  double base_elevation_ = 0, highest_elevation_ = 0;
  std::vector<double> zones_;
  std::vector<std::size_t> zone_label_cells_;
};

/// Fits @p drape's colour range to the field over the first and last recorded years (2nd-98th
/// percentile), unless the field is categorical. Throws InputError for an unknown field.
void fit_drape(const Replay& replay, DrapeSpec& drape);

/// The centre and radius of the site's terrain in scene coordinates (for cameras).
void site_bounds(const Replay& replay, double exaggeration, osg::Vec3d& centre, double& radius);

}  // namespace minetwin::viz
