#include "viz/scene/private_display.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace minetwin::viz {

PrivateDisplay::PrivateDisplay() {
  const char* display = std::getenv("DISPLAY");
  if (display != nullptr && display[0] != '\0') return;
  // A display number nobody uses: no lock file and no socket.
  int number = 90 + static_cast<int>(::getpid() % 500);
  while (std::filesystem::exists("/tmp/.X" + std::to_string(number) + "-lock") ||
         std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(number)))
    ++number;
  const std::string name = ":" + std::to_string(number);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("cannot start Xvfb (fork failed)");
  if (pid_ == 0) {
    // The child: Xvfb, quiet; 24-bit screen; no TCP.
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::execlp("Xvfb", "Xvfb", name.c_str(), "-screen", "0", "2048x2048x24", "-nolisten", "tcp",
             "-noreset", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const std::string socket = "/tmp/.X11-unix/X" + std::to_string(number);
  for (int k = 0; k < 100 && !std::filesystem::exists(socket); ++k) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(
          "headless rendering needs a display: DISPLAY is unset and Xvfb could not start "
          "(Debian: apt-get install xvfb)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::setenv("DISPLAY", name.c_str(), 1);
}

PrivateDisplay::~PrivateDisplay() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  ::unsetenv("DISPLAY");
}

osg::ref_ptr<osg::GraphicsContext> create_graphics_context(int width, int height, bool window) {
  osg::ref_ptr<osg::GraphicsContext::Traits> traits = new osg::GraphicsContext::Traits;
  traits->x = window ? 50 : 0;
  traits->y = window ? 50 : 0;
  traits->width = width;
  traits->height = height;
  traits->windowDecoration = window;
  traits->doubleBuffer = window;
  traits->pbuffer = !window;
  if (window) traits->windowName = "MineTwin";
  traits->readDISPLAY();
  traits->setUndefinedScreenDetailsToDefaultScreen();
  return osg::GraphicsContext::createGraphicsContext(traits.get());
}

}  // namespace minetwin::viz
