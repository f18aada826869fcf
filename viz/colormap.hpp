#pragma once
/// @file
/// @brief Colour maps for draped fields (sequential, diverging), shared by the viewer, the
/// headless renderer and report maps.

#include <array>
#include <string_view>
#include <vector>

namespace minetwin::viz {

struct Rgb {
  float r, g, b;  ///< 0..1
};

enum class ColormapKind { sequential, diverging };

/// Colour of @p t in [0, 1] (clamped). Sequential: viridis (van der Walt & Smith 2015,
/// matplotlib's default, perceptually uniform, colour-blind safe). Diverging: ColorBrewer
/// RdBu reversed (Harrower & Brewer 2003), blue for loss, red for gain.
Rgb colormap(ColormapKind kind, double t);

/// Colour of a hazard class 0..3 (none, low, medium, high), after the Swiss hazard maps
/// (Raetzo et al. 2002): light grey, yellow, orange, red.
Rgb hazard_class_colour(long hazard_class);

/// A colour range that a few extreme cells do not wash out: the 2nd and 98th percentiles of
/// @p values (finite values only). {0, 1} when there are none; high > low always.
struct ColourRange {
  double low = 0, high = 1;
};
ColourRange robust_range(std::vector<double> values);

}  // namespace minetwin::viz
