// libFuzzer target (issue 28): the sweep file loader on arbitrary bytes. Any outcome but a parsed
// sweep or an InputError is a finding. Build: the `fuzz` preset (clang); run:
// tests/fuzz/run_fuzzers.sh.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "engine/core/errors.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace {

const std::filesystem::path& input_file() {
  static const std::filesystem::path file = [] {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("minetwin_fuzz_sweep_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / "sweep.yaml";
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
    const minetwin::sweep::SweepSpec spec = minetwin::sweep::load_sweep(input_file());
  } catch (const minetwin::InputError&) {
    // the expected answer to bad input
  }
  return 0;
}
