/// @file
/// @brief `minetwin report` and `minetwin compare`: the planner's self-contained HTML report.

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "engine/core/errors.hpp"
#include "viz/report/report_html.hpp"

namespace minetwin::cli {

namespace {

// What to keep beside the report: the folder of the replay's data, when not inline.
std::string replay_assets_note(const std::filesystem::path& assets) {
  return assets.empty() ? std::string()
                        : " (its 3D replay's data are in " + assets.string() +
                              ": keep the folder with the report)";
}

}  // namespace

void add_report_commands(CLI::App& app, Commands& commands) {
  struct Arguments {
    std::vector<std::string> outputs;
    std::string file;
    std::string assets;
  };
  auto report_args = std::make_shared<Arguments>();
  CLI::App* report = app.add_subcommand("report",
                                        "The planner's report of a run, a sweep, a calibration or "
                                        "an optimisation: one self-contained HTML file");
  report
      ->add_option("output", report_args->outputs,
                   "a run's, a sweep's, a calibration's or an optimisation's output folder")
      ->required()
      ->expected(1);
  report->add_option("-o,--output-file", report_args->file, "report.html")->required();
  constexpr const char* kAssetsHelp =
      "a run's report: a folder for the 3D replay's data, loaded by the report from beside it "
      "(default: inline, or REPORT_assets when over 100 MB)";
  report->add_option("--assets", report_args->assets, kAssetsHelp);
  report->callback([&commands, report_args] {
    commands.action = [report_args] {
      const std::filesystem::path folder = report_args->outputs.front();
      std::filesystem::path assets;
      // --assets is the run report's (its 3D replay): refused for the other outputs.
      auto refuse_assets = [&] {
        if (!report_args->assets.empty())
          throw InputError("--assets", 0, 0,
                           "applies to a run's report (its 3D replay); " + folder.string() +
                               " is a sweep's, a calibration's or an optimisation's output");
      };
      if (report::is_optimisation_output(folder)) {
        refuse_assets();
        report::write_optimisation_report(report::load_optimisation_outputs(folder),
                                          report_args->file);
      } else if (report::is_calibration_output(folder)) {
        refuse_assets();
        report::write_calibration_report(report::load_calibration_outputs(folder),
                                         report_args->file);
      } else if (report::is_sweep_output(folder)) {
        refuse_assets();
        report::write_sweep_report(report::load_sweep_outputs(folder), report_args->file);
      } else {
        assets = report::write_run_report({report::load_run_outputs(folder)}, report_args->file,
                                          report_args->assets);
      }
      std::cout << "wrote " << report_args->file << replay_assets_note(assets) << "\n";
      return 0;
    };
  });

  auto compare_args = std::make_shared<Arguments>();
  CLI::App* compare = app.add_subcommand(
      "compare",
      "Compare runs of several scenarios in one HTML report (the first is the reference)");
  compare->add_option("outputs", compare_args->outputs, "run output folders")
      ->required()
      ->expected(2, 16);
  compare->add_option("-o,--output-file", compare_args->file, "report.html")->required();
  compare->add_option("--assets", compare_args->assets, kAssetsHelp);
  compare->callback([&commands, compare_args] {
    commands.action = [compare_args] {
      std::vector<report::RunOutputs> runs;
      for (const auto& folder : compare_args->outputs)
        runs.push_back(report::load_run_outputs(folder));
      const auto assets = report::write_run_report(runs, compare_args->file, compare_args->assets);
      std::cout << "wrote " << compare_args->file << replay_assets_note(assets) << "\n";
      return 0;
    };
  });
}

}  // namespace minetwin::cli
