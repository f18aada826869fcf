#include "viz/scene/decorations.hpp"

#include <algorithm>
#include <cmath>

#include <osg/BlendFunc>
#include <osg/LineWidth>
#include <osg/Program>
#include <osg/VertexAttribDivisor>

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

namespace {

// One plant is one instance of a unit cone (base ring of radius 1 at a quarter of the height,
// apex at 1) placed, scaled and coloured by its instance attributes in the vertex shader; lit
// by the scene's sun (light 0) like the terrain.
constexpr unsigned kPlantAttribute = 6, kPlantLookAttribute = 7;
constexpr const char* kPlantVertexShader = R"(#version 120
attribute vec4 plant;       // base x, y, z; height (scene units)
attribute vec4 plant_look;  // colour r, g, b; radius
varying vec4 colour;
void main() {
  vec3 p = plant.xyz + vec3(gl_Vertex.xy * plant_look.a, gl_Vertex.z * plant.w);
  vec3 n = normalize(gl_NormalMatrix *
                     normalize(vec3(gl_Normal.xy / plant_look.a, gl_Normal.z / plant.w)));
  vec3 sun = normalize(gl_LightSource[0].position.xyz);
  float lit = 0.35 + 0.8 * max(dot(n, sun), 0.0);
  colour = vec4(min(plant_look.rgb * lit, vec3(1.0)), 1.0);
  gl_Position = gl_ModelViewProjectionMatrix * vec4(p, 1.0);
}
)";
constexpr const char* kPlantFragmentShader = R"(#version 120
varying vec4 colour;
void main() { gl_FragColor = colour; }
)";

osg::ref_ptr<osg::Program> plant_program() {
  static const osg::ref_ptr<osg::Program> program = [] {
    osg::ref_ptr<osg::Program> p = new osg::Program;
    p->addShader(new osg::Shader(osg::Shader::VERTEX, kPlantVertexShader));
    p->addShader(new osg::Shader(osg::Shader::FRAGMENT, kPlantFragmentShader));
    p->addBindAttribLocation("plant", kPlantAttribute);
    p->addBindAttribLocation("plant_look", kPlantLookAttribute);
    return p;
  }();
  return program;
}

}  // namespace

// Height 2 m + 4 m per kg C/m2 of stems, 1-20 m: MineTwin's display rule, not an allometry, so
// that a planted zone visibly grows a forest.
osg::ref_ptr<osg::Geometry> plant_cones(const Ground& ground, std::size_t plant_stride) {
  const GridGeometry& g = ground.geometry;
  const std::vector<float>& woody_stem_carbon = ground.surface.woody_stem_carbon;
  const std::vector<float>& cover_fraction = ground.surface.cover;
  osg::ref_ptr<osg::Vec4Array> placement = new osg::Vec4Array;
  osg::ref_ptr<osg::Vec4Array> look = new osg::Vec4Array;
  osg::BoundingBox box;
  const double exaggeration = ground.exaggeration;
  for (std::size_t j = 0; j < g.rows; j += plant_stride)
    for (std::size_t i = 0; i < g.columns; i += plant_stride) {
      const std::size_t c = j * g.columns + i;
      const double wood = woody_stem_carbon[c];
      if (wood < 0.05 || std::isnan(ground.surface.elevation[c])) continue;
      // A keyed pseudo-random number per cell decides, with the cover as the probability.
      std::uint64_t h = c * 0x9E3779B97F4A7C15ULL;
      h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
      if (static_cast<double>(h >> 11) * 0x1.0p-53 > cover_fraction[c]) continue;
      const bool tree = wood >= 1.0;
      const double plant_height = std::clamp(2.0 + 4.0 * wood, 1.0, 20.0) * exaggeration;
      const double radius = std::min(0.3 * plant_height / exaggeration,
                                     0.45 * g.cell_size_m * static_cast<double>(plant_stride));
      // Off the sampling grid by up to 0.4 of its spacing (keyed by the cell): a stand, not rows.
      const double spacing = g.cell_size_m * static_cast<double>(plant_stride);
      const auto jitter = [&](int shift) {
        return static_cast<float>((static_cast<double>((h >> shift) & 0xFFFF) / 65535.0 - 0.5) *
                                  0.8 * spacing);
      };
      const osg::Vec3 base = ground.point(c, 0.0) + osg::Vec3(jitter(3), jitter(19), 0.0f);
      placement->push_back(osg::Vec4(base, static_cast<float>(plant_height)));
      look->push_back(tree ? osg::Vec4(0.10f, 0.30f, 0.12f, static_cast<float>(radius))
                           : osg::Vec4(0.30f, 0.42f, 0.18f, static_cast<float>(radius)));
      box.expandBy(base);
      box.expandBy(base + osg::Vec3(0, 0, static_cast<float>(plant_height)));
    }
  // The unit cone: six sides, flat-shaded normals.
  constexpr int kSides = 6;
  osg::ref_ptr<osg::Vec3Array> cone = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
  const osg::Vec3 apex(0, 0, 1);
  for (int k = 0; k < kSides; ++k) {
    const double a0 = 2 * osg::PI * k / kSides, a1 = 2 * osg::PI * (k + 1) / kSides;
    const osg::Vec3 p0(static_cast<float>(std::cos(a0)), static_cast<float>(std::sin(a0)), 0.25f);
    const osg::Vec3 p1(static_cast<float>(std::cos(a1)), static_cast<float>(std::sin(a1)), 0.25f);
    osg::Vec3 n = (p1 - p0) ^ (apex - p0);
    n.normalize();
    for (const osg::Vec3& v : {p0, p1, apex}) {
      cone->push_back(v);
      normals->push_back(n);
    }
  }
  osg::ref_ptr<osg::Geometry> plants = new osg::Geometry;
  plants->setUseVertexBufferObjects(true);
  plants->setVertexArray(cone);
  plants->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
  plants->setVertexAttribArray(kPlantAttribute, placement, osg::Array::BIND_PER_VERTEX);
  plants->setVertexAttribArray(kPlantLookAttribute, look, osg::Array::BIND_PER_VERTEX);
  plants->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<int>(cone->size()),
                                              static_cast<int>(placement->size())));
  // The instances are placed by the shader: the bound is theirs, not the unit cone's.
  if (box.valid()) plants->setInitialBound(box);
  osg::StateSet* state = plants->getOrCreateStateSet();
  state->setAttributeAndModes(plant_program());
  state->setAttribute(new osg::VertexAttribDivisor(kPlantAttribute, 1));
  state->setAttribute(new osg::VertexAttribDivisor(kPlantLookAttribute, 1));
  return plants;
}

/// The number of plants drawn by @p plants (instances).
std::size_t plant_count(const osg::Geometry& plants) {
  const auto* placement = plants.getVertexAttribArray(kPlantAttribute);
  return placement != nullptr ? placement->getNumElements() : 0;
}

namespace {

// Vertices drawn as @p mode in one colour.
osg::ref_ptr<osg::Geometry> one_colour(osg::ref_ptr<osg::Vec3Array> vertices,
                                       const osg::Vec4& colour, GLenum mode) {
  osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
  geometry->setVertexArray(vertices);
  osg::ref_ptr<osg::Vec4Array> colours = new osg::Vec4Array;
  colours->push_back(colour);
  geometry->setColorArray(colours, osg::Array::BIND_OVERALL);
  geometry->addPrimitiveSet(new osg::DrawArrays(mode, 0, static_cast<int>(vertices->size())));
  return geometry;
}

}  // namespace

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
    osg::ref_ptr<osg::Geometry> water = one_colour(quads, {0.15f, 0.35f, 0.65f, 0.75f}, GL_QUADS);
    water->getOrCreateStateSet()->setMode(GL_BLEND, osg::StateAttribute::ON);
    water->getOrCreateStateSet()->setRenderingHint(osg::StateSet::TRANSPARENT_BIN);
    overlays->addDrawable(water);
  }

  const std::vector<double>& zone = replay.zones();
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
    osg::ref_ptr<osg::Geometry> outline = one_colour(lines, {1.0f, 1.0f, 1.0f, 0.9f}, GL_LINES);
    outline->getOrCreateStateSet()->setAttributeAndModes(new osg::LineWidth(1.5f));
    overlays->addDrawable(outline);
  }
  // Names at each zone's cell nearest its centre of mass, with the year's measures.
  const auto& names = replay.zone_names();
  const int year_shown = replay.years()[record];
  for (std::size_t z = 1; z < names.size(); ++z) {  // 0: the undisturbed surroundings
    const std::size_t c = replay.zone_label_cell(z);
    if (c >= zone.size()) continue;
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
