#pragma once
/// @file
/// @brief The land-cover look of the 3D outputs (the glTF export and the report's replay): one
/// palette, so a file and the report show a site in the same colours.

#include <array>

namespace minetwin::land_cover {

using Rgb = std::array<float, 3>;  ///< 0-1

inline constexpr Rgb kBare{0.58f, 0.53f, 0.47f};        ///< bare spoil and soil
inline constexpr Rgb kVegetation{0.22f, 0.47f, 0.17f};  ///< full vegetation cover
inline constexpr Rgb kWater{0.16f, 0.38f, 0.62f};       ///< pit lakes

/// Bare ground to vegetation by the cover fraction @p cover (0-1).
constexpr Rgb by_cover(double cover) {
  Rgb out{};
  for (std::size_t k = 0; k < 3; ++k)
    out[k] = static_cast<float>((1 - cover) * kBare[k] + cover * kVegetation[k]);
  return out;
}

}  // namespace minetwin::land_cover
