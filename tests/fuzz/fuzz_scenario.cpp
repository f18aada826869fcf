// libFuzzer target (issue 28): the scenario loader with every registered model, on arbitrary
// bytes. Any outcome but a parsed scenario or an InputError (a crash, a sanitizer report, another
// exception, a hang) is a finding. Build: the `fuzz` preset (clang); run:
// tests/fuzz/run_fuzzers.sh.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "engine/core/errors.hpp"
#include "engine/core/registry.hpp"
#include "engine/scenario/scenario.hpp"
#include "models/registry/register_models.hpp"

namespace {

const minetwin::ModelRegistry& registry() {
  static const auto* instance = [] {
    auto* r = new minetwin::ModelRegistry();
    minetwin::register_models(*r);
    return r;
  }();
  return *instance;
}

// The loader reads files (and resolves site paths beside them), so each input is written to a
// file of this process in a scratch folder.
const std::filesystem::path& input_file() {
  static const std::filesystem::path file = [] {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("minetwin_fuzz_scenario_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / "scenario.yaml";
  }();
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(input_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const minetwin::Scenario scenario = minetwin::load_scenario(input_file(), {}, registry());
  } catch (const minetwin::InputError&) {
    // the expected answer to bad input
  }
  return 0;
}
