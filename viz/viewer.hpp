#pragma once
/// @file
/// @brief `minetwin view OUT [OUT2]`: the interactive replay in an OpenSceneGraph window; two
/// runs side by side with their cameras and timeline linked.

#include <filesystem>
#include <vector>

#include "viz/render.hpp"

namespace minetwin::viz {

struct ViewOptions {
  DrapeSpec drape;
  double exaggeration = 2.0;
  int width = 1600, height = 900;
  /// Stop after this many frames (0: until the window closes); tests and demos use it.
  int max_frames = 0;
};

/// Opens the window and replays. Keys: space play/pause, Right/Left a year, Up/Down speed, f next
/// field, c change since the start, 1-4 cameras (overview, south, east, top), p screenshot
/// (PNG beside the first output). Returns when the window closes.
void view_runs(const std::vector<std::filesystem::path>& outputs, const ViewOptions& options);

}  // namespace minetwin::viz
