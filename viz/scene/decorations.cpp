#include "viz/scene/decorations.hpp"

#include <algorithm>
#include <cmath>

#include <osg/BlendFunc>
#include <osg/LineWidth>

#include "engine/grid/state.hpp"
#include "viz/scene/heads_up.hpp"

namespace minetwin::viz {

osg::Vec3 Ground::point(std::size_t cell, double lift) const {
  const float e = surface.elevation[cell];
  const double z = std::isnan(e) ? 0.0 : (e - base_elevation) * exaggeration;
  return osg::Vec3(
      static_cast<float>(static_cast<double>(cell % geometry.columns) * geometry.cell_size_m),
      static_cast<float>(-static_cast<double>(cell / geometry.columns) * geometry.cell_size_m),
      static_cast<float>(z + lift));
}

std::size_t plant_stride_for(std::size_t cells) {
  return std::max<std::size_t>(
      2, static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(cells) / 1e5))));
}

// Height 2 m + 4 m per kg C/m2 of stems, 1-20 m: MineTwin's display rule, not an allometry, so
// that a planted zone visibly grows a forest.
osg::ref_ptr<osg::Geometry> plant_cones(const Ground& ground,
                                        const std::vector<double>& woody_stem_carbon,
                                        const std::vector<double>& cover_fraction,
                                        std::size_t plant_stride) {
  const GridGeometry& g = ground.geometry;
  osg::ref_ptr<osg::Vec3Array> cones = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec4Array> colours = new osg::Vec4Array;
  constexpr int kSides = 6;
  const double exaggeration = ground.exaggeration;
  for (std::size_t j = 0; j < g.rows; j += plant_stride)
    for (std::size_t i = 0; i < g.columns; i += plant_stride) {
      const std::size_t c = j * g.columns + i;
      const double wood = woody_stem_carbon[c];
      if (wood == kFillValue || wood < 0.05 || std::isnan(ground.surface.elevation[c])) continue;
      // A keyed pseudo-random number per cell decides, with the cover as the probability.
      std::uint64_t h = c * 0x9E3779B97F4A7C15ULL;
      h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
      if (static_cast<double>(h >> 11) * 0x1.0p-53 > cover_fraction[c]) continue;
      const bool tree = wood >= 1.0;
      const double plant_height = std::clamp(2.0 + 4.0 * wood, 1.0, 20.0) * exaggeration;
      const double radius = std::min(0.3 * plant_height / exaggeration,
                                     0.45 * g.cell_size_m * static_cast<double>(plant_stride));
      const osg::Vec3 base = ground.point(c, 0.0);
      const osg::Vec3 top = base + osg::Vec3(0, 0, static_cast<float>(plant_height));
      const osg::Vec4 colour =
          tree ? osg::Vec4(0.10f, 0.30f, 0.12f, 1) : osg::Vec4(0.30f, 0.42f, 0.18f, 1);
      for (int k = 0; k < kSides; ++k) {
        const double a0 = 2 * osg::PI * k / kSides, a1 = 2 * osg::PI * (k + 1) / kSides;
        const osg::Vec3 p0 = base + osg::Vec3(static_cast<float>(radius * std::cos(a0)),
                                              static_cast<float>(radius * std::sin(a0)),
                                              static_cast<float>(0.25 * plant_height));
        const osg::Vec3 p1 = base + osg::Vec3(static_cast<float>(radius * std::cos(a1)),
                                              static_cast<float>(radius * std::sin(a1)),
                                              static_cast<float>(0.25 * plant_height));
        osg::Vec3 n = (p1 - p0) ^ (top - p0);
        n.normalize();
        for (const osg::Vec3& v : {p0, p1, top}) {
          cones->push_back(v);
          normals->push_back(n);
          colours->push_back(colour);
        }
      }
    }
  osg::ref_ptr<osg::Geometry> plants = new osg::Geometry;
  plants->setUseVertexBufferObjects(true);
  plants->setVertexArray(cones);
  plants->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
  plants->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
  plants->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<int>(cones->size())));
  return plants;
}

osg::ref_ptr<osg::Geode> site_overlays(const Replay& replay, std::size_t record,
                                       const Ground& ground, int viewport_height) {
  const GridGeometry& g = ground.geometry;
  const double exaggeration = ground.exaggeration;
  osg::ref_ptr<osg::Geode> overlays = new osg::Geode;
  overlays->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  // Standing water at its level.
  const auto depth = replay.read_or_empty("surface_water__depth", record);
  osg::ref_ptr<osg::Vec3Array> quads = new osg::Vec3Array;
  const float half = static_cast<float>(g.cell_size_m / 2);
  for (std::size_t c = 0; c < depth.size(); ++c) {
    if (depth[c] == kFillValue || depth[c] < 0.05) continue;
    const osg::Vec3 centre = ground.point(c, depth[c] * exaggeration);
    quads->push_back(centre + osg::Vec3(-half, -half, 0));
    quads->push_back(centre + osg::Vec3(half, -half, 0));
    quads->push_back(centre + osg::Vec3(half, half, 0));
    quads->push_back(centre + osg::Vec3(-half, half, 0));
  }
  if (!quads->empty()) {
    osg::ref_ptr<osg::Geometry> water = new osg::Geometry;
    water->setVertexArray(quads);
    osg::ref_ptr<osg::Vec4Array> blue = new osg::Vec4Array;
    blue->push_back({0.15f, 0.35f, 0.65f, 0.75f});
    water->setColorArray(blue, osg::Array::BIND_OVERALL);
    water->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, static_cast<int>(quads->size())));
    water->getOrCreateStateSet()->setMode(GL_BLEND, osg::StateAttribute::ON);
    water->getOrCreateStateSet()->setRenderingHint(osg::StateSet::TRANSPARENT_BIN);
    overlays->addDrawable(water);
  }

  const auto zone = replay.read_or_empty("zone__id", 0);
  if (zone.empty()) return overlays;
  // Outlines: cell edges between zones, just above the ground.
  osg::ref_ptr<osg::Vec3Array> lines = new osg::Vec3Array;
  const double lift = 0.5 * exaggeration;
  for (std::size_t c = 0; c < zone.size(); ++c) {
    if (zone[c] == kFillValue) continue;
    const std::size_t i = c % g.columns, j = c / g.columns;
    if (i + 1 < g.columns && zone[c + 1] != kFillValue && zone[c + 1] != zone[c]) {
      const osg::Vec3 mid = (ground.point(c, lift) + ground.point(c + 1, lift)) * 0.5f;
      lines->push_back(mid + osg::Vec3(0, -half, 0));
      lines->push_back(mid + osg::Vec3(0, half, 0));
    }
    if (j + 1 < g.rows && zone[c + g.columns] != kFillValue && zone[c + g.columns] != zone[c]) {
      const osg::Vec3 mid = (ground.point(c, lift) + ground.point(c + g.columns, lift)) * 0.5f;
      lines->push_back(mid + osg::Vec3(-half, 0, 0));
      lines->push_back(mid + osg::Vec3(half, 0, 0));
    }
  }
  if (!lines->empty()) {
    osg::ref_ptr<osg::Geometry> outline = new osg::Geometry;
    outline->setVertexArray(lines);
    osg::ref_ptr<osg::Vec4Array> white = new osg::Vec4Array;
    white->push_back({1.0f, 1.0f, 1.0f, 0.9f});
    outline->setColorArray(white, osg::Array::BIND_OVERALL);
    outline->addPrimitiveSet(new osg::DrawArrays(GL_LINES, 0, static_cast<int>(lines->size())));
    outline->getOrCreateStateSet()->setAttributeAndModes(new osg::LineWidth(1.5f));
    overlays->addDrawable(outline);
  }
  // Names at each zone's cell nearest its centre of mass, with the year's measures.
  const auto& names = replay.zone_names();
  const int year_shown = replay.years()[record];
  for (std::size_t z = 1; z < names.size(); ++z) {  // 0: the undisturbed surroundings
    double sx = 0, sy = 0, n = 0;
    for (std::size_t c = 0; c < zone.size(); ++c)
      if (zone[c] == static_cast<double>(z)) {
        sx += static_cast<double>(c % g.columns);
        sy += static_cast<double>(c / g.columns);
        ++n;
      }
    if (n == 0) continue;
    const std::size_t c = static_cast<std::size_t>(std::lround(sy / n)) * g.columns +
                          static_cast<std::size_t>(std::lround(sx / n));
    std::string label = names[z];
    // The state of 1 January of year Y follows the measures of year Y - 1.
    for (const auto& m : replay.outputs().measures)
      if (m.zone == names[z] && m.when.find(std::to_string(year_shown - 1)) != std::string::npos)
        label += "\n" + m.type + " (" + std::to_string(year_shown - 1) + ")";
    osg::ref_ptr<osgText::Text> tag = text(label, ground.point(c, 15.0 * exaggeration), 14.0f);
    tag->setAxisAlignment(osgText::Text::SCREEN);
    tag->setCharacterSizeMode(osgText::Text::SCREEN_COORDS);  // readable at any distance
    tag->setCharacterSize(static_cast<float>(std::max(13, viewport_height / 36)));
    tag->setAlignment(osgText::Text::CENTER_BOTTOM);
    overlays->addDrawable(tag);
  }
  return overlays;
}

}  // namespace minetwin::viz
