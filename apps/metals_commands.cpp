#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "models/metals/column_tool.hpp"

namespace minetwin::cli {

void add_metals_command(CLI::App& app, Commands& commands) {
  CLI::App* metals = app.add_subcommand("metals", "heavy-metal transport tools");
  metals->require_subcommand(1);
  auto config = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  CLI::App* column = metals->add_subcommand(
      "column",
      "advection-dispersion with linear sorption on one saturated column (the metals "
      "model's vertical transport), written as a CSV of profiles");
  column->add_option("config", *config, "column configuration (YAML)")->required();
  column->add_option("-o,--output", *output, "output CSV")->required();
  column->callback([&commands, config, output] {
    commands.action = [config, output] {
      const metals::ColumnConfig c = metals::load_column_config(*config);
      metals::write_column_csv(*output, metals::run_column(c));
      std::cout << "wrote " << *output << " (retardation factor R = " << c.retardation() << ")\n";
      return 0;
    };
  });
}

}  // namespace minetwin::cli
