#pragma once
/// @file
/// @brief Records the state of chosen years during a run, into state.nc and a raw file.
///
/// Each record (the state on 1 January of a year) is taken as state.nc's compressed chunks: the
/// fields' layers are compressed in parallel on the run's threads (deflate is the costliest part
/// of the output, and on the run's own threads it does not compete with the models for the
/// cores), and the compressed record is handed to a NetcdfStream, whose thread writes each chunk
/// into the NetCDF file and appends it to a raw file in the run's work folder (what a resumed run
/// rebuilds state.nc from, without compressing again). One record at most is in flight, a fifth
/// of its values' size; records go in order, so a resumed run's state.nc is byte-identical to an
/// uninterrupted one.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/grid/state.hpp"
#include "engine/io/netcdf_writer.hpp"

namespace minetwin {

/// One record: the year and state.nc's compressed chunks of every recorded field (each field,
/// each of its layers, in output order), exactly what one record of the raw file holds.
struct Record {
  std::int32_t year = 0;
  std::vector<std::vector<std::byte>> chunks;
};

/// Which fields are recorded and how they are stored.
class Recorder {
 public:
  /// @param changing fields recorded every record year, in output order.
  /// @param fixed fields that no component changes: written once, without time.
  /// @param single_precision float64 fields are stored as float32 (outputs.precision).
  Recorder(const State& state, std::vector<std::string> changing, std::vector<std::string> fixed,
           bool single_precision);

  /// The current State as the record of @p year: each field's layers compressed as state.nc's
  /// chunks (float64 values rounded to float32 where single precision is asked for, as netCDF
  /// itself would round them), the chunks in parallel (the same bytes on any number of threads).
  /// @p reuse: a record taken before (its memory is used again: no fresh pages to fault in).
  Record take(const State& state, int year, Record reuse = {}) const;
  /// The fixed fields' values, each in its stored type.
  std::vector<std::vector<std::byte>> fixed_values(const State& state) const;

  const std::vector<std::string>& fields() const { return fields_; }
  const std::vector<std::string>& fixed_fields() const { return fixed_; }
  /// How each recorded field is stored (its info, with the stored element type).
  const std::vector<FieldInfo>& stored() const { return stored_; }
  const std::vector<FieldInfo>& stored_fixed() const { return stored_fixed_; }
  /// Bytes of one record's field values in this run's state.nc before compression.
  std::size_t value_bytes() const { return value_bytes_; }
  /// Chunks of one record: one per field and layer.
  std::size_t chunks_per_record() const { return chunk_field_.size(); }

 private:
  std::vector<std::string> fields_;
  std::vector<std::string> fixed_;
  std::vector<FieldInfo> stored_, stored_fixed_;
  std::size_t value_bytes_ = 0;
  bool single_precision_ = true;
  std::size_t cells_ = 0;
  std::vector<std::size_t> chunk_field_, chunk_layer_;  ///< each chunk's field and layer
};

/// The values that outputs.every_years: auto lets a run record at every year: beyond them it
/// records less often (about 1 GB of state.nc after deflate, at the ratio of 5-7 of the demo).
inline constexpr double kAutoRecordBytes = 6e9;

/// The record interval in years: @p every_years when given (> 0), else (auto) the shortest of
/// 1, 2, 5, 10 and 25 years whose records of @p value_bytes each stay within kAutoRecordBytes
/// (25 when none does).
int record_interval_years(int every_years, int years, std::size_t value_bytes);
/// Records of a run of @p years recorded every @p every_years: the initial state, each interval,
/// and the last year.
std::size_t recorded_years(int every_years, int years);
/// "512 MB", "4.8 GB": a size for people (powers of 1000).
std::string format_bytes(double bytes);

/// Writes a recorder's records into a raw file and a NetCDF file on a background thread: the
/// static fields at once, then each record handed over.
class NetcdfStream {
 public:
  /// @param records_file the raw record file (compressed chunks); its first @p existing records
  /// (a resumed run's) are written into the NetCDF file first, and later records are appended
  /// after them (the file is cut to @p existing records).
  NetcdfStream(const Recorder& recorder, const std::filesystem::path& records_file,
               std::size_t existing, const std::filesystem::path& file, NetcdfLayout layout,
               const State& state);
  /// Stops the thread if finish() was not called (an error elsewhere ended the run).
  ~NetcdfStream();
  NetcdfStream(const NetcdfStream&) = delete;
  NetcdfStream& operator=(const NetcdfStream&) = delete;

  /// Waits until the writer has written every record handed over (take the next one after
  /// this: one record in memory at most).
  void wait_until_idle();
  /// Hands @p record over (after wait_until_idle).
  void push(Record record);
  /// The memory of the last record written, for the next take (after wait_until_idle).
  Record spare();
  /// Records taken in all: the resumed run's and those pushed.
  std::size_t records() const { return records_; }
  /// Waits until the raw file holds every record pushed (a checkpoint may then name them);
  /// rethrows the writer's error, if any.
  void wait_until_saved();
  /// Waits until every record is written and closes the file; rethrows the writer's error.
  void finish();
  /// The writer thread's time by part (after finish): the raw file, state.nc.
  std::map<std::string, double> seconds() const;

 private:
  void run();
  void rethrow_error();

  std::filesystem::path records_file_;
  std::size_t existing_ = 0;
  NetcdfWriter writer_;
  std::size_t records_ = 0;  ///< main thread only
  /// The writer thread's time (read after finish).
  double raw_seconds_ = 0, netcdf_seconds_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Record> pending_;  ///< handed over, not yet taken by the writer
  Record spare_;                   ///< the last record written, kept for its memory
  bool busy_ = false;              ///< the writer is writing a record
  std::size_t saved_ = 0;          ///< records in the raw file
  bool finishing_ = false, stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace minetwin
