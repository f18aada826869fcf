#pragma once
/// @file
/// @brief The 3D scene of one recorded year: the terrain as a lit mesh from that year's
/// elevation, draped with a field's colours (or the plain satellite-like look), with a
/// heads-up display of the year, the field, its legend and the site figures of the year.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <osg/Camera>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Group>

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
  const std::vector<std::string>& zone_names() const { return zone_names_; }

 private:
  std::unique_ptr<NetcdfReader> state_;
  std::vector<std::string> zone_names_;
  report::RunOutputs outputs_;
};

/// Fits @p drape's colour range to the field over the first and last recorded years (2nd-98th
/// percentile), unless the field is categorical.
void fit_drape(const Replay& replay, DrapeSpec& drape);

/// The scene root for @p year: terrain mesh (vertical exaggeration @p exaggeration; at most
/// about @p max_vertices vertices: coarser grids for large DEMs), pit-lake water surfaces, and
/// the heads-up display for a viewport of @p width x @p height pixels.
osg::ref_ptr<osg::Group> build_year_scene(const Replay& replay, int year, const DrapeSpec& drape,
                                          double exaggeration, int width, int height,
                                          std::size_t max_vertices = 1'000'000);

/// The centre and radius of the site's terrain in scene coordinates (for cameras).
void site_bounds(const Replay& replay, double exaggeration, osg::Vec3d& centre, double& radius);

}  // namespace minetwin::viz
