#include "viz/report/html_page.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "viz/report/report_html.hpp"
#include "viz/report/vega_specs.hpp"

namespace minetwin::report {

std::string vendored_js(const std::string& name) {
  const std::filesystem::path file = assets_folder() / "js" / name;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw std::runtime_error("the report's script library is missing: " + file.string() +
                             " (set MINETWIN_ASSETS to the repository's assets folder)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

const char* kStyle = R"CSS(
body { font-family: sans-serif; color: #222; max-width: 1200px; margin: 0 auto; padding: 1em 2em; }
h1 { font-size: 1.6em; border-bottom: 3px solid #2b7bba; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 2em; color: #08306b; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
td.n { text-align: right; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
.chart { min-width: 580px; min-height: 270px; }
.maps td { text-align: center; }
.maps img { width: 200px; height: 200px; image-rendering: pixelated; border: 1px solid #999; }
.legend { font-size: .8em; display: flex; align-items: center; gap: .4em; justify-content: center; }
.gradient { display: inline-block; width: 140px; height: 10px; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; }
.note { color: #555; font-size: .9em; }
.wide { overflow-x: auto; max-width: 100%; }
@media print { .chart { break-inside: avoid; } section { break-before: page; } body { max-width: none; } }
)CSS";

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double v, int digits) {
  if (!std::isfinite(v)) return "–";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << v;
  return out.str();
}

void Page::chart(const std::string& id, const std::string& spec) {
  if (spec.empty()) return;
  body_ += "<div class=\"chart\" id=\"" + id + "\"></div>";
  specs_ += (specs_.empty() ? "" : ",\n") + json_string(id) + ":" + spec;
}

std::string Page::html() const {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      escape(title_) + "</title>\n<style>" + kStyle + "</style>\n";
  for (const char* lib : {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"})
    out += "<script>\n" + vendored_js(lib) + "\n</script>\n";
  out += "</head>\n<body>\n" + body_ + "\n<script>\nconst specs = {\n" + specs_ +
         "\n};\nfor (const [id, spec] of Object.entries(specs)) {\n"
         "  vegaEmbed('#' + id, spec, {mode: 'vega-lite', actions: false, renderer: 'svg'})\n"
         "    .then(() => document.getElementById(id).setAttribute('data-rendered', 'yes'))\n"
         "    .catch(error => console.error('chart ' + id + ': ' + error));\n}\n</script>\n"
         "</body>\n</html>\n";
  return out;
}

std::vector<std::map<std::string, std::string>> rows_by_name(
    const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < rows[r].size() && c < rows[0].size(); ++c)
      row[rows[0][c]] = rows[r][c];
    out.push_back(std::move(row));
  }
  return out;
}

// Four significant digits: report tables span 1e-4 (an erodibility) to 1e7 (a plan's cost).
std::string significant(double v) {
  if (!std::isfinite(v)) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

void add_table(Page& page, const std::vector<std::vector<std::string>>& rows) {
  page.add("<div class=\"wide\"><table><tr>");
  for (const auto& h : rows.front()) page.add("<th>" + escape(h) + "</th>");
  page.add("</tr>");
  for (std::size_t r = 1; r < rows.size(); ++r) {
    page.add("<tr>");
    for (const auto& cell : rows[r]) {
      const bool numeric = !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell[0])) ||
                                             cell[0] == '-' || cell[0] == '.');
      page.add(numeric ? "<td class=\"n\">" + significant(std::stod(cell)) + "</td>"
                       : "<td>" + escape(cell) + "</td>");
    }
    page.add("</tr>");
  }
  page.add("</table></div>");
}

}  // namespace minetwin::report
