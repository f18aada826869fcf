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

void Recorder::write_netcdf(const std::filesystem::path& file, NetcdfLayout layout,
                            const State& state) const {
  layout.variables.clear();
  std::vector<std::vector<std::byte>> buffers;
  for (const auto& name : fields_) {
    layout.variables.push_back(state.at(name).info());
    buffers.emplace_back(state.at(name).bytes().size());
  }
  std::vector<std::span<const std::byte>> fixed_values;
  layout.static_variables.clear();
  for (const auto& name : fixed_) {
    layout.static_variables.push_back(state.at(name).info());
    fixed_values.push_back(state.at(name).bytes());
  }
  NetcdfWriter writer(file, layout);
  writer.write_static(fixed_values);
  std::ifstream in(file_, std::ios::binary);
  for (std::size_t r = 0; r < records_; ++r) {
    std::int32_t year = 0;
    in.read(reinterpret_cast<char*>(&year), sizeof year);
    std::vector<std::span<const std::byte>> views;
    for (auto& buffer : buffers) {
      in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
      views.emplace_back(buffer);
    }
    if (!in) throw std::runtime_error("the run's record file is truncated");
    writer.append(year, views);
  }
  writer.close();
}

}  // namespace minetwin
