// The viewer on a large terrain (issue 6): a 4000 x 4000 grid (2.5 m cells, 10 km square; a
// multi-octave synthetic relief, so that the benchmark needs no data) with 100 000 plant
// instances, seen from a camera flying low across it at 1280 x 720.
//  - BM_LodSelect: choosing and building the terrain tiles for the next camera position.
//  - BM_LodBlend: the same while the moment shown moves between two recorded years (every drawn
//    tile refreshed every frame: the smooth replay's cost).
//  - BM_Frame: whole frames through OpenSceneGraph in an offscreen pbuffer (glFinish included):
//    on this machine Mesa's llvmpipe on the CPU, on a GPU machine the GPU (target >= 60 fps).
// Interpolating `minetwin view --frames N` (frame times of the demo) and the demo movie's render
// time are in viewer_frames.sh.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <memory>

#include <osgViewer/Viewer>

#include "viz/scene/decorations.hpp"
#include "viz/scene/private_display.hpp"
#include "viz/scene/terrain_lod.hpp"

using namespace minetwin;
using namespace minetwin::viz;

namespace {

constexpr std::size_t kSide = 4000;
constexpr double kCell = 2.5;
constexpr int kWidth = 1280, kHeight = 720;
constexpr double kFov = 35.0;

struct LargeSite {
  GridGeometry geometry;
  std::shared_ptr<SurfaceRecord> year0, year1;
};

const LargeSite& large_site() {
  static const LargeSite site = [] {
    LargeSite s;
    s.geometry.columns = s.geometry.rows = kSide;
    s.geometry.cell_size_m = kCell;
    const std::size_t n = kSide * kSide;
    s.year0 = std::make_shared<SurfaceRecord>();
    s.year1 = std::make_shared<SurfaceRecord>();
    for (auto* r : {s.year0.get(), s.year1.get()}) {
      r->elevation.resize(n);
      r->colour.resize(n);
    }
    s.year0->woody_stem_carbon.assign(n, 0.0f);
    s.year0->cover.assign(n, 0.0f);
    for (std::size_t c = 0; c < n; ++c) {
      const double x = static_cast<double>(c % kSide) * kCell,
                   y = static_cast<double>(c / kSide) * kCell;
      double z = 0, amplitude = 120, wavelength = 4000;
      for (int octave = 0; octave < 6; ++octave, amplitude *= 0.45, wavelength *= 0.5)
        z += amplitude * std::sin(x / wavelength * 6.283 + octave) *
             std::cos(y / wavelength * 6.283 - 0.7 * octave);
      s.year0->elevation[c] = static_cast<float>(500 + z);
      s.year1->elevation[c] = static_cast<float>(500 + z - 3 * std::sin(x / 700));
      const double green = 0.5 + 0.5 * std::sin(x / 900) * std::cos(y / 650);
      s.year0->colour[c] = osg::Vec4ub(static_cast<std::uint8_t>(150 - 80 * green),
                                       static_cast<std::uint8_t>(140 + 20 * green), 90, 255);
      s.year1->colour[c] = osg::Vec4ub(60, static_cast<std::uint8_t>(90 + 60 * green), 50, 255);
      s.year0->cover[c] = static_cast<float>(green);
      s.year0->woody_stem_carbon[c] = static_cast<float>(green > 0.4 ? 3.0 * green : 0.0);
    }
    for (auto* r : {s.year0.get(), s.year1.get()}) {
      r->lowest = 1e300;
      r->highest = -1e300;
      for (float e : r->elevation) {
        r->lowest = std::min(r->lowest, static_cast<double>(e));
        r->highest = std::max(r->highest, static_cast<double>(e));
      }
    }
    return s;
  }();
  return site;
}

// The camera flying across the site, 150 m above the start's ground, looking ahead and down.
osg::Matrixd flight_view(const LargeSite& site, std::size_t step) {
  const double extent = static_cast<double>(kSide) * kCell;
  const double t = static_cast<double>(step % 400) / 400.0;
  const osg::Vec3d eye(0.15 * extent + 0.7 * extent * t, -0.3 * extent - 0.4 * extent * t,
                       site.year0->highest - site.year0->lowest + 150);
  const osg::Vec3d ahead = eye + osg::Vec3d(0.7, -0.4, -0.35) * 1500.0;
  return osg::Matrixd::lookAt(eye, ahead, osg::Vec3d(0, 0, 1));
}

const osg::Matrixd kProjection =
    osg::Matrixd::perspective(kFov, static_cast<double>(kWidth) / kHeight, 1.0, 1e6);
const double kPixelsPerRadian = kHeight / (2.0 * std::tan(osg::DegreesToRadians(kFov) / 2));

void select_for(TerrainLod& lod, const osg::Matrixd& view) {
  lod.select(view, kProjection, kPixelsPerRadian);
}

void report(benchmark::State& bench, const TerrainLod& lod) {
  bench.counters["vertices_drawn"] = static_cast<double>(lod.stats().vertices);
  bench.counters["tiles_drawn"] = static_cast<double>(lod.stats().tiles);
  bench.counters["tiles_held"] = static_cast<double>(lod.stats().cached);
  bench.counters["frames_per_s"] =
      benchmark::Counter(static_cast<double>(bench.iterations()), benchmark::Counter::kIsRate);
}

void BM_LodSelect(benchmark::State& bench) {
  const LargeSite& site = large_site();
  TerrainLod lod(site.geometry);
  lod.set_surface(blend(site.geometry, site.year0, site.year0, 0, site.year0->lowest, 2.0));
  std::size_t step = 0;
  for (auto _ : bench) select_for(lod, flight_view(site, step++));
  report(bench, lod);
}
BENCHMARK(BM_LodSelect)->Unit(benchmark::kMillisecond)->Iterations(200)->UseRealTime();

void BM_LodBlend(benchmark::State& bench) {
  const LargeSite& site = large_site();
  TerrainLod lod(site.geometry);
  std::size_t step = 0;
  for (auto _ : bench) {
    const float weight = static_cast<float>(step % 20) / 20.0f;
    lod.set_surface(blend(site.geometry, site.year0, site.year1, weight, site.year0->lowest, 2.0));
    select_for(lod, flight_view(site, step++));
  }
  report(bench, lod);
}
BENCHMARK(BM_LodBlend)->Unit(benchmark::kMillisecond)->Iterations(200)->UseRealTime();

struct Finish : osg::Camera::DrawCallback {
  void operator()(osg::RenderInfo&) const override { glFinish(); }  // the context is current
};

void BM_Frame(benchmark::State& bench) {
  const LargeSite& site = large_site();
  PrivateDisplay display;
  osg::ref_ptr<osg::GraphicsContext> context = create_graphics_context(kWidth, kHeight, false);
  if (!context) {
    bench.SkipWithError("no OpenGL context (Xvfb + Mesa, or a GPU)");
    return;
  }
  osgViewer::Viewer viewer;
  viewer.setThreadingModel(osgViewer::Viewer::SingleThreaded);
  viewer.getCamera()->setGraphicsContext(context);
  viewer.getCamera()->setViewport(0, 0, kWidth, kHeight);
  viewer.getCamera()->setProjectionMatrix(kProjection);
  viewer.getCamera()->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
  viewer.getCamera()->setDrawBuffer(GL_FRONT);
  viewer.getCamera()->setFinalDrawCallback(new Finish);
  TerrainLod lod(site.geometry);
  lod.set_surface(blend(site.geometry, site.year0, site.year0, 0, site.year0->lowest, 2.0));
  const Ground ground{site.geometry, *site.year0, site.year0->lowest, 2.0};
  osg::ref_ptr<osg::Geode> plants = new osg::Geode;
  plants->addDrawable(plant_cones(ground, 8));
  osg::ref_ptr<osg::Group> root = new osg::Group;
  root->addChild(lod.node());
  if (!std::getenv("BENCH_NO_PLANTS")) root->addChild(plants);
  viewer.setSceneData(root);
  viewer.realize();
  std::size_t step = 0;
  for (auto _ : bench) {
    const osg::Matrixd view = flight_view(site, step++);
    viewer.getCamera()->setViewMatrix(view);
    select_for(lod, view);
    viewer.frame();
  }
  report(bench, lod);
  bench.counters["plants"] =
      static_cast<double>(plant_count(*plants->getDrawable(0)->asGeometry()));
}
BENCHMARK(BM_Frame)->Unit(benchmark::kMillisecond)->Iterations(60)->UseRealTime();

}  // namespace
