#include "engine/run/checkpoint.hpp"

#include <fstream>
#include <stdexcept>

#include "engine/io/atomic_file.hpp"

namespace minetwin {
namespace {

constexpr char kMagic[8] = {'M', 'T', 'W', 'C', 'K', 'P', 'T', '1'};

template <class T>
void put(std::ofstream& out, const T& value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}
void put_text(std::ofstream& out, const std::string& text) {
  put<std::uint64_t>(out, text.size());
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}
template <class T>
T get(std::ifstream& in) {
  T value{};
  in.read(reinterpret_cast<char*>(&value), sizeof value);
  if (!in) throw std::runtime_error("checkpoint is truncated");
  return value;
}
std::string get_text(std::ifstream& in) {
  const auto size = get<std::uint64_t>(in);
  if (size > (1ULL << 34)) throw std::runtime_error("checkpoint is damaged");
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) throw std::runtime_error("checkpoint is truncated");
  return text;
}

}  // namespace

std::uint64_t fingerprint(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

void write_checkpoint(const std::filesystem::path& file, const CheckpointHeader& header,
                      const State& state, const std::vector<std::string>& names) {
  const auto temporary = temporary_sibling(file);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(kMagic, sizeof kMagic);
    put(out, header.scenario_hash);
    put(out, header.completed_years);
    put(out, header.records);
    put_text(out, header.summary_rows);
    put<std::uint64_t>(out, names.size());
    for (const auto& name : names) {
      put_text(out, name);
      const auto bytes = state.at(name).bytes();
      put<std::uint64_t>(out, bytes.size());
      out.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
    }
    if (!out) throw std::runtime_error("cannot write checkpoint " + temporary.string());
  }
  commit_file(temporary, file, /*sync=*/false);
}

bool read_checkpoint(const std::filesystem::path& file, CheckpointHeader& header, State& state) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  char magic[sizeof kMagic];
  in.read(magic, sizeof magic);
  if (!in || !std::equal(magic, magic + sizeof magic, kMagic)) {
    throw std::runtime_error("not a MineTwin checkpoint: " + file.string());
  }
  header.scenario_hash = get<std::uint64_t>(in);
  header.completed_years = get<std::int32_t>(in);
  header.records = get<std::uint64_t>(in);
  header.summary_rows = get_text(in);
  const auto count = get<std::uint64_t>(in);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string name = get_text(in);
    const auto size = get<std::uint64_t>(in);
    if (!state.contains(name) || state.at(name).bytes().size() != size) {
      throw std::runtime_error("checkpoint field '" + name + "' does not fit this run's State");
    }
    auto bytes = state.at(name).bytes();
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!in) throw std::runtime_error("checkpoint is truncated");
  }
  return true;
}

}  // namespace minetwin
