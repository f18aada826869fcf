#include "viz/scene/terrain_scene.hpp"

#include <algorithm>
#include <cmath>

#include <osg/LightSource>
#include <osg/Material>

#include "viz/scene/decorations.hpp"
#include "viz/scene/heads_up.hpp"

namespace minetwin::viz {

SiteScene::SiteScene(const Replay& replay, const DrapeSpec& drape, double exaggeration, int width,
                     int height, const LodSettings& lod)
    : replay_(replay),
      drape_(drape),
      exaggeration_(exaggeration),
      width_(width),
      height_(height),
      terrain_(replay.state().geometry(), lod),
      root_(new osg::Group),
      decorations_(new osg::Group),
      hud_(new osg::Group) {
  // Sunlight from the south-west, 45 degrees up (map convention: y is north).
  osg::ref_ptr<osg::LightSource> sun = new osg::LightSource;
  sun->getLight()->setLightNum(0);
  sun->getLight()->setPosition(osg::Vec4(-0.5f, -0.5f, 0.707f, 0.0f));
  sun->getLight()->setAmbient({0.35f, 0.35f, 0.35f, 1});
  sun->getLight()->setDiffuse({0.8f, 0.8f, 0.8f, 1});
  root_->addChild(sun);
  root_->getOrCreateStateSet()->setMode(GL_LIGHT0, osg::StateAttribute::ON);
  // Vertex colours are the material's ambient and diffuse colours (terrain and plants).
  osg::ref_ptr<osg::Material> material = new osg::Material;
  material->setColorMode(osg::Material::AMBIENT_AND_DIFFUSE);
  root_->getOrCreateStateSet()->setAttributeAndModes(material);
  root_->addChild(terrain_.node());
  root_->addChild(decorations_);
  root_->addChild(hud_);
}

std::shared_ptr<const SurfaceRecord> SiteScene::record(std::size_t k) {
  auto found = records_.find(k);
  if (found != records_.end()) return found->second;
  // Keep the records around the moment shown (smooth playing needs two, stepping back one more).
  while (records_.size() >= 3) {
    auto farthest = std::max_element(records_.begin(), records_.end(), [&](auto& a, auto& b) {
      const auto distance = [&](std::size_t r) { return r > k ? r - k : k - r; };
      return distance(a.first) < distance(b.first);
    });
    records_.erase(farthest);
  }
  auto loaded = std::make_shared<const SurfaceRecord>(load_surface(replay_, k, drape_));
  records_[k] = loaded;
  return loaded;
}

void SiteScene::show(double year) {
  const auto& years = replay_.years();
  const double t =
      std::clamp(year, static_cast<double>(years.front()), static_cast<double>(years.back()));
  std::size_t k = 0;
  while (k + 1 < years.size() && static_cast<double>(years[k + 1]) <= t) ++k;
  const float weight =
      k + 1 < years.size()
          ? static_cast<float>((t - years[k]) / static_cast<double>(years[k + 1] - years[k]))
          : 0.0f;
  if (k != from_ || weight != weight_) {
    from_ = k;
    weight_ = weight;
    const auto from = record(k);
    const auto to = weight > 0 ? record(k + 1) : from;
    terrain_.set_surface(blend(replay_.state().geometry(), from, to, weight,
                               replay_.base_elevation(), exaggeration_));
  }
  const std::size_t nearest = weight < 0.5f ? k : k + 1;
  if (nearest != decorated_) decorate(nearest);
  // The heads-up display names the year of the moment shown, with that year's site figures
  // (summary.csv has every simulated year, state.nc perhaps fewer).
  const int year_shown = static_cast<int>(std::floor(t));
  if (year_shown != hud_year_) {
    hud_year_ = year_shown;
    hud_->removeChildren(0, hud_->getNumChildren());
    hud_->addChild(heads_up(replay_, year_shown, drape_, width_, height_));
  }
}

int SiteScene::nearest_year() const {
  return replay_.years()[decorated_ < replay_.years().size() ? decorated_ : 0];
}

void SiteScene::decorate(std::size_t k) {
  decorated_ = k;
  decorations_->removeChildren(0, decorations_->getNumChildren());
  const auto surface = record(k);
  const Ground ground{replay_.state().geometry(), *surface, replay_.base_elevation(),
                      exaggeration_};
  if (!surface->woody_stem_carbon.empty()) {
    osg::ref_ptr<osg::Geode> plants = new osg::Geode;
    plants->addDrawable(plant_cones(ground, plant_stride_for(surface->cover.size())));
    decorations_->addChild(plants);
  }
  decorations_->addChild(site_overlays(replay_, k, ground, height_));
}

void SiteScene::look_from(const osg::Matrixd& view, const osg::Matrixd& projection) {
  const double pixels_per_radian =
      height_ / (2.0 * std::tan(osg::DegreesToRadians(kFieldOfViewDegrees) / 2));
  terrain_.select(view, projection, pixels_per_radian);
}

}  // namespace minetwin::viz
