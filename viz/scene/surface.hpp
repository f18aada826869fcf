#pragma once
/// @file
/// @brief The terrain as drawn: per cell an elevation and a colour for a recorded year, and two
/// recorded years blended for the smooth replay between them.

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include <osg/Vec4ub>

#include "engine/grid/raster_grid.hpp"
#include "viz/scene/replay.hpp"

namespace minetwin::viz {

/// One recorded year as the terrain shows it.
struct SurfaceRecord {
  int year = 0;
  std::vector<float> elevation;     ///< m; NaN where the run has no data
  std::vector<osg::Vec4ub> colour;  ///< the land-cover look or the draped field's colour
  double lowest = 0, highest = 0;   ///< m, over the valid cells
  /// For the plants standing on it: cover fraction and woody stem carbon (kg C m-2), 0 where the
  /// run has none (empty when the run has no vegetation).
  std::vector<float> cover, woody_stem_carbon;
};

/// Reads record @p record of the replay and colours it by @p drape (a fitted range).
SurfaceRecord load_surface(const Replay& replay, std::size_t record, const DrapeSpec& drape);

/// What the terrain shows at one moment: record `from` blended towards `to` by `weight`.
/// Scene coordinates: x = column * cell, y = -row * cell (north up), z = (elevation - base) *
/// exaggeration.
struct BlendedSurface {
  GridGeometry geometry;
  std::shared_ptr<const SurfaceRecord> from, to;
  float weight = 0;                    ///< 0: `from`, 1: `to`
  double base_elevation = 0;           ///< m, drawn at z = 0
  double exaggeration = 1;             ///< vertical
  double lowest_z = 0, highest_z = 0;  ///< scene z range of both records (for culling and LOD)

  bool valid(std::size_t cell) const { return !std::isnan(from->elevation[cell]); }
  float z(std::size_t cell) const {
    const float a = from->elevation[cell], b = to->elevation[cell];
    const float m = std::isnan(b) ? a : a + weight * (b - a);
    return static_cast<float>((m - base_elevation) * exaggeration);
  }
  osg::Vec4ub colour(std::size_t cell) const {
    const osg::Vec4ub &a = from->colour[cell], &b = to->colour[cell];
    osg::Vec4ub c;
    for (int k = 0; k < 4; ++k)
      c[k] = static_cast<std::uint8_t>(std::lround(a[k] + weight * (b[k] - a[k])));
    return c;
  }
};

/// A blended surface (computes its z range); @p to may equal @p from.
std::shared_ptr<const BlendedSurface> blend(const GridGeometry& geometry,
                                            std::shared_ptr<const SurfaceRecord> from,
                                            std::shared_ptr<const SurfaceRecord> to, float weight,
                                            double base_elevation, double exaggeration);

/// The colour of @p value on @p drape's colour map.
osg::Vec4ub drape_colour(const DrapeSpec& drape, double value);

}  // namespace minetwin::viz
