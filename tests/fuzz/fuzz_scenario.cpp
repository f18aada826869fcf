// libFuzzer target (issue 28): the scenario loader with every registered model, on arbitrary
// bytes. Any outcome but a parsed scenario or an InputError (a crash, a sanitizer report, another
// exception, a hang) is a finding. Build: the `clang` preset; run:
// tests/fuzz/run_fuzzers.sh.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "engine/core/errors.hpp"
#include "engine/core/registry.hpp"
#include "engine/scenario/scenario.hpp"
#include "fuzz_input.hpp"
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& file = minetwin::fuzz::write_input("scenario.yaml", data, size);
  try {
    const minetwin::Scenario scenario = minetwin::load_scenario(file, {}, registry());
  } catch (const minetwin::InputError&) {
    // the expected answer to bad input
  }
  return 0;
}
