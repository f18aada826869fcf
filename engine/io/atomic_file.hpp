#pragma once
/// @file
/// @brief Atomic output files: write to a temporary sibling, then rename over the target, so a
/// killed run never leaves a truncated file that looks finished (design brief, Outputs).

#include <filesystem>
#include <string_view>

namespace minetwin {

/// A temporary name beside @p target (same directory, so the rename is atomic).
std::filesystem::path temporary_sibling(const std::filesystem::path& target);

/// Renames @p temporary to @p target. With @p sync (outputs) the data is flushed to disk
/// first, so even a power cut leaves the old or the whole new file; checkpoints skip the flush:
/// a killed process cannot tear a rename, and they are rewritten every year.
void commit_file(const std::filesystem::path& temporary, const std::filesystem::path& target,
                 bool sync = true);

/// Writes @p content to @p target atomically.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

}  // namespace minetwin
