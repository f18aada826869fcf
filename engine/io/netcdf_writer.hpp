#pragma once
/// @file
/// @brief state.nc: a CF-1.8 NetCDF-4 file of the recorded years (design brief, Outputs).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/grid/field.hpp"
#include "engine/grid/raster_grid.hpp"
#include "engine/io/chunk_deflate.hpp"

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
/// variable, and each variable compressed (shuffle + deflate) and chunked one record (and layer)
/// per chunk. netCDF defines the file and writes the coordinates and static variables; the
/// records go in through HDF5 as whole compressed chunks (H5Dwrite_chunk, compressed by
/// ChunkDeflater), which any netCDF or HDF5 reader reads as usual. Nothing wall-clock goes into
/// the file, so the same records give the same bytes.
class NetcdfWriter {
 public:
  NetcdfWriter(const std::filesystem::path& file, const NetcdfLayout& layout);
  ~NetcdfWriter();
  NetcdfWriter(const NetcdfWriter&) = delete;
  NetcdfWriter& operator=(const NetcdfWriter&) = delete;

  /// Receives each compressed chunk of a record as it goes into the file.
  using ChunkSink = std::function<void(std::span<const std::byte>)>;
  /// Gives compressed chunk k of a record (valid until the next call).
  using ChunkSource = std::function<std::span<const std::byte>(std::size_t)>;

  /// Appends one record: the state on 1 January of @p year. @p values[v] holds variable v's
  /// values in its declared type (float64 values of a variable stored as float32 are rounded).
  /// Each chunk is compressed, written and handed to @p written (when given) one at a time, so
  /// no compressed copy of the record is held.
  void append(int year, const std::vector<std::span<const std::byte>>& values,
              const ChunkSink& written = {});
  /// Appends a record from chunks compressed before (by append, of a writer of the same
  /// layout), in the order append handed them out: extends every record variable by one record
  /// and writes the chunks @p chunk gives.
  void append_compressed(int year, const ChunkSource& chunk);
  /// Chunks in one record: one per variable, one per layer of a layered variable, in the
  /// layout's order.
  std::size_t chunks_per_record() const { return chunks_.size(); }
  /// Seconds spent compressing (shuffle + deflate) so far.
  double deflate_seconds() const { return deflate_seconds_; }
  /// Writes the values of every static variable (once, before the first record).
  void write_static(const std::vector<std::span<const std::byte>>& values);
  void close();

 private:
  void put(int id, const FieldInfo& info, const std::size_t* start, const std::size_t* count,
           std::span<const std::byte> values);
  void open_records();  ///< hands the file from netCDF to HDF5 (before the first record)
  void close_records();
  std::filesystem::path file_;
  int ncid_ = -1;
  std::vector<int> static_ids_;
  std::size_t records_ = 0;
  NetcdfLayout layout_;
  std::vector<int> variable_ids_;
  std::vector<std::size_t> stored_bytes_;  ///< bytes of one element of each variable in the file
  struct Chunk {
    std::size_t variable = 0, layer = 0;
  };
  std::vector<Chunk> chunks_;  ///< the chunks of one record, in order
  int time_id_ = -1;
  int year_id_ = -1;
  ChunkDeflater deflater_;
  std::vector<std::byte> compressed_;  ///< the chunk being written
  std::vector<float> rounded_;         ///< a layer of float64 values rounded to float32
  double deflate_seconds_ = 0;
  // HDF5 identifiers (hid_t) of the file and its record datasets, once records are written.
  std::int64_t h5_file_ = -1, h5_time_ = -1, h5_year_ = -1;
  std::vector<std::int64_t> h5_variables_;
};

/// float64 values (@p doubles, bytes of doubles, any alignment) rounded to the nearest float32
/// into @p out, as netCDF's own conversion of doubles written into a float variable rounds.
void round_to_float32(std::span<const std::byte> doubles, float* out);

/// state.nc's chunk of one layer: layer @p layer of @p values (a field's values in @p type,
/// @p cells per layer) as a variable stored in @p stored_type holds it (float64 rounded to
/// float32 first, in @p rounded), compressed by @p deflater into @p out (replacing its bytes).
/// The one place a record's values become chunks: NetcdfWriter::append and the run's Recorder.
void compress_layer(ChunkDeflater& deflater, std::span<const std::byte> values, ElementType type,
                    ElementType stored_type, std::size_t cells, std::size_t layer,
                    std::vector<float>& rounded, std::vector<std::byte>& out);

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
