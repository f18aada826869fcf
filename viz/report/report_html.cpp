#include "viz/report/report_html.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"
#include "viz/report/html_page.hpp"
#include "viz/report/map_images.hpp"
#include "viz/report/replay3d.hpp"
#include "viz/report/vega_specs.hpp"

namespace minetwin::report {
namespace {

const char* kMetals[] = {"cd", "pb", "zn", "cu", "as", "sb"};

std::vector<SeriesPoint> series(const std::vector<RunOutputs>& runs,
                                const std::vector<std::pair<std::string, std::string>>& columns,
                                bool cumulative = false) {
  std::vector<SeriesPoint> points;
  for (const auto& run : runs)
    for (const auto& [column, label] : columns) {
      if (!run.has(column)) continue;
      const auto& values = run.column(column);
      double sum = 0;
      for (std::size_t k = 0; k < values.size(); ++k) {
        sum += std::isfinite(values[k]) ? values[k] : 0.0;
        points.push_back({run.summary_years[k], label, run.name, cumulative ? sum : values[k]});
      }
    }
  return points;
}

std::vector<std::pair<std::string, std::string>> metal_columns(const std::string& suffix) {
  std::vector<std::pair<std::string, std::string>> columns;
  for (const char* m : kMetals) {
    std::string label = m;
    label[0] = static_cast<char>(std::toupper(label[0]));
    columns.emplace_back(std::string(m) + suffix, label);
  }
  return columns;
}

// Runoff and sediment export together, per metal.
std::vector<SeriesPoint> metal_exports(const std::vector<RunOutputs>& runs) {
  std::vector<SeriesPoint> points;
  for (const auto& run : runs)
    for (const auto& [prefix, label] : metal_columns("")) {
      const auto& runoff = run.column(prefix + "_runoff_exported_kg");
      const auto& sediment = run.column(prefix + "_sediment_exported_kg");
      for (std::size_t k = 0; k < runoff.size() && k < sediment.size(); ++k)
        points.push_back({run.summary_years[k], label, run.name, runoff[k] + sediment[k]});
    }
  return points;
}

double total_leached(const RunOutputs& run) {
  double sum = 0;
  for (const char* m : kMetals) sum += run.total(std::string(m) + "_leached_kg");
  return sum;
}

void scenario_section(Page& page, const std::vector<RunOutputs>& runs) {
  page.add("<section id=\"scenario\"><h2>1. The scenario" +
           std::string(runs.size() > 1 ? "s" : "") + "</h2>");
  for (const auto& run : runs) {
    page.add("<h3>" + escape(run.name) + "</h3><p>" + escape(run.description) + "</p><p>Site: " +
             escape(run.site) + ". Simulated years: " + std::to_string(run.start_year) + " to " +
             std::to_string(run.start_year + run.years - 1) + ". Outputs: <code>" +
             escape(run.folder.string()) + "</code>.</p>");
    page.add("<table><tr><th>when</th><th>zone</th><th>measure</th><th>what</th></tr>");
    for (const auto& m : run.measures)
      page.add("<tr><td>" + escape(m.when) + "</td><td>" + escape(m.zone) + "</td><td>" +
               escape(m.type) + "</td><td>" + escape(m.name) + "</td></tr>");
    page.add("</table><p>Total cost of the measures: <b>" +
             fixed(run.total("measures_cost_yuan") / 1e4, 1) + " × 10⁴ CNY</b>.</p>");
  }
  page.add("</section>");
}

void charts_section(Page& page, const std::vector<RunOutputs>& runs) {
  page.add("<section id=\"charts\"><h2>2. Over the years</h2><div class=\"charts\">");
  if (runs.size() == 1) {
    page.chart("chart-carbon",
               line_chart("Carbon stocks by pool", "t C",
                          series(runs, {{"soc_dpm_t_c", "soil DPM"},
                                        {"soc_rpm_t_c", "soil RPM"},
                                        {"soc_bio_t_c", "soil BIO"},
                                        {"soc_hum_t_c", "soil HUM"},
                                        {"soc_iom_t_c", "soil IOM"},
                                        {"biochar_t_c", "biochar"},
                                        {"biomass_belowground_t_c", "roots"},
                                        {"biomass_aboveground_t_c", "plants above ground"}}),
                          true));
  } else {
    page.chart("chart-carbon", line_chart("Carbon stocks", "t C",
                                          series(runs, {{"ecosystem_carbon_t_c", "ecosystem"},
                                                        {"soc_t_c", "soil organic carbon"}})));
  }
  std::vector<YearMarker> sink_years;
  for (const auto& run : runs) {
    const double year = run.last("source_to_sink_year");
    if (std::isfinite(year) && year > 0)
      sink_years.push_back(
          {static_cast<int>(year), (runs.size() > 1 ? run.name + ": " : std::string()) +
                                       "sink from " + std::to_string(static_cast<int>(year))});
  }
  page.chart(
      "chart-net-balance",
      line_chart("Net CO2e balance (sequestration less emissions; positive: a sink)", "t CO2e",
                 series(runs, {{"cumulative_net_balance_t_co2e", "cumulative net balance"},
                               {"net_balance_t_co2e", "net balance of the year"}}),
                 false, sink_years));
  page.chart("chart-metals-leached", line_chart("Metals leached to groundwater", "kg per year",
                                                series(runs, metal_columns("_leached_kg"))));
  page.chart("chart-metals-exported", line_chart("Metals exported by runoff and sediment",
                                                 "kg per year", metal_exports(runs)));
  page.chart("chart-metal-area",
             line_chart("Area above the soil screening value (GB 15618-2018)", "ha",
                        series(runs, metal_columns("_area_above_screening_ha"))));
  page.chart("chart-indices",
             line_chart("Mean NDVI and RSEI", "index (0-1)",
                        series(runs, {{"ndvi_mean", "NDVI"}, {"rsei_mean", "RSEI"}})));
  page.chart("chart-erosion",
             line_chart("Erosion", "t per year",
                        series(runs, {{"soil_loss_t", "soil loss"},
                                      {"sediment_exported_t", "sediment exported"}})));
  page.chart("chart-cost", line_chart("Cost of the measures (cumulative)", "CNY",
                                      series(runs, {{"measures_cost_yuan", "cost"}}, true)));
  // Closure criteria (docs/models/terrain.md, "Landform check") and acid generation
  // (docs/models/soil.md): shown where the run has them.
  if (runs.front().has("deepest_gully_m")) {
    page.chart("chart-landform",
               line_chart("Deepest cut by erosion since the start", "m",
                          series(runs, {{"deepest_gully_m", "deepest net lowering"}})));
    page.chart("chart-cover",
               line_chart("Engineered cover over the waste", "ha",
                          series(runs, {{"cover_area_ha", "cover left"},
                                        {"cover_breached_ha", "worn through by erosion"}})));
  }
  if (runs.front().has("lime_requirement_t"))
    page.chart("chart-acid",
               line_chart("Acid generation and the lime it asks for", "t CaCO3",
                          series(runs, {{"acidity_generated_t_caco3", "acidity of the year"},
                                        {"carbonate_consumed_t", "carbonate dissolved"},
                                        {"lime_requirement_t", "lime requirement (year's end)"}})));
  if (runs.front().has("rockfall_area_low_ha"))
    page.chart("chart-rockfall", line_chart("Rockfall hazard area", "ha",
                                            series(runs, {{"rockfall_area_low_ha", "low"},
                                                          {"rockfall_area_medium_ha", "medium"},
                                                          {"rockfall_area_high_ha", "high"}})));
  page.add("</div></section>");
}

void maps_section(Page& page, const std::vector<RunOutputs>& runs) {
  const RunOutputs& first = runs.front();
  const int start = first.start_year, end = first.start_year + first.years;
  const std::vector<int> years{start, start + first.years / 2, end};
  std::vector<MapStyle> styles{
      {"vegetation__cover_fraction", 0, "Vegetation cover", "", false, 0.0, 1.0},
      {"soil_cd__total_concentration", 0, "Cd in the top layer", "mg/kg", false, 0, 1},
      {"index__rsei", 0, "RSEI", "", false, 0.0, 1.0},
      {"hazard_rockfall__class", 0, "Rockfall hazard", "", true, 0, 3}};
  std::vector<std::filesystem::path> files;
  for (const auto& run : runs) files.push_back(run.folder / "state.nc");
  page.add("<section id=\"maps\"><h2>3. Maps</h2><p class=\"note\">The state on 1 January of " +
           std::to_string(years[0]) + " (the start), " + std::to_string(years[1]) + " and " +
           std::to_string(years[2]) + " (the end of the run); one colour scale per field.</p>");
  page.add("<table class=\"maps\"><tr><th>field</th><th>scenario</th>");
  for (int y : years) page.add("<th>" + std::to_string(y) + "</th>");
  page.add("</tr>");
  for (auto& style : styles) {
    if (style.variable == "soil_cd__total_concentration") fit_range(style, files, years);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      page.add("<tr><td>" + escape(style.title) + legend_html(style) + "</td><td>" +
               escape(runs[r].name) + "</td>");
      for (int y : years) {
        const std::string png = map_png_base64(files[r], style, y);
        page.add(png.empty() ? "<td>not recorded</td>"
                             : "<td><img alt=\"" + escape(style.title) + " " + std::to_string(y) +
                                   "\" src=\"data:image/png;base64," + png + "\"></td>");
      }
      page.add("</tr>");
    }
  }
  page.add("</table></section>");
}

void evaluation_section(Page& page, const std::vector<RunOutputs>& runs) {
  page.add(
      "<section id=\"evaluation\"><h2>4. Evaluation</h2><h3>Damage and recovery by zone</h3>"
      "<p class=\"note\">Recovery score (0: as damaged as the worst disturbed ground, 1: like "
      "the undisturbed reference; docs/models/indices.md); damage degree = 1 − the score at "
      "the start.</p>");
  for (const auto& run : runs) {
    const auto& years = run.summary_years;
    if (years.empty()) continue;
    const std::vector<std::size_t> picks{0, years.size() / 3, 2 * years.size() / 3,
                                         years.size() - 1};
    page.add("<table><tr><th>" + escape(run.name) +
             ": zone</th><th>damage degree at the start</th>");
    for (std::size_t k : picks) page.add("<th>score " + std::to_string(years[k]) + "</th>");
    page.add("</tr>");
    for (const auto& [column, values] : run.summary) {
      if (column.rfind("recovery_score_", 0) != 0 || column == "recovery_score_mean") continue;
      page.add("<tr><td>" + escape(column.substr(15)) + "</td><td class=\"n\">" +
               fixed(1 - values.front(), 2) + "</td>");
      for (std::size_t k : picks) page.add("<td class=\"n\">" + fixed(values[k], 2) + "</td>");
      page.add("</tr>");
    }
    page.add("</table>");
  }
  // Acid drainage and the lime each zone still needs (acid_generation's per-zone columns; runs
  // without them have no table).
  for (const auto& run : runs) {
    const auto& years = run.summary_years;
    if (years.empty() || !run.has("lime_requirement_t")) continue;
    const std::vector<std::size_t> picks{0, years.size() / 3, 2 * years.size() / 3,
                                         years.size() - 1};
    page.add("<h3>Acid drainage and lime by zone" +
             (runs.size() > 1 ? ": " + escape(run.name) : std::string()) +
             "</h3><p class=\"note\">The pH of the water leaving each zone's profile (its bottom "
             "layer) and the lime (t CaCO3/ha) the zone still needs to neutralise its potential "
             "acidity and reach the target pH, at the end of the year (acid-base accounting; "
             "docs/models/soil.md).</p><table><tr><th>zone</th>");
    for (std::size_t k : picks) page.add("<th>drainage pH " + std::to_string(years[k]) + "</th>");
    for (std::size_t k : picks) page.add("<th>lime t/ha " + std::to_string(years[k]) + "</th>");
    page.add("</tr>");
    for (const auto& [column, values] : run.summary) {
      if (column.rfind("drainage_ph_", 0) != 0) continue;
      const std::string zone = column.substr(12);
      const auto& lime = run.column("lime_requirement_" + zone + "_t_per_ha");
      page.add("<tr><td>" + escape(zone) + "</td>");
      for (std::size_t k : picks) page.add("<td class=\"n\">" + fixed(values[k], 1) + "</td>");
      for (std::size_t k : picks)
        page.add("<td class=\"n\">" + (k < lime.size() ? fixed(lime[k], 0) : "–") + "</td>");
      page.add("</tr>");
    }
    page.add("</table>");
    if (run.has("acid_drainage_acidity_t_caco3") && run.has("acid_drainage_sulfate_t") &&
        run.has("sulfide_sulfur_stock_t") && run.has("carbonate_stock_t")) {
      // The site's acid drainage in the same years: what a treatment plant at the outlet would
      // face, and the sulfide and carbonate left to drive and meet it.
      page.add(
          "<p class=\"note\">The site's acid drainage in those years: acidity that neither "
          "carbonate nor the soil's buffer took (t CaCO3 to neutralise it), the sulfate that "
          "oxidation made (an upper bound: no gypsum precipitation), and the sulfide S and "
          "carbonate left in the profiles (their ledgers close every year).</p><table><tr><th>"
          "year</th><th>acidity (t CaCO3)</th><th>sulfate (t)</th><th>sulfide S left (t)</th>"
          "<th>carbonate left (t)</th></tr>");
      const auto& acidity = run.column("acid_drainage_acidity_t_caco3");
      const auto& sulfate = run.column("acid_drainage_sulfate_t");
      const auto& sulfide = run.column("sulfide_sulfur_stock_t");
      const auto& carbonate = run.column("carbonate_stock_t");
      for (std::size_t k : picks)
        page.add("<tr><td>" + std::to_string(years[k]) + "</td><td class=\"n\">" +
                 fixed(acidity[k], 1) + "</td><td class=\"n\">" + fixed(sulfate[k], 1) +
                 "</td><td class=\"n\">" + fixed(sulfide[k], 1) + "</td><td class=\"n\">" +
                 fixed(carbonate[k], 0) + "</td></tr>");
      page.add("</table>");
    }
    if (run.has("pit_lake_volume_m3") && run.has("cd_pit_lake_dissolved_mean_mg_l")) {
      // The pit lakes' water in the same years: what a spill or a pumped discharge would carry
      // (docs/models/metals.md, "Pit lakes").
      page.add(
          "<p class=\"note\">The pit lakes at the end of those years: their water, and the metal "
          "dissolved in it (all lakes' metal over their water, mg/L; the highest lake in "
          "brackets). Fully mixed lakes fed by runoff, without sorption or solubility limits: "
          "upper bounds.</p><table><tr><th>year</th><th>water (m³)</th>");
      for (const char* m : kMetals) {
        std::string symbol(m);  // cd -> Cd
        symbol[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(symbol[0])));
        page.add("<th>" + symbol + " (mg/L)</th>");
      }
      page.add("</tr>");
      const auto& water = run.column("pit_lake_volume_m3");
      for (std::size_t k : picks) {
        page.add("<tr><td>" + std::to_string(years[k]) + "</td><td class=\"n\">" +
                 fixed(water[k], 0) + "</td>");
        for (const char* m : kMetals) {
          const auto& mean = run.column(std::string(m) + "_pit_lake_dissolved_mean_mg_l");
          const auto& top = run.column(std::string(m) + "_pit_lake_dissolved_max_mg_l");
          page.add("<td class=\"n\">" +
                   (k < mean.size() && k < top.size()
                        ? significant(mean[k]) + " (" + significant(top[k]) + ")"
                        : std::string("–")) +
                   "</td>");
        }
        page.add("</tr>");
      }
      page.add("</table>");
    }
  }
  const bool compare = runs.size() > 1;
  page.add("<h3>Cost-effectiveness</h3><p class=\"note\">Metal kept out of groundwater: " +
           std::string(compare
                           ? "the leaching of the first scenario (" + escape(runs.front().name) +
                                 ") less this scenario's, over the run"
                           : "the first year's leaching continued over every year (the site "
                             "left as it was) less the simulated leaching") +
           " (Cd, Pb, Zn, Cu, As and Sb together). Cost per t CO2e: the measures' cost over the "
           "project's net removals (carbon_accounting; docs/models/carbon.md).</p>");
  page.add(
      "<table><tr><th>scenario</th><th>cost (10⁴ CNY)</th><th>net CO2e balance, cumulative "
      "(t)</th><th>cost per t CO2e (CNY)</th><th>metals leached (kg)</th><th>kept out of "
      "groundwater (kg)</th><th>cost per kg kept out (CNY)</th></tr>");
  for (const auto& run : runs) {
    double first_year = 0;
    for (const char* m : kMetals) {
      const auto& v = run.column(std::string(m) + "_leached_kg");
      if (!v.empty()) first_year += v.front();
    }
    const double leached = total_leached(run);
    const double reference = compare ? total_leached(runs.front())
                                     : first_year * static_cast<double>(run.summary_years.size());
    const double kept = reference - leached;
    const double cost = run.total("measures_cost_yuan");
    page.add("<tr><td>" + escape(run.name) + "</td><td class=\"n\">" + fixed(cost / 1e4, 1) +
             "</td><td class=\"n\">" + fixed(run.last("cumulative_net_balance_t_co2e"), 0) +
             "</td><td class=\"n\">" + fixed(run.last("cost_per_t_co2e_yuan"), 0) +
             "</td><td class=\"n\">" + fixed(leached, 1) + "</td><td class=\"n\">" +
             fixed(kept, 1) + "</td><td class=\"n\">" +
             (kept > 0 ? fixed(cost / kept, 0) : std::string("–")) + "</td></tr>");
  }
  page.add("</table></section>");
}

}  // namespace

std::filesystem::path assets_folder() {
  if (const char* env = std::getenv("MINETWIN_ASSETS")) return env;
  return MINETWIN_ASSET_DIR;
}

std::filesystem::path write_run_report(const std::vector<RunOutputs>& runs,
                                       const std::filesystem::path& file,
                                       const std::filesystem::path& replay_assets) {
  std::string names;
  for (const auto& run : runs) names += (names.empty() ? "" : " vs ") + run.name;
  Page page("MineTwin report: " + names);
  page.add("<header><h1>MineTwin " + std::string(runs.size() > 1 ? "comparison" : "report") + ": " +
           escape(names) +
           "</h1><p class=\"note\">What the restoration plan does to the site over the years, "
           "from the run outputs (summary.csv, state.nc, run.yaml). Every equation and default is "
           "documented in docs/models/.</p></header>");
  scenario_section(page, runs);
  charts_section(page, runs);
  maps_section(page, runs);
  const auto asset_files = replay_section(page, runs, {file, replay_assets});
  evaluation_section(page, runs);
  // The assets first: a report on disk has its data.
  for (const auto& [path, content] : asset_files) {
    std::filesystem::create_directories(path.parent_path());
    write_file_atomically(path, content);
  }
  write_file_atomically(file, page.html());
  return asset_files.empty() ? std::filesystem::path() : asset_files.front().first.parent_path();
}

void write_sweep_report(const SweepOutputs& sweep, const std::filesystem::path& file) {
  Page page("MineTwin sweep report: " + sweep.scenario_name);
  page.add("<header><h1>MineTwin sweep: " + escape(sweep.scenario_name) + "</h1><p>" +
           std::to_string(sweep.members) + " members (" + escape(sweep.method) + " design) over " +
           std::to_string(sweep.uncertain.size()) + " uncertain inputs: " + escape([&] {
             std::string list;
             for (const auto& k : sweep.uncertain) list += (list.empty() ? "" : ", ") + k;
             return list;
           }()) +
           ". Outputs: <code>" + escape(sweep.folder.string()) + "</code>.</p></header>");
  page.add(
      "<section id=\"fans\"><h2>1. Outcomes over the years</h2><p class=\"note\">Median, "
      "25–75 % and 5–95 % of the members.</p><div class=\"charts\">");
  int n = 0;
  for (const auto& [metric, rows] : sweep.stats) {
    std::vector<FanRow> fan;
    for (const auto& r : rows)
      fan.push_back({static_cast<int>(r[0]), r[3], r[4], r[5], r[6], r[7]});
    page.chart("chart-fan-" + std::to_string(n++), fan_chart(metric, metric, fan));
  }
  page.add("</div></section><section id=\"targets\"><h2>2. Targets</h2><table><tr>");
  for (const auto& h : sweep.targets.front()) page.add("<th>" + escape(h) + "</th>");
  page.add("</tr>");
  std::vector<Bar> bars;
  for (std::size_t r = 1; r < sweep.targets.size(); ++r) {
    const auto& row = sweep.targets[r];
    page.add("<tr>");
    for (const auto& cell : row) page.add("<td>" + escape(cell) + "</td>");
    page.add("</tr>");
    // Cells checked as numbers or empty (no estimate) when the outputs were loaded.
    auto value = [&](std::size_t k) { return row[k].empty() ? std::nan("") : std::stod(row[k]); };
    if (row.size() >= 10)
      bars.push_back({row[1] + " " + row[3] + " " + row[4] + " in " + row[2], "probability",
                      value(7), value(8), value(9)});
  }
  page.add("</table><div class=\"charts\">");
  page.chart("chart-targets", bar_chart("Probability of meeting each target (95 % interval)",
                                        "probability", bars, 1.0));
  page.add(
      "</div></section><section id=\"sensitivity\"><h2>3. Which inputs matter</h2><div "
      "class=\"charts\">");
  const auto& header = sweep.sensitivity.front();
  const bool sobol = header.size() > 3 && header[3] == "first_order";
  std::map<std::string, std::vector<Bar>> by_metric;
  int last_year = 0;
  for (std::size_t r = 1; r < sweep.sensitivity.size(); ++r)
    last_year = std::max(last_year, std::stoi(sweep.sensitivity[r][0]));
  for (std::size_t r = 1; r < sweep.sensitivity.size(); ++r) {
    const auto& row = sweep.sensitivity[r];
    if (std::stoi(row[0]) != last_year) continue;
    auto value = [&](std::size_t k) { return row[k].empty() ? std::nan("") : std::stod(row[k]); };
    if (sobol) {
      by_metric[row[1]].push_back({row[2], "first order", value(3), value(4), value(5)});
      by_metric[row[1]].push_back({row[2], "total", value(6), value(7), value(8)});
    } else {
      by_metric[row[1]].push_back({row[2], "Spearman", value(3), value(4), value(5)});
    }
  }
  n = 0;
  for (const auto& [metric, metric_bars] : by_metric) {
    // A metric that did not vary over the members has no indices: say so instead of a chart.
    const bool any = std::any_of(metric_bars.begin(), metric_bars.end(),
                                 [](const Bar& b) { return std::isfinite(b.value); });
    if (!any) {
      page.add("<p class=\"note\">" + escape(metric) +
               ": the same in every member; no "
               "sensitivity to show.</p>");
      continue;
    }
    page.chart("chart-sensitivity-" + std::to_string(n++),
               bar_chart(metric + " in " + std::to_string(last_year),
                         sobol ? "Sobol index" : "rank correlation", metric_bars));
  }
  page.add("</div></section>");
  write_file_atomically(file, page.html());
}

}  // namespace minetwin::report
