#include "engine/sweep/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "engine/run/checkpoint.hpp"

namespace minetwin::sweep {
namespace {

constexpr char kMagic[8] = {'M', 'T', 'S', 'W', 'E', 'E', 'P', '1'};
constexpr std::size_t kHeaderSize = sizeof(kMagic) + sizeof(std::uint64_t);

std::uint64_t checksum(const std::string& bytes) {
  return fingerprint(bytes);
}

// Scans one journal: calls @p found(offset, bytes) for each whole record; returns the offset
// after the last whole record (0 when the file is not a journal of this sweep).
template <class Found>
std::uint64_t scan_file(const std::filesystem::path& file, std::uint64_t sweep, Found found) {
  std::ifstream in(file, std::ios::binary);
  char magic[sizeof(kMagic)];
  std::uint64_t stored = 0;
  if (!in.read(magic, sizeof(magic)) || std::memcmp(magic, kMagic, sizeof(kMagic)) != 0 ||
      !in.read(reinterpret_cast<char*>(&stored), sizeof(stored)) || stored != sweep) {
    return 0;
  }
  std::uint64_t end = kHeaderSize;
  for (;;) {
    std::uint64_t size = 0, sum = 0;
    if (!in.read(reinterpret_cast<char*>(&size), sizeof(size))) break;
    if (size > (std::uint64_t{1} << 40)) break;
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) break;
    if (!in.read(reinterpret_cast<char*>(&sum), sizeof(sum)) || sum != checksum(bytes)) break;
    found(end + sizeof(size), bytes);
    end += sizeof(size) + size + sizeof(sum);
  }
  return end;
}

std::filesystem::path journal_file(const std::filesystem::path& folder, int rank) {
  return folder / ("journal-" + std::to_string(rank) + ".bin");
}

}  // namespace

std::map<std::size_t, JournalPlace> scan_journals(const std::filesystem::path& folder,
                                                  std::uint64_t fingerprint_of_sweep,
                                                  std::size_t (*index_of)(const std::string&)) {
  std::map<std::size_t, JournalPlace> places;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return places;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("journal-", 0) == 0 && entry.path().extension() == ".bin")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    scan_file(file, fingerprint_of_sweep, [&](std::uint64_t offset, const std::string& bytes) {
      places.emplace(index_of(bytes), JournalPlace{file, offset, bytes.size()});
    });
  }
  return places;
}

bool holds_other_journal(const std::filesystem::path& folder, std::uint64_t fingerprint_of_sweep) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return false;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    char magic[sizeof(kMagic)];
    std::uint64_t stored = 0;
    if (in.read(magic, sizeof(magic)) && std::memcmp(magic, kMagic, sizeof(kMagic)) == 0 &&
        in.read(reinterpret_cast<char*>(&stored), sizeof(stored)) && stored != fingerprint_of_sweep)
      return true;
  }
  return false;
}

std::string read_journal_record(const JournalPlace& place) {
  std::ifstream in(place.file, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(place.offset));
  std::string bytes(place.size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(place.size)))
    throw std::runtime_error("cannot read the sweep journal " + place.file.string());
  return bytes;
}

JournalWriter::JournalWriter(const std::filesystem::path& folder, int rank,
                             std::uint64_t fingerprint_of_sweep) {
  const std::filesystem::path file = journal_file(folder, rank);
  const std::uint64_t end =
      scan_file(file, fingerprint_of_sweep, [](std::uint64_t, const std::string&) {});
  descriptor_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor_ < 0) throw std::runtime_error("cannot write the sweep journal " + file.string());
  if (end == 0) {  // new, or another sweep's: start it afresh
    std::string header(kMagic, sizeof(kMagic));
    header.append(reinterpret_cast<const char*>(&fingerprint_of_sweep), sizeof(std::uint64_t));
    if (::ftruncate(descriptor_, 0) != 0 || ::pwrite(descriptor_, header.data(), header.size(),
                                                     0) != static_cast<ssize_t>(header.size()))
      throw std::runtime_error("cannot write the sweep journal " + file.string());
  } else if (::ftruncate(descriptor_, static_cast<off_t>(end)) != 0) {
    throw std::runtime_error("cannot cut the sweep journal back " + file.string());
  }
  ::lseek(descriptor_, 0, SEEK_END);
}

JournalWriter::~JournalWriter() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

std::size_t JournalWriter::append(const std::string& bytes) {
  std::string record;
  const std::uint64_t size = bytes.size(), sum = checksum(bytes);
  record.append(reinterpret_cast<const char*>(&size), sizeof(size));
  record += bytes;
  record.append(reinterpret_cast<const char*>(&sum), sizeof(sum));
  std::lock_guard lock(mutex_);
  const char* data = record.data();
  std::size_t left = record.size();
  while (left > 0) {
    const ssize_t written = ::write(descriptor_, data, left);
    if (written <= 0) throw std::runtime_error("cannot append to the sweep journal");
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return ++appended_;
}

}  // namespace minetwin::sweep
