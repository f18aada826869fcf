#include "viz/scene/heads_up.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <osg/Geode>
#include <osg/Geometry>
#include <osgText/Font>

#include "viz/scene/surface.hpp"

namespace minetwin::viz {
namespace {

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, std::abs(v) >= 100 ? "%.0f" : "%.3g", v);
  return buffer;
}

}  // namespace

osg::ref_ptr<osgText::Text> text(const std::string& s, const osg::Vec3& position, float size,
                                 const osg::Vec4& colour) {
  osg::ref_ptr<osgText::Text> t = new osgText::Text;
  // DejaVu Sans where Debian's fonts-dejavu-core is installed (through OSG's freetype plugin);
  // OSG's built-in bitmap font otherwise.
  static const osg::ref_ptr<osgText::Font> font = [] {
    const char* file = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    return std::filesystem::exists(file) ? osgText::readRefFontFile(file)
                                         : osg::ref_ptr<osgText::Font>();
  }();
  if (font) t->setFont(font);
  t->setCharacterSize(size);
  t->setPosition(position);
  t->setColor(colour);
  t->setBackdropType(osgText::Text::OUTLINE);
  t->setBackdropColor({0, 0, 0, 1});
  t->setText(s);
  return t;
}

osg::ref_ptr<osg::Camera> heads_up(const Replay& replay, int year, const DrapeSpec& drape,
                                   int width, int height) {
  osg::ref_ptr<osg::Camera> hud = new osg::Camera;
  hud->setProjectionMatrix(osg::Matrix::ortho2D(0, width, 0, height));
  hud->setReferenceFrame(osg::Transform::ABSOLUTE_RF);
  hud->setViewMatrix(osg::Matrix::identity());
  hud->setClearMask(GL_DEPTH_BUFFER_BIT);
  hud->setRenderOrder(osg::Camera::POST_RENDER);
  hud->setAllowEventFocus(false);
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  const float size = static_cast<float>(std::max(14, height / 28));
  geode->addDrawable(
      text(std::to_string(year), {20, static_cast<float>(height) - 1.6f * size, 0}, 1.5f * size));
  const std::string field = drape.field.empty()
                                ? "land cover"
                                : drape.field + (drape.change ? " (change since the start)" : "");
  geode->addDrawable(text(replay.outputs().name + ": " + field,
                          {20, static_cast<float>(height) - 2.8f * size, 0}, 0.8f * size));
  // Site figures of the year: the state on 1 January follows the year before.
  const auto& years = replay.outputs().summary_years;
  const auto found = std::find(years.begin(), years.end(), year - 1);
  if (found != years.end()) {
    const auto k = static_cast<std::size_t>(found - years.begin());
    std::string line;
    auto add = [&](const char* column, const char* label, const char* units) {
      const auto& values = replay.outputs().column(column);
      if (k < values.size())
        line += std::string(line.empty() ? "" : "   ") + label + " " + number_text(values[k]) +
                " " + units;
    };
    add("ecosystem_carbon_t_c", "carbon", "t C");
    add("cumulative_net_balance_t_co2e", "net CO2e", "t");
    add("cd_leached_kg", "Cd leached", "kg");
    add("ndvi_mean", "NDVI", "");
    geode->addDrawable(text(line, {20, 0.8f * size, 0}, 0.7f * size));
  }
  // Legend: a colour bar with its range and units.
  if (!drape.field.empty()) {
    const float x0 = static_cast<float>(width) - 260, y0 = static_cast<float>(height) - 2.0f * size,
                w = 200, h = 0.6f * size;
    osg::ref_ptr<osg::Geometry> bar = new osg::Geometry;
    osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec4ubArray> c = new osg::Vec4ubArray;
    const int steps = drape.categorical ? 4 : 32;
    for (int s = 0; s <= steps; ++s) {
      const float x = x0 + w * static_cast<float>(s) / static_cast<float>(steps);
      const double value =
          drape.categorical ? std::min(s, 3) : drape.low + (drape.high - drape.low) * s / steps;
      v->push_back({x, y0, 0});
      v->push_back({x, y0 + h, 0});
      c->push_back(drape_colour(drape, value));
      c->push_back(drape_colour(drape, value));
    }
    c->setNormalize(true);
    bar->setVertexArray(v);
    bar->setColorArray(c, osg::Array::BIND_PER_VERTEX);
    bar->addPrimitiveSet(new osg::DrawArrays(GL_QUAD_STRIP, 0, static_cast<int>(v->size())));
    geode->addDrawable(bar);
    const std::string low = drape.categorical ? "none" : number_text(drape.low);
    const std::string units = replay.state().info(drape.field).units;
    const std::string high =
        drape.categorical ? "high" : number_text(drape.high) + (units == "1" ? "" : " " + units);
    geode->addDrawable(text(low, {x0, y0 - 0.9f * size, 0}, 0.6f * size));
    geode->addDrawable(text(high, {x0 + w - 60, y0 - 0.9f * size, 0}, 0.6f * size));
  }
  hud->addChild(geode);
  return hud;
}

}  // namespace minetwin::viz
