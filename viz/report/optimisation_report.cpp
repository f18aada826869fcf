// The report of an optimisation (docs/optimisation.md): the Pareto front among every plan
// evaluated, the front's plans, and the marginal cost of each target along the front.
#include <cmath>
#include <string>

#include "engine/io/atomic_file.hpp"
#include "viz/report/html_page.hpp"
#include "viz/report/report_html.hpp"
#include "viz/report/vega_specs.hpp"

namespace minetwin::report {
namespace {

double cell_number(const std::map<std::string, std::string>& row, const std::string& column) {
  const auto found = row.find(column);
  return found == row.end() || found->second.empty() ? std::nan("") : std::stod(found->second);
}

// A plan in words: "plan 12: measures[3].rate_t_per_ha = 15, ...".
std::string plan_label(const std::map<std::string, std::string>& row,
                       const std::vector<std::string>& decisions) {
  std::string label = "plan " + row.at("plan") + ":";
  for (const auto& d : decisions) label += " " + d + " = " + row.at(d) + ";";
  label.pop_back();
  return label;
}

}  // namespace

void write_optimisation_report(const OptimisationOutputs& o, const std::filesystem::path& file) {
  Page page("MineTwin optimisation report: " + o.scenario_name);
  const auto evaluations = rows_by_name(o.evaluations);
  const auto pareto = rows_by_name(o.pareto);
  std::size_t feasible = 0;
  for (const auto& row : evaluations) feasible += row.at("feasible") == "1";
  std::string objectives;
  for (const auto& name : o.objectives) objectives += (objectives.empty() ? "" : ", ") + name;
  page.add("<header><h1>MineTwin optimisation: " + escape(o.scenario_name) + "</h1><p>" +
           std::to_string(evaluations.size()) + " plans evaluated by " + escape(o.algorithm) +
           " over " + std::to_string(o.decisions.size()) + " decisions; " +
           std::to_string(feasible) + " meet every constraint; " + std::to_string(pareto.size()) +
           " on the Pareto front of " + escape(objectives) + ". Outputs: <code>" +
           escape(o.folder.string()) +
           "</code>.</p><p class=\"note\">Objectives are minimised unless the file says "
           "maximise; with uncertain inputs they are the means over the members and constraints "
           "are probabilities. Method and limits in docs/optimisation.md.</p></header>");

  page.add("<section id=\"front\"><h2>1. The Pareto front</h2>");
  if (pareto.empty()) {
    page.add(
        "<p><strong>No plan meets every constraint.</strong> The least violating plans "
        "(least_violating.csv):</p>");
    if (o.least_violating.size() > 1) add_table(page, o.least_violating);
  } else if (o.objectives.size() >= 2) {
    page.add(
        "<p class=\"note\">Every plan evaluated, in the plane of the first two objectives: the "
        "front (green) are the plans no other feasible plan beats on every objective; grey "
        "plans are feasible but dominated, red ones miss a constraint. Hover for a plan's "
        "decisions; drag to pan, scroll to zoom.</p><div class=\"charts\">");
    std::vector<PlanPoint> points;
    for (const auto& row : evaluations) {
      if (row.at("status") != "ok") continue;
      const std::string group = row.at("pareto") == "1"     ? "Pareto front"
                                : row.at("feasible") == "1" ? "feasible"
                                                            : "infeasible";
      if (group == "Pareto front") continue;  // drawn from pareto.csv, in the front's order
      points.push_back({cell_number(row, o.objectives[0]), cell_number(row, o.objectives[1]), group,
                        plan_label(row, o.decisions)});
    }
    for (const auto& row : pareto)
      points.push_back({cell_number(row, o.objectives[0]), cell_number(row, o.objectives[1]),
                        "Pareto front", plan_label(row, o.decisions)});
    page.chart("chart-front", front_chart(o.objectives[1] + " against " + o.objectives[0],
                                          o.objectives[0], o.objectives[1], points));
    page.add("</div>");
    // What one more unit of the second objective costs along the front.
    const std::string marginal = "marginal_" + o.objectives[0] + "_per_" + o.objectives[1];
    std::vector<PlanPoint> steps;
    for (const auto& row : pareto) {
      const double rate = cell_number(row, marginal);
      if (std::isfinite(rate) && rate > 0)
        steps.push_back({cell_number(row, o.objectives[1]), rate, "Pareto front",
                         plan_label(row, o.decisions)});
    }
    if (!steps.empty()) {
      page.add("<h3>What one more unit of " + escape(o.objectives[1]) +
               " costs</h3><p class=\"note\">Along the front, from each plan to the next: the " +
               escape(o.objectives[0]) + " paid per unit of " + escape(o.objectives[1]) +
               " gained (the column " + escape(marginal) +
               " of pareto.csv). A steep rise is where a tighter target becomes expensive.</p>"
               "<div class=\"charts\">");
      page.chart("chart-marginal",
                 front_chart("Marginal cost along the front (log scale)", o.objectives[1],
                             o.objectives[0] + " per unit", steps, false, true));
      page.add("</div>");
    }
  } else {
    page.add("<p>The best plan(s) of " + escape(o.objectives[0]) + ":</p>");
  }
  page.add("</section>");

  if (!pareto.empty()) {
    page.add(
        "<section id=\"plans\"><h2>2. The plans on the front</h2><p class=\"note\">Each plan's "
        "decisions, objectives and constraint probabilities; its scenario (best/plan-N.yaml) "
        "runs with <code>minetwin run</code>.</p>");
    add_table(page, o.pareto);
    page.add("</section>");
  }
  write_file_atomically(file, page.html());
}

}  // namespace minetwin::report
