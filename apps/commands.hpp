#pragma once
/// @file
/// @brief Subcommand definitions of the `minetwin` program.

#include <functional>

namespace CLI {
class App;
}

namespace minetwin {
class ModelRegistry;
}

namespace minetwin::cli {

/// Every model of this build, registered once.
const ModelRegistry& registry();

/// The action of the parsed subcommand, run after parsing.
struct Commands {
  std::function<int()> action;
};

void add_run_command(CLI::App& app, Commands& commands);
void add_validate_command(CLI::App& app, Commands& commands);
void add_schema_command(CLI::App& app, Commands& commands);
void add_site_command(CLI::App& app, Commands& commands);
void add_export_command(CLI::App& app, Commands& commands);
void add_terrain_command(CLI::App& app, Commands& commands);
void add_metals_command(CLI::App& app, Commands& commands);
void add_soilcarbon_command(CLI::App& app, Commands& commands);
void add_sweep_command(CLI::App& app, Commands& commands);
void add_calibrate_command(CLI::App& app, Commands& commands);
void add_optimise_command(CLI::App& app, Commands& commands);
void add_hazard_command(CLI::App& app, Commands& commands);
void add_report_commands(CLI::App& app, Commands& commands);
void add_view_commands(CLI::App& app, Commands& commands);

}  // namespace minetwin::cli
