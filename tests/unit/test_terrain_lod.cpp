// Issue 6: the terrain's view-dependent level of detail. Invariants of the quadtree selection
// (the drawn tiles cover every quad of the grid exactly once, each drawn tile meets the
// screen-space error bound and its parent does not), the bounded work per selection, memory that
// follows the view, interpolation between recorded years, and nodata cells left undrawn.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "viz/scene/terrain_lod.hpp"

using namespace minetwin;
using namespace minetwin::viz;

namespace {

GridGeometry grid(std::size_t columns, std::size_t rows) {
  GridGeometry g;
  g.columns = columns;
  g.rows = rows;
  g.cell_size_m = 10.0;
  return g;
}

// A ridge-and-valley surface; @p shift raises it (a second recorded year).
std::shared_ptr<SurfaceRecord> record(const GridGeometry& g, float shift) {
  auto r = std::make_shared<SurfaceRecord>();
  r->elevation.resize(g.columns * g.rows);
  r->colour.assign(g.columns * g.rows, osg::Vec4ub(10, 20, 30, 255));
  for (std::size_t c = 0; c < r->elevation.size(); ++c) {
    const double x = static_cast<double>(c % g.columns), y = static_cast<double>(c / g.columns);
    r->elevation[c] = static_cast<float>(100 + 30 * std::sin(x / 40) * std::cos(y / 55)) + shift;
  }
  r->lowest = 70 + shift;
  r->highest = 130 + shift;
  return r;
}

constexpr double kPixelsPerRadian = 720 / (2 * 0.31529878887898);  // 720 px, 35 degrees

// How often each quad of the grid is covered by the drawn tiles.
std::vector<int> coverage(const TerrainLod& lod, const GridGeometry& g) {
  std::vector<int> covered((g.columns - 1) * (g.rows - 1), 0);
  for (const TileKey& key : lod.stats().selected) {
    std::size_t c0, c1, r0, r1;
    lod.span(key, c0, c1, r0, r1);
    for (std::size_t r = r0; r < r1; ++r)
      for (std::size_t c = c0; c < c1; ++c) ++covered[r * (g.columns - 1) + c];
  }
  return covered;
}

double projected(const TerrainLod& lod, const GridGeometry& g, const TileKey& key,
                 const osg::Vec3d& eye, double low_z, double high_z) {
  std::size_t c0, c1, r0, r1;
  lod.span(key, c0, c1, r0, r1);
  auto outside = [](double v, double a, double b) { return v < a ? a - v : v > b ? v - b : 0.0; };
  const double cell = g.cell_size_m;
  const double dx =
      outside(eye.x(), static_cast<double>(c0) * cell, static_cast<double>(c1) * cell);
  const double dy =
      outside(eye.y(), -static_cast<double>(r1) * cell, -static_cast<double>(r0) * cell);
  const double dz = outside(eye.z(), low_z, high_z);
  return std::ldexp(g.cell_size_m, key.level) / std::sqrt(dx * dx + dy * dy + dz * dz) *
         kPixelsPerRadian;
}

}  // namespace

TEST(TerrainLod, DrawnTilesCoverTheGridOnceAndMeetTheErrorBound) {
  const GridGeometry g = grid(1000, 700);  // not a power of two, not square
  const auto r = record(g, 0);
  LodSettings settings;
  settings.new_tiles_per_frame = 100000;  // settle in one selection
  TerrainLod lod(g, settings);
  lod.set_surface(blend(g, r, r, 0, 70, 1.0));
  EXPECT_EQ(lod.levels(), 5);  // 64 * 2^4 = 1024 >= 999 quads
  // Eyes: low over a corner, high above the centre, far outside the site.
  for (const osg::Vec3d eye : {osg::Vec3d(100, -100, 200), osg::Vec3d(5000, -3500, 3000),
                               osg::Vec3d(-20000, 8000, 5000)}) {
    lod.select(eye, kPixelsPerRadian);
    ASSERT_TRUE(lod.settled());
    const auto covered = coverage(lod, g);
    std::size_t once = 0;
    for (int n : covered) once += n == 1;
    EXPECT_EQ(once, covered.size()) << "eye " << eye.x() << "," << eye.y();
    for (const TileKey& key : lod.stats().selected) {
      // The drawn tile meets the bound (or is full resolution) ...
      if (key.level > 0) {
        EXPECT_LE(projected(lod, g, key, eye, 0, 60), settings.pixel_error);
      }
      // ... and its parent did not: no tile is finer than needed.
      if (key.level + 1 < lod.levels()) {
        EXPECT_GT(projected(lod, g, {key.level + 1, key.column / 2, key.row / 2}, eye, 0, 60),
                  settings.pixel_error);
      }
    }
  }
}

TEST(TerrainLod, NearTheEyeFineFarAwayCoarse) {
  const GridGeometry g = grid(2049, 2049);
  const auto r = record(g, 0);
  LodSettings settings;
  settings.new_tiles_per_frame = 100000;
  TerrainLod lod(g, settings);
  lod.set_surface(blend(g, r, r, 0, 70, 2.0));
  // Low over the north-west corner, looking south-east across the site (1280 x 720, 35 degrees).
  const osg::Vec3d eye(500, -500, 300);
  const osg::Matrixd view = osg::Matrixd::lookAt(eye, osg::Vec3d(10000, -10000, 0), {0, 0, 1});
  const osg::Matrixd projection = osg::Matrixd::perspective(35, 1280.0 / 720, 1, 1e6);
  lod.select(view, projection, kPixelsPerRadian);
  int near_level = 99, far_level = -1;
  for (const TileKey& key : lod.stats().selected) {
    std::size_t c0, c1, r0, r1;
    lod.span(key, c0, c1, r0, r1);
    if (c0 <= 50 && r0 <= 50 && c1 >= 50 && r1 >= 50) near_level = key.level;
    if (c1 == 2048 && r1 == 2048) far_level = key.level;
  }
  EXPECT_EQ(near_level, 0);
  EXPECT_GE(far_level, 2);
  // A small share of the grid's 4.2 million vertices is drawn.
  EXPECT_LT(lod.stats().vertices, 2049u * 2049u / 2);
  // Without the frustum, the tiles behind the camera are refined as well: more vertices.
  const std::size_t with_frustum = lod.stats().vertices;
  lod.select(eye, kPixelsPerRadian);
  EXPECT_GT(lod.stats().vertices, with_frustum);
  std::printf("drawn: %zu tiles, %zu vertices of %zu\n", lod.stats().tiles, lod.stats().vertices,
              g.columns * g.rows);
}

TEST(TerrainLod, NewTilesPerSelectionAreBoundedAndUnusedTilesDropped) {
  const GridGeometry g = grid(2049, 2049);
  const auto r = record(g, 0);
  LodSettings settings;
  settings.new_tiles_per_frame = 8;
  settings.keep_unused_frames = 5;
  TerrainLod lod(g, settings);
  lod.set_surface(blend(g, r, r, 0, 70, 1.0));
  const osg::Vec3d corner(100, -100, 150), other(20400, -20400, 150);
  int selections = 0;
  do {
    lod.select(corner, kPixelsPerRadian);
    // The surface did not change: the root and at most 8 new tiles are built.
    ASSERT_LE(lod.stats().built, selections == 0 ? 9u : 8u);
    ++selections;
  } while (!lod.settled() && selections < 1000);
  EXPECT_TRUE(lod.settled());
  EXPECT_GT(selections, 2);  // the budget made it take several
  for (int k = 0; k < 1000 && (k < 10 || !lod.settled()); ++k) {
    lod.select(other, kPixelsPerRadian);
  }
  EXPECT_TRUE(lod.settled());
  // Once settled there, the tiles of the first corner and all tiles not drawn are dropped:
  // memory follows the view.
  for (int k = 0; k < 10; ++k) {
    lod.select(other, kPixelsPerRadian);
    ASSERT_TRUE(lod.settled());
    ASSERT_EQ(lod.stats().built, 0u);
  }
  std::size_t fine_near_first = 0;
  for (const TileKey& key : lod.stats().selected)
    fine_near_first += key.level == 0 && key.column == 0;
  EXPECT_EQ(fine_near_first, 0u);
  // Held: at most the drawn tiles and their ancestors (the walk from the root refines through
  // those built), nothing of the first corner.
  std::set<std::uint64_t> held;
  for (TileKey key : lod.stats().selected)
    for (; key.level < lod.levels(); key = {key.level + 1, key.column / 2, key.row / 2})
      held.insert(key.id());
  EXPECT_LE(lod.stats().cached, held.size());
  EXPECT_GE(lod.stats().cached, lod.stats().tiles);
}

TEST(TerrainLod, BlendsTwoRecordedYearsAndLeavesNodataUndrawn) {
  const GridGeometry g = grid(65, 65);  // one full-resolution tile
  auto a = record(g, 0), b = record(g, 8);
  for (auto& colour : b->colour) colour = osg::Vec4ub(110, 20, 230, 255);
  a->elevation[10 * 65 + 10] = std::nanf("");  // a nodata cell
  TerrainLod lod(g);
  lod.set_surface(blend(g, a, b, 0.25f, 70, 2.0));
  lod.select(osg::Vec3d(300, -300, 100), kPixelsPerRadian);
  ASSERT_EQ(lod.stats().tiles, 1u);
  const auto* geometry = lod.node()->getDrawable(0)->asGeometry();
  const auto& vertices = *static_cast<const osg::Vec3Array*>(geometry->getVertexArray());
  const auto& colours = *static_cast<const osg::Vec4ubArray*>(geometry->getColorArray());
  const std::size_t cell = 20 * 65 + 30;
  // A quarter of the way from year a to year b: z = (a + 0.25 (b - a) - base) * exaggeration.
  EXPECT_FLOAT_EQ(vertices[cell].z(), (a->elevation[cell] + 0.25f * 8 - 70) * 2);
  EXPECT_EQ(colours[cell], osg::Vec4ub(35, 20, 80, 255));  // 10 + 25, 20, 30 + 50
  // The four quads around the nodata cell are not drawn: 64 * 64 quads less 4, two triangles
  // each (the tile has no neighbours, so no skirts).
  const auto* triangles = geometry->getPrimitiveSet(0);
  EXPECT_EQ(triangles->getNumIndices(), (64u * 64u - 4u) * 6u);
}

TEST(TerrainLod, SkirtsOnlyWhereACoarserNeighbourCouldOpenACrack) {
  // A plane: a coarser neighbour's interpolation is exact, so no tile needs a skirt. On the
  // ridged surface, tiles next to other tiles hang skirts.
  const GridGeometry g = grid(513, 513);
  auto plane = record(g, 0);
  for (std::size_t c = 0; c < plane->elevation.size(); ++c)
    plane->elevation[c] = static_cast<float>(100 + 0.1 * static_cast<double>(c % 513) -
                                             0.05 * static_cast<double>(c / 513));
  plane->lowest = 74;
  plane->highest = 152;
  LodSettings settings;
  settings.new_tiles_per_frame = 100000;
  const osg::Vec3d eye(100, -100, 120);
  auto triangles_beyond_quads = [&](const std::shared_ptr<SurfaceRecord>& r) {
    TerrainLod lod(g, settings);
    lod.set_surface(blend(g, r, r, 0, 70, 1.0));
    lod.select(eye, kPixelsPerRadian);
    std::size_t extra = 0;
    for (unsigned k = 0; k < lod.node()->getNumDrawables(); ++k) {
      const auto* geometry = lod.node()->getDrawable(k)->asGeometry();
      const TileKey key = lod.stats().selected[k];
      std::size_t c0, c1, r0, r1;
      lod.span(key, c0, c1, r0, r1);
      const std::size_t quads = ((c1 - c0 + (1u << key.level) - 1) >> key.level) *
                                ((r1 - r0 + (1u << key.level) - 1) >> key.level);
      extra += geometry->getPrimitiveSet(0)->getNumIndices() / 3 - 2 * quads;
    }
    return extra;
  };
  EXPECT_EQ(triangles_beyond_quads(plane), 0u);
  EXPECT_GT(triangles_beyond_quads(record(g, 0)), 0u);
}
