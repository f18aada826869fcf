// Issue 27: `minetwin export OUT --gltf DIR` writes one binary glTF 2.0 file per recorded year.
// The files must pass the Khronos glTF validator (npm's gltf-validator, installed by
// `scripts/minetwin test` into build/tools; the check skips, saying so, without it), hold a
// vertex per cell at the recorded elevation, two triangles per square of valid cells and the
// year in their extras; bad input exits 2 and writes nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "cli.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const char* kScenario =
    "minetwin-version: 1\n"
    "site:\n  generate: {size: 32, cell_m: 20, seed: 5}\n"
    "  initial_cover: {undisturbed: 0.8, subsidence: 0.6, tailings: 0.05, waste_dump: 0.1}\n"
    "simulation: {years: 3, start_year: 2030, seed: 3}\n"
    "measures:\n  - {type: regrade, zone: waste_dump, year: 2031, max_slope_deg: 15}\n"
    "parameters: {hazards.every_years: 0}\n";

struct Glb {
  std::uint32_t magic = 0, version = 0, length = 0;
  std::string json, binary;
};

Glb read_glb(const fs::path& file) {
  const std::string bytes = test::read_bytes(file);
  Glb glb;
  auto word = [&](std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  };
  if (bytes.size() < 20) return glb;
  glb.magic = word(0);
  glb.version = word(4);
  glb.length = word(8);
  const std::uint32_t json_length = word(12);
  EXPECT_EQ(word(16), 0x4E4F534Au);  // "JSON"
  glb.json = bytes.substr(20, json_length);
  const std::size_t bin = 20 + json_length;
  if (bin + 8 <= bytes.size()) {
    EXPECT_EQ(word(bin + 4), 0x004E4942u);  // "BIN\0"
    glb.binary = bytes.substr(bin + 8, word(bin));
  }
  return glb;
}

fs::path validator_dir() {
  if (const char* dir = std::getenv("MINETWIN_GLTF_VALIDATOR")) return dir;
  return fs::path(MINETWIN_SOURCE_DIR) / "build" / "tools" / "node_modules" / "gltf-validator";
}

}  // namespace

TEST(GltfExport, OneValidFilePerRecordedYearWithTheGridsVerticesAndHeights) {
  const fs::path dir = test::scratch_dir("minetwin_gltf") / "export";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "site.yaml") << kScenario;
  const auto run = test::run_cli("run " + (dir / "site.yaml").string() + " --quiet -o " +
                                 (dir / "run").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto exported =
      test::run_cli("export " + (dir / "run").string() + " --gltf " + (dir / "glb").string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find("wrote 4 glTF files (1024 vertices each)"), std::string::npos)
      << exported.output;

  NetcdfReader state(dir / "run" / "state.nc");
  ASSERT_EQ(state.years(), (std::vector<int>{2030, 2031, 2032, 2033}));
  double base = 1e300;
  for (std::size_t r = 0; r < state.years().size(); ++r)
    for (double z : state.read("topographic__elevation", r))
      if (z != kFillValue) base = std::min(base, z);
  std::vector<fs::path> files;
  for (std::size_t r = 0; r < state.years().size(); ++r) {
    const int year = state.years()[r];
    const fs::path file = dir / "glb" / ("terrain_" + std::to_string(year) + ".glb");
    ASSERT_TRUE(fs::exists(file)) << file;
    files.push_back(file);
    const Glb glb = read_glb(file);
    EXPECT_EQ(glb.magic, 0x46546C67u);  // "glTF"
    EXPECT_EQ(glb.version, 2u);
    EXPECT_EQ(glb.length, fs::file_size(file));
    EXPECT_NE(glb.json.find("\"minetwin\":{\"year\":" + std::to_string(year)), std::string::npos);
    EXPECT_NE(glb.json.find("\"count\":1024,\"type\":\"VEC3\""), std::string::npos);
    // The positions (first in the buffer): x, z at the cell centres, y the recorded elevation
    // above the lowest of every year (float32).
    const auto z = state.read("topographic__elevation", r);
    ASSERT_GE(glb.binary.size(), 1024u * 12);
    std::size_t valid = 0;
    for (std::size_t c = 0; c < 1024; ++c) {
      float p[3];
      std::memcpy(p, glb.binary.data() + 12 * c, 12);
      EXPECT_FLOAT_EQ(p[0], static_cast<float>((static_cast<double>(c % 32) + 0.5) * 20));
      EXPECT_FLOAT_EQ(p[2], static_cast<float>((static_cast<double>(c / 32) + 0.5) * 20));
      if (z[c] == kFillValue) continue;
      EXPECT_FLOAT_EQ(p[1], static_cast<float>(z[c] - base)) << c;
      ++valid;
    }
    EXPECT_EQ(valid, 1024u);  // the generated site has no nodata: 31 x 31 squares, 2 triangles
    EXPECT_NE(glb.json.find("\"componentType\":5125,\"count\":" + std::to_string(31 * 31 * 6)),
              std::string::npos);
  }
  // The regrade of 2031 moved the dump: the 2032 heights differ from 2031's.
  EXPECT_NE(read_glb(files[1]).binary.substr(0, 12 * 1024),
            read_glb(files[2]).binary.substr(0, 12 * 1024));

  // Coloured by a layer field instead of the land-cover look: the range is in the extras.
  const auto by_field =
      test::run_cli("export " + (dir / "run").string() + " --gltf " + (dir / "cd").string() +
                    " --field 'soil_cd__total_concentration[0]'");
  ASSERT_EQ(by_field.exit_code, 0) << by_field.output;
  EXPECT_NE(read_glb(dir / "cd" / "terrain_2033.glb").json.find("\"colour_range\":["),
            std::string::npos);
  files.push_back(dir / "cd" / "terrain_2033.glb");

  if (std::system("command -v node > /dev/null 2>&1") != 0 ||
      !fs::exists(validator_dir() / "package.json"))
    GTEST_SKIP() << "no node or gltf-validator (scripts/minetwin test installs it into "
                    "build/tools): the files were not validated";
  std::string command =
      "node " + (fs::path(MINETWIN_SOURCE_DIR) / "tests" / "tools" / "validate_gltf.js").string() +
      " " + validator_dir().string();
  for (const auto& f : files) command += " " + f.string();
  const std::string report = test::run_cli_text(command);
  std::size_t clean = 0;
  for (std::size_t at = 0; (at = report.find("errors 0 warnings 0", at)) != std::string::npos; ++at)
    ++clean;
  EXPECT_EQ(clean, files.size()) << report;
}

TEST(GltfExport, WithoutRecordedElevationExitsTwoAndWritesNothing) {
  const fs::path dir = test::scratch_dir("minetwin_gltf") / "bad";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "site.yaml")
      << kScenario << "outputs: {fields: [vegetation__cover_fraction]}\n";
  const auto run = test::run_cli("run " + (dir / "site.yaml").string() + " --quiet -o " +
                                 (dir / "run").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  NetcdfReader state(dir / "run" / "state.nc");
  const auto names = state.variables();
  if (std::find(names.begin(), names.end(), "topographic__elevation") != names.end())
    GTEST_SKIP() << "the run records the elevation whatever outputs.fields says";
  const auto no_terrain =
      test::run_cli("export " + (dir / "run").string() + " --gltf " + (dir / "glb").string());
  EXPECT_EQ(no_terrain.exit_code, 2);
  EXPECT_NE(no_terrain.output.find("did not record topographic__elevation"), std::string::npos)
      << no_terrain.output;
  EXPECT_FALSE(fs::exists(dir / "glb"));
}

TEST(GltfExport, AnUnknownColourFieldExitsTwoAndWritesNothing) {
  const fs::path dir = test::scratch_dir("minetwin_gltf") / "field";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "site.yaml") << kScenario;
  ASSERT_EQ(
      test::run_cli("run " + (dir / "site.yaml").string() + " --quiet -o " + (dir / "run").string())
          .exit_code,
      0);
  for (const char* field :
       {"vegetation__cover", "soil_cd__total_concentration", "vegetation__cover_fraction[1]"}) {
    const auto bad = test::run_cli("export " + (dir / "run").string() + " --gltf " +
                                   (dir / "glb").string() + " --field '" + field + "'");
    EXPECT_EQ(bad.exit_code, 2) << field << ": " << bad.output;
    EXPECT_NE(bad.output.find("--field"), std::string::npos) << bad.output;
    EXPECT_FALSE(fs::exists(dir / "glb")) << field;
  }
}
