// Requirement (issue 2, Bad input): every broken scenario gives exit code 2 and a message naming
// the place (FILE:LINE:COLUMN where the input has lines); nothing crashes; an existing output
// folder is never touched by a failed run.
#include <gtest/gtest.h>

#include <vector>

#include "../unit/test_components.hpp"
#include "cli.hpp"
#include "engine/core/registry.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/site/site_builder.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const fs::path kAssets = fs::path(MINETWIN_SOURCE_DIR) / "assets" / "demo_site";
const fs::path kDir = test::scratch_dir("minetwin_bad_inputs");

fs::path write(const std::string& name, const std::string& text) {
  fs::create_directories(kDir);
  std::ofstream(kDir / name) << text;
  return kDir / name;
}

// A valid scenario with one part replaced.
struct Parts {
  std::string version = "minetwin-version: 1\n";
  std::string dem = (kAssets / "dem.tif").string();
  std::string zones = (kAssets / "zones.geojson").string();
  std::string soil = (kAssets / "soil.csv").string();
  std::string climate = "    csv: " + (kAssets / "climate.csv").string() + "\n";
  std::string site_extra;
  std::string rest = "simulation: {years: 3}\n";
  std::string text() const {
    if (dem.empty()) {
      return version + "site:\n" + site_extra + rest;
    }
    return version + "site:\n  dem: " + dem + "\n  zones: " + zones + "\n" +
           (soil.empty() ? "" : "  soil: " + soil + "\n") + site_extra +
           (climate.empty() ? "" : "  climate:\n" + climate) + rest;
  }
};

struct Case {
  std::string name;
  std::string scenario_text;
  std::string extra_arguments;
  std::string expected;  // a piece of the message, with its place
};

std::vector<Case> cases() {
  std::vector<Case> c;
  auto with = [&](std::string name, auto change, std::string expected, std::string extra = "") {
    Parts parts;
    change(parts);
    c.push_back({std::move(name), parts.text(), std::move(extra), std::move(expected)});
  };
  const std::string s = (kDir / "").string();
  c.push_back({"yaml_syntax", "minetwin-version: 1\nsite: [dem: x\n", "",
               "yaml_syntax.yaml:3:1: error: YAML syntax"});
  c.push_back({"empty_file", "", "", "empty_file.yaml:1:1: error: the file is empty"});
  c.push_back({"not_a_mapping", "- 1\n- 2\n", "",
               "not_a_mapping.yaml:1:1: error: 'scenario' expected a mapping"});
  with(
      "wrong_type", [](Parts& p) { p.rest = "simulation:\n  years: fifty\n"; },
      "wrong_type.yaml:9:10: error: 'simulation.years' expected an integer, got 'fifty'");
  with(
      "negative_years", [](Parts& p) { p.rest = "simulation:\n  years: -5\n"; },
      "negative_years.yaml:9:10: error: 'simulation.years' is -5");
  with(
      "absurd_years", [](Parts& p) { p.rest = "simulation:\n  years: 100000\n"; },
      "absurd_years.yaml:9:10: error: 'simulation.years' is 100000, expected >= 1, <= 1000");
  with(
      "fractional_seed", [](Parts& p) { p.rest = "simulation:\n  seed: 1.5\n"; },
      "fractional_seed.yaml:9:9: error: 'simulation.seed' expected an integer");
  with(
      "unknown_top_key", [](Parts& p) { p.rest = "simulaton: {years: 3}\n"; },
      "unknown_top_key.yaml:8:1: error: unknown key 'simulaton'; did you mean 'simulation'?");
  with(
      "unknown_site_key", [](Parts& p) { p.site_extra = "  zone_atribute: name\n"; },
      "unknown_site_key.yaml:6:3: error: unknown key 'zone_atribute' in 'site'; did you mean "
      "'zone_attribute'?");
  c.push_back(
      {"missing_dem_key",
       "minetwin-version: 1\nsite:\n  zones: " + (kAssets / "zones.geojson").string() +
           "\n  soil: " + (kAssets / "soil.csv").string() + "\n",
       "",
       "missing_dem_key.yaml:3:3: error: 'site' needs exactly one of 'dem', 'generate', got 0"});
  with(
      "dem_not_found", [](Parts& p) { p.dem = "no_such_dem.tif"; },
      "dem_not_found.yaml:3:8: error: 'site.dem': file not found: " +
          (kDir / "no_such_dem.tif").string());
  with(
      "dem_not_a_raster", [&](Parts& p) { p.dem = write("not_a_raster.tif", "hello\n").string(); },
      "not_a_raster.tif: error: not a raster GDAL can read");
  with(
      "dem_all_nodata",
      [&](Parts& p) {
        p.dem = write("all_nodata.asc",
                      "ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value "
                      "-9999\n-9999 -9999 -9999\n-9999 -9999 -9999\n")
                    .string();
      },
      "all_nodata.asc: error: the DEM has no valid cell (all nodata)");
  with(
      "zones_outside_dem",
      [&](Parts& p) {
        p.zones =
            write(
                "far_zones.geojson",
                R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32650"}},"features":[{"type":"Feature","properties":{"name":"pit"},"geometry":{"type":"Polygon","coordinates":[[[100,100],[200,100],[200,200],[100,100]]]}}]})")
                .string();
      },
      "far_zones.geojson: error: feature 1 ('pit') lies outside the DEM");
  with(
      "zone_attribute_missing", [](Parts& p) { p.site_extra = "  zone_attribute: label\n"; },
      "zones.geojson: error: zones have no attribute 'label'");
  with(
      "climate_missing_month",
      [&](Parts& p) {
        p.climate = "    csv: " +
                    write("gap.csv",
                          "year,month,temperature_c,precipitation_mm\n2025,1,-5,3\n2025,2,-2,"
                          "5\n2025,4,13,23\n")
                        .string() +
                    "\n";
      },
      "gap.csv:3: error: no row for 2025-03");
  with(
      "climate_not_a_number",
      [&](Parts& p) {
        p.climate = "    csv: " +
                    write("nan.csv", "year,month,temperature_c,precipitation_mm\n2025,1,cold,3\n")
                        .string() +
                    "\n";
      },
      "nan.csv:2:8: error: 'temperature_c' (degC) expected a number, got 'cold'");
  with(
      "climate_negative_rain",
      [&](Parts& p) {
        p.climate =
            "    csv: " +
            write("dry.csv", "year,month,temperature_c,precipitation_mm\n2025,1,-5,-3\n").string() +
            "\n";
      },
      "dry.csv:2:11: error: precipitation_mm must be 0 to 5000 mm");
  // Daily climate files (issue 23): gaps, negative rain, dates out of order, months without
  // days, days past the month's end; more wet days than days.
  auto daily = [&](const std::string& name, const std::string& rows) {
    return [&, name, rows](Parts& p) {
      p.climate +=
          "    daily_csv: " + write(name, "year,month,day,precipitation_mm\n" + rows).string() +
          "\n";
    };
  };
  with("daily_gap", daily("daily_gap.csv", "2025,1,1,0\n2025,1,2,3.5\n2025,1,4,0\n"),
       "daily_gap.csv:4:1: error: a gap: no row for the 1 day(s) before this one");
  with("daily_negative", daily("daily_negative.csv", "2025,1,1,0\n2025,1,2,-3\n"),
       "daily_negative.csv:3:10: error: precipitation_mm must be 0 to 2000 mm a day");
  with("daily_out_of_order",
       daily("daily_out_of_order.csv", "2025,1,1,0\n2025,1,3,1\n2025,1,2,0\n"),
       "daily_out_of_order.csv:4:1: error: dates out of order: this row comes before or on the "
       "date of line 3");
  with("daily_month_without_days",
       daily("daily_month_without_days.csv", "2025,1,30,0\n2025,1,31,2\n2025,3,1,0\n"),
       "daily_month_without_days.csv:2:1: error: a gap: no row for the 29 day(s)");
  with("daily_day_past_month_end", daily("daily_day_past_month_end.csv", "2025,4,31,0\n"),
       "daily_day_past_month_end.csv:2:8: error: day must be 1 to 30 in month 4");
  with(
      "wet_days_more_than_days",
      [](Parts& p) { p.climate += "    wet_days: [2, 29, 3, 5, 7, 9, 13, 11, 6, 5, 3, 2]\n"; },
      "wet_days_more_than_days.yaml:8:15: error: 'site.climate.wet_days' gives 29 wet days for "
      "month 2, which has 28 days");
  with(
      "climate_csv_and_normals",
      [](Parts& p) {
        p.climate +=
            "    normals: {temperature_c: [0,0,0,0,0,0,0,0,0,0,0,0], precipitation_mm: "
            "[0,0,0,0,0,0,0,0,0,0,0,0]}\n";
      },
      "climate_csv_and_normals.yaml:7:5: error: 'site.climate' needs exactly one of 'csv', "
      "'normals', got 2");
  with(
      "normals_eleven_months",
      [](Parts& p) {
        p.climate =
            "    normals: {temperature_c: [0,0,0,0,0,0,0,0,0,0,0], precipitation_mm: "
            "[0,0,0,0,0,0,0,0,0,0,0,0]}\n";
      },
      "normals_eleven_months.yaml:7:30: error: 'site.climate.normals.temperature_c' has 11 values, "
      "expected 12");
  with(
      "soil_unknown_zone",
      [&](Parts& p) {
        p.soil =
            write("soil_zone.csv",
                  "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_cm3,"
                  "organic_carbon_pct,ph,cec_cmol_kg\ntailing,1,30,50,20,5,1.3,1.2,7.2,15\n")
                .string();
      },
      "soil_zone.csv:2:1: error: zone 'tailing' is not a zone of the site; did you mean "
      "'tailings'?");
  with(
      "soil_texture_sum",
      [&](Parts& p) {
        p.soil = write("soil_texture.csv",
                       "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_"
                       "cm3,organic_carbon_pct,ph,cec_cmol_kg\npit,1,60,60,20,5,1.3,1.2,7.2,15\n")
                     .string();
      },
      "soil_texture.csv:2:1: error: sand + silt + clay is 140");
  with(
      "soil_missing_column",
      [&](Parts& p) {
        p.soil = write("soil_column.csv",
                       "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_"
                       "cm3,organic_carbon,ph,cec_cmol_kg\n")
                     .string();
      },
      "soil_column.csv:1:1: error: missing column 'organic_carbon_pct'; did you mean "
      "'organic_carbon'?");
  with(
      "soil_absurd_ph",
      [&](Parts& p) {
        p.soil = write("soil_ph.csv",
                       "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_"
                       "cm3,organic_carbon_pct,ph,cec_cmol_kg\npit,1,30,50,20,5,1.3,1.2,17,15\n")
                     .string();
      },
      "soil_ph.csv:2:26: error: 'ph' is 17, expected 2 to 12");
  // Issue 24: sulfide S beyond 50 %, a negative neutralisation potential (carbonate).
  auto acid_base_soil = [&](const std::string& name, const std::string& row) {
    return [&, name, row](Parts& p) {
      p.soil = write(name,
                     "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_"
                     "cm3,organic_carbon_pct,ph,cec_cmol_kg,sulfide_s_pct,carbonate_pct\n" +
                         row)
                   .string();
    };
  };
  with("soil_sulfide_beyond_half",
       acid_base_soil("soil_sulfide.csv", "pit,1,30,50,20,5,1.3,1.2,7,15,55,0\n"),
       "soil_sulfide.csv:2:31: error: 'sulfide_s_pct' is 55, expected 0 to 50");
  with("soil_negative_carbonate",
       acid_base_soil("soil_carbonate.csv", "pit,1,30,50,20,5,1.3,1.2,7,15,0.5,-2\n"),
       "soil_carbonate.csv:2:35: error: 'carbonate_pct' is -2, expected 0 to 100");
  with(
      "layers_not_increasing", [](Parts& p) { p.site_extra = "  layer_bottoms_m: [0.5, 0.2]\n"; },
      "layers_not_increasing.yaml:6:20: error: 'site.layer_bottoms_m' must increase with depth");
  with(
      "unknown_output_field",
      [](Parts& p) { p.rest += "outputs: {fields: [topographic__elevaton]}\n"; },
      "unknown_output_field.yaml:9:20: error: outputs.fields: no cell or layer field named "
      "'topographic__elevaton' in this run; did you mean 'topographic__elevation'?");
  with(
      "record_interval_too_long", [](Parts& p) { p.rest += "outputs: {every_years: 5}\n"; },
      "record_interval_too_long.yaml:9:24: error: outputs.every_years: 5 is longer than the run "
      "(3 years); give at most 3 or auto");
  with(
      "record_interval_zero", [](Parts& p) { p.rest += "outputs: {every_years: 0}\n"; },
      "record_interval_zero.yaml:9:24: error: 'outputs.every_years' expected a whole number of "
      "years from 1 to 1000, or auto");
  with(
      "record_interval_words", [](Parts& p) { p.rest += "outputs: {every_years: often}\n"; },
      "record_interval_words.yaml:9:24: error: 'outputs.every_years' expected a whole number of "
      "years from 1 to 1000, or auto");
  with(
      "future_version", [](Parts& p) { p.version = "minetwin-version: 2\n"; },
      "future_version.yaml:1:19: error: 'minetwin-version' is 2, expected >= 1, <= 1");
  with(
      "measure_not_implemented",
      [](Parts& p) {
        p.rest += "measures:\n  - {type: hydroseeding, zone: tailings, year: 2025}\n";
      },
      "measure_not_implemented.yaml:10:12: error: measure type 'hydroseeding' is not implemented "
      "by any model in this build");
  // Soil and metals (issue 4): materials, contents and metals named wrongly.
  with(
      "unknown_material",
      [](Parts& p) {
        p.rest +=
            "measures:\n  - {type: topsoil_cover, zone: tailings, year: 2025, depth_m: 0.3, "
            "material: topsoyl}\n";
      },
      "unknown_material.yaml:10:79: error: material 'topsoyl' is not defined (materials: "
      "clean_subsoil, topsoil); did you mean 'topsoil'?");
  with(
      "material_texture",
      [](Parts& p) {
        p.rest +=
            "materials:\n  spoil: {sand_pct: 50, silt_pct: 30, clay_pct: 30, "
            "rock_fragments_pct: 40, bulk_density_g_cm3: 1.7, organic_carbon_pct: 0.1, ph: 4, "
            "cec_cmol_kg: 5}\n";
      },
      "material_texture.yaml:10:10: error: 'materials.spoil': sand + silt + clay is 110 %, "
      "expected 100 (within 2)");
  // Plant types (issue 5): rows of the plant_types table, and plantings that name them.
  with(
      "plant_type_base", [](Parts& p) { p.rest += "plant_types:\n  willow: {based_on: poplr}\n"; },
      "plant_type_base.yaml:10:22: error: 'plant_types.willow' is based on 'poplr', which is not "
      "a row of plant_types; did you mean 'poplar'?");
  with(
      "plant_type_shares",
      [](Parts& p) { p.rest += "plant_types:\n  willow: {based_on: poplar, leaf_share: 0.5}\n"; },
      "plant_type_shares.yaml:10:11: error: 'plant_types.willow': leaf_share + stem_share + "
      "root_share is 1.3, expected 1");
  with(
      "plant_type_unknown",
      [](Parts& p) {
        p.rest +=
            "measures:\n  - {type: planting, zone: tailings, year: 2025, plant_type: "
            "robina}\n";
      },
      "plant_type_unknown.yaml:10:62: error: plant_type 'robina' is not one of plant_types (");
  // Issue 24: a harvest of a plant without phytoextraction BCFs (checked with the site).
  with(
      "phytoextraction_without_bcf",
      [](Parts& p) {
        p.rest +=
            "measures:\n  - {type: phytoextraction, zone: tailings, year: 2025, plant_type: "
            "grass}\n";
      },
      "phytoextraction_without_bcf.yaml:10:5: error: measures[0] (phytoextraction): plant_type: "
      "'grass' has no phytoextraction BCFs");
  // Issue 24: a treatment plant that collects more than all the drainage.
  with(
      "water_treatment_capture_above_one",
      [](Parts& p) {
        p.rest +=
            "measures:\n  - {type: water_treatment, zone: tailings, every_years: 1, "
            "capture_fraction: 1.5}\n";
      },
      "water_treatment_capture_above_one.yaml:10:79: error: 'measures[0].capture_fraction' is 1.5, "
      "expected >= 0, <= 1");
  with(
      "negative_metal",
      [&](Parts& p) {
        p.soil = write("soil_negative.csv",
                       "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_"
                       "cm3,organic_carbon_pct,ph,cec_cmol_kg,Cd_mg_kg\n"
                       "pit,1,30,50,20,5,1.3,1.2,7,15,-0.4\n")
                     .string();
      },
      "soil_negative.csv:2:31: error: 'Cd_mg_kg' is -0.4, expected 0 to 1e+05");
  with(
      "unknown_metal",
      [&](Parts& p) {
        p.soil = write("soil_metal.csv",
                       "zone,layer,sand_pct,silt_pct,clay_pct,rock_fragments_pct,bulk_density_g_"
                       "cm3,organic_carbon_pct,ph,cec_cmol_kg,Hg_mg_kg\n"
                       "pit,1,30,50,20,5,1.3,1.2,7,15,0.2\n")
                     .string();
      },
      "soil_metal.csv:1:1: error: unknown column 'Hg_mg_kg': Hg is not a species of the metals "
      "model (Cd, Pb, Zn, Cu, As, Sb)");
  with(
      "unknown_parameter", [](Parts& p) { p.rest += "parameters:\n  carbon.rpm_rate: 0.3\n"; },
      "unknown_parameter.yaml:10:20: error: unknown model parameter 'carbon.rpm_rate'");
  with(
      "soil_missing_with_dem", [](Parts& p) { p.soil.clear(); },
      "soil_missing_with_dem.yaml:3:3: error: missing key 'site.soil' (a file path; required with "
      "site.dem)");
  with(
      "climate_missing_with_dem", [](Parts& p) { p.climate.clear(); },
      "climate_missing_with_dem.yaml:3:3: error: 'site.climate' needs one of 'csv' or 'normals'");
  with(
      "dem_and_generate", [](Parts& p) { p.site_extra = "  generate: {size: 64}\n"; },
      "dem_and_generate.yaml:3:3: error: 'site' needs exactly one of 'dem', 'generate', got 2");
  with(
      "generate_too_small",
      [](Parts& p) {
        p.dem.clear();
        p.site_extra = "  generate: {size: 8}\n";
      },
      "generate_too_small.yaml:3:20: error: 'site.generate.size' is 8, expected >= 32, <= 16384");
  with(
      "set_malformed", [](Parts&) {},
      "<command line --set simulation.years>: error: expected KEY=VALUE", "--set simulation.years");
  with(
      "set_wrong_type", [](Parts&) {},
      "<command line --set simulation.threads>: error: 'simulation.threads' expected an integer, "
      "got 'many'",
      "--set simulation.threads=many");
  with(
      "set_missing_list_element", [](Parts&) {}, "no list element [3] to set",
      "--set measures[3].zone=pit");

  // Issue 28: inputs that used to pass silently or with a misleading message.
  with(
      "duplicate_top_key",
      [](Parts& p) { p.rest = "simulation: {years: 3}\nsimulation: {years: 4}\n"; },
      "duplicate_top_key.yaml:9:1: error: duplicate key 'simulation' (first at line 8)");
  with(
      "duplicate_measure_key",
      [](Parts& p) {
        p.rest += "measures:\n  - type: lime\n    zone: tailings\n    year: 2026\n    year: 2027\n";
      },
      "duplicate_measure_key.yaml:13:5: error: duplicate key 'year' (first at line 12)");
  with(
      "last_year_before_first",
      [](Parts& p) {
        p.rest =
            "simulation: {years: 10}\nmeasures:\n  - {type: lime, zone: tailings, "
            "rate_t_per_ha: 5, every_years: 2, first_year: 2030, last_year: 2027}\n";
      },
      "last_year_before_first.yaml:10:5: error: measures[0] (lime): last_year 2027 is before "
      "first_year 2030");
  with(
      "measure_after_the_run",
      [](Parts& p) {
        p.rest += "measures:\n  - {type: lime, zone: tailings, rate_t_per_ha: 5, year: 2200}\n";
      },
      "measure_after_the_run.yaml:10:5: error: measures[0] (lime) in 2200 falls after the last "
      "simulated year 2027");
  with(
      "longwall_panel_outside_the_dem",
      [](Parts& p) {
        p.rest +=
            "measures:\n  - {type: longwall_subsidence, zone: all, year: 2026, "
            "panel_x_min_m: 559800, panel_x_max_m: 560000, panel_y_min_m: 100, "
            "panel_y_max_m: 200, thickness_m: 2, depth_m: 200}\n";
      },
      "longwall_panel_outside_the_dem.yaml:10:5: error: measures[0] (longwall_subsidence): the "
      "panel (x 559800 to 560000, y 100 to 200) lies outside the DEM");
  c.push_back({"nul_byte", std::string("minetwin-version: 1\nname: a\0m\n", 29), "",
               "nul_byte.yaml:2:8: error: NUL byte"});
  c.push_back({"deep_nesting", "minetwin-version: 1\nname: " + std::string(10000, '['), "",
               "deep_nesting.yaml:2:71: error: nesting deeper than 64 levels"});
  with(
      "plant_type_cycle",
      [](Parts& p) { p.rest += "plant_types:\n  a1: {based_on: b1}\n  b1: {based_on: a1}\n"; },
      "plant_type_cycle.yaml:10:18: error: 'plant_types.a1' is based on itself through a cycle: "
      "a1 -> b1 -> a1");
  with(
      "bowtie_zone",
      [&s](Parts& p) {
        p.zones = s + "bowtie.geojson";
        std::ofstream(p.zones) << R"({"type": "FeatureCollection",
  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}}, "features": [{"type": "Feature",
  "properties": {"name": "tailings"}, "geometry": {"type": "Polygon", "coordinates":
  [[[559500, 4389500], [560500, 4390500], [560500, 4389500], [559500, 4390500], [559500, 4389500]]]}}]})";
      },
      "feature 1 ('tailings') is not a valid polygon (a ring crosses itself");
  with(
      "cover_thickness_unknown_zone",
      [](Parts& p) { p.site_extra = "  cover_thickness_m: {tailings: 1.0, tailing: 0.5}\n"; },
      ":6:47: error: site.cover_thickness_m names zone 'tailing', which the site does not have; "
      "did you mean 'tailings'?");
  with(
      "cover_thickness_negative",
      [](Parts& p) { p.site_extra = "  cover_thickness_m: {tailings: -1}\n"; },
      "site.cover_thickness_m.tailings");
  with(
      "models_unknown", [](Parts& p) { p.rest = "simulation: {years: 3, models: landforms}\n"; },
      "simulation.models");
  with(
      "set_negative_index", [](Parts&) {},
      "<command line --set measures[-1].year=3>: error: bad KEY: the index [-1] of 'measures' must "
      "be a whole number from 0",
      "--set measures[-1].year=3");
  with(
      "set_text_index", [](Parts&) {}, "the index [abc] of 'measures' must be a whole number",
      "--set measures[abc].year=3");
  with(
      "set_empty_key", [](Parts&) {},
      "<command line --set =5>: error: bad KEY: the key before '=' is empty", "--set =5");
  return c;
}

}  // namespace

TEST(BadInput, EveryCaseExitsTwoWithItsPlaceAndLeavesOutputAlone) {
  const auto all = cases();
  ASSERT_GE(all.size(), 25u);
  const fs::path out = kDir / "existing_output";
  fs::remove_all(out);
  fs::create_directories(out);
  std::ofstream(out / "state.nc") << "previous run";
  for (const auto& c : all) {
    SCOPED_TRACE(c.name);
    const fs::path file = write(c.name + ".yaml", c.scenario_text);
    const auto result = test::run_cli("run " + file.string() + " -o " + out.string() + " --quiet " +
                                      c.extra_arguments);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find(c.expected), std::string::npos)
        << "expected: " << c.expected << "\ngot: " << result.output;
    const auto validated = test::run_cli("validate " + file.string() + " " + c.extra_arguments);
    EXPECT_EQ(validated.exit_code, 2) << validated.output;
  }
  EXPECT_EQ(test::read_bytes(out / "state.nc"), "previous run");
  EXPECT_FALSE(fs::exists(out / ".minetwin-work"));
  EXPECT_FALSE(fs::exists(out / "summary.csv"));
}

TEST(BadInput, MeasureOnUnknownZoneNamesThePlace) {
  // Needs a registered measure type, so it runs through the library with a test registry.
  Parts parts;
  parts.rest = "simulation: {years: 3}\nmeasures:\n  - {type: irrigate, zone: pitt, year: 2026}\n";
  const fs::path file = write("unknown_zone.yaml", parts.text());
  ModelRegistry registry;
  registry.add_measure(std::make_unique<test::Irrigate>());
  const Scenario scenario = load_scenario(file, {}, registry);
  try {
    build_site(scenario);
    FAIL() << "an unknown zone must be an input error";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].line, 10);
    EXPECT_EQ(e.diagnostics()[0].column, 28);
    EXPECT_NE(e.diagnostics()[0].message.find("did you mean 'pit'?"), std::string::npos);
  }
}
