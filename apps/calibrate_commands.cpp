/// @file
/// @brief `minetwin calibrate`: fits a scenario's parameters to monitoring data with ES-MDA
/// (engine/calibration).

#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "engine/calibration/calibration_runner.hpp"

namespace minetwin::cli {

void add_calibrate_command(CLI::App& app, Commands& commands) {
  struct Arguments {
    std::string file;
    calibration::CalibrationOptions options;
    std::string output;
  };
  auto args = std::make_shared<Arguments>();
  CLI::App* command = app.add_subcommand(
      "calibrate",
      "Fit a scenario's parameters to observations (ES-MDA): parameters.csv, ensemble.csv, "
      "fit.csv, calibrated.yaml and the posterior forecast (also under mpirun)");
  command->add_option("calibration", args->file, "calibration YAML file")->required();
  command->add_option("-o,--output", args->output, "output folder")->required();
  command->add_option("--threads", args->options.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  command->add_option("--set", args->options.overrides,
                      "override a key of the base scenario for every member: KEY=VALUE");
  command->add_flag("--resume", args->options.resume,
                    "continue a killed calibration: finished members are not run again");
  command->add_flag("--quiet", args->options.quiet, "no progress and no closing report");
  command->add_flag("--check", args->options.check_only,
                    "check the calibration file, the observations and every prior member, run "
                    "nothing");
  command->callback([&commands, args] {
    commands.action = [args] {
      args->options.output = args->output;
      args->options.log = args->options.quiet ? nullptr : &std::cerr;
      const calibration::CalibrationSpec spec = calibration::load_calibration(args->file);
      const calibration::CalibrationReport report =
          calibration::run_calibration(spec, registry(), args->options);
      if (!report.root) return 0;
      if (args->options.check_only) {
        std::cout << args->file << ": ok (" << spec.parameters.size() << " parameters, "
                  << report.data << " observed values, ensemble of " << report.members << ", "
                  << spec.iterations << " iterations)\n";
        return 0;
      }
      if (!args->options.quiet) {
        std::cout << "wrote " << args->output
                  << "/parameters.csv, ensemble.csv, fit.csv, calibrated.yaml, "
                     "posterior_stats.csv, maps.nc ("
                  << report.members << " members x " << spec.iterations + 1 << " ensembles, "
                  << report.data << " observed values";
        if (report.from_journal > 0)
          std::cout << ", " << report.from_journal << " from the journal";
        if (report.failed > 0) std::cout << ", " << report.failed << " member runs failed";
        std::cout << ", " << report.ranks << (report.ranks == 1 ? " process" : " MPI ranks") << ", "
                  << std::fixed << std::setprecision(1) << report.wall_seconds << " s)\n";
        std::cerr << "members' own run time in this process: " << std::setprecision(2)
                  << report.member_seconds << " s\n";
      }
      return 0;
    };
  });
}

}  // namespace minetwin::cli
