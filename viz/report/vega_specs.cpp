#include "viz/report/vega_specs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "engine/core/summary.hpp"

namespace minetwin::report {
namespace {

std::string number_json(double v) {
  return std::isfinite(v) ? format_number(v) : "null";
}

constexpr int kWidth = 470, kHeight = 220;

std::string frame(const std::string& title) {
  return "\"width\":" + std::to_string(kWidth) + ",\"height\":" + std::to_string(kHeight) +
         ",\"title\":" + json_string(title) +
         ",\"config\":{\"font\":\"sans-serif\",\"view\":{\"stroke\":null}},";
}

}  // namespace

std::string line_chart(const std::string& title, const std::string& y_title,
                       const std::vector<SeriesPoint>& points, bool stacked,
                       const std::vector<YearMarker>& markers) {
  std::set<std::string> scenarios;
  std::string values;
  for (const auto& p : points) {
    if (!std::isfinite(p.value)) continue;
    scenarios.insert(p.scenario);
    values += (values.empty() ? "" : ",") + std::string("{\"year\":") + std::to_string(p.year) +
              ",\"series\":" + json_string(p.series) + ",\"scenario\":" + json_string(p.scenario) +
              ",\"value\":" + number_json(p.value) + "}";
  }
  if (values.empty()) return {};  // nothing to draw (a landform check has no carbon, say)
  std::string encoding =
      "\"x\":{\"field\":\"year\",\"type\":\"quantitative\",\"axis\":{\"format\":\"d\"},"
      "\"scale\":{\"zero\":false},\"title\":\"year\"},"
      "\"y\":{\"field\":\"value\",\"type\":\"quantitative\",\"title\":" +
      json_string(y_title) + (stacked ? ",\"stack\":\"zero\"" : "") +
      "},\"color\":{\"field\":\"series\",\"type\":\"nominal\",\"title\":null},"
      "\"tooltip\":[{\"field\":\"scenario\"},{\"field\":\"series\"},{\"field\":\"year\"},"
      "{\"field\":\"value\",\"format\":\".4~g\"}]";
  if (scenarios.size() > 1)
    encoding +=
        ",\"strokeDash\":{\"field\":\"scenario\",\"type\":\"nominal\",\"title\":\"scenario\"}";
  std::string main_layer = "{\"mark\":{\"type\":\"" + std::string(stacked ? "area" : "line") +
                           "\"" + (stacked ? ",\"opacity\":0.85" : ",\"strokeWidth\":2") +
                           "},\"encoding\":{" + encoding + "}}";
  std::string layers = main_layer;
  if (!markers.empty()) {
    std::string marks;
    for (const auto& m : markers)
      marks += (marks.empty() ? "" : ",") + std::string("{\"year\":") + std::to_string(m.year) +
               ",\"label\":" + json_string(m.label) + "}";
    layers += ",{\"data\":{\"values\":[" + marks +
              "]},\"mark\":{\"type\":\"rule\",\"strokeDash\":[4,3],\"color\":\"#444\"},"
              "\"encoding\":{\"x\":{\"field\":\"year\",\"type\":\"quantitative\"}}}"
              ",{\"data\":{\"values\":[" +
              marks +
              "]},\"mark\":{\"type\":\"text\",\"align\":\"left\",\"dx\":3,\"dy\":-4,\"y\":4,"
              "\"color\":\"#444\"},\"encoding\":{\"x\":{\"field\":\"year\",\"type\":"
              "\"quantitative\"},\"text\":{\"field\":\"label\"}}}";
  }
  return "{" + frame(title) + "\"data\":{\"values\":[" + values + "]},\"layer\":[" + layers + "]}";
}

std::string fan_chart(const std::string& title, const std::string& y_title,
                      const std::vector<FanRow>& rows, const std::vector<ObservedPoint>& observed) {
  std::string values;
  for (const auto& r : rows)
    values += (values.empty() ? "" : ",") + std::string("{\"year\":") + std::to_string(r.year) +
              ",\"p5\":" + number_json(r.p5) + ",\"p25\":" + number_json(r.p25) +
              ",\"p50\":" + number_json(r.p50) + ",\"p75\":" + number_json(r.p75) +
              ",\"p95\":" + number_json(r.p95) + "}";
  const std::string x =
      "\"x\":{\"field\":\"year\",\"type\":\"quantitative\",\"axis\":{\"format\":\"d\"},"
      "\"scale\":{\"zero\":false},\"title\":\"year\"}";
  auto band = [&](const char* low, const char* high, double opacity) {
    return "{\"mark\":{\"type\":\"area\",\"color\":\"#2b7bba\",\"opacity\":" +
           format_number(opacity) + "},\"encoding\":{" + x + ",\"y\":{\"field\":\"" + low +
           "\",\"type\":\"quantitative\",\"title\":" + json_string(y_title) +
           "},\"y2\":{\"field\":\"" + high + "\"}}}";
  };
  const std::string median =
      "{\"mark\":{\"type\":\"line\",\"color\":\"#08306b\",\"strokeWidth\":2},\"encoding\":{" + x +
      ",\"y\":{\"field\":\"p50\",\"type\":\"quantitative\"},\"tooltip\":[{\"field\":\"year\"},"
      "{\"field\":\"p5\",\"format\":\".4~g\"},{\"field\":\"p50\",\"format\":\".4~g\"},"
      "{\"field\":\"p95\",\"format\":\".4~g\"}]}}";
  std::string layers = band("p5", "p95", 0.2) + "," + band("p25", "p75", 0.35) + "," + median;
  if (!observed.empty()) {
    std::string points;
    for (const auto& o : observed)
      points += (points.empty() ? "" : ",") + std::string("{\"year\":") + std::to_string(o.year) +
                ",\"observed\":" + number_json(o.value) +
                ",\"low\":" + number_json(o.value - o.sd) +
                ",\"high\":" + number_json(o.value + o.sd) + "}";
    const std::string data = "{\"data\":{\"values\":[" + points + "]},";
    layers += "," + data + "\"mark\":{\"type\":\"rule\",\"color\":\"#b2182b\"},\"encoding\":{" + x +
              ",\"y\":{\"field\":\"low\",\"type\":\"quantitative\"},\"y2\":{\"field\":"
              "\"high\"}}}," +
              data +
              "\"mark\":{\"type\":\"point\",\"filled\":true,\"color\":\"#b2182b\"},"
              "\"encoding\":{" +
              x +
              ",\"y\":{\"field\":\"observed\",\"type\":\"quantitative\"},\"tooltip\":["
              "{\"field\":\"year\"},{\"field\":\"observed\",\"format\":\".4~g\"}]}}";
  }
  return "{" + frame(title) + "\"data\":{\"values\":[" + values + "]},\"layer\":[" + layers + "]}";
}

std::string scatter_chart(const std::string& title, const std::string& x_title,
                          const std::string& y_title, const std::vector<ScatterPoint>& points) {
  std::string values;
  double low = INFINITY, high = -INFINITY;
  for (const auto& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    low = std::min({low, p.x, p.y});
    high = std::max({high, p.x, p.y});
    values += (values.empty() ? "" : ",") + std::string("{\"x\":") + number_json(p.x) +
              ",\"y\":" + number_json(p.y) + ",\"series\":" + json_string(p.series) + "}";
  }
  if (values.empty()) return {};
  const std::string line = "{\"x\":" + number_json(low) + ",\"y\":" + number_json(low) +
                           "},{\"x\":" + number_json(high) + ",\"y\":" + number_json(high) + "}";
  return "{" + frame(title) + "\"layer\":[{\"data\":{\"values\":[" + line +
         "]},\"mark\":{\"type\":\"line\",\"color\":\"#888\",\"strokeDash\":[4,3]},"
         "\"encoding\":{\"x\":{\"field\":\"x\",\"type\":\"quantitative\",\"title\":" +
         json_string(x_title) +
         ",\"scale\":{\"zero\":false}},\"y\":{\"field\":\"y\",\"type\":\"quantitative\","
         "\"title\":" +
         json_string(y_title) + ",\"scale\":{\"zero\":false}}}},{\"data\":{\"values\":[" + values +
         "]},\"mark\":{\"type\":\"point\",\"filled\":true,\"opacity\":0.6,\"size\":18},"
         "\"encoding\":{\"x\":{\"field\":\"x\",\"type\":\"quantitative\"},\"y\":{\"field\":"
         "\"y\",\"type\":\"quantitative\"},\"color\":{\"field\":\"series\",\"type\":"
         "\"nominal\",\"title\":null},\"tooltip\":[{\"field\":\"series\"},{\"field\":\"x\","
         "\"format\":\".4~g\"},{\"field\":\"y\",\"format\":\".4~g\"}]}}]}";
}

std::string front_chart(const std::string& title, const std::string& x_title,
                        const std::string& y_title, const std::vector<PlanPoint>& plans,
                        bool join_front, bool log_y) {
  std::string values, front;
  int order = 0;
  for (const auto& p : plans) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    const std::string point = std::string("{\"x\":") + number_json(p.x) +
                              ",\"y\":" + number_json(p.y) + ",\"group\":" + json_string(p.group) +
                              ",\"plan\":" + json_string(p.label) +
                              ",\"order\":" + std::to_string(order++) + "}";
    values += (values.empty() ? "" : ",") + point;
    if (join_front && p.group == "Pareto front") front += (front.empty() ? "" : ",") + point;
  }
  if (values.empty()) return {};
  const std::string axes =
      "\"x\":{\"field\":\"x\",\"type\":\"quantitative\",\"title\":" + json_string(x_title) +
      ",\"scale\":{\"zero\":false}},\"y\":{\"field\":\"y\",\"type\":\"quantitative\","
      "\"title\":" +
      json_string(y_title) + ",\"scale\":{" + (log_y ? "\"type\":\"log\"" : "\"zero\":false") +
      "}}";
  return "{" + frame(title) + "\"layer\":[{\"data\":{\"values\":[" + front +
         "]},\"mark\":{\"type\":\"line\",\"color\":\"#1b7837\",\"interpolate\":"
         "\"step-after\"},\"encoding\":{" +
         axes + ",\"order\":{\"field\":\"order\"}}},{\"data\":{\"values\":[" + values +
         "]},\"params\":[{\"name\":\"zoom\",\"select\":\"interval\",\"bind\":\"scales\"}],"
         "\"mark\":{\"type\":\"point\",\"filled\":true,\"size\":40},\"encoding\":{" +
         axes +
         ",\"color\":{\"field\":\"group\",\"type\":\"nominal\",\"title\":null,\"scale\":{"
         "\"domain\":[\"Pareto front\",\"feasible\",\"infeasible\"],\"range\":[\"#1b7837\","
         "\"#9e9e9e\",\"#d6604d\"]}},\"opacity\":{\"condition\":{\"test\":\"datum.group === "
         "'Pareto front'\",\"value\":1},\"value\":0.45},\"tooltip\":[{\"field\":\"plan\"},"
         "{\"field\":\"x\",\"title\":" +
         json_string(x_title) +
         ",\"format\":\".5~g\"},{\"field\":\"y\",\"title\":" + json_string(y_title) +
         ",\"format\":\".5~g\"}]}}]}";
}

std::string interval_chart(const std::string& title, const std::string& x_title,
                           const std::vector<Bar>& bars) {
  std::string values;
  for (const auto& b : bars)
    values += (values.empty() ? "" : ",") + std::string("{\"label\":") + json_string(b.label) +
              ",\"group\":" + json_string(b.group) + ",\"value\":" + number_json(b.value) +
              ",\"low\":" + number_json(b.low) + ",\"high\":" + number_json(b.high) + "}";
  const std::string y =
      "\"y\":{\"field\":\"group\",\"type\":\"nominal\",\"title\":null,\"sort\":null}";
  return "{" + frame(title) + "\"data\":{\"values\":[" + values +
         "]},\"layer\":[{\"mark\":{\"type\":\"rule\",\"strokeWidth\":3},\"encoding\":{" + y +
         ",\"x\":{\"field\":\"low\",\"type\":\"quantitative\",\"title\":" + json_string(x_title) +
         ",\"scale\":{\"zero\":false}},\"x2\":{\"field\":\"high\"},\"color\":{\"field\":"
         "\"group\",\"type\":\"nominal\",\"title\":null,\"legend\":null}}},{\"mark\":{"
         "\"type\":\"point\",\"filled\":true,\"size\":80,\"color\":\"#222\"},\"encoding\":{" +
         y +
         ",\"x\":{\"field\":\"value\",\"type\":\"quantitative\"},\"tooltip\":[{\"field\":"
         "\"group\"},{\"field\":\"value\",\"format\":\".4~g\"},{\"field\":\"low\",\"format\":"
         "\".4~g\"},{\"field\":\"high\",\"format\":\".4~g\"}]}}]}";
}

std::string bar_chart(const std::string& title, const std::string& x_title,
                      const std::vector<Bar>& bars, std::optional<double> x_max) {
  std::string values;
  for (const auto& b : bars)
    values += (values.empty() ? "" : ",") + std::string("{\"label\":") + json_string(b.label) +
              ",\"group\":" + json_string(b.group) + ",\"value\":" + number_json(b.value) +
              ",\"low\":" + number_json(b.low) + ",\"high\":" + number_json(b.high) + "}";
  const std::string scale =
      x_max ? ",\"scale\":{\"domain\":[0," + format_number(*x_max) + "]}" : std::string();
  const std::string y =
      "\"y\":{\"field\":\"label\",\"type\":\"nominal\",\"sort\":{\"field\":\"value\","
      "\"op\":\"max\",\"order\":\"descending\"},\"title\":null},"
      "\"yOffset\":{\"field\":\"group\"}";
  return "{" + frame(title) + "\"data\":{\"values\":[" + values +
         "]},\"layer\":[{\"mark\":\"bar\",\"encoding\":{" + y +
         ",\"x\":{\"field\":\"value\",\"type\":\"quantitative\",\"title\":" + json_string(x_title) +
         scale +
         "},\"color\":{\"field\":\"group\",\"type\":\"nominal\",\"title\":null},"
         "\"tooltip\":[{\"field\":\"label\"},{\"field\":\"group\"},{\"field\":\"value\","
         "\"format\":\".3~g\"},{\"field\":\"low\",\"format\":\".3~g\"},{\"field\":\"high\","
         "\"format\":\".3~g\"}]}},{\"mark\":{\"type\":\"rule\",\"color\":\"#333\"},\"encoding\":{" +
         y + ",\"x\":{\"field\":\"low\",\"type\":\"quantitative\"},\"x2\":{\"field\":\"high\"}}}]}";
}

}  // namespace minetwin::report
