#include "viz/report/map_images.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "viz/colormap.hpp"

namespace minetwin::report {
namespace {

bool record_of(const NetcdfReader& reader, const std::string& variable, int year,
               std::size_t& record) {
  const auto variables = reader.variables();
  if (std::find(variables.begin(), variables.end(), variable) == variables.end()) return false;
  const auto& years = reader.years();
  const auto found = std::find(years.begin(), years.end(), year);
  if (found == years.end()) return false;
  record = static_cast<std::size_t>(found - years.begin());
  return true;
}

std::string hex(const viz::Rgb& c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(c.r * 255 + 0.5),
                static_cast<int>(c.g * 255 + 0.5), static_cast<int>(c.b * 255 + 0.5));
  return buffer;
}

}  // namespace

std::string base64(const std::string& bytes) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kTable[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

void fit_range(MapStyle& style, const std::vector<std::filesystem::path>& state_files,
               const std::vector<int>& years) {
  if (style.categorical) return;
  std::vector<double> values;
  for (const auto& file : state_files) {
    const NetcdfReader reader(file);
    for (int year : years) {
      std::size_t record = 0;
      if (!record_of(reader, style.variable, year, record)) continue;
      for (double v : reader.read(style.variable, record, style.layer))
        if (v != kFillValue && std::isfinite(v)) values.push_back(v);
    }
  }
  if (values.empty()) return;
  const viz::ColourRange range = viz::robust_range(std::move(values));
  style.low = range.low;
  style.high = range.high;
}

std::string map_png_base64(const std::filesystem::path& state_nc, const MapStyle& style, int year) {
  const NetcdfReader reader(state_nc);
  std::size_t record = 0;
  if (!record_of(reader, style.variable, year, record)) return "";
  const auto values = reader.read(style.variable, record, style.layer);
  const std::size_t width = reader.geometry().columns, height = reader.geometry().rows;
  std::vector<std::uint8_t> rgba(width * height * 4, 0);
  for (std::size_t c = 0; c < values.size(); ++c) {
    const double v = values[c];
    if (v == kFillValue || !std::isfinite(v)) continue;  // transparent outside the site
    std::uint8_t* px = &rgba[4 * c];
    const viz::Rgb colour = style.categorical
                                ? viz::hazard_class_colour(std::lround(v))
                                : viz::colormap(viz::ColormapKind::sequential,
                                                (v - style.low) / (style.high - style.low));
    px[0] = static_cast<std::uint8_t>(colour.r * 255 + 0.5f);
    px[1] = static_cast<std::uint8_t>(colour.g * 255 + 0.5f);
    px[2] = static_cast<std::uint8_t>(colour.b * 255 + 0.5f);
    px[3] = 255;
  }
  return base64(encode_png(width, height, rgba));
}

std::string legend_html(const MapStyle& style) {
  if (style.categorical) {
    static const char* names[4] = {"none", "low", "medium", "high"};
    std::string html = "<div class=\"legend\">";
    for (int k = 0; k < 4; ++k)
      html += "<span class=\"swatch\" style=\"background:" + hex(viz::hazard_class_colour(k)) +
              "\"></span>" + names[k] + " ";
    return html + "</div>";
  }
  std::string stops;
  for (int k = 0; k <= 10; ++k)
    stops += (k ? "," : "") + hex(viz::colormap(viz::ColormapKind::sequential, k / 10.0));
  return "<div class=\"legend\"><span>" + format_number(std::round(style.low * 1000) / 1000) +
         "</span><span class=\"gradient\" style=\"background:linear-gradient(to right," + stops +
         ")\"></span><span>" + format_number(std::round(style.high * 1000) / 1000) + " " +
         style.units + "</span></div>";
}

}  // namespace minetwin::report
