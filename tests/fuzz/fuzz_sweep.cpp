// libFuzzer target (issue 28): the sweep file loader on arbitrary bytes. Any outcome but a parsed
// sweep or an InputError is a finding. Build: the `clang` preset; run:
// tests/fuzz/run_fuzzers.sh.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "engine/core/errors.hpp"
#include "engine/sweep/sweep_spec.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& file = minetwin::fuzz::write_input("sweep.yaml", data, size);
  try {
    const minetwin::sweep::SweepSpec spec = minetwin::sweep::load_sweep(file);
  } catch (const minetwin::InputError&) {
    // the expected answer to bad input
  }
  return 0;
}
