#pragma once
/// @file
/// @brief `minetwin render`: headless, offscreen frames of a run's recorded years (PNG named
/// frame_YYYY.png, or an MP4 through ffmpeg), with the year and the legend burned in.

#include <filesystem>
#include <string>
#include <vector>

#include "viz/scene/terrain_scene.hpp"

namespace minetwin::viz {

struct RenderOptions {
  std::filesystem::path output;  ///< a folder for PNG frames, or FILE.mp4
  DrapeSpec drape;
  int first_year = 0, last_year = 0;  ///< 0: every recorded year
  int width = 1280, height = 720;
  int fps = 5;
  std::string camera = "overview";  ///< overview | south | east | top
  double exaggeration = 2.0;
};

/// Names of the built-in cameras.
std::vector<std::string> camera_names();

/// Renders the frames; returns the files written (the PNGs, or the MP4).
std::vector<std::filesystem::path> render_frames(const std::filesystem::path& run_output,
                                                 const RenderOptions& options);

/// The eye position of a named camera looking at the site centre.
osg::Matrixd camera_view(const Replay& replay, const std::string& camera, double exaggeration);

}  // namespace minetwin::viz
