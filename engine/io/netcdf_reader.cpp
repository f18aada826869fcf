#include <netcdf.h>

#include <stdexcept>

#include "engine/core/errors.hpp"
#include "engine/io/netcdf_writer.hpp"

namespace minetwin {
namespace {

std::string text_attribute(int ncid, int var, const char* name) {
  std::size_t length = 0;
  if (nc_inq_attlen(ncid, var, name, &length) != NC_NOERR) return "";
  std::string value(length, '\0');
  nc_get_att_text(ncid, var, name, value.data());
  return value;
}

}  // namespace

NetcdfReader::NetcdfReader(const std::filesystem::path& file) {
  if (nc_open(file.c_str(), NC_NOWRITE, &ncid_) != NC_NOERR) {
    throw InputError(file.string(), 0, 0, "not a MineTwin state.nc (cannot open as NetCDF)");
  }
  int x_dim = 0, y_dim = 0, time_dim = 0, x_id = 0, y_id = 0, year_id = 0;
  if (nc_inq_dimid(ncid_, "x", &x_dim) || nc_inq_dimid(ncid_, "y", &y_dim) ||
      nc_inq_dimid(ncid_, "time", &time_dim) || nc_inq_varid(ncid_, "x", &x_id) ||
      nc_inq_varid(ncid_, "y", &y_id) || nc_inq_varid(ncid_, "year", &year_id)) {
    nc_close(ncid_);
    throw InputError(file.string(), 0, 0, "not a MineTwin state.nc (no x, y, time or year)");
  }
  time_dim_ = time_dim;
  std::size_t records = 0;
  nc_inq_dimlen(ncid_, x_dim, &geometry_.columns);
  nc_inq_dimlen(ncid_, y_dim, &geometry_.rows);
  nc_inq_dimlen(ncid_, time_dim, &records);
  int layer_dim = 0;
  if (nc_inq_dimid(ncid_, "layer", &layer_dim) == NC_NOERR)
    nc_inq_dimlen(ncid_, layer_dim, &layers_);
  std::vector<double> xs(geometry_.columns), ys(geometry_.rows);
  nc_get_var_double(ncid_, x_id, xs.data());
  nc_get_var_double(ncid_, y_id, ys.data());
  geometry_.cell_size_m = xs.size() > 1 ? xs[1] - xs[0] : (ys.size() > 1 ? ys[0] - ys[1] : 1.0);
  geometry_.west_m = xs[0] - geometry_.cell_size_m / 2;
  geometry_.north_m = ys[0] + geometry_.cell_size_m / 2;
  int crs_id = 0;
  if (nc_inq_varid(ncid_, "crs", &crs_id) == NC_NOERR)
    geometry_.crs_wkt = text_attribute(ncid_, crs_id, "crs_wkt");
  years_.resize(records);
  if (records > 0) nc_get_var_int(ncid_, year_id, years_.data());
}

NetcdfReader::~NetcdfReader() {
  if (ncid_ >= 0) nc_close(ncid_);
}

std::vector<std::string> NetcdfReader::variables() const {
  int count = 0;
  nc_inq_nvars(ncid_, &count);
  std::vector<std::string> names;
  for (int v = 0; v < count; ++v) {
    int ndims = 0;
    nc_inq_varndims(ncid_, v, &ndims);
    if (ndims < 2) continue;  // coordinates, year, crs
    char name[NC_MAX_NAME + 1];
    nc_inq_varname(ncid_, v, name);
    names.emplace_back(name);
  }
  return names;
}

int NetcdfReader::variable_id(const std::string& variable) const {
  int id = 0;
  if (nc_inq_varid(ncid_, variable.c_str(), &id) != NC_NOERR) {
    throw std::out_of_range("state.nc has no variable '" + variable + "'");
  }
  return id;
}

FieldInfo NetcdfReader::info(const std::string& variable) const {
  const int id = variable_id(variable);
  int ndims = 0;
  nc_type type = NC_DOUBLE;
  nc_inq_varndims(ncid_, id, &ndims);
  nc_inq_vartype(ncid_, id, &type);
  return FieldInfo{variable, text_attribute(ncid_, id, "units"),
                   text_attribute(ncid_, id, "long_name"),
                   ndims - (time_varying(variable) ? 1 : 0) == 3 ? Location::layer : Location::cell,
                   type == NC_FLOAT ? ElementType::float32 : ElementType::float64};
}

bool NetcdfReader::time_varying(const std::string& variable) const {
  int dims[NC_MAX_VAR_DIMS];
  nc_inq_vardimid(ncid_, variable_id(variable), dims);
  return dims[0] == time_dim_;
}

std::vector<double> NetcdfReader::read(const std::string& variable, std::size_t record,
                                       std::size_t layer) const {
  const int id = variable_id(variable);
  std::vector<std::size_t> start, count;
  if (time_varying(variable)) {
    start.push_back(record);
    count.push_back(1);
  }
  if (info(variable).location == Location::layer) {
    start.push_back(layer);
    count.push_back(1);
  }
  start.insert(start.end(), {0, 0});
  count.insert(count.end(), {geometry_.rows, geometry_.columns});
  std::vector<double> values(geometry_.columns * geometry_.rows);
  const int status = nc_get_vara_double(ncid_, id, start.data(), count.data(), values.data());
  if (status != NC_NOERR)
    throw std::runtime_error("NetCDF read " + variable + ": " + nc_strerror(status));
  return values;
}

}  // namespace minetwin
