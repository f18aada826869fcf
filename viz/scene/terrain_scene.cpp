#include "viz/scene/terrain_scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fstream>
#include <sstream>

#include <osg/BlendFunc>
#include <osg/Depth>
#include <osg/LightSource>
#include <osg/LineWidth>
#include <osg/Material>
#include <osgText/Font>
#include <osgText/Text>

#include "engine/core/errors.hpp"
#include "engine/grid/state.hpp"
#include "viz/colormap.hpp"

namespace minetwin::viz {
namespace {

bool has_variable(const NetcdfReader& reader, const std::string& name) {
  const auto names = reader.variables();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<double> read_or_empty(const NetcdfReader& reader, const std::string& name,
                                  std::size_t record, std::size_t layer = 0) {
  return has_variable(reader, name) ? reader.read(name, record, layer) : std::vector<double>{};
}

// The satellite-like colour of a cell: water, forest, shrub, grass over bare ground (grey spoil
// or brown soil by rock fragments).
osg::Vec4 plain_colour(double cover, double wood, double rock, bool water) {
  if (water) return {0.16f, 0.33f, 0.55f, 1.0f};
  const osg::Vec3 spoil(0.62f, 0.60f, 0.56f), soil(0.55f, 0.45f, 0.33f);
  const osg::Vec3 grass(0.47f, 0.62f, 0.28f), shrub(0.33f, 0.45f, 0.20f),
      forest(0.13f, 0.31f, 0.13f);
  const float r = static_cast<float>(std::clamp(rock / 0.5, 0.0, 1.0));
  const osg::Vec3 bare = spoil * r + soil * (1 - r);
  const osg::Vec3 green = wood >= 1.0 ? forest : wood >= 0.05 ? shrub : grass;
  const float c = static_cast<float>(std::clamp(cover, 0.0, 1.0));
  const osg::Vec3 mix = green * c + bare * (1 - c);
  return {mix.x(), mix.y(), mix.z(), 1.0f};
}

osg::Vec4 field_colour(const DrapeSpec& drape, double v) {
  const double t = (v - drape.low) / (drape.high - drape.low);
  const Rgb c =
      drape.categorical
          ? hazard_class_colour(std::lround(v))
          : colormap(drape.change ? ColormapKind::diverging : ColormapKind::sequential, t);
  return {c.r, c.g, c.b, 1.0f};
}

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, std::abs(v) >= 100 ? "%.0f" : "%.3g", v);
  return buffer;
}

osg::ref_ptr<osgText::Text> text(const std::string& s, const osg::Vec3& position, float size,
                                 const osg::Vec4& colour = {1, 1, 1, 1}) {
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

// The heads-up display: year, field, legend, the site figures of the year (summary.csv).
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
  // Site figures of the year.
  const auto& years = replay.outputs().summary_years;
  const auto found = std::find(years.begin(), years.end(),
                               year - 1);  // the state on 1 January follows the year before
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
  // Legend: a colour bar with its range.
  if (!drape.field.empty()) {
    const float x0 = static_cast<float>(width) - 260, y0 = static_cast<float>(height) - 2.0f * size,
                w = 200, h = 0.6f * size;
    osg::ref_ptr<osg::Geometry> bar = new osg::Geometry;
    osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec4Array> c = new osg::Vec4Array;
    const int steps = drape.categorical ? 4 : 32;
    for (int s = 0; s <= steps; ++s) {
      const float x = x0 + w * static_cast<float>(s) / static_cast<float>(steps);
      const double value =
          drape.categorical ? std::min(s, 3) : drape.low + (drape.high - drape.low) * s / steps;
      v->push_back({x, y0, 0});
      v->push_back({x, y0 + h, 0});
      c->push_back(field_colour(drape, value));
      c->push_back(field_colour(drape, value));
    }
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

}  // namespace

Replay::Replay(const std::filesystem::path& output) : outputs_(report::load_run_outputs(output)) {
  state_ = std::make_unique<NetcdfReader>(output / "state.nc");
  if (state_->years().empty())
    throw InputError((output / "state.nc").string(), 0, 0, "no recorded year to replay");
  // Zone names: run.yaml's "# zone__id values: 0=undisturbed, 1=..." line.
  std::ifstream run_yaml(output / "run.yaml");
  const std::string key = "# zone__id values: ";
  for (std::string line; std::getline(run_yaml, line);) {
    if (line.rfind(key, 0) != 0) continue;
    std::stringstream items(line.substr(key.size()));
    for (std::string item; std::getline(items, item, ',');) {
      const auto equals = item.find('=');
      if (equals != std::string::npos) zone_names_.push_back(item.substr(equals + 1));
    }
  }
}

std::size_t Replay::record_of(int year) const {
  const auto& all = years();
  std::size_t best = 0;
  for (std::size_t k = 0; k < all.size(); ++k)
    if (std::abs(all[k] - year) < std::abs(all[best] - year)) best = k;
  return best;
}

void fit_drape(const Replay& replay, DrapeSpec& drape) {
  if (drape.field.empty() || drape.categorical) return;
  if (!has_variable(replay.state(), drape.field)) {
    std::vector<std::string> names = replay.state().variables();
    const std::string hint = closest_match(drape.field, names);
    throw InputError("--field", 0, 0,
                     "no field '" + drape.field + "' in state.nc" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  const auto& years = replay.years();
  const auto first = replay.state().read(drape.field, 0, drape.layer);
  std::vector<double> values;
  for (std::size_t record : {std::size_t{0}, years.size() - 1}) {
    const auto now = replay.state().read(drape.field, record, drape.layer);
    for (std::size_t c = 0; c < now.size(); ++c) {
      if (now[c] == kFillValue || !std::isfinite(now[c])) continue;
      values.push_back(drape.change ? now[c] - first[c] : now[c]);
    }
  }
  if (values.empty()) return;
  const ColourRange range = robust_range(std::move(values));
  drape.low = range.low;
  drape.high = range.high;
  if (drape.change) {  // symmetric about no change
    const double m = std::max({std::abs(drape.low), std::abs(drape.high), 1e-12});
    drape.low = -m;
    drape.high = m;
  }
}

void site_bounds(const Replay& replay, double exaggeration, osg::Vec3d& centre, double& radius) {
  const GridGeometry& g = replay.state().geometry();
  const auto z = replay.state().read("topographic__elevation", 0);
  double low = 1e300, high = -1e300;
  for (double v : z)
    if (v != kFillValue) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  const double w = static_cast<double>(g.columns) * g.cell_size_m,
               h = static_cast<double>(g.rows) * g.cell_size_m;
  centre.set(w / 2, -h / 2, (high - low) * exaggeration / 2);
  radius = 0.5 * std::sqrt(w * w + h * h);
}

osg::ref_ptr<osg::Group> build_year_scene(const Replay& replay, int year, const DrapeSpec& drape,
                                          double exaggeration, int width, int height,
                                          std::size_t max_vertices) {
  const NetcdfReader& state = replay.state();
  const GridGeometry& g = state.geometry();
  const std::size_t record = replay.record_of(year);
  const auto elevation = state.read("topographic__elevation", record);
  double low = 1e300;
  for (double v : elevation)
    if (v != kFillValue) low = std::min(low, v);

  // Colours of the year.
  std::vector<osg::Vec4> colours(elevation.size(), osg::Vec4(0.5f, 0.5f, 0.5f, 1));
  if (drape.field.empty()) {
    const auto cover = read_or_empty(state, "vegetation__cover_fraction", record);
    const auto wood = read_or_empty(state, "vegetation__woody_stem_carbon", record);
    const auto rock = read_or_empty(state, "soil__rock_fragment_fraction", record, 0);
    const auto water = read_or_empty(state, "surface_water__depth", record);
    const auto lake = read_or_empty(state, "pit_lake__volume", record);
    for (std::size_t c = 0; c < colours.size(); ++c) {
      auto at = [&](const std::vector<double>& f) {
        return f.empty() || f[c] == kFillValue ? 0.0 : f[c];
      };
      colours[c] = plain_colour(at(cover), at(wood), at(rock), at(water) > 0.3 || at(lake) > 0);
    }
  } else {
    const auto values = state.read(drape.field, record, drape.layer);
    const auto first =
        drape.change ? state.read(drape.field, 0, drape.layer) : std::vector<double>{};
    for (std::size_t c = 0; c < colours.size(); ++c)
      if (values[c] != kFillValue)
        colours[c] = field_colour(drape, drape.change ? values[c] - first[c] : values[c]);
  }

  // The mesh: every stride-th cell centre a vertex (level of detail for large DEMs).
  const std::size_t cells = g.columns * g.rows;
  const auto stride = static_cast<std::size_t>(std::max(
      1.0, std::ceil(std::sqrt(static_cast<double>(cells) / static_cast<double>(max_vertices)))));
  const std::size_t nx = (g.columns + stride - 1) / stride, ny = (g.rows + stride - 1) / stride;
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array(static_cast<unsigned>(nx * ny));
  osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array(static_cast<unsigned>(nx * ny));
  osg::ref_ptr<osg::Vec4Array> vertex_colours = new osg::Vec4Array(static_cast<unsigned>(nx * ny));
  std::vector<std::uint8_t> valid(nx * ny, 0);
  auto cell_of = [&](std::size_t i, std::size_t j) {
    return std::min(j * stride, g.rows - 1) * g.columns + std::min(i * stride, g.columns - 1);
  };
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      const std::size_t c = cell_of(i, j);
      const double z = elevation[c] == kFillValue ? low : elevation[c];
      (*vertices)[j * nx + i].set(
          static_cast<float>(static_cast<double>(i * stride) * g.cell_size_m),
          static_cast<float>(-static_cast<double>(j * stride) * g.cell_size_m),
          static_cast<float>((z - low) * exaggeration));
      (*vertex_colours)[j * nx + i] = colours[c];
      valid[j * nx + i] = elevation[c] != kFillValue;
    }
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      const auto& left = (*vertices)[j * nx + (i > 0 ? i - 1 : i)];
      const auto& right = (*vertices)[j * nx + (i + 1 < nx ? i + 1 : i)];
      const auto& up = (*vertices)[(j > 0 ? j - 1 : j) * nx + i];
      const auto& down = (*vertices)[(j + 1 < ny ? j + 1 : j) * nx + i];
      osg::Vec3 n = (right - left) ^ (up - down);
      n.normalize();
      (*normals)[j * nx + i] = n;
    }
  osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
  for (std::size_t j = 0; j + 1 < ny; ++j)
    for (std::size_t i = 0; i + 1 < nx; ++i) {
      const auto a = static_cast<unsigned>(j * nx + i), b = a + 1,
                 c = static_cast<unsigned>((j + 1) * nx + i), d = c + 1;
      if (!valid[a] || !valid[b] || !valid[c] || !valid[d]) continue;
      for (unsigned index : {a, c, b, b, c, d}) triangles->push_back(index);
    }
  osg::ref_ptr<osg::Geometry> mesh = new osg::Geometry;
  mesh->setUseVertexBufferObjects(true);
  mesh->setVertexArray(vertices);
  mesh->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
  mesh->setColorArray(vertex_colours, osg::Array::BIND_PER_VERTEX);
  mesh->addPrimitiveSet(triangles);
  osg::ref_ptr<osg::Geode> terrain = new osg::Geode;
  terrain->addDrawable(mesh);
  osg::ref_ptr<osg::Material> material = new osg::Material;
  material->setColorMode(osg::Material::AMBIENT_AND_DIFFUSE);
  terrain->getOrCreateStateSet()->setAttributeAndModes(material);

  // Overlays: standing water at its level, zone outlines and names, the year's measures.
  osg::ref_ptr<osg::Geode> overlays = new osg::Geode;
  overlays->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  auto scene_point = [&](std::size_t c, double lift) {
    const double z = elevation[c] == kFillValue ? low : elevation[c];
    return osg::Vec3(static_cast<float>(static_cast<double>(c % g.columns) * g.cell_size_m),
                     static_cast<float>(-static_cast<double>(c / g.columns) * g.cell_size_m),
                     static_cast<float>((z - low) * exaggeration + lift));
  };
  const auto depth = read_or_empty(state, "surface_water__depth", record);
  if (!depth.empty()) {
    osg::ref_ptr<osg::Geometry> water = new osg::Geometry;
    osg::ref_ptr<osg::Vec3Array> quads = new osg::Vec3Array;
    const float half = static_cast<float>(g.cell_size_m / 2);
    for (std::size_t c = 0; c < depth.size(); ++c) {
      if (depth[c] == kFillValue || depth[c] < 0.05) continue;
      const osg::Vec3 centre = scene_point(c, depth[c] * exaggeration);
      quads->push_back(centre + osg::Vec3(-half, -half, 0));
      quads->push_back(centre + osg::Vec3(half, -half, 0));
      quads->push_back(centre + osg::Vec3(half, half, 0));
      quads->push_back(centre + osg::Vec3(-half, half, 0));
    }
    if (!quads->empty()) {
      water->setVertexArray(quads);
      osg::ref_ptr<osg::Vec4Array> blue = new osg::Vec4Array;
      blue->push_back({0.15f, 0.35f, 0.65f, 0.75f});
      water->setColorArray(blue, osg::Array::BIND_OVERALL);
      water->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, static_cast<int>(quads->size())));
      water->getOrCreateStateSet()->setMode(GL_BLEND, osg::StateAttribute::ON);
      water->getOrCreateStateSet()->setRenderingHint(osg::StateSet::TRANSPARENT_BIN);
      overlays->addDrawable(water);
    }
  }
  // Trees and shrubs: a cone per plant on a sample of the woody cells, as dense as the woody
  // cover and as tall as the stem carbon allows (height 2 + 4 kg C/m2 of stems, 1-20 m; MineTwin's
  // display rule, not an allometry), so a planted zone visibly grows a forest.
  const auto wood = read_or_empty(state, "vegetation__woody_stem_carbon", record);
  const auto cover_now = read_or_empty(state, "vegetation__cover_fraction", record);
  if (!wood.empty() && !cover_now.empty()) {
    osg::ref_ptr<osg::Vec3Array> cones = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec3Array> cone_normals = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec4Array> cone_colours = new osg::Vec4Array;
    const std::size_t plant_stride = std::max<std::size_t>(2, stride * 2);
    constexpr int kSides = 6;
    for (std::size_t j = 0; j < g.rows; j += plant_stride)
      for (std::size_t i = 0; i < g.columns; i += plant_stride) {
        const std::size_t c = j * g.columns + i;
        if (wood[c] == kFillValue || wood[c] < 0.05 || elevation[c] == kFillValue) continue;
        // A keyed pseudo-random number per cell decides, with the cover as the probability.
        std::uint64_t h = c * 0x9E3779B97F4A7C15ULL;
        h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
        if (static_cast<double>(h >> 11) * 0x1.0p-53 > cover_now[c]) continue;
        const bool tree = wood[c] >= 1.0;
        const double plant_height = std::clamp(2.0 + 4.0 * wood[c], 1.0, 20.0) * exaggeration;
        const double radius = std::min(0.3 * plant_height / exaggeration,
                                       0.45 * g.cell_size_m * static_cast<double>(plant_stride));
        const osg::Vec3 base = scene_point(c, 0.0);
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
            cone_normals->push_back(n);
            cone_colours->push_back(colour);
          }
        }
      }
    if (!cones->empty()) {
      osg::ref_ptr<osg::Geometry> plants = new osg::Geometry;
      plants->setUseVertexBufferObjects(true);
      plants->setVertexArray(cones);
      plants->setNormalArray(cone_normals, osg::Array::BIND_PER_VERTEX);
      plants->setColorArray(cone_colours, osg::Array::BIND_PER_VERTEX);
      plants->addPrimitiveSet(
          new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<int>(cones->size())));
      terrain->addDrawable(plants);
    }
  }

  const auto zone = read_or_empty(state, "zone__id", 0);
  if (!zone.empty()) {
    // Outlines: cell edges between zones, just above the ground.
    osg::ref_ptr<osg::Vec3Array> lines = new osg::Vec3Array;
    const float half = static_cast<float>(g.cell_size_m / 2);
    const double lift = 0.5 * exaggeration;
    for (std::size_t c = 0; c < zone.size(); ++c) {
      if (zone[c] == kFillValue) continue;
      const std::size_t i = c % g.columns, j = c / g.columns;
      if (i + 1 < g.columns && zone[c + 1] != kFillValue && zone[c + 1] != zone[c]) {
        const osg::Vec3 a = scene_point(c, lift), b = scene_point(c + 1, lift);
        const osg::Vec3 mid = (a + b) * 0.5f;
        lines->push_back(mid + osg::Vec3(0, -half, 0));
        lines->push_back(mid + osg::Vec3(0, half, 0));
      }
      if (j + 1 < g.rows && zone[c + g.columns] != kFillValue && zone[c + g.columns] != zone[c]) {
        const osg::Vec3 a = scene_point(c, lift), b = scene_point(c + g.columns, lift);
        const osg::Vec3 mid = (a + b) * 0.5f;
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
    // Names at each zone's highest cell near its centre of mass, with the year's measures.
    const auto& names = replay.zone_names();
    const int year_shown = state.years()[record];
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
      for (const auto& m : replay.outputs().measures)
        if (m.zone == names[z] && m.when.find(std::to_string(year_shown - 1)) != std::string::npos)
          label += "\n" + m.type + " (" + std::to_string(year_shown - 1) + ")";
      osg::ref_ptr<osgText::Text> tag = text(label, scene_point(c, 15.0 * exaggeration), 14.0f);
      tag->setAxisAlignment(osgText::Text::SCREEN);
      tag->setCharacterSizeMode(osgText::Text::SCREEN_COORDS);  // readable at any distance
      tag->setCharacterSize(static_cast<float>(std::max(13, height / 36)));
      tag->setAlignment(osgText::Text::CENTER_BOTTOM);
      overlays->addDrawable(tag);
    }
  }

  // Sunlight from the south-west, 45 degrees up (map convention: y is north).
  osg::ref_ptr<osg::Group> root = new osg::Group;
  osg::ref_ptr<osg::LightSource> sun = new osg::LightSource;
  sun->getLight()->setLightNum(0);
  sun->getLight()->setPosition(osg::Vec4(-0.5f, -0.5f, 0.707f, 0.0f));
  sun->getLight()->setAmbient({0.35f, 0.35f, 0.35f, 1});
  sun->getLight()->setDiffuse({0.8f, 0.8f, 0.8f, 1});
  root->addChild(sun);
  root->getOrCreateStateSet()->setMode(GL_LIGHT0, osg::StateAttribute::ON);
  root->addChild(terrain);
  root->addChild(overlays);
  root->addChild(heads_up(replay, state.years()[record], drape, width, height));
  return root;
}

}  // namespace minetwin::viz
