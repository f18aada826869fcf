#include "engine/io/netcdf_writer.hpp"

#include <hdf5.h>
#include <netcdf.h>

#include <ogr_spatialref.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "engine/grid/state.hpp"

namespace minetwin {
namespace {

void check(int status, const std::string& what) {
  if (status != NC_NOERR) throw std::runtime_error("NetCDF: " + what + ": " + nc_strerror(status));
}

static_assert(std::is_same_v<hid_t, std::int64_t>, "HDF5 1.10+ identifiers are 64-bit");

void check_h5(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: " + what + " failed");
}

hid_t check_h5_id(hid_t id, const std::string& what) {
  if (id < 0) throw std::runtime_error("HDF5: " + what + " failed");
  return id;
}

void put_text(int ncid, int var, const char* name, const std::string& value) {
  check(nc_put_att_text(ncid, var, name, value.size(), value.c_str()), name);
}

void put_double(int ncid, int var, const char* name, double value) {
  check(nc_put_att_double(ncid, var, name, NC_DOUBLE, 1, &value), name);
}

// CF grid-mapping attributes: crs_wkt always (CF 1.7+), and the named mapping with its
// parameters when the CRS is transverse Mercator (UTM), so tools without WKT support work too.
void define_grid_mapping(int ncid, int crs, const std::string& wkt) {
  put_text(ncid, crs, "crs_wkt", wkt);
  put_text(ncid, crs, "spatial_ref", wkt);  // GDAL's name for the same thing
  OGRSpatialReference srs;
  if (srs.importFromWkt(wkt.c_str()) != OGRERR_NONE) return;
  const char* projection = srs.GetAttrValue("PROJECTION");
  if (projection == nullptr) {
    // WKT2 has no PROJECTION node; ask for the classic form.
    char* wkt1 = nullptr;
    srs.exportToWkt(&wkt1);
    OGRSpatialReference classic;
    classic.importFromWkt(wkt1);
    CPLFree(wkt1);
    srs = classic;
    projection = srs.GetAttrValue("PROJECTION");
  }
  if (projection != nullptr && std::string(projection) == SRS_PT_TRANSVERSE_MERCATOR) {
    put_text(ncid, crs, "grid_mapping_name", "transverse_mercator");
    put_double(ncid, crs, "scale_factor_at_central_meridian",
               srs.GetProjParm(SRS_PP_SCALE_FACTOR, 1.0));
    put_double(ncid, crs, "longitude_of_central_meridian",
               srs.GetProjParm(SRS_PP_CENTRAL_MERIDIAN));
    put_double(ncid, crs, "latitude_of_projection_origin",
               srs.GetProjParm(SRS_PP_LATITUDE_OF_ORIGIN));
    put_double(ncid, crs, "false_easting", srs.GetProjParm(SRS_PP_FALSE_EASTING));
    put_double(ncid, crs, "false_northing", srs.GetProjParm(SRS_PP_FALSE_NORTHING));
    put_double(ncid, crs, "semi_major_axis", srs.GetSemiMajor());
    put_double(ncid, crs, "inverse_flattening", srs.GetInvFlattening());
  }
}

}  // namespace

NetcdfWriter::NetcdfWriter(const std::filesystem::path& file, const NetcdfLayout& layout)
    : file_(file), layout_(layout) {
  check(nc_create(file.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid_), "create " + file.string());
  const GridGeometry& g = layout.geometry;
  int time_dim = 0, layer_dim = -1, y_dim = 0, x_dim = 0;
  check(nc_def_dim(ncid_, "time", NC_UNLIMITED, &time_dim), "time dimension");
  bool any_layer = false;
  for (const auto& v : layout.variables) any_layer = any_layer || v.location == Location::layer;
  for (const auto& v : layout.static_variables)
    any_layer = any_layer || v.location == Location::layer;
  if (any_layer) {
    check(nc_def_dim(ncid_, "layer", layout.layer_bottoms_m.size(), &layer_dim), "layer dimension");
  }
  check(nc_def_dim(ncid_, "y", g.rows, &y_dim), "y dimension");
  check(nc_def_dim(ncid_, "x", g.columns, &x_dim), "x dimension");

  check(nc_def_var(ncid_, "time", NC_DOUBLE, 1, &time_dim, &time_id_), "time");
  put_text(ncid_, time_id_, "standard_name", "time");
  put_text(ncid_, time_id_, "long_name", "time of the recorded state (1 January)");
  put_text(ncid_, time_id_, "units",
           "days since " + std::to_string(layout.start_year) + "-01-01 00:00:00");
  put_text(ncid_, time_id_, "calendar", "365_day");
  put_text(ncid_, time_id_, "axis", "T");
  check(nc_def_var(ncid_, "year", NC_INT, 1, &time_dim, &year_id_), "year");
  put_text(ncid_, year_id_, "long_name", "calendar year whose 1 January state this record holds");
  put_text(ncid_, year_id_, "units", "1");

  int x_id = 0, y_id = 0, layer_id = -1;
  check(nc_def_var(ncid_, "y", NC_DOUBLE, 1, &y_dim, &y_id), "y");
  put_text(ncid_, y_id, "standard_name", "projection_y_coordinate");
  put_text(ncid_, y_id, "long_name", "y coordinate of cell centre");
  put_text(ncid_, y_id, "units", "m");
  put_text(ncid_, y_id, "axis", "Y");
  check(nc_def_var(ncid_, "x", NC_DOUBLE, 1, &x_dim, &x_id), "x");
  put_text(ncid_, x_id, "standard_name", "projection_x_coordinate");
  put_text(ncid_, x_id, "long_name", "x coordinate of cell centre");
  put_text(ncid_, x_id, "units", "m");
  put_text(ncid_, x_id, "axis", "X");
  if (any_layer) {
    check(nc_def_var(ncid_, "layer", NC_DOUBLE, 1, &layer_dim, &layer_id), "layer");
    put_text(ncid_, layer_id, "long_name", "depth of the bottom of the soil layer");
    put_text(ncid_, layer_id, "units", "m");
    put_text(ncid_, layer_id, "positive", "down");
    put_text(ncid_, layer_id, "axis", "Z");
  }
  const bool has_crs = !g.crs_wkt.empty();
  if (has_crs) {
    int crs_id = 0;
    check(nc_def_var(ncid_, "crs", NC_INT, 0, nullptr, &crs_id), "crs");
    define_grid_mapping(ncid_, crs_id, g.crs_wkt);
  }

  auto define = [&](const FieldInfo& v, bool time_varying) {
    const bool layered = v.location == Location::layer;
    std::vector<int> dims;
    std::vector<std::size_t> chunks;
    if (time_varying) {
      dims.push_back(time_dim);
      chunks.push_back(1);
    }
    if (layered) {
      dims.push_back(layer_dim);
      chunks.push_back(1);
    }
    dims.insert(dims.end(), {y_dim, x_dim});
    chunks.insert(chunks.end(), {g.rows, g.columns});
    int id = 0;
    // netCDF converts float64 values written into a float32 variable.
    const nc_type type =
        v.type == ElementType::float32 || layout.single_precision ? NC_FLOAT : NC_DOUBLE;
    check(nc_def_var(ncid_, v.name.c_str(), type, static_cast<int>(dims.size()), dims.data(), &id),
          "variable " + v.name);
    check(nc_def_var_chunking(ncid_, id, NC_CHUNKED, chunks.data()), "chunking " + v.name);
    // Level 1 with byte shuffling: most of the compression of higher levels at a fraction of
    // the time (the output is written every recorded year).
    check(nc_def_var_deflate(ncid_, id, 1, 1, 1), "deflate " + v.name);
    if (type == NC_FLOAT) {
      const float fill = static_cast<float>(kFillValue);
      check(nc_def_var_fill(ncid_, id, 0, &fill), "fill " + v.name);
    } else {
      const double fill = kFillValue;
      check(nc_def_var_fill(ncid_, id, 0, &fill), "fill " + v.name);
    }
    put_text(ncid_, id, "units", v.units);
    put_text(ncid_, id, "long_name", v.long_name.empty() ? v.name : v.long_name);
    if (has_crs) put_text(ncid_, id, "grid_mapping", "crs");
    if (time_varying) {
      stored_bytes_.push_back(type == NC_FLOAT ? sizeof(float) : sizeof(double));
      const std::size_t layers = layered ? layout.layer_bottoms_m.size() : 1;
      for (std::size_t l = 0; l < layers; ++l) chunks_.push_back({variable_ids_.size(), l});
    }
    return id;
  };
  for (const auto& v : layout.variables) variable_ids_.push_back(define(v, true));
  for (const auto& v : layout.static_variables) static_ids_.push_back(define(v, false));
  put_text(ncid_, NC_GLOBAL, "Conventions", "CF-1.8");
  put_text(ncid_, NC_GLOBAL, "title", layout.title);
  put_text(ncid_, NC_GLOBAL, "institution", "MineTwin");
  put_text(ncid_, NC_GLOBAL, "source", "MineTwin " + layout.program_version);
  put_text(ncid_, NC_GLOBAL, "comment",
           "Each record is the simulated state on 1 January of `year`; the first record is the "
           "initial state. Invalid (nodata) cells hold _FillValue.");
  check(nc_enddef(ncid_), "enddef");
  // Each chunk is written once, whole: no chunk cache, so HDF5 compresses and writes a chunk at
  // once instead of holding every variable's last chunks until the file closes (1.3 GB on a
  // 1024^2 grid). Set after enddef: netCDF sizes each variable's cache to its chunks when it
  // defines the dataset.
  for (const int id : variable_ids_)
    check(nc_set_var_chunk_cache(ncid_, id, 0, 0, 0.0f), "chunk cache");
  for (const int id : static_ids_)
    check(nc_set_var_chunk_cache(ncid_, id, 0, 0, 0.0f), "chunk cache");

  std::vector<double> xs(g.columns), ys(g.rows);
  for (std::size_t c = 0; c < g.columns; ++c)
    xs[c] = g.west_m + (static_cast<double>(c) + 0.5) * g.cell_size_m;
  for (std::size_t r = 0; r < g.rows; ++r)
    ys[r] = g.north_m - (static_cast<double>(r) + 0.5) * g.cell_size_m;
  check(nc_put_var_double(ncid_, x_id, xs.data()), "x values");
  check(nc_put_var_double(ncid_, y_id, ys.data()), "y values");
  if (any_layer)
    check(nc_put_var_double(ncid_, layer_id, layout.layer_bottoms_m.data()), "layer values");
}

NetcdfWriter::~NetcdfWriter() {
  try {
    close_records();
  } catch (const std::exception&) {  // a destructor does not throw; close() reports errors
  }
  if (ncid_ >= 0) nc_close(ncid_);
}

void NetcdfWriter::append(int year, const std::vector<std::span<const std::byte>>& values,
                          const ChunkSink& written) {
  if (values.size() != variable_ids_.size())
    throw std::logic_error("NetcdfWriter: wrong variable count");
  const std::size_t cells = layout_.geometry.rows * layout_.geometry.columns;
  append_compressed(year, [&](std::size_t k) {
    const auto [v, layer] = chunks_[k];
    const FieldInfo& info = layout_.variables[v];
    const std::size_t layers =
        info.location == Location::layer ? layout_.layer_bottoms_m.size() : 1;
    const std::size_t value_bytes = info.type == ElementType::float32 ? 4 : 8;
    if (values[v].size() != layers * cells * value_bytes)
      throw std::logic_error("NetcdfWriter: wrong value count for " + info.name);
    const auto start = std::chrono::steady_clock::now();
    compress_layer(deflater_, values[v], info.type,
                   stored_bytes_[v] == sizeof(float) ? ElementType::float32 : ElementType::float64,
                   cells, layer, rounded_, compressed_);
    deflate_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::span<const std::byte> chunk(compressed_);
    if (written) written(chunk);
    return chunk;
  });
}

void compress_layer(ChunkDeflater& deflater, std::span<const std::byte> values, ElementType type,
                    ElementType stored_type, std::size_t cells, std::size_t layer,
                    std::vector<float>& rounded, std::vector<std::byte>& out) {
  out.clear();
  if (type == ElementType::float64 && stored_type == ElementType::float32) {
    // A float64 field stored as float32: rounded to nearest, as netCDF's conversion does.
    rounded.resize(cells);
    round_to_float32(values.subspan(layer * cells * sizeof(double), cells * sizeof(double)),
                     rounded.data());
    deflater.compress(std::as_bytes(std::span(rounded)), sizeof(float), out);
    return;
  }
  const std::size_t element = type == ElementType::float32 ? sizeof(float) : sizeof(double);
  deflater.compress(values.subspan(layer * cells * element, cells * element), element, out);
}

void NetcdfWriter::open_records() {
  if (h5_file_ >= 0) return;
  // netCDF has defined the file and written what is not a record; HDF5 appends the records.
  check(nc_close(ncid_), "close after the definitions");
  ncid_ = -1;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by exceptions
  h5_file_ =
      check_h5_id(H5Fopen(file_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open " + file_.string());
  h5_time_ = check_h5_id(H5Dopen2(h5_file_, "time", H5P_DEFAULT), "open time");
  h5_year_ = check_h5_id(H5Dopen2(h5_file_, "year", H5P_DEFAULT), "open year");
  for (const FieldInfo& info : layout_.variables)
    h5_variables_.push_back(
        check_h5_id(H5Dopen2(h5_file_, info.name.c_str(), H5P_DEFAULT), "open " + info.name));
}

void NetcdfWriter::close_records() {
  if (h5_file_ < 0) return;
  for (const hid_t id : h5_variables_) H5Dclose(id);
  h5_variables_.clear();
  H5Dclose(h5_time_);
  H5Dclose(h5_year_);
  const hid_t file = h5_file_;
  h5_file_ = -1;
  check_h5(H5Fclose(file), "close " + file_.string());
}

namespace {

// Writes element @p record of a one-dimensional record variable (time, year), extended first.
template <class T>
void put_record_value(hid_t dataset, hid_t memory_type, hsize_t record, T value, const char* what) {
  const hsize_t extent = record + 1, count = 1;
  check_h5(H5Dset_extent(dataset, &extent), std::string("extend ") + what);
  const hid_t file_space = check_h5_id(H5Dget_space(dataset), what);
  const hid_t memory_space = H5Screate_simple(1, &count, nullptr);
  herr_t status =
      H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &record, nullptr, &count, nullptr);
  if (status >= 0)
    status = H5Dwrite(dataset, memory_type, memory_space, file_space, H5P_DEFAULT, &value);
  H5Sclose(memory_space);
  H5Sclose(file_space);
  check_h5(status, std::string("write ") + what);
}

}  // namespace

void round_to_float32(std::span<const std::byte> doubles, float* out) {
  const std::size_t count = doubles.size() / sizeof(double);
  for (std::size_t i = 0; i < count; ++i) {
    double value = 0.0;
    std::memcpy(&value, doubles.data() + i * sizeof(double), sizeof value);
    out[i] = static_cast<float>(value);
  }
}

void NetcdfWriter::append_compressed(int year, const ChunkSource& chunk) {
  open_records();
  const hsize_t r = records_;
  const double days = 365.0 * (year - layout_.start_year);
  put_record_value(h5_time_, H5T_NATIVE_DOUBLE, r, days, "time");
  put_record_value(h5_year_, H5T_NATIVE_INT32, r, static_cast<std::int32_t>(year), "year");
  const GridGeometry& g = layout_.geometry;
  const hsize_t layers = layout_.layer_bottoms_m.size();
  for (std::size_t k = 0; k < chunks_.size(); ++k) {
    const auto [v, layer] = chunks_[k];
    const FieldInfo& info = layout_.variables[v];
    const bool layered = info.location == Location::layer;
    if (layer == 0) {
      const hsize_t extent_layered[4] = {r + 1, layers, g.rows, g.columns};
      const hsize_t extent_cell[3] = {r + 1, g.rows, g.columns};
      check_h5(H5Dset_extent(h5_variables_[v], layered ? extent_layered : extent_cell),
               "extend " + info.name);
    }
    const std::span<const std::byte> bytes = chunk(k);
    const hsize_t at_layered[4] = {r, layer, 0, 0};
    const hsize_t at_cell[3] = {r, 0, 0};
    // Filter mask 0: every filter of the dataset (shuffle, deflate) was applied.
    check_h5(H5Dwrite_chunk(h5_variables_[v], H5P_DEFAULT, 0, layered ? at_layered : at_cell,
                            bytes.size(), bytes.data()),
             "write " + info.name);
  }
  ++records_;
}

void NetcdfWriter::write_static(const std::vector<std::span<const std::byte>>& values) {
  if (ncid_ < 0) throw std::logic_error("NetcdfWriter: static values after the first record");
  if (values.size() != static_ids_.size())
    throw std::logic_error("NetcdfWriter: wrong static count");
  const GridGeometry& g = layout_.geometry;
  for (std::size_t v = 0; v < static_ids_.size(); ++v) {
    const FieldInfo& info = layout_.static_variables[v];
    const bool layered = info.location == Location::layer;
    const std::size_t start[3] = {0, 0, 0};
    const std::size_t count[3] = {layered ? layout_.layer_bottoms_m.size() : g.rows,
                                  layered ? g.rows : g.columns, g.columns};
    put(static_ids_[v], info, start, count, values[v]);
  }
}

void NetcdfWriter::put(int id, const FieldInfo& info, const std::size_t* start,
                       const std::size_t* count, std::span<const std::byte> values) {
  const void* data = values.data();
  if (info.type == ElementType::float32) {
    check(nc_put_vara_float(ncid_, id, start, count, static_cast<const float*>(data)),
          "write " + info.name);
  } else {
    check(nc_put_vara_double(ncid_, id, start, count, static_cast<const double*>(data)),
          "write " + info.name);
  }
}

void NetcdfWriter::close() {
  close_records();
  if (ncid_ >= 0) check(nc_close(ncid_), "close");
  ncid_ = -1;
}

}  // namespace minetwin
