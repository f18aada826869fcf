#pragma once
/// @file
/// @brief The heads-up display (year, field, legend with units, the site figures of the year
/// from summary.csv) and the outlined text it and the zone labels use.

#include <string>

#include <osg/Camera>
#include <osgText/Text>

#include "viz/scene/replay.hpp"

namespace minetwin::viz {

/// Outlined text (DejaVu Sans where installed, OSG's built-in font otherwise).
osg::ref_ptr<osgText::Text> text(const std::string& s, const osg::Vec3& position, float size,
                                 const osg::Vec4& colour = {1, 1, 1, 1});

/// The display for a viewport of @p width x @p height pixels.
osg::ref_ptr<osg::Camera> heads_up(const Replay& replay, int year, const DrapeSpec& drape,
                                   int width, int height);

}  // namespace minetwin::viz
