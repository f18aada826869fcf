#pragma once
/// @file
/// @brief state.nc: a CF-1.8 NetCDF-4 file of the recorded years (design brief, Outputs).

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "engine/grid/field.hpp"
#include "engine/grid/raster_grid.hpp"

namespace minetwin {

/// Layout of state.nc.
struct NetcdfLayout {
  GridGeometry geometry;
  std::vector<double> layer_bottoms_m;      ///< the layer coordinate (depth of each layer's bottom)
  std::vector<FieldInfo> variables;         ///< fields that change: dimensions (time, ...)
  std::vector<FieldInfo> static_variables;  ///< fields fixed for the run: no time dimension
  int start_year = 0;
  std::string title;
  std::string program_version;
  /// Store float64 fields as float32 (seven significant digits; a viewer and an analysis need
  /// no more, and the file is half the size). The run itself and its checkpoints keep float64.
  bool single_precision = true;
};

/// Writes a CF-1.8 file with dimensions (time, [layer,] y, x), coordinate variables in the
/// grid's CRS, a `crs` grid-mapping variable with `crs_wkt`, units and long_name on every
/// variable, and each variable compressed and chunked one record per chunk. Nothing
/// wall-clock goes into the file, so the same records give the same bytes.
class NetcdfWriter {
 public:
  NetcdfWriter(const std::filesystem::path& file, const NetcdfLayout& layout);
  ~NetcdfWriter();
  NetcdfWriter(const NetcdfWriter&) = delete;
  NetcdfWriter& operator=(const NetcdfWriter&) = delete;

  /// Appends one record: the state on 1 January of @p year. @p values[v] holds variable v's
  /// values in its declared type.
  void append(int year, const std::vector<std::span<const std::byte>>& values);
  /// Writes the values of every static variable (once).
  void write_static(const std::vector<std::span<const std::byte>>& values);
  void close();

 private:
  void put(int id, const FieldInfo& info, const std::size_t* start, const std::size_t* count,
           std::span<const std::byte> values);
  int ncid_ = -1;
  std::vector<int> static_ids_;
  std::size_t records_ = 0;
  NetcdfLayout layout_;
  std::vector<int> variable_ids_;
  int time_id_ = -1;
  int year_id_ = -1;
};

/// Reads state.nc back (export, viewer, tests).
class NetcdfReader {
 public:
  explicit NetcdfReader(const std::filesystem::path& file);
  ~NetcdfReader();
  NetcdfReader(const NetcdfReader&) = delete;
  NetcdfReader& operator=(const NetcdfReader&) = delete;

  const GridGeometry& geometry() const { return geometry_; }
  const std::vector<int>& years() const { return years_; }
  std::vector<std::string> variables() const;
  FieldInfo info(const std::string& variable) const;
  std::size_t layers() const { return layers_; }
  /// Whether a variable has the time dimension (fields fixed for the run do not).
  bool time_varying(const std::string& variable) const;
  /// One record of a variable as doubles (fill values kept); @p layer for layer fields;
  /// @p record is ignored for variables without time.
  std::vector<double> read(const std::string& variable, std::size_t record,
                           std::size_t layer = 0) const;

 private:
  int variable_id(const std::string& variable) const;
  int ncid_ = -1;
  int time_dim_ = -1;
  GridGeometry geometry_;
  std::vector<int> years_;
  std::size_t layers_ = 0;
};

}  // namespace minetwin
