#pragma once
/// @file
/// @brief Streams recorded years to disk during a run, and state.nc from them.
///
/// Each record (the state on 1 January of a year) is appended to a raw file in the run's work
/// folder as soon as it is taken, so memory stays bounded on long runs and large grids. A
/// NetcdfStream compresses the records into the NetCDF file on a thread of its own while the
/// run goes on (deflate is the costliest part of the output), always from the raw file and in
/// record order, so a resumed run's state.nc is byte-identical to an uninterrupted one.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/grid/state.hpp"
#include "engine/io/netcdf_writer.hpp"

namespace minetwin {

class Recorder {
 public:
  /// @param changing fields recorded every record year, in output order.
  /// @param fixed fields that no component changes: written once, without time.
  Recorder(std::filesystem::path records_file, std::vector<std::string> changing,
           std::vector<std::string> fixed);

  /// Appends the current State as the record of @p year.
  void record(const State& state, int year);
  /// Drops records beyond @p count (a resumed run discards what its checkpoint does not cover).
  void truncate(std::size_t count, const State& state);
  std::size_t records() const { return records_; }
  const std::vector<std::string>& fields() const { return fields_; }

  const std::vector<std::string>& fixed_fields() const { return fixed_; }
  const std::filesystem::path& file() const { return file_; }
  /// Bytes of one record (the year, then every recorded field).
  std::size_t record_bytes(const State& state) const;

 private:
  std::filesystem::path file_;
  std::vector<std::string> fields_;
  std::vector<std::string> fixed_;
  std::size_t records_ = 0;
};

/// Writes a recorder's records into a NetCDF file on a background thread: the static fields at
/// once, then each record as the run makes it available.
class NetcdfStream {
 public:
  NetcdfStream(const Recorder& recorder, const std::filesystem::path& file, NetcdfLayout layout,
               const State& state);
  /// Stops the thread if finish() was not called (an error elsewhere ended the run).
  ~NetcdfStream();
  NetcdfStream(const NetcdfStream&) = delete;
  NetcdfStream& operator=(const NetcdfStream&) = delete;

  /// The record file now holds @p records complete records.
  void available(std::size_t records);
  /// Waits until every available record is written and closes the file; rethrows the writer's
  /// error, if any.
  void finish();

 private:
  void run();

  std::filesystem::path records_file_;
  std::size_t record_bytes_ = 0;
  std::vector<std::size_t> field_bytes_;
  NetcdfWriter writer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t available_ = 0;
  bool finishing_ = false, stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace minetwin
