#pragma once
// Reads the RGB pixels of a PNG (screenshots, rendered frames) for tests that look at images.

#include <cstdint>
#include <filesystem>
#include <vector>

#include <gdal_priv.h>

#include "engine/io/gdal_raster.hpp"

namespace minetwin::test {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  ///< row-major, 3 bytes a pixel
  const std::uint8_t* at(int x, int y) const {
    return &rgb[3 * (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                     static_cast<std::size_t>(x))];
  }
};

/// The image's first three bands; width 0 when it cannot be read.
inline RgbImage read_rgb(const std::filesystem::path& png) {
  ensure_gdal();
  RgbImage image;
  GDALDataset* file = GDALDataset::Open(png.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  if (file == nullptr || file->GetRasterCount() < 3) {
    if (file != nullptr) GDALClose(GDALDataset::ToHandle(file));
    return image;
  }
  image.width = file->GetRasterXSize();
  image.height = file->GetRasterYSize();
  image.rgb.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) *
                   3);
  for (int b = 0; b < 3; ++b)
    if (file->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, image.width, image.height,
                                             image.rgb.data() + b, image.width, image.height,
                                             GDT_Byte, 3, 3 * image.width) != CE_None)
      image.width = 0;
  GDALClose(GDALDataset::ToHandle(file));
  return image;
}

}  // namespace minetwin::test
