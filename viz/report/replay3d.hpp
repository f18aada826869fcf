#pragma once
/// @file
/// @brief The report's 3D replay (issue 27; docs/report.md, "3D replay"): the terrain of every
/// recorded year as a three.js mesh in the self-contained report, with a year slider that plays
/// and interpolates between the recorded years, and for a comparison two linked views.

#include <vector>

#include "viz/report/html_page.hpp"
#include "viz/report/run_outputs.hpp"

namespace minetwin::report {

/// The most vertices along a side of the replay's mesh: a larger grid is sampled every k-th cell
/// (the level of detail that keeps a 4000² site's first view quick and the report small).
inline constexpr int kReplayMaxSide = 256;

/// Adds the section (its data, three.js and the viewer's script). Throws InputError when a run
/// did not record topographic__elevation or the runs of a comparison lie on different grids.
void replay_section(Page& page, const std::vector<RunOutputs>& runs);

}  // namespace minetwin::report
