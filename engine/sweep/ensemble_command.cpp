#include "engine/sweep/ensemble_command.hpp"

#include <iostream>

#include <tbb/global_control.h>

#include "engine/core/errors.hpp"
#include "engine/run/runner.hpp"
#include "engine/sweep/mpi_context.hpp"

namespace minetwin::sweep {

std::shared_ptr<void> limit_threads(int threads) {
  if (threads <= 0) return {};
  return std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

std::string ensemble_identity(const std::string& resolved_file, const std::string& extra,
                              const std::vector<std::string>& overrides, const Scenario& base) {
  std::string identity = resolved_file + extra + "\nversion " + program_version() + "\n";
  for (const auto& o : overrides) identity += "--set " + o + "\n";
  return identity + base.resolved_yaml;
}

std::string resolved_file_text(const std::string& what, const std::string& note,
                               const std::string& resolved_yaml) {
  return "# The fully resolved " + what + " (every default filled in), written by MineTwin " +
         program_version() + note + ".\n" + resolved_yaml;
}

void on_every_rank(const std::function<void()>& body) {
  MpiContext& mpi = MpiContext::instance();
  try {
    body();
  } catch (const InputError& e) {
    if (mpi.size() == 1) throw;
    for (const auto& d : e.diagnostics()) std::cerr << d.format() << "\n";
    mpi.abort(2);
  } catch (const std::exception& e) {
    if (mpi.size() == 1) throw;
    std::cerr << "minetwin: error: " << e.what() << "\n";
    mpi.abort(1);
  }
}

}  // namespace minetwin::sweep
