#include "viz/scene/terrain_lod.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <tbb/parallel_for.h>

namespace minetwin::viz {

TerrainLod::TerrainLod(const GridGeometry& geometry, const LodSettings& settings)
    : geometry_(geometry), settings_(settings), node_(new osg::Geode) {
  const std::size_t extent = std::max<std::size_t>({geometry.columns, geometry.rows, 2}) - 1;
  while (static_cast<std::size_t>(settings_.tile_quads) << root_level_ < extent) ++root_level_;
  node_->setDataVariance(osg::Object::DYNAMIC);
}

void TerrainLod::set_surface(std::shared_ptr<const BlendedSurface> surface) {
  surface_ = std::move(surface);
  ++version_;
}

void TerrainLod::span(const TileKey& key, std::size_t& column0, std::size_t& column1,
                      std::size_t& row0, std::size_t& row1) const {
  const std::size_t cells = static_cast<std::size_t>(settings_.tile_quads) << key.level;
  const std::size_t last_column = geometry_.columns > 0 ? geometry_.columns - 1 : 0,
                    last_row = geometry_.rows > 0 ? geometry_.rows - 1 : 0;
  column0 = std::min(static_cast<std::size_t>(key.column) * cells, last_column);
  row0 = std::min(static_cast<std::size_t>(key.row) * cells, last_row);
  column1 = std::min(column0 + cells, last_column);
  row1 = std::min(row0 + cells, last_row);
}

bool TerrainLod::exists(const TileKey& key) const {
  const std::size_t cells = static_cast<std::size_t>(settings_.tile_quads) << key.level;
  const std::size_t extent_columns = std::max<std::size_t>(geometry_.columns, 2) - 1,
                    extent_rows = std::max<std::size_t>(geometry_.rows, 2) - 1;
  return static_cast<std::size_t>(key.column) * cells < extent_columns &&
         static_cast<std::size_t>(key.row) * cells < extent_rows;
}

double TerrainLod::projected_error(const TileKey& key, const osg::Vec3d& eye,
                                   double pixels_per_radian) const {
  std::size_t c0, c1, r0, r1;
  span(key, c0, c1, r0, r1);
  const double cell = geometry_.cell_size_m;
  // Distance from the eye to the tile's box (the site's z range: conservative).
  auto outside = [](double v, double low, double high) {
    return v < low ? low - v : v > high ? v - high : 0.0;
  };
  const double dx =
      outside(eye.x(), static_cast<double>(c0) * cell, static_cast<double>(c1) * cell);
  const double dy =
      outside(eye.y(), -static_cast<double>(r1) * cell, -static_cast<double>(r0) * cell);
  const double dz = outside(eye.z(), surface_->lowest_z, surface_->highest_z);
  const double distance = std::sqrt(dx * dx + dy * dy + dz * dz);
  const double quad = std::ldexp(cell, key.level);
  return distance <= 1e-9 ? std::numeric_limits<double>::infinity()
                          : quad / distance * pixels_per_radian;
}

bool TerrainLod::built(const TileKey& key) const {
  const auto found = tiles_.find(key.id());
  return found != tiles_.end() && found->second.geometry;
}

bool TerrainLod::in_view(const TileKey& key) {
  if (!has_frustum_) return true;
  std::size_t c0, c1, r0, r1;
  span(key, c0, c1, r0, r1);
  const double cell = geometry_.cell_size_m;
  const osg::BoundingBox box(
      static_cast<float>(static_cast<double>(c0) * cell),
      static_cast<float>(-static_cast<double>(r1) * cell), static_cast<float>(surface_->lowest_z),
      static_cast<float>(static_cast<double>(c1) * cell),
      static_cast<float>(-static_cast<double>(r0) * cell), static_cast<float>(surface_->highest_z));
  return frustum_.contains(box);
}

void TerrainLod::select(const osg::Matrixd& view, const osg::Matrixd& projection,
                        double pixels_per_radian) {
  osg::Polytope frustum;
  frustum.setToUnitFrustum();
  frustum.transformProvidingInverse(view * projection);
  select(osg::Matrixd::inverse(view).getTrans(), pixels_per_radian, &frustum);
}

void TerrainLod::select(const osg::Vec3d& eye, double pixels_per_radian,
                        const osg::Polytope* frustum) {
  has_frustum_ = frustum != nullptr;
  if (frustum) frustum_ = *frustum;
  ++selection_;
  pending_ = false;
  stats_ = Stats{};
  node_->removeDrawables(0, node_->getNumDrawables());
  if (!surface_) return;
  std::size_t budget = settings_.new_tiles_per_frame;
  visit(TileKey{root_level_, 0, 0}, eye, pixels_per_radian, budget);
  refresh_drawn();
  // Unused tiles go once the view has settled (while it refines, tiles built ahead wait their
  // turn and must not be dropped and rebuilt).
  if (!pending_)
    for (auto it = tiles_.begin(); it != tiles_.end();)
      it = selection_ - it->second.last_used > settings_.keep_unused_frames ? tiles_.erase(it)
                                                                            : std::next(it);
  stats_.cached = tiles_.size();
}

void TerrainLod::visit(const TileKey& key, const osg::Vec3d& eye, double pixels_per_radian,
                       std::size_t& budget) {
  if (key.level > 0 && projected_error(key, eye, pixels_per_radian) > settings_.pixel_error &&
      in_view(key)) {
    std::vector<TileKey> children;
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) {
        const TileKey child{key.level - 1, 2 * key.column + dx, 2 * key.row + dy};
        if (exists(child)) children.push_back(child);
      }
    std::size_t missing = 0;
    for (const auto& child : children) missing += !built(child);
    // Refine when all children can be shown now; otherwise build what the budget allows (kept
    // from eviction until their turn) and draw this tile meanwhile.
    const bool refine = missing <= budget;
    for (const auto& child : children) {
      if (!built(child) && budget > 0) {
        Tile& tile = tiles_[child.id()];
        fill(child, tile);
        tile.version = version_;
        ++stats_.built;
        --budget;
      }
      if (!refine && built(child)) tiles_[child.id()].last_used = selection_;
    }
    if (refine) {
      // Refined through: kept (the walk from the root needs its tiles built to refine again).
      if (built(key)) tiles_[key.id()].last_used = selection_;
      for (const auto& child : children) visit(child, eye, pixels_per_radian, budget);
      return;
    }
    pending_ = true;
  }
  draw(key);
}

void TerrainLod::draw(const TileKey& key) {
  tiles_[key.id()].last_used = selection_;
  stats_.selected.push_back(key);
}

void TerrainLod::refresh_drawn() {
  // Tiles to (re)build from the surface: new ones and those of an older surface (every drawn
  // tile while the replay moves between recorded years). Independent: built in parallel.
  std::vector<std::pair<TileKey, Tile*>> stale;
  for (const TileKey& key : stats_.selected) {
    Tile& tile = tiles_[key.id()];
    if (!tile.geometry || tile.version != version_) stale.emplace_back(key, &tile);
  }
  tbb::parallel_for(std::size_t{0}, stale.size(), [&](std::size_t k) {
    fill(stale[k].first, *stale[k].second);
    stale[k].second->version = version_;
  });
  stats_.built += stale.size();
  for (const TileKey& key : stats_.selected) {
    const Tile& tile = tiles_[key.id()];
    node_->addDrawable(tile.geometry);
    ++stats_.tiles;
    stats_.vertices += tile.geometry->getVertexArray()->getNumElements();
  }
}

void TerrainLod::fill(const TileKey& key, Tile& tile) const {
  const BlendedSurface& s = *surface_;
  const std::size_t stride = std::size_t{1} << key.level, columns = geometry_.columns;
  std::size_t c0, c1, r0, r1;
  span(key, c0, c1, r0, r1);
  std::vector<std::size_t> xs, ys;
  for (std::size_t c = c0; c < c1; c += stride) xs.push_back(c);
  xs.push_back(c1);
  for (std::size_t r = r0; r < r1; r += stride) ys.push_back(r);
  ys.push_back(r1);
  const std::size_t nx = xs.size(), ny = ys.size();
  const double cell = geometry_.cell_size_m;

  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec4ubArray> colours = new osg::Vec4ubArray;
  vertices->reserve(nx * ny + 4 * (nx + ny));
  normals->reserve(vertices->capacity());
  colours->reserve(vertices->capacity());
  auto z_at = [&](std::size_t row, std::size_t column, float otherwise) {
    const std::size_t c = row * columns + column;
    return s.valid(c) ? s.z(c) : otherwise;
  };
  for (std::size_t b = 0; b < ny; ++b)
    for (std::size_t a = 0; a < nx; ++a) {
      const std::size_t row = ys[b], column = xs[a], c = row * columns + column;
      const float z = s.valid(c) ? s.z(c) : static_cast<float>(s.lowest_z);
      vertices->push_back(osg::Vec3(static_cast<float>(static_cast<double>(column) * cell),
                                    static_cast<float>(-static_cast<double>(row) * cell), z));
      // The normal from central differences at the tile's own resolution.
      const std::size_t left = column >= stride ? column - stride : 0,
                        right = std::min(column + stride, columns - 1),
                        up = row >= stride ? row - stride : 0,
                        down = std::min(row + stride, geometry_.rows - 1);
      const double run_x = static_cast<double>(right - left) * cell,
                   run_y = static_cast<double>(down - up) * cell;
      const double slope_x = run_x > 0 ? (z_at(row, right, z) - z_at(row, left, z)) / run_x : 0.0;
      // y points north (up the rows), so the northward slope is (z(up) - z(down)) / run.
      const double slope_y =
          run_y > 0 ? (z_at(up, column, z) - z_at(down, column, z)) / run_y : 0.0;
      osg::Vec3 n(static_cast<float>(-slope_x), static_cast<float>(-slope_y), 1.0f);
      n.normalize();
      normals->push_back(n);
      colours->push_back(s.colour(c));
    }
  osg::ref_ptr<osg::DrawElementsUShort> triangles = new osg::DrawElementsUShort(GL_TRIANGLES);
  auto valid_vertex = [&](std::size_t a, std::size_t b) {
    return s.valid(ys[b] * columns + xs[a]);
  };
  for (std::size_t b = 0; b + 1 < ny; ++b)
    for (std::size_t a = 0; a + 1 < nx; ++a) {
      if (!valid_vertex(a, b) || !valid_vertex(a + 1, b) || !valid_vertex(a, b + 1) ||
          !valid_vertex(a + 1, b + 1))
        continue;
      const auto i = static_cast<unsigned short>(b * nx + a),
                 j = static_cast<unsigned short>(i + 1), k = static_cast<unsigned short>(i + nx),
                 l = static_cast<unsigned short>(k + 1);
      for (unsigned short index : {i, k, j, j, k, l}) triangles->push_back(index);
    }
  // Skirts on the edges shared with other tiles hide the cracks where a coarser neighbour
  // interpolates the edge between fewer vertices. A coarser neighbour's edge vertices are every
  // 2^m-th of ours (tiles are aligned on powers of two), so the crack at each vertex is at most
  // its distance from those interpolations over every coarser spacing: the skirt hangs exactly
  // that deep (zero at shared vertices), and is invisible from outside the site.
  auto add_skirt = [&](bool along_row, auto index_of, std::size_t first_cell) {
    const std::size_t count = along_row ? nx : ny;
    const float invisible = static_cast<float>(1e-4 * cell * s.exaggeration);
    std::vector<float> depth(count, 0.0f);
    std::vector<std::size_t> along(count);  // cell offset along the edge
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t v = index_of(k);
      along[k] = (along_row ? xs[v % nx] : ys[v / nx]) - first_cell;
    }
    for (std::size_t spacing = 2 * stride; spacing <= along.back() * 2 && spacing > 0; spacing *= 2)
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t a = along[k] / spacing * spacing, b = a + spacing;
        // Vertices at a and b (b clamped to the edge's end).
        const auto ka = static_cast<std::size_t>(std::lower_bound(along.begin(), along.end(), a) -
                                                 along.begin());
        const auto kb = std::min<std::size_t>(
            static_cast<std::size_t>(std::lower_bound(along.begin(), along.end(), b) -
                                     along.begin()),
            count - 1);
        if (ka >= count || kb == ka) continue;
        const float za = (*vertices)[index_of(ka)].z(), zb = (*vertices)[index_of(kb)].z();
        const float w =
            static_cast<float>(along[k] - along[ka]) / static_cast<float>(along[kb] - along[ka]);
        depth[k] =
            std::max(depth[k], std::abs((*vertices)[index_of(k)].z() - (za + w * (zb - za))));
      }
    for (std::size_t k = 0; k + 1 < count; ++k) {
      const std::size_t p = index_of(k), q = index_of(k + 1);
      if (depth[k] < invisible && depth[k + 1] < invisible) continue;  // float round-off
      const std::size_t pa = p % nx, pb = p / nx, qa = q % nx, qb = q / nx;
      if (!valid_vertex(pa, pb) || !valid_vertex(qa, qb)) continue;
      const auto base = static_cast<unsigned short>(vertices->size());
      for (std::size_t j : {k, k + 1}) {
        const std::size_t v = index_of(j);
        vertices->push_back((*vertices)[v] - osg::Vec3(0, 0, depth[j] * 1.01f));
        normals->push_back((*normals)[v]);
        colours->push_back((*colours)[v]);
      }
      const auto pp = static_cast<unsigned short>(p), qq = static_cast<unsigned short>(q);
      for (unsigned short index : {pp, base, qq, qq, base, static_cast<unsigned short>(base + 1)})
        triangles->push_back(index);
    }
  };
  if (c0 > 0)
    add_skirt(
        false, [&](std::size_t k) { return k * nx; }, r0);
  if (c1 + 1 < columns)
    add_skirt(
        false, [&](std::size_t k) { return k * nx + nx - 1; }, r0);
  if (r0 > 0)
    add_skirt(
        true, [&](std::size_t k) { return k; }, c0);
  if (r1 + 1 < geometry_.rows)
    add_skirt(
        true, [&](std::size_t k) { return (ny - 1) * nx + k; }, c0);

  if (!tile.geometry) {
    tile.geometry = new osg::Geometry;
    tile.geometry->setUseVertexBufferObjects(true);
    tile.geometry->setDataVariance(osg::Object::DYNAMIC);
  }
  osg::Geometry& g = *tile.geometry;
  g.setVertexArray(vertices);
  g.setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
  colours->setNormalize(true);
  g.setColorArray(colours, osg::Array::BIND_PER_VERTEX);
  g.removePrimitiveSet(0, g.getNumPrimitiveSets());
  g.addPrimitiveSet(triangles);
  g.dirtyBound();
}

}  // namespace minetwin::viz
