// The report of a calibration (docs/calibration.md): priors against posteriors, the fit over
// the iterations, observed against simulated, and the posterior forecast.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/io/atomic_file.hpp"
#include "viz/report/html_page.hpp"
#include "viz/report/report_html.hpp"
#include "viz/report/vega_specs.hpp"

namespace minetwin::report {
namespace {

double cell_number(const std::string& text) {
  return text.empty() ? std::nan("") : std::stod(text);  // checked when the outputs were read
}

// At most this many points of one group in the observed-against-simulated chart (a raster has
// one per cell): every k-th datum.
constexpr std::size_t kScatterPoints = 1500;

}  // namespace

void write_calibration_report(const CalibrationOutputs& c, const std::filesystem::path& file) {
  Page page("MineTwin calibration report: " + c.scenario_name);
  const auto parameters = rows_by_name(c.parameters);
  const auto fit = rows_by_name(c.fit);
  const auto observations = rows_by_name(c.observations);
  page.add("<header><h1>MineTwin calibration: " + escape(c.scenario_name) + "</h1><p>" +
           std::to_string(parameters.size()) + " parameters fitted to " +
           std::to_string(observations.size()) + " observed values by " + escape(c.method) +
           " (ensemble of " + std::to_string(c.ensemble) + ", " + std::to_string(c.iterations) +
           " assimilations). Outputs: <code>" + escape(c.folder.string()) +
           "</code>.</p><p class=\"note\">The ensemble smoother with multiple data assimilation "
           "(Emerick &amp; Reynolds 2013); method, equations and limits in "
           "docs/calibration.md.</p></header>");

  page.add(
      "<section id=\"parameters\"><h2>1. Parameters: prior against posterior</h2><p "
      "class=\"note\">Mean (dot) and 5–95 % interval (line) of the prior ensemble and of the "
      "posterior. A posterior much narrower than its prior is informed by the data; one as wide "
      "is not.</p><div class=\"charts\">");
  int n = 0;
  for (const auto& p : parameters) {
    auto v = [&](const char* key) { return cell_number(p.at(key)); };
    page.chart("chart-parameter-" + std::to_string(n++),
               interval_chart(
                   p.at("parameter"), "value",
                   {{p.at("parameter"), "prior", v("prior_mean"), v("prior_p5"), v("prior_p95")},
                    {p.at("parameter"), "posterior", v("posterior_mean"), v("posterior_p5"),
                     v("posterior_p95")}}));
  }
  page.add("</div>");
  add_table(page, c.parameters);
  page.add("</section>");

  page.add(
      "<section id=\"fit\"><h2>2. Fit over the iterations</h2><p class=\"note\">Misfit per "
      "datum: the mean of ((simulated − observed) / sd)² over the members and data; about 1 "
      "when the model fits to within the observation errors. Iteration 0 is the prior, the "
      "last the posterior.</p><div class=\"charts\">");
  std::vector<SeriesPoint> misfit, coverage;
  for (const auto& row : fit) {
    const int iteration = std::stoi(row.at("iteration"));
    misfit.push_back({iteration, row.at("group"), "", cell_number(row.at("misfit_per_datum"))});
    coverage.push_back({iteration, row.at("group"), "", cell_number(row.at("coverage_90"))});
  }
  page.chart("chart-misfit", line_chart("Misfit per datum (x: iteration)", "misfit", misfit));
  page.chart("chart-coverage",
             line_chart("Share of data inside the 90 % predictive interval (x: iteration)", "share",
                        coverage));
  page.add("</div>");
  add_table(page, c.fit);
  page.add("</section>");

  page.add(
      "<section id=\"observed\"><h2>3. Observed against simulated</h2><p class=\"note\">Each "
      "datum's observed value against the ensemble mean of the prior and of the posterior (the "
      "dashed line is 1:1); a raster shows every k-th cell. Site series over the years: the "
      "posterior fan with the observations (±1 sd).</p><div class=\"charts\">");
  std::map<std::string, std::vector<const std::map<std::string, std::string>*>> groups;
  for (const auto& row : observations) groups[row.at("group")].push_back(&row);
  n = 0;
  std::map<std::string, std::vector<ObservedPoint>> series_points;
  for (const auto& [group, rows] : groups) {
    std::vector<ScatterPoint> points;
    const std::size_t step = std::max<std::size_t>(1, rows.size() / kScatterPoints);
    for (std::size_t k = 0; k < rows.size(); k += step) {
      const auto& row = *rows[k];
      points.push_back(
          {cell_number(row.at("observed")), cell_number(row.at("prior_mean")), "prior"});
      points.push_back(
          {cell_number(row.at("observed")), cell_number(row.at("posterior_mean")), "posterior"});
    }
    for (const auto* row : rows)
      if (row->at("kind") == "series")
        series_points[row->at("observes")].push_back({std::stoi(row->at("year")),
                                                      cell_number(row->at("observed")),
                                                      cell_number(row->at("sd"))});
    page.chart("chart-observed-" + std::to_string(n++),
               scatter_chart(group + " (" + rows.front()->at("kind") + ", " +
                                 std::to_string(rows.size()) + " data)",
                             "observed", "simulated (ensemble mean)", points));
  }
  for (const auto& [metric, points] : series_points) {
    const auto found = c.stats.find(metric);
    if (found == c.stats.end()) continue;
    std::vector<FanRow> fan;
    for (const auto& r : found->second)
      fan.push_back({static_cast<int>(r[0]), r[3], r[4], r[5], r[6], r[7]});
    page.chart("chart-observed-" + std::to_string(n++),
               fan_chart(metric + ": posterior and observed", metric, fan, points));
  }
  page.add("</div></section>");

  if (c.analysis.size() > 1) {
    page.add(
        "<section id=\"state-update\"><h2>State updates</h2><p class=\"note\">At each "
        "observation year the observed fields were updated by a localised ensemble Kalman "
        "analysis, and the forecast went on from the updated state: the RMSE of the ensemble "
        "mean and the ensemble spread at the data, before and after each analysis. The analysed "
        "members' states are kept in <code>analysis/YEAR/</code> for <code>minetwin run "
        "--resume</code> (docs/calibration.md, State update).</p>");
    add_table(page, c.analysis);
    page.add("</section>");
  }

  page.add(
      "<section id=\"forecast\"><h2>4. The forecast of the calibrated twin</h2><p "
      "class=\"note\">The posterior ensemble run to the scenario's end: median, 25–75 % and "
      "5–95 %.</p><div class=\"charts\">");
  n = 0;
  for (const auto& [metric, rows] : c.stats) {
    std::vector<FanRow> fan;
    for (const auto& r : rows)
      fan.push_back({static_cast<int>(r[0]), r[3], r[4], r[5], r[6], r[7]});
    page.chart("chart-forecast-" + std::to_string(n++), fan_chart(metric, metric, fan));
  }
  page.add("</div>");
  if (c.targets.size() > 1) {
    page.add("<h3>Targets under the posterior</h3>");
    add_table(page, c.targets);
  }
  page.add("</section>");
  write_file_atomically(file, page.html());
}

}  // namespace minetwin::report
