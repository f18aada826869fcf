#include "engine/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace minetwin {

std::filesystem::path temporary_sibling(const std::filesystem::path& target) {
  return target.parent_path() /
         ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

void commit_file(const std::filesystem::path& temporary, const std::filesystem::path& target,
                 bool sync) {
  // fsync before rename: after a crash the target holds either the old or the whole new file.
  const int fd = sync ? ::open(temporary.c_str(), O_RDONLY) : -1;
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(temporary, target);
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  const auto temporary = temporary_sibling(target);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("write failed: " + temporary.string());
  }
  commit_file(temporary, target);
}

}  // namespace minetwin
