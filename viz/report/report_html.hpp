#pragma once
/// @file
/// @brief The planner's report: one self-contained HTML file (scripts, styles and images
/// inside; no network), printable to PDF (docs/report.md).

#include <filesystem>
#include <vector>

#include "viz/report/run_outputs.hpp"

namespace minetwin::report {

/// Where the charting library's files are (assets/js); the MINETWIN_ASSETS environment variable
/// overrides the build's source tree.
std::filesystem::path assets_folder();

/// The report of one run, or the comparison of several (the first is the reference). The 3D
/// replay's data go to script files in @p replay_assets when given, or when they exceed
/// kReplayInlineLimit (then into "<report's stem>_assets" beside the report); else inline.
/// Returns the folder the replay's data went to (empty: inline).
std::filesystem::path write_run_report(const std::vector<RunOutputs>& runs,
                                       const std::filesystem::path& file,
                                       const std::filesystem::path& replay_assets = {});

/// The report of a sweep: fan charts, target probabilities, sensitivity.
void write_sweep_report(const SweepOutputs& sweep, const std::filesystem::path& file);

/// The report of a calibration: priors against posteriors, the fit over the iterations,
/// observed against simulated, the posterior forecast.
void write_calibration_report(const CalibrationOutputs& calibration,
                              const std::filesystem::path& file);

/// The report of an optimisation: the Pareto front among every plan evaluated, the front's
/// plans with the marginal cost of each target along it.
void write_optimisation_report(const OptimisationOutputs& optimisation,
                               const std::filesystem::path& file);

}  // namespace minetwin::report
