#include "viz/viewer.hpp"

#include <chrono>
#include <iostream>

#include <osgDB/WriteFile>
#include <osgGA/TrackballManipulator>
#include <osgViewer/CompositeViewer>
#include <osgViewer/ViewerEventHandlers>

#include "engine/core/errors.hpp"

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
  std::size_t index = 0;
  bool playing = true;
  double years_per_second = 2.0;
  double since_step = 0;
  DrapeSpec drape;
  std::size_t field = 0;
  bool dirty = true;
  std::string camera;
  bool save_view = false;
};

class Keys : public osgGA::GUIEventHandler {
 public:
  explicit Keys(Timeline& timeline) : timeline_(timeline) {}
  bool handle(const osgGA::GUIEventAdapter& event, osgGA::GUIActionAdapter&) override {
    if (event.getEventType() != osgGA::GUIEventAdapter::KEYDOWN) return false;
    Timeline& t = timeline_;
    switch (event.getKey()) {
      case ' ':
        t.playing = !t.playing;
        return true;
      case osgGA::GUIEventAdapter::KEY_Right:
        t.index = std::min(t.index + 1, t.years.size() - 1);
        t.dirty = true;
        return true;
      case osgGA::GUIEventAdapter::KEY_Left:
        t.index = t.index > 0 ? t.index - 1 : 0;
        t.dirty = true;
        return true;
      case osgGA::GUIEventAdapter::KEY_Up:
        t.years_per_second *= 2;
        return true;
      case osgGA::GUIEventAdapter::KEY_Down:
        t.years_per_second /= 2;
        return true;
      case osgGA::GUIEventAdapter::KEY_Home:
        t.index = 0;
        t.dirty = true;
        return true;
      case osgGA::GUIEventAdapter::KEY_End:
        t.index = t.years.size() - 1;
        t.dirty = true;
        return true;
      case osgGA::GUIEventAdapter::KEY_Page_Up:
        t.index = std::min(t.index + 10, t.years.size() - 1);
        t.dirty = true;
        return true;
      case osgGA::GUIEventAdapter::KEY_Page_Down:
        t.index = t.index > 10 ? t.index - 10 : 0;
        t.dirty = true;
        return true;
      case 'f':
        t.field = (t.field + 1) % kFields.size();
        t.drape = kFields[t.field];
        t.dirty = true;
        return true;
      case 'c':
        if (!t.drape.field.empty() && !t.drape.categorical) {
          t.drape.change = !t.drape.change;
          t.dirty = true;
        }
        return true;
      case '1':
        t.camera = "overview";
        return true;
      case '2':
        t.camera = "south";
        return true;
      case '3':
        t.camera = "east";
        return true;
      case '4':
        t.camera = "top";
        return true;
      default:
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
  timeline.drape = options.drape;

  osgViewer::CompositeViewer viewer;
  osg::ref_ptr<osg::GraphicsContext::Traits> traits = new osg::GraphicsContext::Traits;
  traits->x = 50;
  traits->y = 50;
  traits->width = options.width;
  traits->height = options.height;
  traits->windowDecoration = true;
  traits->doubleBuffer = true;
  traits->windowName = "MineTwin";
  traits->readDISPLAY();
  traits->setUndefinedScreenDetailsToDefaultScreen();
  osg::ref_ptr<osg::GraphicsContext> context =
      osg::GraphicsContext::createGraphicsContext(traits.get());
  if (!context)
    throw std::runtime_error("cannot open a window on display " + traits->displayName());
  const int n = static_cast<int>(replays.size());
  const int panel = options.width / n;
  std::vector<osg::ref_ptr<osg::Group>> roots;
  for (int k = 0; k < n; ++k) {
    osg::ref_ptr<osgViewer::View> view = new osgViewer::View;
    viewer.addView(view);
    view->getCamera()->setGraphicsContext(context.get());
    view->getCamera()->setViewport(k * panel, 0, panel, options.height);
    view->getCamera()->setProjectionMatrixAsPerspective(
        35.0, static_cast<double>(panel) / options.height, 1.0, 1e6);
    view->getCamera()->setClearColor({0.80f, 0.87f, 0.94f, 1.0f});
    roots.push_back(new osg::Group);
    view->setSceneData(roots.back());
    view->setCameraManipulator(new osgGA::TrackballManipulator);
    view->getCameraManipulator()->setHomePosition(osg::Vec3d(), osg::Vec3d(), osg::Vec3d(0, 0, 1));
    osg::Vec3d eye, centre, up;
    camera_view(*replays[static_cast<std::size_t>(k)], "overview", options.exaggeration)
        .getLookAt(eye, centre, up);
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
  viewer.realize();
  auto last = std::chrono::steady_clock::now();
  int frames = 0;
  while (!viewer.done() && (options.max_frames == 0 || frames < options.max_frames)) {
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    if (timeline.playing) {
      timeline.since_step += dt * timeline.years_per_second;
      if (timeline.since_step >= 1.0 && timeline.index + 1 < timeline.years.size()) {
        timeline.since_step = 0;
        ++timeline.index;
        timeline.dirty = true;
      }
    }
    if (timeline.dirty) {
      for (int k = 0; k < n; ++k) {
        DrapeSpec drape = timeline.drape;
        fit_drape(*replays[static_cast<std::size_t>(k)], drape);
        roots[static_cast<std::size_t>(k)]->removeChildren(
            0, roots[static_cast<std::size_t>(k)]->getNumChildren());
        roots[static_cast<std::size_t>(k)]->addChild(
            build_year_scene(*replays[static_cast<std::size_t>(k)], timeline.years[timeline.index],
                             drape, options.exaggeration, panel, options.height));
      }
      timeline.dirty = false;
    }
    if (!timeline.camera.empty()) {
      for (int k = 0; k < n; ++k)
        viewer.getView(static_cast<unsigned>(k))
            ->getCameraManipulator()
            ->setByInverseMatrix(camera_view(*replays[static_cast<std::size_t>(k)], timeline.camera,
                                             options.exaggeration));
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
    // Linked cameras: the second view follows the first.
    for (int k = 1; k < n; ++k)
      viewer.getView(static_cast<unsigned>(k))
          ->getCameraManipulator()
          ->setByMatrix(viewer.getView(0)->getCameraManipulator()->getMatrix());
    viewer.frame();
    ++frames;
  }
}

}  // namespace minetwin::viz
