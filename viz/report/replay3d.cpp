// The report's 3D replay: every recorded year's terrain, trees, zones and fields, quantised and
// embedded (or in script files beside the report: --assets), drawn by the viewer module
// assets/js/replay3d_viewer.js with three.js (vendored, inline as a data: module: the report
// stays one file that opens offline).
#include "viz/report/replay3d.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/land_cover_colours.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "viz/colormap.hpp"
#include "viz/report/map_images.hpp"
#include "viz/report/run_outputs.hpp"
#include "viz/report/vega_specs.hpp"

namespace minetwin::report {
namespace {

constexpr const char* kElevation = "topographic__elevation";

// The land-cover palette's colour as a JSON array (the glTF export's colours, shared).
std::string rgb_json(const land_cover::Rgb& rgb) {
  return "[" + format_number(rgb[0]) + "," + format_number(rgb[1]) + "," + format_number(rgb[2]) +
         "]";
}

}  // namespace

std::vector<std::pair<std::filesystem::path, std::string>> replay_section(
    Page& page, const std::vector<RunOutputs>& runs, const ReplayAssets& assets) {
  // Every run's elevation, cover and lakes of every recorded year, sampled every k-th cell.
  std::vector<std::unique_ptr<NetcdfReader>> readers;
  for (const auto& run : runs) {
    readers.push_back(std::make_unique<NetcdfReader>(run.folder / "state.nc"));
    const auto names = readers.back()->variables();
    if (std::find(names.begin(), names.end(), kElevation) == names.end())
      throw InputError((run.folder / "state.nc").string(), 0, 0,
                       "the 3D replay needs topographic__elevation, which this run did not record "
                       "(outputs.fields)");
  }
  const GridGeometry& g = readers.front()->geometry();
  for (std::size_t r = 1; r < runs.size(); ++r) {
    const GridGeometry& other = readers[r]->geometry();
    if (other.columns != g.columns || other.rows != g.rows || other.cell_size_m != g.cell_size_m ||
        other.west_m != g.west_m || other.north_m != g.north_m)
      throw InputError(runs[r].folder.string(), 0, 0,
                       "a comparison needs runs on one grid: " + runs[r].name + " is " +
                           std::to_string(other.columns) + " x " + std::to_string(other.rows) +
                           " cells of " + format_number(other.cell_size_m) + " m, " +
                           runs.front().name + " " + std::to_string(g.columns) + " x " +
                           std::to_string(g.rows) + " of " + format_number(g.cell_size_m) + " m");
  }
  const std::vector<int> years = readers.front()->years();
  const std::size_t stride = std::max<std::size_t>(
      1, (std::max(g.columns, g.rows) - 1 + kReplayMaxSide - 2) / (kReplayMaxSide - 1));
  const std::size_t nx = (g.columns - 1) / stride + 1, ny = (g.rows - 1) / stride + 1;
  auto sample = [&](std::size_t s) { return (s / nx) * stride * g.columns + (s % nx) * stride; };

  double zmin = std::numeric_limits<double>::infinity(), zmax = -zmin;
  std::vector<std::vector<std::vector<double>>> elevation(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto& run_years = readers[r]->years();
    for (int year : years) {
      const auto found = std::find(run_years.begin(), run_years.end(), year);
      std::vector<double> z(nx * ny, kFillValue);
      if (found != run_years.end()) {
        const auto values =
            readers[r]->read(kElevation, static_cast<std::size_t>(found - run_years.begin()));
        for (std::size_t s = 0; s < z.size(); ++s) z[s] = values[sample(s)];
      }
      for (double v : z)
        if (v != kFillValue) {
          zmin = std::min(zmin, v);
          zmax = std::max(zmax, v);
        }
      elevation[r].push_back(std::move(z));
    }
  }
  if (!std::isfinite(zmin)) zmin = zmax = 0;
  if (zmax <= zmin) zmax = zmin + 1;

  // Trees: one site every kTreeSpacing samples each way; each recorded year a site holds the
  // stem carbon (kg C m-2) of its cell, quantised to a byte over [0, the runs' largest].
  constexpr std::size_t kTreeSpacing = 4;
  const std::size_t tree_nx = (nx + kTreeSpacing - 1) / kTreeSpacing,
                    tree_ny = (ny + kTreeSpacing - 1) / kTreeSpacing;
  auto tree_sample = [&](std::size_t t) {
    return (t / tree_nx) * kTreeSpacing * nx + (t % tree_nx) * kTreeSpacing;
  };
  constexpr const char* kStem = "vegetation__woody_stem_carbon";
  std::vector<std::vector<std::vector<double>>> stem(runs.size());
  double stem_max = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto names = readers[r]->variables();
    const bool recorded = std::find(names.begin(), names.end(), kStem) != names.end();
    const auto& run_years = readers[r]->years();
    for (int year : years) {
      std::vector<double> carbon(tree_nx * tree_ny, 0.0);
      const auto found = std::find(run_years.begin(), run_years.end(), year);
      if (recorded && found != run_years.end()) {
        const auto values =
            readers[r]->read(kStem, readers[r]->time_varying(kStem)
                                        ? static_cast<std::size_t>(found - run_years.begin())
                                        : 0);
        for (std::size_t t = 0; t < carbon.size(); ++t) {
          const double v = values[sample(tree_sample(t))];
          carbon[t] = v != kFillValue && v > 0 ? v : 0.0;
          stem_max = std::max(stem_max, carbon[t]);
        }
      }
      stem[r].push_back(std::move(carbon));
    }
  }

  // Fields the terrain can be coloured by instead of the land-cover look (those the first run
  // recorded): viridis over the 2nd-98th percentile of every run's recorded years, as the maps.
  std::vector<MapStyle> fields;
  {
    const auto names = readers.front()->variables();
    std::vector<std::filesystem::path> files;
    for (const auto& run : runs) files.push_back(run.folder / "state.nc");
    for (MapStyle style : std::vector<MapStyle>{
             {"soil_cd__total_concentration", 0, "Cd in the top layer", "mg/kg", false, 0, 1},
             {"soil__ph", 0, "pH of the top layer", "", false, 0, 1},
             {"erosion__soil_loss", 0, "Soil loss in the year", "kg/m²", false, 0, 1},
             {"vegetation__annual_npp", 0, "Net primary production (C)", "kg/m²", false, 0, 1}}) {
      if (std::find(names.begin(), names.end(), style.variable) == names.end()) continue;
      fit_range(style, files, years);
      fields.push_back(style);
    }
  }
  std::string palette;
  for (int k = 0; k <= 10; ++k) {
    const viz::Rgb c = viz::colormap(viz::ColormapKind::sequential, k / 10.0);
    palette += std::string(k ? "," : "") + "[" + format_number(c.r) + "," + format_number(c.g) +
               "," + format_number(c.b) + "]";
  }

  std::string json =
      "{\"nx\":" + std::to_string(nx) + ",\"ny\":" + std::to_string(ny) +
      ",\"dx\":" + format_number(g.cell_size_m * static_cast<double>(stride)) +
      ",\"zmin\":" + format_number(zmin) + ",\"zmax\":" + format_number(zmax) +
      ",\"palette\":{\"bare\":" + rgb_json(land_cover::kBare) +
      ",\"vegetation\":" + rgb_json(land_cover::kVegetation) +
      ",\"water\":" + rgb_json(land_cover::kWater) + "}" +
      ",\"trees\":{\"nx\":" + std::to_string(tree_nx) + ",\"ny\":" + std::to_string(tree_ny) +
      ",\"spacing\":" + std::to_string(kTreeSpacing) + ",\"stem_max\":" + format_number(stem_max) +
      "},\"fields\":" + std::to_string(fields.size()) + ",\"viridis\":[" + palette +
      "],\"years\":[";
  for (std::size_t k = 0; k < years.size(); ++k) json += (k ? "," : "") + std::to_string(years[k]);
  json += "],\"runs\":[";
  std::vector<std::string> encoded, run_json;  // per run: its data (base64) and its JSON
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto names = readers[r]->variables();
    auto has = [&](const char* name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    const auto& run_years = readers[r]->years();
    std::string bytes;
    for (const auto& z : elevation[r])
      for (double v : z) {
        const auto q = static_cast<std::uint16_t>(
            v == kFillValue ? 0 : std::lround((v - zmin) / (zmax - zmin) * 65535.0));
        bytes.append(reinterpret_cast<const char*>(&q), 2);
      }
    for (std::size_t k = 0; k < years.size(); ++k) {
      const auto found = std::find(run_years.begin(), run_years.end(), years[k]);
      const auto record = static_cast<std::size_t>(found - run_years.begin());
      std::vector<double> cover, lake;
      if (found != run_years.end() && has("vegetation__cover_fraction"))
        cover =
            readers[r]->read("vegetation__cover_fraction",
                             readers[r]->time_varying("vegetation__cover_fraction") ? record : 0);
      if (found != run_years.end() && has("pit_lake__volume"))
        lake = readers[r]->read("pit_lake__volume", record);
      for (std::size_t s = 0; s < nx * ny; ++s) {
        const std::size_t c = sample(s);
        std::uint8_t code = 0;
        if (elevation[r][k][s] == kFillValue)
          code = 254;
        else if (!lake.empty() && lake[c] != kFillValue && lake[c] > 0)
          code = 255;
        else if (!cover.empty() && cover[c] != kFillValue)
          code = static_cast<std::uint8_t>(std::lround(std::clamp(cover[c], 0.0, 1.0) * 250));
        bytes.push_back(static_cast<char>(code));
      }
    }
    for (const auto& carbon : stem[r])
      for (double v : carbon) {
        // Any stem carbon draws a tree (at least 1 of 255): a young stand is shown, not rounded
        // away.
        const long q = v > 0 ? std::max(1L, std::lround(v / stem_max * 255.0)) : 0L;
        bytes.push_back(static_cast<char>(static_cast<std::uint8_t>(q)));
      }
    // Each field: a byte per sample and recorded year over its colour range (255: no value).
    for (const MapStyle& style : fields) {
      const bool recorded = has(style.variable.c_str());
      for (int year : years) {
        const auto found = std::find(run_years.begin(), run_years.end(), year);
        std::vector<double> values;
        if (recorded && found != run_years.end())
          values = readers[r]->read(style.variable,
                                    readers[r]->time_varying(style.variable)
                                        ? static_cast<std::size_t>(found - run_years.begin())
                                        : 0,
                                    style.layer);
        for (std::size_t s = 0; s < nx * ny; ++s) {
          const double v = values.empty() ? kFillValue : values[sample(s)];
          const bool valid = v != kFillValue && std::isfinite(v);
          const double t = (v - style.low) / (style.high - style.low);
          bytes.push_back(static_cast<char>(
              valid ? static_cast<std::uint8_t>(std::lround(std::clamp(t, 0.0, 1.0) * 254.0))
                    : std::uint8_t{255}));
        }
      }
    }
    // Zones: zone__id per sample (255: none), their names and where each name goes.
    std::string zone_json = "null";
    if (has("zone__id") && !runs[r].zone_names.empty()) {
      const auto ids = readers[r]->read("zone__id", 0);
      std::string zone_bytes;
      for (std::size_t s = 0; s < nx * ny; ++s) {
        const double id = ids[sample(s)];
        const bool named = id >= 0 && id < static_cast<double>(runs[r].zone_names.size());
        zone_bytes.push_back(static_cast<char>(named ? static_cast<std::uint8_t>(id) : 255));
      }
      zone_json = "{\"ids\":\"" + base64(zone_bytes) + "\",\"names\":[";
      const auto label_cells = zone_label_cells(ids, g.columns, runs[r].zone_names.size());
      std::string labels;
      for (std::size_t z = 0; z < runs[r].zone_names.size(); ++z) {
        zone_json += (z ? "," : "") + json_string(runs[r].zone_names[z]);
        const std::size_t cell = label_cells[z];
        const long at = cell == static_cast<std::size_t>(-1)
                            ? -1L
                            : static_cast<long>(
                                  std::min(ny - 1, (cell / g.columns + stride / 2) / stride) * nx +
                                  std::min(nx - 1, (cell % g.columns + stride / 2) / stride));
        labels += (z ? "," : "") + std::to_string(at);
      }
      zone_json += "],\"labels\":[" + labels + "]}";
    }
    encoded.push_back(base64(bytes));
    run_json.push_back("{\"name\":" + json_string(runs[r].name) + ",\"zones\":" + zone_json);
  }
  // The data inline, or in one script file per run (window.minetwinReplayAssets[r]).
  std::size_t total = 0;
  for (const auto& e : encoded) total += e.size();
  std::filesystem::path folder = assets.folder;
  // Test hook: MINETWIN_REPLAY_INLINE_LIMIT_BYTES lowers the limit, so the tests reach the
  // automatic assets folder with a small run.
  std::size_t limit = kReplayInlineLimit;
  if (const char* bytes = std::getenv("MINETWIN_REPLAY_INLINE_LIMIT_BYTES"))
    limit = static_cast<std::size_t>(std::strtoull(bytes, nullptr, 10));
  if (folder.empty() && total > limit)
    folder = assets.report.parent_path() / (assets.report.stem().string() + "_assets");
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  std::string asset_scripts;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (folder.empty()) {
      json += (r ? "," : "") + run_json[r] + ",\"data\":\"" + encoded[r] + "\"}";
      continue;
    }
    const std::string name = "replay-" + std::to_string(r) + ".js";
    // The path from the report's folder (the report and its assets move together).
    const std::string source = (std::filesystem::absolute(folder).lexically_proximate(
                                    std::filesystem::absolute(assets.report).parent_path()) /
                                name)
                                   .generic_string();
    json += (r ? "," : "") + run_json[r] + ",\"asset\":" + json_string(source) + "}";
    files.emplace_back(folder / name,
                       "(window.minetwinReplayAssets = window.minetwinReplayAssets "
                       "|| [])[" +
                           std::to_string(r) + "] = \"" + encoded[r] + "\";\n");
    asset_scripts += "<script src=\"" + escape(source) + "\"></script>";
  }
  json += "]}";
  // Inside <script>: a name must not close it.
  for (std::size_t at = 0; (at = json.find("</", at)) != std::string::npos; at += 3)
    json.replace(at, 2, "<\\/");

  page.add(
      "<section id=\"replay3d\"><h2>3D replay</h2><p class=\"note\">The terrain of every "
      "recorded year (" +
      std::to_string(years.front()) + "–" + std::to_string(years.back()) +
      "): bare ground to vegetation by the cover fraction, water where pit lakes stand, shrubs "
      "and trees (one every " +
      std::to_string(kTreeSpacing) +
      " drawn cells) sized by the square root of their stem carbon; the zones' outlines and "
      "names; or the colours of a field (the colour list). Drag to "
      "turn the site, scroll to zoom; the slider moves through the years (between recorded "
      "years the heights and colours are interpolated; while the years play or the site turns, "
      "a coarser mesh is drawn)" +
      (stride > 1 ? "; every " + std::to_string(stride) + "th cell is drawn" : std::string()) +
      (runs.size() > 1 ? "; the two views turn together" : std::string()) +
      ".</p><p class=\"note replay-status\"></p><div class=\"replay-controls\"><button "
      "id=\"replay-play\" type=\"button\">Play</button> <input id=\"replay-year\" type=\"range\" "
      "style=\"width:480px\" "
      "min=\"0\" max=\"" +
      std::to_string(years.size() - 1) +
      "\" step=\"0.01\" value=\"0\" aria-label=\"year\"> <span id=\"replay-label\">" +
      std::to_string(years.front()) +
      "</span> <label><input id=\"replay-zones\" type=\"checkbox\" checked> zones</label> "
      "<label>colour <select id=\"replay-colour\"><option value=\"-1\">land cover</option>");
  for (std::size_t f = 0; f < fields.size(); ++f)
    page.add("<option value=\"" + std::to_string(f) + "\">" + escape(fields[f].title) +
             "</option>");
  page.add("</select></label>");
  for (std::size_t f = 0; f < fields.size(); ++f)
    page.add("<span class=\"replay-legend\" data-field=\"" + std::to_string(f) +
             "\" style=\"display:none\">" + legend_html(fields[f]) + "</span>");
  page.add("</div><div class=\"replay-views\">");
  for (std::size_t r = 0; r < runs.size(); ++r)
    page.add("<figure style=\"position:relative\"><canvas id=\"replay-canvas-" + std::to_string(r) +
             "\" style=\"width:" + (runs.size() > 1 ? "480" : "960") +
             "px;height:540px\"></canvas><div class=\"replay-labels\" style=\"position:absolute;"
             "left:0;top:0;pointer-events:none\"></div><figcaption>" +
             escape(runs[r].name) + "</figcaption></figure>");
  page.add("</div>" + asset_scripts + "<script type=\"application/json\" id=\"replay-data\">" +
           json +
           "</script><script type=\"importmap\">{\"imports\":{\"three\":\"data:text/"
           "javascript;base64," +
           base64(vendored_js("three.module.min.js")) + "\"}}</script><script type=\"module\">" +
           vendored_js("replay3d_viewer.js") + "</script></section>");
  return files;
}

}  // namespace minetwin::report
