#include "engine/run/checkpoint.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "engine/core/errors.hpp"
#include "engine/io/atomic_file.hpp"

namespace minetwin {
namespace {

// Version 2 adds the components' carry-over and the body's checksum; version 3's raw record file
// holds the values in state.nc's types (float32 where outputs.precision says so); version 4's
// holds state.nc's compressed chunks (recorder.hpp); version 5 adds the records' origin year.
constexpr char kMagic[8] = {'M', 'T', 'W', 'C', 'K', 'P', 'T', '5'};
constexpr char kMagicVersion1[8] = {'M', 'T', 'W', 'C', 'K', 'P', 'T', '1'};
constexpr char kMagicVersion2[8] = {'M', 'T', 'W', 'C', 'K', 'P', 'T', '2'};
constexpr char kMagicVersion3[8] = {'M', 'T', 'W', 'C', 'K', 'P', 'T', '3'};
constexpr char kMagicVersion4[8] = {'M', 'T', 'W', 'C', 'K', 'P', 'T', '4'};

// A checksum of the body, eight bytes at a time (FNV-1a's step on 64-bit words: a damaged or
// shuffled byte changes it; not security). Bytes arrive in pieces of any size.
class Checksum {
 public:
  void add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    while (size > 0 && pending_ > 0) {
      word_[pending_++] = *bytes++;
      --size;
      if (pending_ == 8) mix_word();
    }
    for (; size >= 8; size -= 8, bytes += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes, 8);
      mix(word);
    }
    while (size-- > 0) word_[pending_++] = *bytes++;
  }
  std::uint64_t value() {
    if (pending_ > 0) {
      std::fill(word_.begin() + static_cast<std::ptrdiff_t>(pending_), word_.end(), 0);
      mix_word();
    }
    return hash_;
  }

 private:
  void mix(std::uint64_t word) {
    hash_ ^= word;
    hash_ *= 1099511628211ULL;
    hash_ ^= hash_ >> 29;  // fold the high bits down: a plain FNV step on words loses them
  }
  void mix_word() {
    std::uint64_t word;
    std::memcpy(&word, word_.data(), 8);
    mix(word);
    pending_ = 0;
  }
  std::uint64_t hash_ = 1469598103934665603ULL;
  std::array<unsigned char, 8> word_{};
  std::size_t pending_ = 0;
};

class BodyWriter {
 public:
  explicit BodyWriter(std::ofstream& out) : out_(out) {}
  void bytes(const void* data, std::size_t size) {
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    checksum_.add(data, size);
  }
  template <class T>
  void put(const T& value) {
    bytes(&value, sizeof value);
  }
  void text(const std::string& value) {
    put<std::uint64_t>(value.size());
    bytes(value.data(), value.size());
  }
  std::uint64_t checksum() { return checksum_.value(); }

 private:
  std::ofstream& out_;
  Checksum checksum_;
};

class BodyReader {
 public:
  BodyReader(std::ifstream& in, const std::filesystem::path& file, std::uint64_t end)
      : in_(in), file_(file), end_(end) {}
  void bytes(void* data, std::uint64_t size) {
    if (size > end_ - position()) damaged("it ends early");
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
    if (!in_) damaged("it ends early");
  }
  template <class T>
  T get() {
    T value{};
    bytes(&value, sizeof value);
    return value;
  }
  std::string text() {
    const auto size = get<std::uint64_t>();
    if (size > end_ - position()) damaged("a length runs past its end");
    std::string value(static_cast<std::size_t>(size), '\0');
    bytes(value.data(), size);
    return value;
  }
  std::uint64_t position() { return static_cast<std::uint64_t>(in_.tellg()); }
  [[noreturn]] void damaged(const std::string& why) const {
    throw InputError(file_.string(), 0, 0,
                     "the checkpoint is damaged (" + why +
                         "); run again without --resume to start the run afresh");
  }

 private:
  std::ifstream& in_;
  const std::filesystem::path& file_;
  std::uint64_t end_;
};

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
    BodyWriter body(out);
    body.put(header.scenario_hash);
    body.put(header.completed_years);
    body.put(header.records);
    body.put(header.record_origin_years);
    body.text(header.summary_rows);
    body.put<std::uint64_t>(names.size());
    for (const auto& name : names) {
      body.text(name);
      const auto bytes = state.at(name).bytes();
      body.put<std::uint64_t>(bytes.size());
      body.bytes(bytes.data(), bytes.size());
    }
    body.put<std::uint64_t>(header.carry_over.size());
    for (const auto& [component, bytes] : header.carry_over) {
      body.text(component);
      body.put<std::uint64_t>(bytes.size());
      body.bytes(bytes.data(), bytes.size());
    }
    const std::uint64_t checksum = body.checksum();
    out.write(reinterpret_cast<const char*>(&checksum), sizeof checksum);
    if (!out) throw std::runtime_error("cannot write checkpoint " + temporary.string());
  }
  commit_file(temporary, file, /*sync=*/false);
}

bool read_checkpoint(const std::filesystem::path& file, CheckpointHeader& header, State& state) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  const auto size = static_cast<std::uint64_t>(std::filesystem::file_size(file));
  auto refuse = [&](const std::string& what) {
    throw InputError(file.string(), 0, 0,
                     what + "; run again without --resume to start the run afresh");
  };
  char magic[sizeof kMagic];
  in.read(magic, sizeof magic);
  if (in && (std::equal(magic, magic + sizeof magic, kMagicVersion1) ||
             std::equal(magic, magic + sizeof magic, kMagicVersion2) ||
             std::equal(magic, magic + sizeof magic, kMagicVersion3) ||
             std::equal(magic, magic + sizeof magic, kMagicVersion4)))
    refuse("the checkpoint was written by an older MineTwin");
  if (!in || !std::equal(magic, magic + sizeof magic, kMagic)) refuse("not a MineTwin checkpoint");
  if (size < sizeof kMagic + sizeof(std::uint64_t)) refuse("the checkpoint is truncated");
  const std::uint64_t end = size - sizeof(std::uint64_t);

  // The checksum first, over the whole body, so that nothing of a damaged file is used.
  {
    Checksum checksum;
    std::vector<char> chunk(1 << 20);
    std::uint64_t left = end - sizeof kMagic;
    while (left > 0) {
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
      in.read(chunk.data(), static_cast<std::streamsize>(take));
      if (!in) refuse("the checkpoint cannot be read");
      checksum.add(chunk.data(), take);
      left -= take;
    }
    std::uint64_t stored = 0;
    in.read(reinterpret_cast<char*>(&stored), sizeof stored);
    if (!in || stored != checksum.value())
      refuse("the checkpoint is damaged or truncated (its checksum does not match)");
    in.seekg(sizeof kMagic);
  }

  BodyReader body(in, file, end);
  header.scenario_hash = body.get<std::uint64_t>();
  header.completed_years = body.get<std::int32_t>();
  header.records = body.get<std::uint64_t>();
  header.record_origin_years = body.get<std::int32_t>();
  header.summary_rows = body.text();
  const auto count = body.get<std::uint64_t>();
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string name = body.text();
    const auto bytes_size = body.get<std::uint64_t>();
    if (!state.contains(name) || state.at(name).bytes().size() != bytes_size)
      body.damaged("its field '" + name + "' does not fit this run's grid");
    auto bytes = state.at(name).bytes();
    body.bytes(bytes.data(), bytes_size);
  }
  const auto carried = body.get<std::uint64_t>();
  header.carry_over.clear();
  for (std::uint64_t i = 0; i < carried; ++i) {
    std::string component = body.text();
    const auto bytes_size = body.get<std::uint64_t>();
    if (bytes_size > end - body.position()) body.damaged("a length runs past its end");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(bytes_size));
    body.bytes(bytes.data(), bytes_size);
    header.carry_over.emplace(std::move(component), std::move(bytes));
  }
  if (body.position() != end) body.damaged("bytes are left after its last part");
  return true;
}

}  // namespace minetwin
