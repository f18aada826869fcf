#pragma once
/// @file
/// @brief The report's 3D replay (issue 27; docs/report.md, "3D replay"): the terrain of every
/// recorded year as a three.js mesh in the self-contained report, with a year slider that plays
/// and interpolates between the recorded years, and for a comparison two linked views.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "viz/report/html_page.hpp"
#include "viz/report/run_outputs.hpp"

namespace minetwin::report {

/// The most vertices along a side of the replay's mesh: a larger grid is sampled every k-th cell
/// (the level of detail that keeps a 4000² site's first view quick and the report small).
inline constexpr int kReplayMaxSide = 256;

/// The most bytes of replay data (base64) a report holds inline: beyond it (a long run, or a
/// comparison of several) each run's data go to a script file in an assets folder beside the
/// report, which the report loads with <script src> (a page opened from a file may load scripts
/// from its folder, but not fetch files).
inline constexpr std::size_t kReplayInlineLimit = 100u << 20;

/// Where the replay's data go: inline (@p folder empty and the data within kReplayInlineLimit),
/// else script files in @p folder (or, when empty, "<report's stem>_assets" beside the report).
struct ReplayAssets {
  std::filesystem::path report;  ///< the report's file
  std::filesystem::path folder;  ///< --assets, or empty
};

/// Adds the section (its data, three.js and the viewer's script). Throws InputError when a run
/// did not record topographic__elevation or the runs of a comparison lie on different grids.
/// Returns the asset files to write (path, content) before the report; empty when inline.
std::vector<std::pair<std::filesystem::path, std::string>> replay_section(
    Page& page, const std::vector<RunOutputs>& runs, const ReplayAssets& assets);

}  // namespace minetwin::report
