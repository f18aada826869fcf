#include "engine/run/recorder.hpp"

#include <fstream>
#include <stdexcept>

namespace minetwin {

Recorder::Recorder(std::filesystem::path records_file, std::vector<std::string> changing,
                   std::vector<std::string> fixed)
    : file_(std::move(records_file)), fields_(std::move(changing)), fixed_(std::move(fixed)) {}

std::size_t Recorder::record_bytes(const State& state) const {
  std::size_t bytes = sizeof(std::int32_t);
  for (const auto& name : fields_) bytes += state.at(name).bytes().size();
  return bytes;
}

void Recorder::record(const State& state, int year) {
  std::ofstream out(file_, std::ios::binary | std::ios::app);
  const std::int32_t y = year;
  out.write(reinterpret_cast<const char*>(&y), sizeof y);
  for (const auto& name : fields_) {
    const auto bytes = state.at(name).bytes();
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  out.flush();
  if (!out) throw std::runtime_error("cannot append to " + file_.string());
  ++records_;
}

void Recorder::truncate(std::size_t count, const State& state) {
  const std::size_t size = count * record_bytes(state);
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec) || std::filesystem::file_size(file_) < size) {
    throw std::runtime_error("the run's record file is shorter than its checkpoint says");
  }
  std::filesystem::resize_file(file_, size);
  records_ = count;
}

namespace {

// The layout with the recorder's fields, and the static fields' values.
NetcdfLayout with_fields(NetcdfLayout layout, const Recorder& recorder, const State& state) {
  layout.variables.clear();
  for (const auto& name : recorder.fields()) layout.variables.push_back(state.at(name).info());
  layout.static_variables.clear();
  for (const auto& name : recorder.fixed_fields())
    layout.static_variables.push_back(state.at(name).info());
  return layout;
}

}  // namespace

NetcdfStream::NetcdfStream(const Recorder& recorder, const std::filesystem::path& file,
                           NetcdfLayout layout, const State& state)
    : records_file_(recorder.file()),
      record_bytes_(recorder.record_bytes(state)),
      writer_(file, with_fields(std::move(layout), recorder, state)) {
  for (const auto& name : recorder.fields()) field_bytes_.push_back(state.at(name).bytes().size());
  std::vector<std::span<const std::byte>> fixed_values;
  for (const auto& name : recorder.fixed_fields()) fixed_values.push_back(state.at(name).bytes());
  writer_.write_static(fixed_values);
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

void NetcdfStream::available(std::size_t records) {
  {
    std::lock_guard lock(mutex_);
    available_ = records;
  }
  changed_.notify_all();
}

void NetcdfStream::finish() {
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  changed_.notify_all();
  thread_.join();
  if (error_) std::rethrow_exception(error_);
  writer_.close();
}

void NetcdfStream::run() {
  std::vector<std::vector<std::byte>> buffers;
  for (std::size_t bytes : field_bytes_) buffers.emplace_back(bytes);
  std::size_t written = 0;
  try {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || finishing_ || available_ > written; });
        if (stopping_ || (finishing_ && available_ == written)) return;
      }
      // Read record `written` from the raw file (a fresh stream each time: the file grows).
      std::ifstream in(records_file_, std::ios::binary);
      in.seekg(static_cast<std::streamoff>(written * record_bytes_));
      std::int32_t year = 0;
      in.read(reinterpret_cast<char*>(&year), sizeof year);
      std::vector<std::span<const std::byte>> views;
      for (auto& buffer : buffers) {
        in.read(reinterpret_cast<char*>(buffer.data()),
                static_cast<std::streamsize>(buffer.size()));
        views.emplace_back(buffer);
      }
      if (!in) throw std::runtime_error("the run's record file is truncated");
      writer_.append(year, views);
      ++written;
    }
  } catch (...) {
    error_ = std::current_exception();
  }
}

}  // namespace minetwin
