#pragma once
/// @file
/// @brief What stands on the terrain of a recorded year: trees and shrubs, standing water at its
/// level, zone outlines and names with the year's measures.

#include <vector>

#include <osg/Geode>
#include <osg/Geometry>

#include "viz/scene/replay.hpp"
#include "viz/scene/surface.hpp"

namespace minetwin::viz {

/// Where the decorations stand: the record's terrain in scene coordinates.
struct Ground {
  const GridGeometry& geometry;
  const SurfaceRecord& surface;
  double base_elevation = 0, exaggeration = 1;
  osg::Vec3 point(std::size_t cell, double lift) const;  ///< the cell centre, @p lift m above
};

/// Trees and shrubs as cones, one per sampled woody cell (every @p plant_stride-th cell in both
/// directions), kept with the cell's cover as its probability, as tall as the stem carbon allows.
/// Drawn as GPU instances of one unit cone (per-instance position, height, colour and radius;
/// a GLSL 1.20 shader places and lights them), so 100 000 plants cost one draw call.
/// The ground's record carries the woody stem carbon and cover (SurfaceRecord).
osg::ref_ptr<osg::Geometry> plant_cones(const Ground& ground, std::size_t plant_stride);

/// The number of plants (instances) in a plant_cones geometry.
std::size_t plant_count(const osg::Geometry& plants);

/// The sampling stride that keeps the plants of a grid of @p cells to about 100 000 cones.
std::size_t plant_stride_for(std::size_t cells);

/// Standing water, zone outlines and zone names with the measures of the year shown.
osg::ref_ptr<osg::Geode> site_overlays(const Replay& replay, std::size_t record,
                                       const Ground& ground, int viewport_height);

}  // namespace minetwin::viz
