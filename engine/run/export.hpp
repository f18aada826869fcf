#pragma once
/// @file
/// @brief `minetwin export`: one field of one recorded year as a Cloud-Optimised GeoTIFF.

#include <filesystem>
#include <string>

namespace minetwin {

/// @param layer 1-based soil layer for layer fields (ignored for cell fields).
/// Throws InputError for an unknown field, year or layer (listing what exists).
void export_field(const std::filesystem::path& run_output, const std::string& field, int year,
                  int layer, const std::filesystem::path& target);

}  // namespace minetwin
