#pragma once
/// @file
/// @brief The 3D scene of a run's replay: the terrain (view-dependent level of detail) of the
/// moment shown, draped with a field's colours or the satellite-like look, blended smoothly
/// between recorded years; trees, water, zones and measures of the nearest recorded year; the
/// heads-up display.

#include <map>
#include <memory>

#include <osg/Group>

#include "viz/scene/replay.hpp"
#include "viz/scene/surface.hpp"
#include "viz/scene/terrain_lod.hpp"

namespace minetwin::viz {

/// The vertical field of view of MineTwin's cameras (degrees).
inline constexpr double kFieldOfViewDegrees = 35.0;

class SiteScene {
 public:
  /// @p drape must be fitted (fit_drape); the viewport is @p width x @p height pixels.
  SiteScene(const Replay& replay, const DrapeSpec& drape, double exaggeration, int width,
            int height, const LodSettings& lod = {});
  osg::Group* root() const { return root_.get(); }
  /// Shows the moment @p year, clamped to the recorded years: between two recorded years the
  /// terrain's elevation and colours are interpolated linearly; the rest follows the nearest.
  void show(double year);
  /// Chooses the terrain's level of detail for a camera with these matrices.
  void look_from(const osg::Matrixd& view, const osg::Matrixd& projection);
  /// False while finer terrain tiles wait for the next look_from (render until settled).
  bool settled() const { return terrain_.settled(); }
  const TerrainLod& terrain() const { return terrain_; }
  int nearest_year() const;  ///< the recorded year whose trees, water and figures are shown

 private:
  std::shared_ptr<const SurfaceRecord> record(std::size_t k);
  void decorate(std::size_t record);

  const Replay& replay_;
  DrapeSpec drape_;
  double exaggeration_;
  int width_, height_;
  TerrainLod terrain_;
  osg::ref_ptr<osg::Group> root_, decorations_, hud_;
  std::map<std::size_t, std::shared_ptr<const SurfaceRecord>> records_;
  std::size_t from_ = 0;
  float weight_ = -1;
  std::size_t decorated_ = static_cast<std::size_t>(-1);
  int hud_year_ = 0;
};

}  // namespace minetwin::viz
