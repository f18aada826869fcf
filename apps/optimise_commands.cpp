/// @file
/// @brief `minetwin optimise`: the cheapest plans that meet the targets, searched with pagmo2's
/// algorithms over plans run by the sweep engine (engine/optimisation).

#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "engine/optimisation/optimisation_runner.hpp"

namespace minetwin::cli {

void add_optimise_command(CLI::App& app, Commands& commands) {
  struct Arguments {
    std::string file;
    optimisation::OptimisationOptions options;
    std::string output;
  };
  auto args = std::make_shared<Arguments>();
  CLI::App* command = app.add_subcommand(
      "optimise",
      "Search the plans an optimisation file allows (NSGA-II, CMA-ES, DE, or every plan): "
      "pareto.csv, evaluations.csv and each Pareto plan's scenario in best/ (also under mpirun)");
  command->alias("optimize");
  command->add_option("optimisation", args->file, "optimisation YAML file")->required();
  command->add_option("-o,--output", args->output, "output folder")->required();
  command->add_option("--threads", args->options.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  command->add_option("--set", args->options.overrides,
                      "override a key of the base scenario for every plan: KEY=VALUE");
  command->add_flag("--resume", args->options.resume,
                    "continue a killed optimisation: plans already run are not run again");
  command->add_flag("--quiet", args->options.quiet, "no progress and no closing report");
  command->add_flag("--check", args->options.check_only,
                    "check the optimisation file and every decision's extreme values, run nothing");
  command->callback([&commands, args] {
    commands.action = [args] {
      args->options.output = args->output;
      args->options.log = args->options.quiet ? nullptr : &std::cerr;
      const optimisation::OptimisationSpec spec = optimisation::load_optimisation(args->file);
      const optimisation::OptimisationReport report =
          optimisation::run_optimisation(spec, registry(), args->options);
      if (!report.root) return 0;
      if (args->options.check_only) {
        std::cout << args->file << ": ok (" << spec.decisions.size() << " decisions, "
                  << spec.objectives.size() << " objectives, " << spec.constraints.size()
                  << " constraints, " << to_string(spec.algorithm) << ")\n";
        return 0;
      }
      if (!args->options.quiet) {
        std::cout << "wrote " << args->output << "/pareto.csv, evaluations.csv, best/ ("
                  << report.plans << " plans evaluated of " << report.requests << " asked for, "
                  << report.feasible << " feasible, " << report.front << " on the front; "
                  << report.member_runs << " runs";
        if (report.from_journal > 0)
          std::cout << ", " << report.from_journal << " from the journal";
        std::cout << ", " << report.ranks << (report.ranks == 1 ? " process" : " MPI ranks") << ", "
                  << std::fixed << std::setprecision(1) << report.wall_seconds << " s)\n";
        std::cerr << "the search's own time: " << std::setprecision(3) << report.search_seconds
                  << " s; the runs' own time in this process: " << std::setprecision(2)
                  << report.member_seconds << " s\n";
      }
      return 0;
    };
  });
}

}  // namespace minetwin::cli
