#pragma once
// The loaders read files (and resolve paths beside them), so each fuzz input is written to a
// file of this process in a scratch folder of its own.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace minetwin::fuzz {

/// Writes @p data to FILE_NAME in this process's scratch folder and returns its path.
inline const std::filesystem::path& write_input(const std::string& file_name,
                                                const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path file = [&file_name] {
    const auto dir =
        std::filesystem::temp_directory_path() / ("minetwin_fuzz_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / file_name;
  }();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return file;
}

}  // namespace minetwin::fuzz
