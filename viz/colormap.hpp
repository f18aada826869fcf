#pragma once
/// @file
/// @brief Colour maps for draped fields (sequential, diverging), shared by the viewer, the
/// headless renderer and report maps.

#include <array>
#include <string_view>

namespace minetwin::viz {

struct Rgb {
  float r, g, b;  ///< 0..1
};

enum class ColormapKind { sequential, diverging };

/// Colour of @p t in [0, 1] (clamped). Sequential: viridis (van der Walt & Smith 2015,
/// matplotlib's default, perceptually uniform, colour-blind safe). Diverging: ColorBrewer
/// RdBu reversed (Harrower & Brewer 2003), blue for loss, red for gain.
Rgb colormap(ColormapKind kind, double t);

}  // namespace minetwin::viz
