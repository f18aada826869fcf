#include "viz/viewer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <osgDB/WriteFile>
#include <osgGA/TrackballManipulator>
#include <osgViewer/CompositeViewer>
#include <osgViewer/ViewerEventHandlers>

#include "engine/core/errors.hpp"
#include "viz/scene/private_display.hpp"

namespace minetwin::viz {
namespace {

// Fields the 'f' key steps through: the plain look first.
const std::vector<DrapeSpec> kFields = {
    {"", 0, false, 0, 1, false},
    {"vegetation__cover_fraction", 0, false, 0, 1, false},
    {"soil_cd__total_concentration", 0, false, 0, 1, false},
    {"soil_carbon__hum", 0, false, 0, 1, false},
    {"index__rsei", 0, false, 0, 1, false},
    {"hazard_rockfall__class", 0, false, 0, 3, true},
    {"topographic__elevation", 0, true, -1, 1, false},
};

struct Timeline {
  std::vector<int> years;
  double now = 0;  ///< the moment shown (a fractional year when smooth)
  bool playing = true;
  bool smooth = true;  ///< interpolate between recorded years; off: show each recorded year
  double years_per_second = 2.0;
  DrapeSpec drape;
  std::size_t field = 0;
  bool drape_changed = false;
  std::string camera;
  bool save_view = false;

  std::size_t index() const {  ///< the recorded year at or before `now`
    std::size_t k = 0;
    while (k + 1 < years.size() && years[k + 1] <= now) ++k;
    return k;
  }
  double shown() const { return smooth ? now : years[index()]; }
  void step(int records) {
    const auto k = static_cast<long>(index());
    const bool between = now > years[static_cast<std::size_t>(k)];
    const long last = static_cast<long>(years.size()) - 1;
    const long target =
        std::clamp(records < 0 && between ? k + records + 1 : k + records, 0L, last);
    now = years[static_cast<std::size_t>(target)];
  }
};

class Keys : public osgGA::GUIEventHandler {
 public:
  explicit Keys(Timeline& timeline) : timeline_(timeline) {}
  bool handle(const osgGA::GUIEventAdapter& event, osgGA::GUIActionAdapter&) override {
    if (event.getEventType() != osgGA::GUIEventAdapter::KEYDOWN) return false;
    Timeline& t = timeline_;
    const int key = event.getKey();
    switch (key) {
      case ' ':
        t.playing = !t.playing;
        if (t.playing && t.now >= t.years.back()) t.now = t.years.front();  // play again
        return true;
      case osgGA::GUIEventAdapter::KEY_Right:
        t.step(1);
        return true;
      case osgGA::GUIEventAdapter::KEY_Left:
        t.step(-1);
        return true;
      case osgGA::GUIEventAdapter::KEY_Page_Up:
        t.step(10);
        return true;
      case osgGA::GUIEventAdapter::KEY_Page_Down:
        t.step(-10);
        return true;
      case osgGA::GUIEventAdapter::KEY_Home:
        t.now = t.years.front();
        return true;
      case osgGA::GUIEventAdapter::KEY_End:
        t.now = t.years.back();
        return true;
      case osgGA::GUIEventAdapter::KEY_Up:
        t.years_per_second *= 2;
        return true;
      case osgGA::GUIEventAdapter::KEY_Down:
        t.years_per_second /= 2;
        return true;
      case 'i':
        t.smooth = !t.smooth;
        return true;
      case 'f':
        t.field = (t.field + 1) % kFields.size();
        t.drape = kFields[t.field];
        t.drape_changed = true;
        return true;
      case 'c':
        if (!t.drape.field.empty() && !t.drape.categorical) {
          t.drape.change = !t.drape.change;
          t.drape_changed = true;
        }
        return true;
      case 'v':
        t.save_view = true;
        return true;
      default:
        if (key >= '1' && key <= '4') {
          t.camera = camera_names()[static_cast<std::size_t>(key - '1')];
          return true;
        }
        return false;
    }
  }

 private:
  Timeline& timeline_;
};

}  // namespace

void view_runs(const std::vector<std::filesystem::path>& outputs, const ViewOptions& options) {
  std::vector<std::unique_ptr<Replay>> replays;
  for (const auto& output : outputs) replays.push_back(std::make_unique<Replay>(output));
  Timeline timeline;
  timeline.years = replays.front()->years();
  timeline.now = timeline.years.front();
  timeline.drape = options.drape;

  osgViewer::CompositeViewer viewer;
  // Single-threaded: the terrain tiles are refreshed between frames, never while drawn.
  viewer.setThreadingModel(osgViewer::ViewerBase::SingleThreaded);
  osg::ref_ptr<osg::GraphicsContext> context =
      create_graphics_context(options.width, options.height, true);
  if (!context) {
    const char* display = std::getenv("DISPLAY");
    throw InputError("DISPLAY", 0, 0,
                     "cannot open a window on display '" + std::string(display ? display : "") +
                         "' (no X display: use `minetwin render` for frames without one)");
  }
  const std::size_t n = replays.size();
  const int panel = options.width / static_cast<int>(n);
  std::vector<osg::ref_ptr<osg::Group>> roots;
  std::vector<std::unique_ptr<SiteScene>> scenes(n);
  for (std::size_t k = 0; k < n; ++k) {
    osg::ref_ptr<osgViewer::View> view = new osgViewer::View;
    viewer.addView(view);
    view->getCamera()->setGraphicsContext(context.get());
    view->getCamera()->setViewport(static_cast<int>(k) * panel, 0, panel, options.height);
    view->getCamera()->setProjectionMatrixAsPerspective(
        kFieldOfViewDegrees, static_cast<double>(panel) / options.height, 1.0, 1e6);
    view->getCamera()->setClearColor({0.80f, 0.87f, 0.94f, 1.0f});
    roots.push_back(new osg::Group);
    view->setSceneData(roots.back());
    view->setCameraManipulator(new osgGA::TrackballManipulator);
    osg::Vec3d eye, centre, up;
    camera_view(*replays[k], "overview", options.exaggeration).getLookAt(eye, centre, up);
    view->getCameraManipulator()->setHomePosition(eye, centre, up);
    view->home();
    view->addEventHandler(new Keys(timeline));
    view->addEventHandler(new osgViewer::StatsHandler);
    if (k == 0) {
      osg::ref_ptr<osgViewer::ScreenCaptureHandler> capture =
          new osgViewer::ScreenCaptureHandler(new osgViewer::ScreenCaptureHandler::WriteToFile(
              (outputs.front() / "screenshot").string(), "png"));
      capture->setKeyEventTakeScreenShot('p');
      view->addEventHandler(capture);
    }
  }
  auto build_scenes = [&] {
    for (std::size_t k = 0; k < n; ++k) {
      DrapeSpec drape = timeline.drape;
      fit_drape(*replays[k], drape);
      scenes[k] = std::make_unique<SiteScene>(*replays[k], drape, options.exaggeration, panel,
                                              options.height);
      roots[k]->removeChildren(0, roots[k]->getNumChildren());
      roots[k]->addChild(scenes[k]->root());
    }
  };
  build_scenes();
  viewer.realize();
  auto last = std::chrono::steady_clock::now();
  std::vector<double> frame_ms;
  while (!viewer.done() &&
         (options.max_frames == 0 || static_cast<int>(frame_ms.size()) < options.max_frames)) {
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    viewer.advance();
    viewer.eventTraversal();  // keys change the timeline, the field, the camera
    if (timeline.playing)
      timeline.now = std::min(timeline.now + dt * timeline.years_per_second,
                              static_cast<double>(timeline.years.back()));
    if (timeline.drape_changed) {
      timeline.drape_changed = false;
      build_scenes();
    }
    for (auto& scene : scenes) scene->show(timeline.shown());
    if (!timeline.camera.empty()) {
      viewer.getView(0)->getCameraManipulator()->setByInverseMatrix(
          camera_view(*replays.front(), timeline.camera, options.exaggeration));
      timeline.camera.clear();
    }
    if (timeline.save_view) {
      timeline.save_view = false;
      const std::string name =
          save_viewpoint(outputs.front(), viewer.getView(0)->getCamera()->getViewMatrix());
      std::cout << "saved the camera as " << name << " in "
                << (outputs.front() / "viewpoints.txt").string() << " (minetwin render --camera "
                << name << ")\n";
    }
    // Linked cameras: the other views follow the first.
    for (std::size_t k = 1; k < n; ++k)
      viewer.getView(static_cast<unsigned>(k))
          ->getCameraManipulator()
          ->setByMatrix(viewer.getView(0)->getCameraManipulator()->getMatrix());
    viewer.updateTraversal();  // manipulators set the cameras
    for (std::size_t k = 0; k < n; ++k) {
      const osg::Camera* camera = viewer.getView(static_cast<unsigned>(k))->getCamera();
      scenes[k]->look_from(camera->getViewMatrix(), camera->getProjectionMatrix());
    }
    viewer.renderingTraversals();
    frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count());
  }
  if (options.max_frames > 0 && frame_ms.size() > 1) {
    // Frame times for benchmarks (the first frame, with the window's set-up, left out).
    std::vector<double> times(frame_ms.begin() + 1, frame_ms.end());
    std::sort(times.begin(), times.end());
    double sum = 0;
    for (double t : times) sum += t;
    const auto& stats = scenes.front()->terrain().stats();
    std::printf(
        "frames %zu: mean %.1f ms, median %.1f ms, p95 %.1f ms; terrain %zu tiles, %zu "
        "vertices\n",
        times.size(), sum / static_cast<double>(times.size()), times[times.size() / 2],
        times[std::min(times.size() - 1, times.size() * 95 / 100)], stats.tiles, stats.vertices);
  }
}

}  // namespace minetwin::viz
