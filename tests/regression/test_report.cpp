// Issue 9: the planner's report of the demo and the comparison of two scenarios: the HTML is
// well formed, has every section and chart and no external URL; headless Chromium (Debian's
// `chromium`) renders every chart without a console message, and the screenshot shows them.
// The report of a sweep has its fan charts, targets and sensitivity.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "cli.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "html_checks.hpp"
#include "images.hpp"

using namespace minetwin;
namespace fs = std::filesystem;
using test::check_well_formed;
using test::has_chromium;
using test::render;
using test::render_dom;
using test::Rendered;

namespace {

const std::string kDemo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";

// Share of pixels that are neither white nor near-white, and the number of distinct colours,
// in the screenshot's rows [top, bottom).
void screenshot_content(const fs::path& png, int top, int bottom, double& inked,
                        std::size_t& colours) {
  const test::RgbImage image = test::read_rgb(png);
  ASSERT_GT(image.width, 0);
  std::set<std::uint32_t> seen;
  std::size_t ink = 0, pixels = 0;
  for (int y = top; y < std::min(bottom, image.height); ++y)
    for (int x = 0; x < image.width; ++x) {
      const std::uint8_t* p = image.at(x, y);
      ink += p[0] < 235 || p[1] < 235 || p[2] < 235;
      seen.insert((p[0] << 16) | (p[1] << 8) | p[2]);
      ++pixels;
    }
  inked = static_cast<double>(ink) / static_cast<double>(pixels);
  colours = seen.size();
}

// The value of every `attribute=` in the HTML (quoted or not), lower-cased.
std::vector<std::string> attribute_values(const std::string& html, const std::string& attribute) {
  std::vector<std::string> values;
  for (std::size_t at = 0; (at = html.find(" " + attribute + "=", at)) != std::string::npos; ++at) {
    std::size_t start = at + attribute.size() + 2;
    const char quote =
        start < html.size() && (html[start] == '"' || html[start] == '\'') ? html[start++] : ' ';
    const std::size_t end =
        html.find_first_of(quote == ' ' ? std::string(" >") : std::string(1, quote), start);
    std::string value = html.substr(start, end - start);
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    values.push_back(value);
  }
  return values;
}

// The markup without the contents of script and style elements (code, not references).
std::string markup_only(const std::string& html) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t script = html.find("<script", at), style = html.find("<style", at);
    const std::size_t start = std::min(script, style);
    if (start == std::string::npos) return out + html.substr(at);
    const std::size_t body = html.find('>', start) + 1;
    out += html.substr(at, body - at);
    at = html.find(start == script ? "</script>" : "</style>", body);
    if (at == std::string::npos) return out;
  }
}

void expect_self_contained(const std::string& page) {
  const std::string html = markup_only(page);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  for (const char* attribute : {"src", "href"})
    for (const auto& value : attribute_values(html, attribute))
      EXPECT_TRUE(value.rfind("data:", 0) == 0 || value.rfind("#", 0) == 0)
          << attribute << "=" << value.substr(0, 60) << ": not embedded";
  EXPECT_EQ(html.find("url(http"), std::string::npos);
  for (std::size_t at = 0; (at = html.find("<script", at)) != std::string::npos; ++at)
    EXPECT_EQ(html.substr(at, html.find('>', at) - at).find("src"), std::string::npos);
}

// Whether the element with @p id carries data-rendered="yes" in its start tag.
bool rendered_chart(const std::string& dom, const std::string& id) {
  const std::size_t at = dom.find("id=\"" + id + "\"");
  if (at == std::string::npos) return false;
  const std::size_t tag_start = dom.rfind('<', at), tag_end = dom.find('>', at);
  return dom.substr(tag_start, tag_end - tag_start).find("data-rendered=\"yes\"") !=
         std::string::npos;
}

}  // namespace

TEST(Report, DemoReportAndComparisonRenderEveryChart) {
  const fs::path dir = test::scratch_dir("minetwin_report");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto plan = test::run_cli("run " + kDemo + " --quiet --set simulation.years=6 -o " +
                                  (dir / "plan").string());
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  const auto nothing = test::run_cli("run " + kDemo +
                                     " --quiet --set simulation.years=6 --set name=left_alone "
                                     "--set 'measures=[]' -o " +
                                     (dir / "nothing").string());
  ASSERT_EQ(nothing.exit_code, 0) << nothing.output;
  ASSERT_EQ(
      test::run_cli("report " + (dir / "plan").string() + " -o " + (dir / "report.html").string())
          .exit_code,
      0);
  const auto compare =
      test::run_cli("compare " + (dir / "plan").string() + " " + (dir / "nothing").string() +
                    " -o " + (dir / "compare.html").string());
  ASSERT_EQ(compare.exit_code, 0) << compare.output;

  const char* charts[] = {"chart-carbon",          "chart-net-balance", "chart-metals-leached",
                          "chart-metals-exported", "chart-metal-area",  "chart-indices",
                          "chart-erosion",         "chart-cost",        "chart-rockfall",
                          "chart-landform",        "chart-cover",       "chart-acid"};
  for (const char* file : {"report.html", "compare.html"}) {
    SCOPED_TRACE(file);
    const std::string html = test::read_bytes(dir / file);
    EXPECT_EQ(check_well_formed(html), "");
    for (const char* section : {"scenario", "charts", "maps", "evaluation"})
      EXPECT_NE(html.find("<section id=\"" + std::string(section) + "\">"), std::string::npos)
          << section;
    for (const char* chart : charts)
      EXPECT_NE(html.find("<div class=\"chart\" id=\"" + std::string(chart) + "\">"),
                std::string::npos)
          << chart;
    EXPECT_EQ(std::count(html.begin(), html.end(), '\0'), 0);
    // 4 fields x 3 years of maps per scenario, each an embedded PNG.
    std::size_t images = 0;
    for (std::size_t at = 0;
         (at = html.find("src=\"data:image/png;base64,", at)) != std::string::npos; ++at)
      ++images;
    EXPECT_EQ(images, std::string(file) == "report.html" ? 12u : 24u);
    expect_self_contained(html);
  }
  const std::string compared = test::read_bytes(dir / "compare.html");
  EXPECT_NE(compared.find("demo vs left_alone"), std::string::npos);
  // Issue 24: the acid drainage table, its first year the plan's summary row of 2025.
  const std::string report = test::read_bytes(dir / "report.html");
  EXPECT_NE(report.find("<th>acidity (t CaCO3)</th><th>sulfate (t)</th>"), std::string::npos);
  const auto acidity =
      test::summary_column(dir / "plan" / "summary.csv", "acid_drainage_acidity_t_caco3");
  char first[64];
  std::snprintf(first, sizeof first, "<tr><td>2025</td><td class=\"n\">%.1f</td>",
                acidity.at(2025));
  EXPECT_NE(report.find(first), std::string::npos) << first;

  if (!has_chromium()) GTEST_SKIP() << "Debian's chromium is not installed: no rendering check";
  for (const char* file : {"report.html", "compare.html"}) {
    SCOPED_TRACE(file);
    const fs::path shot = dir / (fs::path(file).stem().string() + ".png");
    const Rendered rendered = render(dir / file, shot);
    EXPECT_EQ(rendered.console, "") << "console messages while rendering";
    for (const char* chart : charts)
      EXPECT_TRUE(rendered_chart(rendered.dom, chart)) << chart << " did not render";
    EXPECT_NE(rendered.dom.find("<svg"), std::string::npos);
    // The screenshot shows the charts: below the scenario tables, a good share of the page is
    // drawn, in many colours (lines, areas, axes), not a blank page.
    double inked = 0;
    std::size_t colours = 0;
    screenshot_content(shot, 900, 2600, inked, colours);
    std::printf("%s: %.1f %% of the chart area drawn, %zu colours\n", file, 100 * inked, colours);
    EXPECT_GT(inked, 0.03);
    EXPECT_GT(colours, 100u);
  }
}

TEST(Report, SweepReportHasFansTargetsAndSensitivity) {
  const fs::path dir = test::scratch_dir("minetwin_report_sweep");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "base.yaml")
      << "minetwin-version: 1\nsite:\n  generate: {size: 32, cell_m: 20, seed: 5}\n"
         "simulation: {years: 3, start_year: 2030}\n"
         "parameters: {hazards.every_years: 0}\n";
  std::ofstream(dir / "sweep.yaml")
      << "scenario: base.yaml\nsamples: 4\nmethod: saltelli\n"
         "uncertain:\n"
         "  parameters.metals.cd_log_kd_shift: {dist: normal, mean: 0, sd: 0.3}\n"
         "  site.climate.precipitation_scale: {dist: uniform, min: 0.8, max: 1.2}\n"
         "metrics: [cd_leached_kg, soc_t_c]\n"
         "targets: [{metric: cd_leached_kg, year: 2032, op: '<=', value: 10}]\n";
  ASSERT_EQ(test::run_cli("sweep " + (dir / "sweep.yaml").string() + " --quiet -o " +
                          (dir / "out").string())
                .exit_code,
            0);
  ASSERT_EQ(
      test::run_cli("report " + (dir / "out").string() + " -o " + (dir / "sweep.html").string())
          .exit_code,
      0);
  const std::string html = test::read_bytes(dir / "sweep.html");
  EXPECT_EQ(check_well_formed(html), "");
  // --assets is the run report's (its 3D replay): refused for a sweep, nothing written.
  const auto assets =
      test::run_cli("report " + (dir / "out").string() + " -o " + (dir / "sweep2.html").string() +
                    " --assets " + (dir / "sweep_data").string());
  EXPECT_EQ(assets.exit_code, 2);
  EXPECT_NE(assets.output.find("--assets: error: applies to a run's report"), std::string::npos)
      << assets.output;
  EXPECT_FALSE(fs::exists(dir / "sweep2.html"));
  for (const char* id : {"<section id=\"fans\">", "<section id=\"targets\">",
                         "<section id=\"sensitivity\">", "id=\"chart-fan-0\"", "id=\"chart-fan-1\"",
                         "id=\"chart-targets\"", "id=\"chart-sensitivity-0\""})
    EXPECT_NE(html.find(id), std::string::npos) << id;
  expect_self_contained(html);
  if (!has_chromium()) GTEST_SKIP() << "Debian's chromium is not installed: no rendering check";
  const Rendered rendered = render(dir / "sweep.html", dir / "sweep.png");
  EXPECT_EQ(rendered.console, "");
  std::size_t drawn = 0, charts = 0;
  for (std::size_t at = 0;
       (at = rendered.dom.find("data-rendered=\"yes\"", at)) != std::string::npos; ++at)
    ++drawn;
  for (std::size_t at = 0; (at = html.find("<div class=\"chart\"", at)) != std::string::npos; ++at)
    ++charts;
  EXPECT_GE(charts, 4u);  // 2 fans, the targets, and a sensitivity chart per metric that varied
  EXPECT_EQ(drawn, charts);
}

TEST(Report, NotAnOutputFolderIsAClearError) {
  const auto result = test::run_cli("report /nonexistent/folder -o /tmp/x.html");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("not a MineTwin run output: no summary.csv"), std::string::npos)
      << result.output;
}

namespace {

// A data-NAME="VALUE" attribute of the replay's section in a dumped DOM ("" when absent).
std::string replay_attribute(const std::string& dom, const std::string& name) {
  const auto section = dom.find("<section id=\"replay3d\"");
  if (section == std::string::npos) return "";
  const auto end = dom.find('>', section);
  const std::string tag = dom.substr(section, end - section);
  const auto at = tag.find("data-" + name + "=\"");
  if (at == std::string::npos) return "";
  const auto from = at + name.size() + 7;
  return tag.substr(from, tag.find('"', from) - from);
}

}  // namespace

// Issue 27: the report's 3D replay. Headless Chromium with the network off loads the demo's
// report (50 years: 2025 to 2075, as the issue asks), the replay draws every recorded year without
// a console message, the slider moves the heights as recorded (the mesh's heights are state.nc's
// elevation above the lowest, to the 16-bit quantisation), and the first view has more vegetation
// green and less bare grey in the last year than in the first. A comparison draws two views; runs
// on different grids or without elevation exit 2 and write nothing.
TEST(Report, ReplayDrawsEveryRecordedYearOffline) {
  if (!has_chromium()) GTEST_SKIP() << "Debian's chromium is not installed";
  const fs::path dir = test::scratch_dir("minetwin_report") / "replay";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto run = test::run_cli("run " + kDemo +
                                 " --quiet --set simulation.years=50 --set "
                                 "parameters.hazards.every_years=0 -o " +
                                 (dir / "demo").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  ASSERT_EQ(
      test::run_cli("report " + (dir / "demo").string() + " -o " + (dir / "report.html").string())
          .exit_code,
      0);
  const Rendered rendered = render_dom(dir / "report.html", "#replay-selftest", dir / "replay.log");
  EXPECT_EQ(rendered.console, "") << "console messages while rendering";
  ASSERT_EQ(replay_attribute(rendered.dom, "replay"), "ready") << rendered.dom.substr(0, 2000);
  EXPECT_EQ(replay_attribute(rendered.dom, "vertices"), "65536");  // the demo's 256 x 256 cells

  // The heights: the sum over the mesh of the elevation above the lowest of every year.
  NetcdfReader state(dir / "demo" / "state.nc");
  const auto& years = state.years();
  double lowest = 1e300;
  for (std::size_t r = 0; r < years.size(); ++r)
    for (double z : state.read("topographic__elevation", r))
      if (z != kFillValue) lowest = std::min(lowest, z);
  double highest = -1e300;
  for (std::size_t r = 0; r < years.size(); ++r)
    for (double z : state.read("topographic__elevation", r))
      if (z != kFillValue) highest = std::max(highest, z);
  auto sum_above = [&](std::size_t record) {
    double sum = 0;
    for (double z : state.read("topographic__elevation", record))
      if (z != kFillValue) sum += z - lowest;
    return sum;
  };
  // Each vertex is off by at most half a 16-bit step of the relief.
  const double step = (highest - lowest) / 65535;
  const double first = std::stod(replay_attribute(rendered.dom, "height-first"));
  const double last = std::stod(replay_attribute(rendered.dom, "height-last"));
  EXPECT_NEAR(first, sum_above(0), 0.5 * step * 65536);
  EXPECT_NEAR(last, sum_above(years.size() - 1), 0.5 * step * 65536);
  // The regrades moved the dump and the tailings: the heights the slider shows at the end
  // differ from the first year's as the recorded ones do.
  double moved = 0;
  {
    const auto z0 = state.read("topographic__elevation", 0);
    const auto z1 = state.read("topographic__elevation", years.size() - 1);
    for (std::size_t c = 0; c < z0.size(); ++c)
      if (z0[c] != kFillValue && z1[c] != kFillValue) moved += std::abs(z1[c] - z0[c]);
  }
  EXPECT_NEAR(std::stod(replay_attribute(rendered.dom, "height-change")), moved, step * 65536);
  EXPECT_GT(moved, 100 * step * 65536);

  // What the first view shows: green grows (the tailings are planted in 2033), grey shrinks.
  const double green_first = std::stod(replay_attribute(rendered.dom, "green-first"));
  const double green_last = std::stod(replay_attribute(rendered.dom, "green-last"));
  const double grey_first = std::stod(replay_attribute(rendered.dom, "grey-first"));
  const double grey_last = std::stod(replay_attribute(rendered.dom, "grey-last"));
  std::printf("replay: green %.3f -> %.3f, grey %.3f -> %.3f, %s frames/s\n", green_first,
              green_last, grey_first, grey_last, replay_attribute(rendered.dom, "fps").c_str());
  EXPECT_GT(green_first, 0.2);  // the undisturbed land
  EXPECT_GT(grey_first, 0.05);  // the bare pit, dump and tailings
  EXPECT_GT(green_last, green_first + 0.01);
  EXPECT_LT(grey_last, grey_first - 0.01);

  // Trees as instances grown with the stem carbon: the demo plants black locust on the
  // tailings (2034) and Amorpha on the haul road (2028), so the last year shows trees where the
  // first showed fewer; each drawn tree site is one whose cell holds stem carbon in state.nc.
  const int trees_first = std::stoi(replay_attribute(rendered.dom, "trees-first"));
  const int trees_last = std::stoi(replay_attribute(rendered.dom, "trees-last"));
  std::printf("replay: trees %d -> %d\n", trees_first, trees_last);
  auto sites_with_stems = [&](std::size_t record) {
    const auto stem = state.read("vegetation__woody_stem_carbon", record);
    // The tree sites: every 4th drawn cell each way (the demo draws every cell, 256 x 256).
    int sites = 0;
    for (std::size_t row = 0; row < 256; row += 4)
      for (std::size_t column = 0; column < 256; column += 4) {
        const double v = stem[row * 256 + column];
        sites += v != kFillValue && v > 0 ? 1 : 0;
      }
    return sites;
  };
  EXPECT_EQ(trees_first, sites_with_stems(0));
  EXPECT_EQ(trees_last, sites_with_stems(years.size() - 1));
  EXPECT_GT(trees_last, trees_first + 10);

  // Zones: an outline and a label for every zone with cells in state.nc's zone__id (the demo's
  // six, named in run.yaml), each label inside the canvas in the default view.
  const auto zone_ids = state.read("zone__id", 0);
  std::set<long> zones_with_cells;
  for (double z : zone_ids)
    if (z != kFillValue && z >= 0) zones_with_cells.insert(std::lround(z));
  EXPECT_EQ(zones_with_cells.size(), 6u);
  EXPECT_EQ(std::stoul(replay_attribute(rendered.dom, "zone-labels")), zones_with_cells.size());
  for (const char* name : {"waste dump", "tailings", "haul road", "pit", "subsidence"})
    EXPECT_NE(rendered.dom.find(std::string(">") + name + "</div>"), std::string::npos) << name;
  // The zone edges: sample pairs (right and down neighbours) in different zones.
  std::size_t edges = 0;
  for (std::size_t row = 0; row < 256; ++row)
    for (std::size_t column = 0; column < 256; ++column) {
      const std::size_t c = row * 256 + column;
      auto id = [&](std::size_t cell) {
        return zone_ids[cell] == kFillValue ? -1L : std::lround(zone_ids[cell]);
      };
      edges += column + 1 < 256 && id(c) != id(c + 1);
      edges += row + 1 < 256 && id(c) != id(c + 256);
    }
  EXPECT_EQ(std::stoul(replay_attribute(rendered.dom, "zone-edges")), edges);

  // Colouring by a field (the first: Cd in the top layer) instead of the land cover recolours
  // the terrain: most of the canvas's terrain pixels change.
  EXPECT_NE(rendered.dom.find("<option value=\"0\">Cd in the top layer</option>"),
            std::string::npos);
  const double field_change = std::stod(replay_attribute(rendered.dom, "field-change"));
  std::printf("replay: %.3f of the pixels change with the Cd colouring; first view after %s ms\n",
              field_change, replay_attribute(rendered.dom, "ready-ms").c_str());
  EXPECT_GT(field_change, 0.25);

  // A comparison: two linked views of one grid.
  const auto left = test::run_cli("run " + kDemo +
                                  " --quiet --set simulation.years=2 --set name=left_alone --set "
                                  "'measures=[]' -o " +
                                  (dir / "left").string());
  ASSERT_EQ(left.exit_code, 0) << left.output;
  // Its replay data in an assets folder beside the report (--assets): the report loads one
  // script per run from there, and says so when the folder is missing.
  const auto compared = test::run_cli(
      "compare " + (dir / "demo").string() + " " + (dir / "left").string() + " -o " +
      (dir / "compare.html").string() + " --assets " + (dir / "compare_data").string());
  ASSERT_EQ(compared.exit_code, 0) << compared.output;
  for (const char* asset : {"replay-0.js", "replay-1.js"})
    EXPECT_GT(fs::file_size(dir / "compare_data" / asset), 1000000u) << asset;
  const std::string compare_html = test::read_bytes(dir / "compare.html");
  EXPECT_NE(compare_html.find("<script src=\"compare_data/replay-1.js\"></script>"),
            std::string::npos);
  EXPECT_LT(compare_html.size(), fs::file_size(dir / "compare_data" / "replay-0.js"));
  const Rendered both = render_dom(dir / "compare.html", "", dir / "compare.log");
  EXPECT_EQ(both.console, "");
  EXPECT_EQ(replay_attribute(both.dom, "replay"), "ready");
  EXPECT_NE(both.dom.find("id=\"replay-canvas-1\""), std::string::npos);
  // Over the inline limit (lowered by the test hook) the data go to REPORT_assets beside the
  // report without being asked, and the command says which folder to keep.
  const auto automatic =
      test::run_cli("report " + (dir / "demo").string() + " -o " + (dir / "auto.html").string(),
                    "MINETWIN_REPLAY_INLINE_LIMIT_BYTES=1000");
  ASSERT_EQ(automatic.exit_code, 0) << automatic.output;
  EXPECT_NE(automatic.output.find((dir / "auto_assets").string() + ": keep the folder"),
            std::string::npos)
      << automatic.output;
  EXPECT_TRUE(fs::exists(dir / "auto_assets" / "replay-0.js"));
  EXPECT_NE(test::read_bytes(dir / "auto.html").find("<script src=\"auto_assets/replay-0.js\">"),
            std::string::npos);
  fs::rename(dir / "compare_data", dir / "moved_data");
  const Rendered without = render_dom(dir / "compare.html", "", dir / "compare.log");
  EXPECT_EQ(replay_attribute(without.dom, "replay"), "missing-assets");
  EXPECT_NE(without.dom.find("compare_data/replay-0.js"), std::string::npos);

  // Another grid: a 32 x 32 generated site.
  std::ofstream(dir / "small.yaml")
      << "minetwin-version: 1\nsite:\n  generate: {size: 32, cell_m: 20, seed: 5}\n"
         "simulation: {years: 1, start_year: 2025}\nparameters: {hazards.every_years: 0}\n";
  ASSERT_EQ(test::run_cli("run " + (dir / "small.yaml").string() + " --quiet -o " +
                          (dir / "small").string())
                .exit_code,
            0);
  const auto other =
      test::run_cli("compare " + (dir / "demo").string() + " " + (dir / "small").string() + " -o " +
                    (dir / "other.html").string());
  EXPECT_EQ(other.exit_code, 2) << other.output;
  EXPECT_NE(other.output.find("a comparison needs runs on one grid"), std::string::npos)
      << other.output;
  EXPECT_FALSE(fs::exists(dir / "other.html"));
}
