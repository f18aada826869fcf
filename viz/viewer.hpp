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

/// Opens the window and replays, interpolating smoothly between recorded years. Keys: space
/// play/pause, Right/Left a recorded year, Page Up/Down ten, Home/End first/last, Up/Down speed,
/// i smooth/stepwise, f next field, c change since the start, 1-4 cameras (overview, south,
/// east, top), v save the viewpoint, p screenshot (PNG beside the first output), s statistics.
/// Returns when the window closes; with `max_frames`, prints the frame times.
void view_runs(const std::vector<std::filesystem::path>& outputs, const ViewOptions& options);

}  // namespace minetwin::viz
