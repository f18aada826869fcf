#include "viz/render.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <osg/Image>
#include <osgDB/WriteFile>
#include <osgViewer/Viewer>

#include "engine/core/errors.hpp"
#include "viz/scene/private_display.hpp"

namespace minetwin::viz {
namespace {

// Reads the finished frame, heads-up display included (an image attached to the main camera
// would be read before its post-render children, the heads-up display, are drawn).
struct ReadFrame : osg::Camera::DrawCallback {
  explicit ReadFrame(osg::Image* target) : image(target) {}
  void operator()(osg::RenderInfo&) const override {
    image->readPixels(0, 0, image->s(), image->t(), GL_RGBA, GL_UNSIGNED_BYTE);
  }
  osg::ref_ptr<osg::Image> image;
};

}  // namespace

std::vector<std::string> camera_names() {
  return {"overview", "south", "east", "top"};
}

namespace {

struct Viewpoint {
  std::string name;
  osg::Vec3d eye, centre, up;
};

std::vector<Viewpoint> saved_viewpoints(const std::filesystem::path& output) {
  std::vector<Viewpoint> points;
  std::ifstream in(output / "viewpoints.txt");
  Viewpoint v;
  while (in >> v.name >> v.eye.x() >> v.eye.y() >> v.eye.z() >> v.centre.x() >> v.centre.y() >>
         v.centre.z() >> v.up.x() >> v.up.y() >> v.up.z())
    points.push_back(v);
  return points;
}

}  // namespace

std::string save_viewpoint(const std::filesystem::path& output, const osg::Matrixd& view) {
  osg::Vec3d eye, centre, up;
  view.getLookAt(eye, centre, up);
  const std::string name = "viewpoint_" + std::to_string(saved_viewpoints(output).size() + 1);
  std::ofstream out(output / "viewpoints.txt", std::ios::app);
  out.precision(10);
  out << name << " " << eye.x() << " " << eye.y() << " " << eye.z() << " " << centre.x() << " "
      << centre.y() << " " << centre.z() << " " << up.x() << " " << up.y() << " " << up.z() << "\n";
  return name;
}

osg::Matrixd camera_view(const Replay& replay, const std::string& camera, double exaggeration) {
  for (const auto& v : saved_viewpoints(replay.outputs().folder))
    if (v.name == camera) return osg::Matrixd::lookAt(v.eye, v.centre, v.up);
  osg::Vec3d centre;
  double radius = 0;
  site_bounds(replay, exaggeration, centre, radius);
  // Azimuth of the eye from the centre (degrees clockwise from north) and its elevation angle.
  double azimuth = 200, elevation = 35, distance = 2.0 * radius;
  if (camera == "south")
    azimuth = 180, elevation = 30;
  else if (camera == "east")
    azimuth = 90, elevation = 30;
  else if (camera == "top")
    azimuth = 180, elevation = 89.5, distance = 2.4 * radius;
  else if (camera != "overview") {
    auto names = camera_names();
    for (const auto& v : saved_viewpoints(replay.outputs().folder)) names.push_back(v.name);
    const std::string hint = closest_match(camera, names);
    throw InputError("--camera", 0, 0,
                     "no camera '" + camera +
                         "' (overview, south, east, top, or a viewpoint "
                         "saved in viewpoints.txt)" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  const double a = osg::DegreesToRadians(azimuth), e = osg::DegreesToRadians(elevation);
  const osg::Vec3d eye =
      centre +
      osg::Vec3d(std::sin(a) * std::cos(e), std::cos(a) * std::cos(e), std::sin(e)) * distance;
  return osg::Matrixd::lookAt(eye, centre, osg::Vec3d(0, 0, 1));
}

std::vector<std::filesystem::path> render_frames(const std::filesystem::path& run_output,
                                                 const RenderOptions& options) {
  Replay replay(run_output);
  DrapeSpec drape = options.drape;
  fit_drape(replay, drape);
  std::vector<int> years;
  for (int y : replay.years())
    if ((options.first_year == 0 || y >= options.first_year) &&
        (options.last_year == 0 || y <= options.last_year))
      years.push_back(y);
  if (years.empty())
    throw InputError(
        "--years", 0, 0,
        "no recorded year in that range (recorded: " + std::to_string(replay.years().front()) +
            " to " + std::to_string(replay.years().back()) + ")");
  const bool movie = options.output.extension() == ".mp4";
  // The moments of the frames: every recorded year, and `tween` interpolated moments between
  // consecutive ones (smooth replay).
  struct Moment {
    double year;
    std::string name;
  };
  std::vector<Moment> moments;
  for (std::size_t k = 0; k < years.size(); ++k) {
    moments.push_back({static_cast<double>(years[k]), std::to_string(years[k])});
    if (k + 1 == years.size()) break;
    for (int step = 1; step <= options.tween; ++step)
      moments.push_back({years[k] + (years[k + 1] - years[k]) * step / (options.tween + 1.0),
                         std::to_string(years[k]) + "_" + std::to_string(step)});
  }
  if (movie && std::system("command -v ffmpeg > /dev/null 2>&1") != 0)
    throw InputError(
        options.output.string(), 0, 0,
        "an MP4 needs ffmpeg (Debian: apt-get install ffmpeg); or give a folder for PNG frames");
  // Cameras of the frames: fixed, or along the flight path (eye and centre interpolated
  // linearly between consecutive named cameras).
  std::vector<osg::Matrixd> views;
  if (options.flight.size() < 2) {
    views.assign(
        moments.size(),
        camera_view(replay, options.flight.empty() ? options.camera : options.flight.front(),
                    options.exaggeration));
  } else {
    std::vector<osg::Vec3d> eyes, centres;
    for (const auto& name : options.flight) {
      osg::Vec3d eye, centre, up;
      camera_view(replay, name, options.exaggeration).getLookAt(eye, centre, up);
      eyes.push_back(eye);
      centres.push_back(centre);
    }
    for (std::size_t f = 0; f < moments.size(); ++f) {
      const double s = moments.size() > 1
                           ? static_cast<double>(f) / static_cast<double>(moments.size() - 1) *
                                 static_cast<double>(eyes.size() - 1)
                           : 0.0;
      const auto k = std::min(static_cast<std::size_t>(s), eyes.size() - 2);
      const double w = s - static_cast<double>(k);
      views.push_back(osg::Matrixd::lookAt(eyes[k] * (1 - w) + eyes[k + 1] * w,
                                           centres[k] * (1 - w) + centres[k + 1] * w,
                                           osg::Vec3d(0, 0, 1)));
    }
  }

  PrivateDisplay display;  // when there is no DISPLAY: a private Xvfb (Mesa llvmpipe)
  osg::ref_ptr<osg::GraphicsContext> context =
      create_graphics_context(options.width, options.height, false);
  if (!context)
    throw std::runtime_error("cannot create an offscreen OpenGL context on display " +
                             std::string(std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "") +
                             " (needs X with GLX: Xvfb + Mesa, or a GPU)");
  osgViewer::Viewer viewer;
  viewer.setThreadingModel(osgViewer::Viewer::SingleThreaded);
  osg::Camera* camera = viewer.getCamera();
  camera->setGraphicsContext(context.get());
  camera->setViewport(0, 0, options.width, options.height);
  camera->setClearColor({0.80f, 0.87f, 0.94f, 1.0f});  // a pale sky
  osg::Vec3d centre;
  double radius = 0;
  site_bounds(replay, options.exaggeration, centre, radius);
  camera->setProjectionMatrixAsPerspective(
      kFieldOfViewDegrees, static_cast<double>(options.width) / options.height, radius * 0.002,
      radius * 10);  // near: close saved viewpoints
  camera->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
  camera->setDrawBuffer(GL_FRONT);
  camera->setReadBuffer(GL_FRONT);
  osg::ref_ptr<osg::Image> image = new osg::Image;
  image->allocateImage(options.width, options.height, 1, GL_RGBA, GL_UNSIGNED_BYTE);
  camera->setFinalDrawCallback(new ReadFrame(image.get()));

  std::FILE* ffmpeg = nullptr;
  if (movie) {
    const std::string command =
        "ffmpeg -loglevel error -y -f rawvideo -pix_fmt rgba -s " + std::to_string(options.width) +
        "x" + std::to_string(options.height) + " -r " + std::to_string(options.fps) +
        " -i - -vf vflip -pix_fmt yuv420p '" + options.output.string() + "'";
    ffmpeg = ::popen(command.c_str(), "w");
  } else {
    std::filesystem::create_directories(options.output);
  }
  std::vector<std::filesystem::path> written;
  SiteScene scene(replay, drape, options.exaggeration, options.width, options.height);
  viewer.setSceneData(scene.root());
  viewer.realize();
  for (std::size_t f = 0; f < moments.size(); ++f) {
    scene.show(moments[f].year);
    viewer.getCamera()->setViewMatrix(views[f]);
    // Draw until the terrain's level of detail has settled for this camera (one frame unless
    // the camera jumped far).
    for (int pass = 0; pass < 100; ++pass) {
      scene.look_from(views[f], camera->getProjectionMatrix());
      viewer.frame();
      if (scene.settled()) break;
    }
    if (movie) {
      std::fwrite(image->data(), 1, image->getTotalSizeInBytes(), ffmpeg);
    } else {
      const auto file = options.output / ("frame_" + moments[f].name + ".png");
      if (!osgDB::writeImageFile(*image, file.string()))
        throw std::runtime_error("cannot write " + file.string() + " (osgDB png plugin)");
      written.push_back(file);
    }
  }
  if (movie) {
    if (::pclose(ffmpeg) != 0)
      throw std::runtime_error("ffmpeg failed to write " + options.output.string());
    written.push_back(options.output);
  }
  return written;
}

}  // namespace minetwin::viz
