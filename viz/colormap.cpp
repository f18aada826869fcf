#include "viz/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin::viz {
namespace {

// Control points sampled from the published maps at equal steps; linear between them.
constexpr std::array<Rgb, 9> kViridis = {{{0.267f, 0.005f, 0.329f},
                                          {0.278f, 0.175f, 0.483f},
                                          {0.229f, 0.322f, 0.546f},
                                          {0.173f, 0.449f, 0.558f},
                                          {0.128f, 0.567f, 0.551f},
                                          {0.157f, 0.684f, 0.502f},
                                          {0.369f, 0.789f, 0.383f},
                                          {0.678f, 0.864f, 0.189f},
                                          {0.993f, 0.906f, 0.144f}}};
constexpr std::array<Rgb, 9> kRdBu = {{{0.020f, 0.188f, 0.380f},
                                       {0.129f, 0.400f, 0.675f},
                                       {0.263f, 0.576f, 0.765f},
                                       {0.573f, 0.773f, 0.871f},
                                       {0.969f, 0.969f, 0.969f},
                                       {0.957f, 0.647f, 0.510f},
                                       {0.839f, 0.376f, 0.302f},
                                       {0.698f, 0.094f, 0.169f},
                                       {0.404f, 0.000f, 0.122f}}};

}  // namespace

Rgb colormap(ColormapKind kind, double t) {
  const auto& table = kind == ColormapKind::sequential ? kViridis : kRdBu;
  const double x =
      std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * static_cast<double>(table.size() - 1);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(x), table.size() - 2);
  const auto f = static_cast<float>(x - static_cast<double>(i));
  const Rgb& a = table[i];
  const Rgb& b = table[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

Rgb hazard_class_colour(long hazard_class) {
  static constexpr Rgb kClasses[4] = {
      {0.922f, 0.922f, 0.922f}, {1.0f, 0.867f, 0.0f}, {1.0f, 0.549f, 0.0f}, {0.839f, 0.0f, 0.0f}};
  return kClasses[std::clamp(hazard_class, 0L, 3L)];
}

ColourRange robust_range(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  ColourRange range;
  if (values.empty()) return range;
  std::sort(values.begin(), values.end());
  const double last = static_cast<double>(values.size() - 1);
  range.low = values[static_cast<std::size_t>(0.02 * last)];
  range.high = values[static_cast<std::size_t>(0.98 * last)];
  if (!(range.high > range.low)) range.high = range.low + 1;
  return range;
}

}  // namespace minetwin::viz
