#pragma once
/// @file
/// @brief Streams recorded years to disk during a run; assembles state.nc at the end.
///
/// Each record (the state on 1 January of a year) is appended to a raw file in the run's work
/// folder as soon as it is taken, so memory stays bounded on long runs and large grids. The
/// NetCDF file is written from these records in one pass when the run completes, which makes a
/// resumed run's state.nc byte-identical to an uninterrupted one.

#include <cstdint>
#include <filesystem>
#include <string>
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

  /// Writes every record to a NetCDF file.
  void write_netcdf(const std::filesystem::path& file, NetcdfLayout layout,
                    const State& state) const;

 private:
  std::size_t record_bytes(const State& state) const;
  std::filesystem::path file_;
  std::vector<std::string> fields_;
  std::vector<std::string> fixed_;
  std::size_t records_ = 0;
};

}  // namespace minetwin
