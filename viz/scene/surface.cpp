#include "viz/scene/surface.hpp"

#include <algorithm>
#include <cmath>

#include "engine/grid/state.hpp"
#include "viz/colormap.hpp"

namespace minetwin::viz {
namespace {

osg::Vec4ub to_bytes(float r, float g, float b) {
  auto byte = [](float v) {
    return static_cast<std::uint8_t>(std::lround(255 * std::clamp(v, 0.0f, 1.0f)));
  };
  return {byte(r), byte(g), byte(b), 255};
}

// The satellite-like colour of a cell: water, forest, shrub, grass over bare ground (grey spoil
// or brown soil by rock fragments). The woody thresholds are the display's (1 kg C/m2 of stems:
// forest; 0.05: shrub).
osg::Vec4ub plain_colour(double cover, double wood, double rock, bool water) {
  if (water) return to_bytes(0.16f, 0.33f, 0.55f);
  const float spoil[3] = {0.62f, 0.60f, 0.56f}, soil[3] = {0.55f, 0.45f, 0.33f};
  const float grass[3] = {0.47f, 0.62f, 0.28f}, shrub[3] = {0.33f, 0.45f, 0.20f},
              forest[3] = {0.13f, 0.31f, 0.13f};
  const float r = static_cast<float>(std::clamp(rock / 0.5, 0.0, 1.0));
  const float* green = wood >= 1.0 ? forest : wood >= 0.05 ? shrub : grass;
  const float c = static_cast<float>(std::clamp(cover, 0.0, 1.0));
  float mix[3];
  for (int k = 0; k < 3; ++k) mix[k] = green[k] * c + (spoil[k] * r + soil[k] * (1 - r)) * (1 - c);
  return to_bytes(mix[0], mix[1], mix[2]);
}

}  // namespace

osg::Vec4ub drape_colour(const DrapeSpec& drape, double value) {
  const double t = (value - drape.low) / (drape.high - drape.low);
  const Rgb c =
      drape.categorical
          ? hazard_class_colour(std::lround(value))
          : colormap(drape.change ? ColormapKind::diverging : ColormapKind::sequential, t);
  return to_bytes(c.r, c.g, c.b);
}

SurfaceRecord load_surface(const Replay& replay, std::size_t record, const DrapeSpec& drape) {
  SurfaceRecord surface;
  surface.year = replay.years()[record];
  const auto elevation = replay.state().read("topographic__elevation", record);
  surface.elevation.resize(elevation.size());
  for (std::size_t c = 0; c < elevation.size(); ++c)
    surface.elevation[c] = elevation[c] == kFillValue || !std::isfinite(elevation[c])
                               ? std::nanf("")
                               : static_cast<float>(elevation[c]);
  surface.lowest = 1e300;
  surface.highest = -1e300;
  for (float e : surface.elevation)
    if (!std::isnan(e)) {
      surface.lowest = std::min(surface.lowest, static_cast<double>(e));
      surface.highest = std::max(surface.highest, static_cast<double>(e));
    }
  surface.colour.assign(elevation.size(), osg::Vec4ub(128, 128, 128, 255));
  // Read once: the plants and the land-cover look both need them.
  const auto cover = replay.read_or_empty("vegetation__cover_fraction", record);
  const auto wood = replay.read_or_empty("vegetation__woody_stem_carbon", record);
  auto at = [](const std::vector<double>& f, std::size_t c) {
    return f.empty() || f[c] == kFillValue ? 0.0 : f[c];
  };
  if (!cover.empty() && !wood.empty()) {
    surface.cover.resize(cover.size());
    surface.woody_stem_carbon.resize(wood.size());
    for (std::size_t c = 0; c < cover.size(); ++c) {
      surface.cover[c] = static_cast<float>(at(cover, c));
      surface.woody_stem_carbon[c] = static_cast<float>(at(wood, c));
    }
  }
  if (drape.field.empty()) {
    const auto rock = replay.read_or_empty("soil__rock_fragment_fraction", record, 0);
    const auto water = replay.read_or_empty("surface_water__depth", record);
    const auto lake = replay.read_or_empty("pit_lake__volume", record);
    for (std::size_t c = 0; c < surface.colour.size(); ++c)
      surface.colour[c] = plain_colour(at(cover, c), at(wood, c), at(rock, c),
                                       at(water, c) > 0.3 || at(lake, c) > 0);
  } else {
    const auto values = replay.state().read(drape.field, record, drape.layer);
    const auto first =
        drape.change ? replay.state().read(drape.field, 0, drape.layer) : std::vector<double>{};
    for (std::size_t c = 0; c < surface.colour.size(); ++c)
      if (values[c] != kFillValue)
        surface.colour[c] = drape_colour(drape, drape.change ? values[c] - first[c] : values[c]);
  }
  return surface;
}

std::shared_ptr<const BlendedSurface> blend(const GridGeometry& geometry,
                                            std::shared_ptr<const SurfaceRecord> from,
                                            std::shared_ptr<const SurfaceRecord> to, float weight,
                                            double base_elevation, double exaggeration) {
  auto surface = std::make_shared<BlendedSurface>();
  surface->geometry = geometry;
  surface->from = std::move(from);
  surface->to = to ? std::move(to) : surface->from;
  surface->weight = std::clamp(weight, 0.0f, 1.0f);
  surface->base_elevation = base_elevation;
  surface->exaggeration = exaggeration;
  double low = std::min(surface->from->lowest, surface->to->lowest),
         high = std::max(surface->from->highest, surface->to->highest);
  if (low > high) low = high = base_elevation;  // no valid cell
  surface->lowest_z = (low - base_elevation) * exaggeration;
  surface->highest_z = (high - base_elevation) * exaggeration;
  return surface;
}

}  // namespace minetwin::viz
