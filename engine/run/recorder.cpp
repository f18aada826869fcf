#include "engine/run/recorder.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace minetwin {
namespace {

// The info of @p field as state.nc stores it.
FieldInfo stored_info(const Field& field, bool single_precision) {
  FieldInfo info = field.info();
  if (single_precision) info.type = ElementType::float32;
  return info;
}

std::size_t element_bytes(ElementType type) {
  return type == ElementType::float32 ? sizeof(float) : sizeof(double);
}

// Copies @p field's values into @p out in the type @p stored says; float64 to float32 rounds to
// nearest, as netCDF's own conversion of doubles written into a float variable does.
void store(const Field& field, const FieldInfo& stored, std::byte* out) {
  if (field.info().type == stored.type) {
    const auto bytes = field.bytes();
    std::memcpy(out, bytes.data(), bytes.size());
    return;
  }
  round_to_float32(std::as_bytes(field.values<double>()), reinterpret_cast<float*>(out));
}

}  // namespace

int record_interval_years(int every_years, int years, std::size_t value_bytes) {
  if (every_years > 0) return every_years;
  for (int interval : {1, 2, 5, 10}) {
    const double bytes =
        static_cast<double>(recorded_years(interval, years)) * static_cast<double>(value_bytes);
    if (bytes <= kAutoRecordBytes) return std::min(interval, std::max(1, years));
  }
  return std::min(25, std::max(1, years));
}

std::size_t recorded_years(int every_years, int years) {
  if (years <= 0) return 1;
  const auto whole = static_cast<std::size_t>(years / every_years);
  return 1 + whole + (years % every_years != 0 ? 1 : 0);
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000.0 && unit < 4) {
    bytes /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, bytes < 10.0 && unit > 0 ? "%.1f %s" : "%.0f %s", bytes,
                units[unit]);
  return text;
}

Recorder::Recorder(const State& state, std::vector<std::string> changing,
                   std::vector<std::string> fixed, bool single_precision)
    : fields_(std::move(changing)),
      fixed_(std::move(fixed)),
      single_precision_(single_precision),
      cells_(state.grid().cell_count()) {
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    const Field& field = state.at(fields_[f]);
    stored_.push_back(stored_info(field, single_precision_));
    value_bytes_ += field.size() * element_bytes(stored_.back().type);
    for (std::size_t layer = 0; layer < field.size() / cells_; ++layer) {
      chunk_field_.push_back(f);
      chunk_layer_.push_back(layer);
    }
  }
  for (const auto& name : fixed_)
    stored_fixed_.push_back(stored_info(state.at(name), single_precision_));
}

Record Recorder::take(const State& state, int year, Record reuse) const {
  Record record = std::move(reuse);
  record.year = year;
  record.chunks.resize(chunk_field_.size());
  // Each thread's compressor and scratch: a chunk's bytes depend on its values only.
  struct Scratch {
    ChunkDeflater deflater;
    std::vector<float> rounded;
    std::vector<std::byte> compressed;  // up to deflate's bound: copied out at its size
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  std::vector<const Field*> fields;
  for (const auto& name : fields_) fields.push_back(&state.at(name));
  tbb::parallel_for(std::size_t{0}, chunk_field_.size(), [&](std::size_t k) {
    Scratch& own = scratch.local();
    const Field& field = *fields[chunk_field_[k]];
    compress_layer(own.deflater, field.bytes(), field.info().type, stored_[chunk_field_[k]].type,
                   cells_, chunk_layer_[k], own.rounded, own.compressed);
    record.chunks[k].assign(own.compressed.begin(), own.compressed.end());
  });
  return record;
}

std::vector<std::vector<std::byte>> Recorder::fixed_values(const State& state) const {
  std::vector<std::vector<std::byte>> values;
  for (std::size_t f = 0; f < fixed_.size(); ++f) {
    const Field& field = state.at(fixed_[f]);
    values.emplace_back(field.size() * element_bytes(stored_fixed_[f].type));
    store(field, stored_fixed_[f], values.back().data());
  }
  return values;
}

namespace {

// The layout with the recorder's fields as they are stored.
NetcdfLayout with_fields(NetcdfLayout layout, const Recorder& recorder) {
  layout.variables = recorder.stored();
  layout.static_variables = recorder.stored_fixed();
  return layout;
}

// The raw record file holds each record as state.nc's compressed chunks: the year (int32), then
// each chunk as its size (uint64) and its bytes.
void put_raw(std::ofstream& raw, const void* data, std::size_t size) {
  raw.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// Reads the next chunk of a record in the raw file: its size, then its bytes into @p bytes, or
// past them when @p bytes is null. False at the end of the file or in a chunk cut short.
bool read_raw_chunk(std::ifstream& in, std::vector<std::byte>* bytes) {
  std::uint64_t size = 0;
  if (!in.read(reinterpret_cast<char*>(&size), sizeof size)) return false;
  if (bytes == nullptr) {
    const std::streamoff end = in.tellg() + static_cast<std::streamoff>(size);
    in.seekg(0, std::ios::end);
    if (in.tellg() < end) return false;
    return static_cast<bool>(in.seekg(end));
  }
  bytes->resize(static_cast<std::size_t>(size));
  return static_cast<bool>(
      in.read(reinterpret_cast<char*>(bytes->data()), static_cast<std::streamsize>(size)));
}

}  // namespace

NetcdfStream::NetcdfStream(const Recorder& recorder, const std::filesystem::path& records_file,
                           std::size_t existing, const std::filesystem::path& file,
                           NetcdfLayout layout, const State& state)
    : records_file_(records_file),
      existing_(existing),
      writer_(file, with_fields(std::move(layout), recorder)),
      records_(existing),
      saved_(existing) {
  std::error_code ec;
  const bool have_file = std::filesystem::exists(records_file_, ec);
  if (existing > 0) {
    // The checkpoint names the first `existing` records: find where they end, and cut there.
    std::ifstream in(records_file_, std::ios::binary);
    for (std::size_t r = 0; r < existing; ++r) {
      std::int32_t year = 0;
      bool whole =
          have_file && static_cast<bool>(in.read(reinterpret_cast<char*>(&year), sizeof year));
      for (std::size_t k = 0; whole && k < writer_.chunks_per_record(); ++k)
        whole = read_raw_chunk(in, nullptr);
      if (!whole)
        throw std::runtime_error("the run's record file is shorter than its checkpoint says");
    }
    std::filesystem::resize_file(records_file_, static_cast<std::uintmax_t>(in.tellg()));
  } else if (have_file) {
    std::filesystem::resize_file(records_file_, 0);
  }
  const std::vector<std::vector<std::byte>> fixed = recorder.fixed_values(state);
  writer_.write_static({fixed.begin(), fixed.end()});
  thread_ = std::thread([this] { run(); });
}

NetcdfStream::~NetcdfStream() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
}

void NetcdfStream::rethrow_error() {
  if (error_) std::rethrow_exception(error_);
}

void NetcdfStream::push(Record record) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return error_ || (!pending_ && !busy_); });
    rethrow_error();
    pending_ = std::move(record);
  }
  ++records_;
  changed_.notify_all();
}

void NetcdfStream::wait_until_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || (!pending_ && !busy_); });
  rethrow_error();
}

Record NetcdfStream::spare() {
  std::lock_guard lock(mutex_);
  return std::move(spare_);
}

void NetcdfStream::wait_until_saved() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || saved_ == records_; });
  rethrow_error();
}

void NetcdfStream::finish() {
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  changed_.notify_all();
  thread_.join();
  rethrow_error();
  writer_.close();
}

std::map<std::string, double> NetcdfStream::seconds() const {
  return {{"raw record file", raw_seconds_}, {"state.nc chunks (HDF5)", netcdf_seconds_}};
}

void NetcdfStream::run() {
  try {
    // A resumed run's records first, from the raw file: already compressed.
    if (existing_ > 0) {
      std::ifstream in(records_file_, std::ios::binary);
      std::vector<std::byte> chunk;
      for (std::size_t r = 0; r < existing_; ++r) {
        {
          std::lock_guard lock(mutex_);
          if (stopping_) return;
        }
        std::int32_t year = 0;
        if (!in.read(reinterpret_cast<char*>(&year), sizeof year))
          throw std::runtime_error("the run's record file is truncated");
        writer_.append_compressed(year, [&](std::size_t) {
          if (!read_raw_chunk(in, &chunk))
            throw std::runtime_error("the run's record file is truncated");
          return std::span<const std::byte>(chunk);
        });
      }
    }
    std::ofstream raw(records_file_, std::ios::binary | std::ios::app);
    for (;;) {
      Record record;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || finishing_ || pending_; });
        if (stopping_ || (finishing_ && !pending_)) return;
        record = std::move(*pending_);
        pending_.reset();
        busy_ = true;
      }
      // Each chunk is written into state.nc and appended to the raw file in turn.
      const auto start = std::chrono::steady_clock::now();
      put_raw(raw, &record.year, sizeof record.year);
      std::chrono::duration<double> raw_time{0};
      if (record.chunks.size() != writer_.chunks_per_record())
        throw std::logic_error("NetcdfStream: a record of the wrong chunk count");
      writer_.append_compressed(record.year, [&](std::size_t k) {
        const std::span<const std::byte> chunk(record.chunks[k]);
        const auto raw_start = std::chrono::steady_clock::now();
        const std::uint64_t size = chunk.size();
        put_raw(raw, &size, sizeof size);
        put_raw(raw, chunk.data(), chunk.size());
        raw_time += std::chrono::steady_clock::now() - raw_start;
        return chunk;
      });
      raw.flush();
      if (!raw) throw std::runtime_error("cannot append to " + records_file_.string());
      const double total =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      raw_seconds_ += raw_time.count();
      netcdf_seconds_ += total - raw_time.count();
      {
        std::lock_guard lock(mutex_);
        ++saved_;
        spare_ = std::move(record);  // the next record is taken into this memory
        busy_ = false;
      }
      changed_.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      busy_ = false;
    }
    changed_.notify_all();
  }
}

}  // namespace minetwin
