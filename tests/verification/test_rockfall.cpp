// Issue 8: the rockfall model's Bullet rigid bodies against analytic mechanics, and its hazard
// fields' invariants (docs/models/hazards.md).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <BulletCollision/CollisionShapes/btTriangleInfoMap.h>
#include <tbb/global_control.h>

#include "models/hazards/heightfield_edges.hpp"
#include "models/hazards/rockfall.hpp"

using namespace minetwin::hazards;

namespace {

constexpr double kG = 9.81;

// A terrain of columns x rows cells of @p cell_m, elevation from a function of (x, y).
template <class Height>
RockfallTerrain make_terrain(std::size_t columns, std::size_t rows, double cell_m, Height height,
                             Surface surface = Surface::soil) {
  RockfallTerrain t;
  t.columns = columns;
  t.rows = rows;
  t.cell_m = cell_m;
  for (std::size_t j = 0; j < rows; ++j)
    for (std::size_t i = 0; i < columns; ++i)
      t.elevation.push_back(static_cast<float>(
          height(static_cast<double>(i) * cell_m, static_cast<double>(j) * cell_m)));
  t.surface.assign(columns * rows, surface);
  t.cover.assign(columns * rows, 0.0f);
  return t;
}

}  // namespace

namespace {

// The acceleration along a 1 m-cell heightfield plane of @p theta between 0.5 s and 2 s of a
// block released at rest on it.
double acceleration_on_plane(double theta, double mu, double rolling, BlockStart block,
                             double time_step_s) {
  auto terrain =
      make_terrain(80, 12, 1.0, [&](double x, double) { return 80 - x * std::tan(theta); });
  terrain.properties[static_cast<std::size_t>(Surface::soil)] = {0.0, mu, rolling, 0.0, 0.0};
  const double x0 = 8, y0 = 6;
  const double lift =
      (block.shape == BlockShape::sphere ? std::cbrt(3 * block.volume_m3 / (4 * std::numbers::pi))
                                         : box_half_extents_m(block.volume_m3)[2]) +
      0.002;
  block.x = x0 + std::sin(theta) * lift;
  block.y = y0;
  block.z = terrain.ground(x0, y0) + std::cos(theta) * lift;
  std::vector<double> times, speeds;
  RockfallOptions options;
  options.max_seconds = 2.1;
  options.time_step_s = time_step_s;
  simulate_blocks(terrain, {block}, options,
                  [&](std::size_t, double t, const double*, const double* v) {
                    times.push_back(t);
                    speeds.push_back(std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
                  });
  auto speed_at = [&](double t) {
    for (std::size_t k = 0; k < times.size(); ++k)
      if (times[k] >= t) return speeds[k];
    return std::nan("");
  };
  return (speed_at(2.0) - speed_at(0.5)) / 1.5;
}

}  // namespace

TEST(Rockfall, BlockSlidesDownAPlaneAtTheAnalyticAcceleration) {
  // Sliding (a lumped mass: no rotation) on a 40 degree plane with friction 0.5 < tan 40:
  // a = g (sin 40 - mu cos 40).
  const double theta = 40.0 * std::numbers::pi / 180, mu = 0.5;
  BlockStart block;
  block.volume_m3 = 0.2;
  block.lumped_mass = true;
  const double expected = kG * (std::sin(theta) - mu * std::cos(theta));
  // At the default step (1/120 s) and at 1/480 s. Bullet's sequential-impulse solver ends about
  // 1.5 % above the Coulomb bound (mu_eff 0.507), 2-3 % of this acceleration (a difference of
  // two terms).
  for (double dt : {RockfallOptions{}.time_step_s, 1.0 / 480}) {
    const double measured = acceleration_on_plane(theta, mu, 0.0, block, dt);
    std::printf("sliding, step %.5f s: measured %.4f m/s2, analytic %.4f m/s2\n", dt, measured,
                expected);
    EXPECT_NEAR(measured, expected, 0.03 * expected);
  }
}

TEST(Rockfall, SphereRollsDownAPlaneAtFiveSeventhsOfGSinTheta) {
  // Rolling without slipping (mu >= 2/7 tan theta) and no rolling resistance:
  // a = g sin theta / (1 + I / (m r^2)) = 5/7 g sin theta for a solid sphere.
  const double theta = 30.0 * std::numbers::pi / 180;
  BlockStart ball;
  ball.volume_m3 = 0.3;
  const double expected = 5.0 / 7.0 * kG * std::sin(theta);
  // The error shrinks with the step: 3 % allowed at the default 1/120 s, 1 % at 1/480 s.
  for (double dt : {RockfallOptions{}.time_step_s, 1.0 / 480}) {
    const double measured = acceleration_on_plane(theta, 0.6, 0.0, ball, dt);
    std::printf("rolling, step %.5f s: measured %.4f m/s2, analytic %.4f m/s2\n", dt, measured,
                expected);
    EXPECT_NEAR(measured, expected, (dt > 1.0 / 200 ? 0.03 : 0.01) * expected);
  }
}

TEST(Rockfall, BlockStaysPutOnAPlaneFlatterThanItsFrictionAngle) {
  const double theta = 20.0 * std::numbers::pi / 180, mu = 0.5;  // tan 20 = 0.36 < 0.5
  auto terrain =
      make_terrain(40, 12, 1.0, [&](double x, double) { return 40 - x * std::tan(theta); });
  terrain.properties[static_cast<std::size_t>(Surface::soil)] = {0.0, mu, 0.0, 0.0, 0.0};
  BlockStart block;
  block.volume_m3 = 0.2;
  block.lumped_mass = true;
  const double r = std::cbrt(3 * block.volume_m3 / (4 * std::numbers::pi)) + 0.002;
  block.x = 10 + std::sin(theta) * r;
  block.y = 6;
  block.z = terrain.ground(10, 6) + std::cos(theta) * r;
  RockfallOptions options;
  options.max_seconds = 3;
  const RockfallResult result = simulate_blocks(terrain, {block}, options);
  EXPECT_EQ(result.outcomes[0].end, BlockEnd::stopped);
  EXPECT_LT(result.outcomes[0].runout_m, 0.05);
}

TEST(Rockfall, FreeFlightFollowsTheBallisticSolution) {
  auto terrain = make_terrain(100, 100, 1.0, [](double, double) { return 0.0; });
  BlockStart ball;
  ball.x = 10;
  ball.y = 50;
  ball.z = 50;
  ball.vx = 5;
  ball.vy = 1;
  ball.vz = 6;
  double checked = 0;
  RockfallOptions options;
  options.max_seconds = 2.0;
  simulate_blocks(terrain, {ball}, options,
                  [&](std::size_t, double t, const double* p, const double* v) {
                    // Bullet integrates semi-implicit Euler: after n steps of dt the height is
                    // z0 + v0 t - g t^2 / 2 - g t dt / 2 exactly (the sum of stepped velocities).
                    const double dt = options.time_step_s;
                    EXPECT_NEAR(p[0], 10 + 5 * t, 1e-3);
                    EXPECT_NEAR(p[1], 50 + 1 * t, 1e-3);
                    EXPECT_NEAR(p[2], 50 + 6 * t - 0.5 * kG * t * t - 0.5 * kG * t * dt, 1e-3);
                    EXPECT_NEAR(v[2], 6 - kG * t, 1e-3);
                    checked = t;
                  });
  EXPECT_GT(checked, 1.9);
}

namespace {

// A 45 degree wall from x = 0 to 40 m (rough: 0.5 m bumps), then a 10 degree apron to 150 m.
RockfallTerrain pit_wall(Surface apron_surface, float apron_cover) {
  auto terrain = make_terrain(75, 30, 2.0, [](double x, double y) {
    const double bumps = 0.5 * std::sin(0.9 * x) * std::cos(0.7 * y);
    return (x < 40 ? 40.0 + (40 - x) : 40.0 - (x - 40) * std::tan(10.0 * std::numbers::pi / 180)) +
           bumps;
  });
  for (std::size_t c = 0; c < terrain.cell_count(); ++c) {
    const double x = static_cast<double>(c % terrain.columns) * terrain.cell_m;
    terrain.surface[c] = x < 40 ? Surface::bare_rock : apron_surface;
    terrain.cover[c] = x < 40 ? 0.0f : apron_cover;
  }
  return terrain;
}

// A dump batter at 35 degrees, 30 m high, on a level apron 250 m long; one surface everywhere.
RockfallTerrain dump_batter(Surface surface, float cover) {
  auto terrain = make_terrain(
      150, 40, 2.0,
      [](double x, double y) {
        const double bumps = 0.3 * std::sin(1.1 * x) * std::cos(0.8 * y);
        const double foot = 30 / std::tan(35.0 * std::numbers::pi / 180);
        return (x < foot ? 30.0 + (foot - x) * std::tan(35.0 * std::numbers::pi / 180) : 30.0) +
               bumps;
      },
      surface);
  terrain.cover.assign(terrain.cell_count(), cover);
  return terrain;
}

std::vector<std::size_t> wall_top_sources(const RockfallTerrain& terrain) {
  std::vector<std::size_t> sources;
  for (std::size_t j = 5; j < terrain.rows - 5; ++j) sources.push_back(j * terrain.columns + 3);
  return sources;
}

}  // namespace

TEST(Rockfall, NoBlockEverBelowTheTerrainAndNoneUpslopeOfTheSources) {
  const RockfallTerrain terrain = pit_wall(Surface::loose_spoil, 0.0f);
  const auto sources = wall_top_sources(terrain);
  const auto blocks = release_blocks(terrain, sources, 8, 0.1, 1.0, BlockShape::sphere, 3);
  const RockfallResult result = simulate_blocks(terrain, blocks, RockfallOptions{});
  // Contact allows a few centimetres of overlap (Bullet's margin); a block centre below the
  // surface would be a tunnelling failure.
  std::printf("lowest clearance of a block's base: %.3f m\n", result.lowest_clearance_m);
  EXPECT_GT(result.lowest_clearance_m, -0.1);
  std::size_t reached = 0;
  for (std::size_t c = 0; c < terrain.cell_count(); ++c) {
    if (c % terrain.columns < 3) {  // upslope of the sources
      EXPECT_EQ(result.passes[c], 0u) << "cell " << c;
    }
    reached += result.passes[c] > 0;
  }
  EXPECT_GT(reached, 100u);
  for (const auto& o : result.outcomes) EXPECT_NE(o.end, BlockEnd::timed_out);
}

TEST(Rockfall, VegetatedBatterStopsBlocksSoonerThanTheBareBatter) {
  const RockfallTerrain bare = dump_batter(Surface::loose_spoil, 0.0f);
  const RockfallTerrain forest = dump_batter(Surface::forest, 1.0f);
  const RockfallTerrain shrub = dump_batter(Surface::shrub, 1.0f);
  // Blocks dislodged from the crest already tumbling (4 m/s downslope): at rest, a block on a
  // vegetated 35 degree batter does not start at all (rolling resistance 0.55 > 5/7 tan 35).
  auto blocks = release_blocks(bare, wall_top_sources(bare), 6, 0.1, 1.0, BlockShape::sphere, 9);
  for (auto& b : blocks) {
    b.vx = 4 * std::cos(35.0 * std::numbers::pi / 180);
    b.vz = -4 * std::sin(35.0 * std::numbers::pi / 180);
  }
  auto mean_runout = [&](const RockfallTerrain& terrain) {
    const RockfallResult result = simulate_blocks(terrain, blocks, RockfallOptions{});
    double sum = 0;
    for (const auto& o : result.outcomes) EXPECT_NE(o.end, BlockEnd::timed_out);
    for (const auto& o : result.outcomes) sum += o.runout_m;
    return sum / static_cast<double>(result.outcomes.size());
  };
  const double bare_runout = mean_runout(bare), forest_runout = mean_runout(forest),
               shrub_runout = mean_runout(shrub);
  std::printf("mean runout: bare spoil %.1f m, shrub %.1f m, forest %.1f m\n", bare_runout,
              shrub_runout, forest_runout);
  EXPECT_GT(bare_runout, 43.0);  // beyond the batter's foot
  EXPECT_LT(shrub_runout, 0.9 * bare_runout);
  EXPECT_LT(forest_runout, 0.7 * bare_runout);
}

TEST(Rockfall, BarrierStopsBlocksBelowIt) {
  RockfallTerrain terrain = pit_wall(Surface::loose_spoil, 0.0f);
  const auto blocks =
      release_blocks(terrain, wall_top_sources(terrain), 4, 0.1, 1.0, BlockShape::sphere, 5);
  const std::size_t barrier_column = 25;  // 50 m: on the apron
  const RockfallResult open = simulate_blocks(terrain, blocks, RockfallOptions{});
  terrain.barrier_capacity_kj.assign(terrain.cell_count(), 0.0f);
  for (std::size_t j = 0; j < terrain.rows; ++j)
    terrain.barrier_capacity_kj[j * terrain.columns + barrier_column] = 5000.0f;
  const RockfallResult held = simulate_blocks(terrain, blocks, RockfallOptions{});
  std::size_t below_open = 0, below_held = 0;
  for (std::size_t c = 0; c < terrain.cell_count(); ++c) {
    if (c % terrain.columns <= barrier_column + 1) continue;
    below_open += open.passes[c];
    below_held += held.passes[c];
  }
  EXPECT_GT(below_open, 0u);
  EXPECT_EQ(below_held, 0u);
}

TEST(Rockfall, ResultsDoNotDependOnTheThreadCount) {
  const RockfallTerrain terrain = pit_wall(Surface::grass, 0.5f);
  const auto blocks =
      release_blocks(terrain, wall_top_sources(terrain), 5, 0.1, 1.0, BlockShape::box, 2);
  RockfallResult one, two;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = simulate_blocks(terrain, blocks, RockfallOptions{});
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two = simulate_blocks(terrain, blocks, RockfallOptions{});
  }
  EXPECT_EQ(one.passes, two.passes);
  EXPECT_EQ(one.max_energy_kj, two.max_energy_kj);
  EXPECT_EQ(one.max_height_m, two.max_height_m);
  for (std::size_t b = 0; b < blocks.size(); ++b)
    EXPECT_EQ(one.outcomes[b].end_x, two.outcomes[b].end_x);
}

// The tiles a world fills its map from as blocks touch them hold Bullet's serial entries: every
// triangle's entry equal to the bit, on the rough terrain above with tiles cut at odd edges.
TEST(Rockfall, InternalEdgeInfoInTilesIsBulletsSerialResult) {
  const int columns = 53, rows = 71;  // 52 x 70 quads: tiles of 16 cut at 4 and 6
  std::vector<float> heights(static_cast<std::size_t>(columns * rows));
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < columns; ++i) {
      float h = 2.0f * std::sin(0.41f * static_cast<float>(i) + 0.3f * static_cast<float>(j)) +
                0.07f * static_cast<float>((i * 7919 + j * 104729) % 11);
      if (i < 20 && j > 50) h = -0.5f;  // a flat
      heights[static_cast<std::size_t>(j * columns + i)] = h;
    }
  const HeightfieldGeometry geometry{columns, rows, heights.data(), -5.0f, 5.0f, 2.5};
  btTriangleInfoMap serial;
  build_internal_edge_info_serially(geometry, serial);
  const EdgeTiles tiles(geometry);
  ASSERT_EQ(tiles.tile_count(), 4 * 5);
  TouchedEdges touched(tiles);
  EXPECT_EQ(tiles.computed_tiles(), 0);  // nothing before a touch
  touched.touch(2 * 20 + 1, 17);         // quad (20, 17): the tile of columns 16-31, rows 16-31
  EXPECT_EQ(tiles.computed_tiles(), 1);
  EXPECT_EQ(touched.map().size(), 1);
  for (int row = 0; row < rows - 1; ++row)
    for (int part = 0; part < 2 * (columns - 1); ++part) touched.touch(part, row);
  EXPECT_EQ(tiles.computed_tiles(), tiles.tile_count());
  ASSERT_EQ(touched.map().size(), serial.size());
  int differing = 0;
  for (int k = 0; k < serial.size(); ++k) {
    const btTriangleInfo& a = *serial.getAtIndex(k);
    const btTriangleInfo* b = touched.map().find(serial.getKeyAtIndex(k));
    differing += b == nullptr || a.m_flags != b->m_flags ||
                 a.m_edgeV0V1Angle != b->m_edgeV0V1Angle ||
                 a.m_edgeV1V2Angle != b->m_edgeV1V2Angle || a.m_edgeV2V0Angle != b->m_edgeV2V0Angle;
  }
  EXPECT_EQ(differing, 0);
}

// Bullet's key keeps 11 bits of a triangle's part id, so on a heightfield wider than 1 025
// columns triangles 1 024 columns apart share one. The world's map holds the entry of the
// triangle in contact: a ridge's triangle and a plane's 1 024 columns east of it, touched in
// turn, each find their own entry (Bullet's serial routine on a cut-out of each place, to the
// angles' float rounding; the two entries differ).
TEST(Rockfall, TrianglesSharingABulletKeyEachGetTheirOwnEntry) {
  const int columns = 1100, rows = 12, row = 5;
  std::vector<float> heights(static_cast<std::size_t>(columns * rows));
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < columns; ++i)  // ridges every 3 columns in the west, a tilted plane east
      heights[static_cast<std::size_t>(j * columns + i)] =
          i < 500 ? 2.0f * static_cast<float>(i % 3 == 0) + 0.3f * static_cast<float>(j % 2)
                  : 0.1f * static_cast<float>(i - 500);
  const HeightfieldGeometry geometry{columns, rows, heights.data(), -1.0f, 61.0f, 2.0};
  const int west = 2 * 21, east = 2 * (21 + 1024);  // quads (21, 5) and (1045, 5), first halves
  ASSERT_EQ(bullet_triangle_key(west, row), bullet_triangle_key(east, row));
  // Bullet's entry for quad column @p column's first triangle from a heightfield of the ten
  // columns around it.
  auto reference = [&](int column) {
    const int first = column - 4, width = 10;
    std::vector<float> cut(static_cast<std::size_t>(width * rows));
    for (int j = 0; j < rows; ++j)
      for (int i = 0; i < width; ++i)
        cut[static_cast<std::size_t>(j * width + i)] =
            heights[static_cast<std::size_t>(j * columns + first + i)];
    const HeightfieldGeometry piece{width, rows, cut.data(), -1.0f, 61.0f, 2.0};
    btTriangleInfoMap edges;
    build_internal_edge_info_serially(piece, edges);
    const btTriangleInfo* info = edges.find(btHashInt(bullet_triangle_key(2 * 4, row)));
    EXPECT_NE(info, nullptr);
    return info != nullptr ? *info : btTriangleInfo();
  };
  auto near = [](const btTriangleInfo& a, const btTriangleInfo& b) {
    return a.m_flags == b.m_flags && std::abs(a.m_edgeV0V1Angle - b.m_edgeV0V1Angle) < 1e-5f &&
           std::abs(a.m_edgeV1V2Angle - b.m_edgeV1V2Angle) < 1e-5f &&
           std::abs(a.m_edgeV2V0Angle - b.m_edgeV2V0Angle) < 1e-5f;
  };
  const btTriangleInfo ridge = reference(21), plane = reference(1045);
  ASSERT_FALSE(near(ridge, plane));  // the two places' entries differ
  const EdgeTiles tiles(geometry);
  TouchedEdges touched(tiles);
  const btHashInt key(bullet_triangle_key(west, row));
  for (int part : {west, east, west}) {
    touched.touch(part, row);
    ASSERT_NE(touched.map().find(key), nullptr);
    EXPECT_TRUE(near(*touched.map().find(key), part == west ? ridge : plane)) << part;
  }
  EXPECT_EQ(touched.map().size(), 1);
}

TEST(Rockfall, HazardMatrix) {
  EXPECT_EQ(hazard_class(0.0, 500), 0);
  EXPECT_EQ(hazard_class(0.005, 10), 1);
  EXPECT_EQ(hazard_class(0.005, 500), 2);
  EXPECT_EQ(hazard_class(0.05, 100), 2);
  EXPECT_EQ(hazard_class(0.05, 400), 3);
  EXPECT_EQ(hazard_class(0.5, 10), 2);
  EXPECT_EQ(hazard_class(0.5, 100), 3);
}
