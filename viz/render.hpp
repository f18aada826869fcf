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
  /// Interpolated frames between consecutive recorded years (smooth replay; PNG names
  /// frame_YYYY_K.png for the K-th after year YYYY).
  int tween = 0;
  std::string camera = "overview";  ///< overview | south | east | top | a saved viewpoint
  /// A flight path: named cameras (built-in or saved) the frames move through, evenly spaced
  /// over the frames; empty: the fixed `camera`.
  std::vector<std::string> flight;
  double exaggeration = 2.0;
};

/// Names of the built-in cameras.
std::vector<std::string> camera_names();

/// Renders the frames; returns the files written (the PNGs, or the MP4).
std::vector<std::filesystem::path> render_frames(const std::filesystem::path& run_output,
                                                 const RenderOptions& options);

/// The view matrix of a named camera: a built-in one looking at the site centre, or a viewpoint
/// saved with the viewer's `v` key (OUT/viewpoints.txt).
osg::Matrixd camera_view(const Replay& replay, const std::string& camera, double exaggeration);

/// Appends the view to OUT/viewpoints.txt as `viewpoint_N`; returns the name.
std::string save_viewpoint(const std::filesystem::path& output, const osg::Matrixd& view);

}  // namespace minetwin::viz
