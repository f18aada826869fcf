#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "models/carbon/rothc_file.hpp"

namespace minetwin::cli {

void add_soilcarbon_command(CLI::App& app, Commands& commands) {
  CLI::App* soilcarbon = app.add_subcommand("soilcarbon", "soil-carbon tools");
  soilcarbon->require_subcommand(1);
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  CLI::App* rothc = soilcarbon->add_subcommand(
      "rothc",
      "run RothC 26.3 (MineTwin's soil-carbon step) on one site from an official "
      "Rothamsted RothC input file; writes the monthly pools as CSV");
  rothc->add_option("input", *input, "RothC input file (Fortran 2.0.0 or 1.0.0 layout)")
      ->required();
  rothc->add_option("output", *output, "output CSV: year,month,dpm,rpm,bio,hum,iom,soc")
      ->required();
  rothc->callback([&commands, input, output] {
    commands.action = [input, output] {
      const auto rows = carbon::run_rothc(carbon::read_rothc_input(*input));
      carbon::write_rothc_csv(*output, rows);
      std::cout << "wrote " << *output << " (" << rows.size() << " months)\n";
      return 0;
    };
  });
}

}  // namespace minetwin::cli
