// Requirements (issue 2): the same scenario and seed give the same bytes with 1 or 2 threads; a
// killed run resumed with --resume ends with outputs identical to an uninterrupted run; the
// scenario reference in docs/ is the program's; export writes a GeoTIFF of a recorded field.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "cli.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {
const std::string kDemo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";
fs::path scratch(const std::string& name) {
  const fs::path dir = test::scratch_dir("minetwin_regression") / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}
void expect_same_outputs(const fs::path& a, const fs::path& b) {
  for (const char* file : {"state.nc", "summary.csv", "run.yaml"}) {
    SCOPED_TRACE(file);
    ASSERT_FALSE(test::read_bytes(a / file).empty());
    EXPECT_EQ(test::first_difference(a / file, b / file), "");
  }
}
}  // namespace

TEST(Run, SameBytesWithOneAndTwoThreads) {
  const fs::path one = scratch("threads1"), two = scratch("threads2");
  auto r1 = test::run_cli("run " + kDemo + " --quiet --threads 1 --set simulation.years=4 -o " +
                          one.string());
  auto r2 = test::run_cli("run " + kDemo + " --quiet --threads 2 --set simulation.years=4 -o " +
                          two.string());
  ASSERT_EQ(r1.exit_code, 0) << r1.output;
  ASSERT_EQ(r2.exit_code, 0) << r2.output;
  expect_same_outputs(one, two);
  EXPECT_FALSE(fs::exists(one / ".minetwin-work"));
}

TEST(Run, ResumeAfterKillGivesTheSameOutputs) {
  const fs::path whole = scratch("whole"), resumed = scratch("resumed");
  const std::string args =
      kDemo + " --quiet --set simulation.years=6 --set outputs.every_years=2 -o ";
  ASSERT_EQ(test::run_cli("run " + args + whole.string()).exit_code, 0);
  // Checkpoints after year 1 (no record due), 2 (a record year: its record is pushed after the
  // checkpoint, so the resumed run pushes it first) and 3.
  test::run_killed_after_each_year(args, resumed, 3);
  const auto again = test::run_cli("run " + args + resumed.string() + " --resume");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  expect_same_outputs(whole, resumed);

  // The recorded years: the initial state, every second year, and the last.
  NetcdfReader reader(whole / "state.nc");
  EXPECT_EQ(reader.years(), (std::vector<int>{2025, 2027, 2029, 2031}));
  EXPECT_NE(test::read_bytes(whole / "summary.csv").find("\n2030,"), std::string::npos);
}

TEST(Run, ResumeOfAnotherScenarioIsRefused) {
  const fs::path out = scratch("other");
  test::run_cli("run " + kDemo + " --quiet --set simulation.years=3 -o " + out.string(),
                "MINETWIN_KILL_AFTER_YEARS=1");
  const auto other = test::run_cli("run " + kDemo +
                                   " --quiet --set simulation.years=4 --resume -o " + out.string());
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.output.find("another scenario"), std::string::npos) << other.output;
}

// A checkpoint whose bytes were flipped after the header, or that was cut short, is refused by
// its checksum with its name and what to do (exit 2), before any of it is used (issue 28).
TEST(Run, DamagedCheckpointIsNamedAndRefused) {
  const fs::path out = scratch("damaged");
  const std::string args = kDemo + " --quiet --set simulation.years=3 -o " + out.string();
  ASSERT_EQ(test::run_cli("run " + args, "MINETWIN_KILL_AFTER_YEARS=1").exit_code, 137);
  const fs::path checkpoint = out / ".minetwin-work" / "checkpoint.bin";
  const std::string good = test::read_bytes(checkpoint);
  ASSERT_GT(good.size(), 1000u);

  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x10);
  std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << flipped;
  auto resumed = test::run_cli("run " + args + " --resume");
  EXPECT_EQ(resumed.exit_code, 2) << resumed.output;
  EXPECT_NE(resumed.output.find(checkpoint.string()), std::string::npos) << resumed.output;
  EXPECT_NE(resumed.output.find("checksum does not match"), std::string::npos) << resumed.output;
  EXPECT_NE(resumed.output.find("without --resume"), std::string::npos) << resumed.output;

  std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << good.substr(0, good.size() / 3);
  resumed = test::run_cli("run " + args + " --resume");
  EXPECT_EQ(resumed.exit_code, 2) << resumed.output;
  EXPECT_NE(resumed.output.find(checkpoint.string()), std::string::npos) << resumed.output;
  EXPECT_FALSE(fs::exists(out / "summary.csv"));

  // The intact checkpoint still resumes.
  std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << good;
  EXPECT_EQ(test::run_cli("run " + args + " --resume").exit_code, 0);
}

// Issue 28: a finished run is not replaced without --overwrite; an output path that is a file or
// cannot be made is a clear error (exit 2), not raw filesystem text.
TEST(Run, OutputFolderProblemsAreClearErrors) {
  const fs::path out = scratch("finished");
  const std::string args = kDemo + " --quiet --set simulation.years=1 -o " + out.string();
  ASSERT_EQ(test::run_cli("run " + args).exit_code, 0);
  const std::string summary = test::read_bytes(out / "summary.csv");
  std::ofstream(out / "summary.csv", std::ios::app) << "a mark";
  const auto again = test::run_cli("run " + args);
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find(out.string() + ": error: -o: the folder holds a finished run"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(test::read_bytes(out / "summary.csv"), summary + "a mark");  // untouched
  const auto overwritten = test::run_cli("run " + args + " --overwrite");
  EXPECT_EQ(overwritten.exit_code, 0) << overwritten.output;
  EXPECT_EQ(test::read_bytes(out / "summary.csv"), summary);

  const auto into_file =
      test::run_cli("run " + kDemo + " --quiet -o " + (out / "summary.csv").string());
  EXPECT_EQ(into_file.exit_code, 2) << into_file.output;
  EXPECT_NE(into_file.output.find("-o: this is a file, not a folder"), std::string::npos)
      << into_file.output;
  const auto below_file =
      test::run_cli("run " + kDemo + " --quiet -o " + (out / "summary.csv" / "sub").string());
  EXPECT_EQ(below_file.exit_code, 2) << below_file.output;
  EXPECT_NE(below_file.output.find("the output folder cannot be created"), std::string::npos)
      << below_file.output;

  // A NUL byte in the run.yaml that `report` reads is named with its place.
  std::string run_yaml = test::read_bytes(out / "run.yaml");
  const std::size_t second_line = run_yaml.find('\n') + 1;
  run_yaml.insert(second_line + 2, 1, '\0');
  std::ofstream(out / "run.yaml", std::ios::binary | std::ios::trunc) << run_yaml;
  const auto report = test::run_cli("report " + out.string() + " -o " + (out / "r.html").string());
  EXPECT_EQ(report.exit_code, 2) << report.output;
  EXPECT_NE(report.output.find("run.yaml:2:3: error: NUL byte"), std::string::npos)
      << report.output;
  EXPECT_FALSE(fs::exists(out / "r.html"));
}

// Zones whose polygons overlap are a warning naming the two features and which one wins; the
// demo's haul road crosses the tailings and the waste dump.
TEST(Run, OverlappingZonesAreAWarning) {
  const auto validated = test::run_cli("validate " + kDemo);
  EXPECT_EQ(validated.exit_code, 0) << validated.output;
  EXPECT_NE(validated.output.find("warning: feature 2 ('tailings') and feature 5 ('haul_road') "
                                  "overlap over"),
            std::string::npos)
      << validated.output;
  EXPECT_NE(validated.output.find("the later one, feature 5 ('haul_road'), wins"),
            std::string::npos);
}

TEST(Docs, ScenarioReferenceIsGeneratedFromTheProgram) {
  const auto printed = test::run_cli("schema --markdown");
  ASSERT_EQ(printed.exit_code, 0);
  const std::string committed =
      test::read_bytes(fs::path(MINETWIN_SOURCE_DIR) / "docs" / "scenario-reference.md");
  EXPECT_TRUE(printed.output == committed)
      << "docs/scenario-reference.md is stale: regenerate it with "
         "`build/bin/minetwin schema --markdown > docs/scenario-reference.md`";
}

TEST(Export, CloudOptimisedGeoTiffHoldsTheRecordedField) {
  const fs::path out = scratch("export");
  ASSERT_EQ(test::run_cli("run " + kDemo + " --quiet --set simulation.years=1 -o " + out.string())
                .exit_code,
            0);
  const fs::path tif = out / "elevation.tif";
  const auto exported = test::run_cli(
      "export " + out.string() + " --field topographic__elevation --year 2025 -o " + tif.string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const RasterData written = read_dem(tif);
  const RasterData source = read_dem(fs::path(MINETWIN_SOURCE_DIR) / "assets/demo_site/dem.tif");
  EXPECT_EQ(written.geometry.columns, source.geometry.columns);
  EXPECT_EQ(written.geometry.crs_wkt.empty(), false);
  double worst = 0;
  for (std::size_t i = 0; i < source.values.size(); ++i) {
    worst = std::max(worst, std::abs(written.values[i] - source.values[i]));
  }
  EXPECT_LT(worst, 1e-4);  // the initial record is the DEM; float32 near 200 m: 1.5e-5 m steps
  const auto bad_year = test::run_cli(
      "export " + out.string() + " --field topographic__elevation --year 1999 -o " + tif.string());
  EXPECT_EQ(bad_year.exit_code, 2);
  EXPECT_NE(bad_year.output.find("recorded: 2025 to 2026"), std::string::npos) << bad_year.output;
}

TEST(StateNc, OpensInGdalWithTheDemGeoreferencing) {
  // QGIS reads NetCDF through GDAL: the CF grid mapping and coordinates must give back the
  // DEM's CRS and geotransform.
  const fs::path out = scratch("gdal");
  ASSERT_EQ(test::run_cli("run " + kDemo + " --quiet --set simulation.years=1 -o " + out.string())
                .exit_code,
            0);
  ensure_gdal();
  const std::string name = "NETCDF:\"" + (out / "state.nc").string() + "\":soil__ph";
  GDALDataset* nc = GDALDataset::Open(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  ASSERT_NE(nc, nullptr);
  const fs::path dem_file = fs::path(MINETWIN_SOURCE_DIR) / "assets/demo_site/dem.tif";
  GDALDataset* dem = GDALDataset::Open(dem_file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  ASSERT_NE(dem, nullptr);
  double nc_transform[6], dem_transform[6];
  nc->GetGeoTransform(nc_transform);
  dem->GetGeoTransform(dem_transform);
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(nc_transform[i], dem_transform[i], 1e-6) << i;
  ASSERT_NE(nc->GetSpatialRef(), nullptr);
  EXPECT_TRUE(nc->GetSpatialRef()->IsSame(dem->GetSpatialRef()));
  // One band per soil layer and recorded year (the initial state and year 1): measures may
  // change the pH, so it is recorded every year.
  EXPECT_EQ(nc->GetRasterCount(), 6);
  EXPECT_STREQ(nc->GetRasterBand(1)->GetMetadataItem("units"), "1");
  GDALClose(GDALDataset::ToHandle(nc));
  GDALClose(GDALDataset::ToHandle(dem));
}

TEST(Run, GeneratedSiteRunsWithoutSiteFiles) {
  const fs::path dir = scratch("generated");
  fs::create_directories(dir);
  std::ofstream(dir / "generated.yaml") << "minetwin-version: 1\n"
                                           "site:\n  generate: {size: 64, cell_m: 10, seed: 3}\n"
                                           "simulation: {years: 2, start_year: 2030}\n";
  const auto result = test::run_cli("run " + (dir / "generated.yaml").string() + " --quiet -o " +
                                    (dir / "out").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  NetcdfReader reader(dir / "out" / "state.nc");
  EXPECT_EQ(reader.geometry().columns, 64u);
  EXPECT_DOUBLE_EQ(reader.geometry().cell_size_m, 10.0);
  EXPECT_EQ(reader.years(), (std::vector<int>{2030, 2031, 2032}));
  // The generated site's zones and soil made it into State.
  const auto zones = reader.read("zone__id", 0);
  EXPECT_GT(*std::max_element(zones.begin(), zones.end()), 4.0);
}

// The first run generates the site and the second reads it from the cache: the same bytes.
// (GDAL's GeoTIFF reader gave WGS 84 as a datum in a process that had not generated the site
// and as the EPSG registry's datum ensemble in one that had, so the two crs_wkt differed.)
TEST(Run, GeneratedSiteGivesTheSameBytesFromAColdAndAWarmCache) {
  const fs::path dir = scratch("site_cache");
  fs::create_directories(dir / "tmp");
  std::ofstream(dir / "generated.yaml") << "minetwin-version: 1\n"
                                           "site:\n  generate: {size: 32, cell_m: 20, seed: 7}\n"
                                           "simulation: {years: 1, start_year: 2030}\n";
  // The site cache in this test's own temporary folder, so that its first run is cold.
  const std::string environment = "TMPDIR=" + (dir / "tmp").string();
  for (const char* run : {"cold", "warm"}) {
    const auto result = test::run_cli(
        "run " + (dir / "generated.yaml").string() + " --quiet -o " + (dir / run).string(),
        environment);
    ASSERT_EQ(result.exit_code, 0) << run << ": " << result.output;
  }
  ASSERT_TRUE(fs::exists(dir / "tmp" / "minetwin-generated-sites"));
  expect_same_outputs(dir / "cold", dir / "warm");
}

TEST(TerrainCli, DegenerateDemsGiveResultsOrClearErrors) {
  const fs::path dir = scratch("terrain_cli");
  fs::create_directories(dir);
  // One row: every cell is on the edge; the fill and accumulation still work.
  std::ofstream(dir / "row.asc") << "ncols 5\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 10\n"
                                    "NODATA_value -9999\n5 4 3 2 1\n";
  const auto row = test::run_cli("terrain flow-accumulation " + (dir / "row.asc").string() + " " +
                                 (dir / "row_acc.tif").string());
  EXPECT_EQ(row.exit_code, 0) << row.output;
  const RasterData accumulation = read_dem(dir / "row_acc.tif");
  EXPECT_EQ(accumulation.values.back(), 5.0);  // everything reaches the lowest, east end
  // All nodata: a clear error, exit 2.
  std::ofstream(dir / "empty.asc") << "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n"
                                      "NODATA_value -9999\n-9999 -9999\n-9999 -9999\n";
  const auto empty = test::run_cli("terrain fill " + (dir / "empty.asc").string() + " " +
                                   (dir / "empty_fill.tif").string());
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.output.find("the DEM has no valid cell"), std::string::npos) << empty.output;
  EXPECT_FALSE(fs::exists(dir / "empty_fill.tif"));
  // A bad panel: exit 2 naming the option.
  const auto panel =
      test::run_cli("terrain subsidence " + (dir / "row.asc").string() + " " +
                    (dir / "w.tif").string() + " --panel 1,2,3 --thickness 2 --depth 100");
  EXPECT_EQ(panel.exit_code, 2);
  EXPECT_NE(panel.output.find("--panel"), std::string::npos);
  // SAGA's edge rule on the one-row DEM: every cell is an edge cell, so each keeps its own flow.
  const auto saga = test::run_cli("terrain flow-accumulation " + (dir / "row.asc").string() + " " +
                                  (dir / "row_saga.tif").string() + " --edges outlets");
  EXPECT_EQ(saga.exit_code, 0) << saga.output;
  EXPECT_EQ(read_dem(dir / "row_saga.tif").values, GridVector<double>(5, 1.0));
  // ... which is a D8 rule: with MFD, exit 2 naming the option, nothing written.
  const auto mfd = test::run_cli("terrain flow-accumulation " + (dir / "row.asc").string() + " " +
                                 (dir / "row_mfd.tif").string() + " --method mfd --edges outlets");
  EXPECT_EQ(mfd.exit_code, 2);
  EXPECT_NE(mfd.output.find("--edges outlets is a D8 rule"), std::string::npos) << mfd.output;
  EXPECT_FALSE(fs::exists(dir / "row_mfd.tif"));
}

TEST(Run, RunYamlReproducesTheRunAlone) {
  // Design brief: run.yaml is the fully resolved scenario, enough to reproduce the run.
  const fs::path first = scratch("reproduce_first"), again = scratch("reproduce_again");
  ASSERT_EQ(test::run_cli("run " + kDemo +
                          " --quiet --set simulation.years=2 --set simulation.seed=99 -o " +
                          first.string())
                .exit_code,
            0);
  const auto rerun =
      test::run_cli("run " + (first / "run.yaml").string() + " --quiet -o " + again.string());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  for (const char* file : {"state.nc", "summary.csv"}) {
    SCOPED_TRACE(file);
    EXPECT_TRUE(test::read_bytes(first / file) == test::read_bytes(again / file));
  }
  EXPECT_NE(test::read_bytes(first / "run.yaml").find("seed: 99"), std::string::npos);
}

TEST(StateNc, Float64FieldsAreSinglePrecisionUnlessAsked) {
  // outputs.precision: float32 (default) halves state.nc; float64 keeps the state's precision.
  const fs::path single = scratch("single"), full = scratch("double");
  ASSERT_EQ(
      test::run_cli("run " + kDemo + " --quiet --set simulation.years=1 -o " + single.string())
          .exit_code,
      0);
  ASSERT_EQ(test::run_cli("run " + kDemo +
                          " --quiet --set simulation.years=1 --set outputs.precision=float64 -o " +
                          full.string())
                .exit_code,
            0);
  NetcdfReader a(single / "state.nc"), b(full / "state.nc");
  EXPECT_EQ(a.info("soil_cd__total_concentration").type, ElementType::float32);
  EXPECT_EQ(b.info("soil_cd__total_concentration").type, ElementType::float64);
  const auto x = a.read("soil_cd__total_concentration", 1),
             y = b.read("soil_cd__total_concentration", 1);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i], static_cast<double>(static_cast<float>(y[i])));
    if (testing::Test::HasFailure()) break;
  }
  EXPECT_LT(fs::file_size(single / "state.nc"),
            0.75 * static_cast<double>(fs::file_size(full / "state.nc")));
}

TEST(Tools, BadInputsOfTheColumnAndRothCToolsExitTwoWithThePlace) {
  const fs::path dir = scratch("tools");
  fs::create_directories(dir);
  std::ofstream(dir / "column.yaml") << "column:\n  kd_l_per_kg: -1\n";
  const auto column = test::run_cli("metals column " + (dir / "column.yaml").string() + " -o " +
                                    (dir / "column.csv").string());
  EXPECT_EQ(column.exit_code, 2) << column.output;
  EXPECT_NE(column.output.find("column.yaml:2:16: error: 'column.kd_l_per_kg' is -1"),
            std::string::npos)
      << column.output;
  EXPECT_FALSE(fs::exists(dir / "column.csv"));
  std::ofstream(dir / "rothc.dat") << "a\nb\nc\n opt\n 1 1\nx\ny\n23 23 3 12\nu\nv\n"
                                      "1 1 100 5 50 1 0 0 2 1.44\n";
  const auto rothc = test::run_cli("soilcarbon rothc " + (dir / "rothc.dat").string() + " " +
                                   (dir / "rothc.csv").string());
  EXPECT_EQ(rothc.exit_code, 2) << rothc.output;
  EXPECT_NE(rothc.output.find("rothc.dat:11:20: error: PC is 2, expected 0 or 1"),
            std::string::npos)
      << rothc.output;
  EXPECT_FALSE(fs::exists(dir / "rothc.csv"));
}

TEST(PlantTypes, AScenarioAddsATypeThatPlantingUses) {
  // A willow based on poplar with a smaller carrying capacity, planted on the tailings.
  const fs::path dir = scratch("willow");
  fs::create_directories(dir);
  std::ofstream(dir / "willow.yaml")
      << "minetwin-version: 1\nsite: {generate: {size: 64, cell_m: 10, seed: 3}}\n"
         "simulation: {years: 3, start_year: 2030}\n"
         "plant_types:\n  willow: {based_on: poplar, max_carbon_kg_m2: 3.0}\n"
         "measures:\n  - {type: planting, zone: tailings, year: 2030, plant_type: willow}\n";
  const auto run = test::run_cli("run " + (dir / "willow.yaml").string() + " --quiet -o " +
                                 (dir / "out").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // The resolved scenario lists every row, the new one last, so the run repeats from run.yaml.
  const std::string resolved = test::read_bytes(dir / "out" / "run.yaml");
  EXPECT_NE(resolved.find("willow:"), std::string::npos);
  EXPECT_NE(resolved.find("max_carbon_kg_m2: 3"), std::string::npos);
  // Willow is type 10 (after the nine built-in types) in the woody layer of the tailings.
  NetcdfReader reader(dir / "out" / "state.nc");
  const auto woody = reader.read("vegetation__woody_type", reader.years().size() - 1);
  EXPECT_NE(std::find(woody.begin(), woody.end(), 10.0), woody.end());
}

// Issue 23, long-term landform check: `simulation.models: landform` runs a thousand years of the
// terrain and erosion models alone; the summary's deepest gully and breached area are those of
// the recorded fields, and the models that were switched off left no columns or fields.
TEST(Run, LandformCheckRunsAThousandYearsOfTerrainAndErosionOnly) {
  const fs::path dir = scratch("landform");
  fs::create_directories(dir);
  std::ofstream(dir / "landform.yaml")
      << "minetwin-version: 1\n"
         "site:\n  generate: {size: 48, cell_m: 20, seed: 5}\n"
         "  cover_thickness_m: {tailings: 1.0, waste_dump: 0.3}\n"
         "simulation: {years: 1000, start_year: 2030, models: landform}\n"
         "outputs: {every_years: 100}\n";
  const auto result = test::run_cli("run " + (dir / "landform.yaml").string() + " -o " +
                                    (dir / "out").string() + " --threads 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // Only the landform check's models are named at the start.
  EXPECT_NE(result.output.find("model landform_check:"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("model vegetation:"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("model hydrology:"), std::string::npos) << result.output;
  const fs::path summary = dir / "out" / "summary.csv";
  const std::string header = test::read_bytes(summary).substr(0, 4096);
  EXPECT_EQ(header.find("vegetation_cover_mean"), std::string::npos);
  const auto gully = test::summary_column(summary, "deepest_gully_m");
  ASSERT_EQ(gully.size(), 1000u);
  EXPECT_EQ(gully.begin()->first, 2030);
  NetcdfReader reader(dir / "out" / "state.nc");
  const auto variables = reader.variables();
  EXPECT_EQ(std::count(variables.begin(), variables.end(), "surface_water__annual_runoff"), 0);
  EXPECT_EQ(std::count(variables.begin(), variables.end(), "landform__cumulative_lowering"), 1);
  ASSERT_EQ(reader.years().back(), 3030);
  const std::size_t last = reader.years().size() - 1;
  const auto lowering = reader.read("landform__cumulative_lowering", last);
  const auto breached = reader.read("cover__breached", last);
  const auto cover = reader.read("cover__thickness", last);
  double deepest = 0.0, breached_cells = 0.0, covered_cells = 0.0;
  for (std::size_t c = 0; c < lowering.size(); ++c) {
    if (lowering[c] == kFillValue) continue;
    deepest = std::max(deepest, lowering[c]);
    breached_cells += breached[c] == 1.0;
    covered_cells += cover[c] > 0.0;
  }
  // Erosion cuts over a thousand years (state.nc holds float32).
  EXPECT_GT(deepest, 0.0);
  EXPECT_NEAR(gully.at(3029), deepest, 1e-6 * deepest);
  EXPECT_NEAR(test::summary_column(summary, "cover_breached_ha").at(3029),
              breached_cells * 400.0 / 1e4, 1e-9);
  EXPECT_NEAR(test::summary_column(summary, "cover_area_ha").at(3029), covered_cells * 400.0 / 1e4,
              1e-9);
  // The first year's cover: the tailings' 1 m and the dump's 0.3 m, less the first year's wear.
  const auto first_cover = reader.read("cover__thickness", 0);
  EXPECT_NEAR(*std::max_element(first_cover.begin(), first_cover.end()), 1.0, 1e-6);
}

// A run's first years do not depend on how long it is: the erosivity's climate statistics come
// from a fixed 30-year reference period, not from the run's years (engine/site/climate.cpp).
// The summary of a 3-year run is the first 3 rows of a 7-year one, byte for byte, on a generated
// site (its climate drawn for at least 30 years) and with the demo's 100-year climate CSV.
TEST(Run, FirstYearsDoNotDependOnTheRunLength) {
  const fs::path dir = scratch("run_length");
  fs::create_directories(dir);
  std::ofstream(dir / "generated.yaml")
      << "minetwin-version: 1\nsite:\n  generate: {size: 32, cell_m: 20, seed: 5}\n"
         "simulation: {years: 7, start_year: 2030, seed: 3}\n"
         "measures:\n  - {type: planting, zone: tailings, year: 2031, plant_type: grass}\n"
         "parameters: {hazards.every_years: 0}\n";
  const std::string demo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";
  for (const auto& [name, scenario, extra] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"generated", (dir / "generated.yaml").string(), ""},
           {"demo", demo, " --set parameters.hazards.every_years=0"}}) {
    SCOPED_TRACE(name);
    std::string rows[2];
    int k = 0;
    for (int years : {3, 7}) {
      const fs::path out = dir / (name + std::to_string(years));
      const auto run = test::run_cli("run " + scenario + " --quiet --set simulation.years=" +
                                     std::to_string(years) + extra + " -o " + out.string());
      ASSERT_EQ(run.exit_code, 0) << run.output;
      std::istringstream in(test::read_bytes(out / "summary.csv"));
      std::string line;
      for (int r = 0; r < 4 && std::getline(in, line); ++r) rows[k] += line + "\n";
      ++k;
    }
    EXPECT_EQ(rows[0], rows[1]);
    EXPECT_GT(rows[0].size(), 1000u);  // a header and three rows of numbers were compared
  }
}
