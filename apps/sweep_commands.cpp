/// @file
/// @brief `minetwin sweep`: Monte Carlo what-if sweeps of a scenario (engine/sweep).

#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "engine/sweep/sweep_runner.hpp"

namespace minetwin::cli {

void add_sweep_command(CLI::App& app, Commands& commands) {
  struct Arguments {
    std::string sweep_file;
    sweep::SweepOptions options;
    std::string output;
  };
  auto args = std::make_shared<Arguments>();
  CLI::App* command = app.add_subcommand(
      "sweep",
      "Monte Carlo what-if sweep of a scenario: members.csv, stats.csv, targets.csv, "
      "sensitivity.csv, maps.nc (also under mpirun)");
  command->add_option("sweep", args->sweep_file, "sweep YAML file")->required();
  command->add_option("-o,--output", args->output, "output folder")->required();
  command->add_option("--samples", args->options.samples, "override the file's sample count")
      ->check(CLI::Range(1, 1000000));
  command->add_option("--threads", args->options.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  command->add_option("--set", args->options.overrides,
                      "override a key of the base scenario for every member: KEY=VALUE");
  command->add_flag("--resume", args->options.resume,
                    "continue a killed sweep: finished members are not run again");
  command->add_flag("--quiet", args->options.quiet, "no progress line and no closing report");
  command->add_flag("--check", args->options.check_only,
                    "check the sweep file and every member's scenario, run nothing");
  command->callback([&commands, args] {
    commands.action = [args] {
      args->options.output = args->output;
      args->options.log = args->options.quiet ? nullptr : &std::cerr;
      const sweep::SweepSpec spec = sweep::load_sweep(args->sweep_file);
      const sweep::SweepReport report = sweep::run_sweep(spec, registry(), args->options);
      if (args->options.check_only) {
        if (report.root)
          std::cout << args->sweep_file << ": ok (" << report.members << " members, "
                    << spec.uncertain.size() << " uncertain inputs, " << to_string(spec.method)
                    << ")\n";
        return 0;
      }
      if (report.root && !args->options.quiet) {
        std::cout << "wrote " << args->output
                  << "/members.csv, stats.csv, targets.csv, sensitivity.csv"
                  << (spec.maps.empty() ? "" : ", maps.nc") << " (" << report.members << " members";
        if (report.from_journal > 0)
          std::cout << ", " << report.from_journal << " from the journal";
        std::cout << ", " << report.ranks << (report.ranks == 1 ? " process" : " MPI ranks") << ", "
                  << std::fixed << std::setprecision(1) << report.wall_seconds << " s)\n";
        // The members' own run time (this process's), against which the machinery's cost
        // is judged (tests/benchmarks/sweep_scaling.sh).
        std::cerr << "members' own run time in this process: " << std::setprecision(2)
                  << report.member_seconds << " s\n";
      }
      return 0;
    };
  });
}

}  // namespace minetwin::cli
