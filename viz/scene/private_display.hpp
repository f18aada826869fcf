#pragma once
/// @file
/// @brief A private X server (Xvfb with Mesa) for headless rendering on a machine with no
/// display: started when DISPLAY is unset, stopped when this object goes.

#include <sys/types.h>

#include <string>

#include <osg/GraphicsContext>

namespace minetwin::viz {

class PrivateDisplay {
 public:
  /// Starts Xvfb on a free display number when DISPLAY is unset or empty and sets DISPLAY;
  /// does nothing otherwise. Throws std::runtime_error when Xvfb cannot be started.
  PrivateDisplay();
  ~PrivateDisplay();
  PrivateDisplay(const PrivateDisplay&) = delete;
  PrivateDisplay& operator=(const PrivateDisplay&) = delete;
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

/// An OpenGL context of @p width x @p height on the current DISPLAY: an offscreen pbuffer
/// (headless frames, benchmarks) or a decorated, double-buffered window named "MineTwin".
/// Null when the display has no GLX.
osg::ref_ptr<osg::GraphicsContext> create_graphics_context(int width, int height, bool window);

}  // namespace minetwin::viz
