#pragma once
/// @file
/// @brief 2D maps of recorded fields for reports: a field of a year of state.nc as a PNG
/// (viridis, or the hazard classes' colours), with the range shared by the maps it is
/// compared with.

#include <filesystem>
#include <string>
#include <vector>

namespace minetwin::report {

/// How a field is coloured.
struct MapStyle {
  std::string variable;
  std::size_t layer = 0;
  std::string title;  ///< "Vegetation cover"
  std::string units;
  bool categorical = false;  ///< hazard classes 0..3
  double low = 0, high = 1;  ///< colour range (continuous)
};

/// The colour range of a continuous field over several runs and years: 2nd to 98th percentile
/// of the valid values (so a few extreme cells do not wash the map out).
void fit_range(MapStyle& style, const std::vector<std::filesystem::path>& state_files,
               const std::vector<int>& years);

/// The map of @p style in @p year (the state on 1 January) of @p state_nc, as base64 PNG;
/// empty when the file does not record that variable or year.
std::string map_png_base64(const std::filesystem::path& state_nc, const MapStyle& style, int year);

/// The CSS colour of the legend's gradient (continuous) or swatches (categorical).
std::string legend_html(const MapStyle& style);

std::string base64(const std::string& bytes);

}  // namespace minetwin::report
