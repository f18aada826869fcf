/// @file
/// @brief The `minetwin` command line: parses arguments and calls engine, models and viz.
/// Exit codes (design brief): 0 success, 2 bad input, 1 anything else.

#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/commands.hpp"
#include "engine/core/errors.hpp"
#include "engine/run/runner.hpp"

int main(int argc, char** argv) {
  using namespace minetwin::cli;
  CLI::App app{
      "MineTwin: a digital twin of mine-site restoration (terrain, soil, heavy metals, "
      "vegetation and carbon over decades)"};
  app.set_version_flag("--version", std::string("minetwin ") + minetwin::program_version());
  app.require_subcommand(1);
  Commands commands;
  add_run_command(app, commands);
  add_validate_command(app, commands);
  add_schema_command(app, commands);
  add_site_command(app, commands);
  add_export_command(app, commands);
  add_terrain_command(app, commands);
  add_metals_command(app, commands);
  add_soilcarbon_command(app, commands);
  add_sweep_command(app, commands);
  add_calibrate_command(app, commands);
  add_optimise_command(app, commands);
  add_hazard_command(app, commands);
  add_report_commands(app, commands);
#ifdef MINETWIN_HAS_VIEWER
  add_view_commands(app, commands);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // a bad command line is bad input
  }
  try {
    return commands.action();
  } catch (const minetwin::InputError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.format() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "minetwin: error: " << e.what() << "\n";
    return 1;
  }
}
