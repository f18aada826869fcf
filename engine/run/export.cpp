#include "engine/run/export.hpp"

#include <algorithm>

#include "engine/core/errors.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/gdal_raster.hpp"
#include "engine/io/netcdf_writer.hpp"

namespace minetwin {

void export_field(const std::filesystem::path& run_output, const std::string& field, int year,
                  int layer, const std::filesystem::path& target) {
  const auto file = run_output / "state.nc";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw InputError(run_output.string(), 0, 0,
                     "no state.nc here: not the output of a finished run");
  }
  NetcdfReader reader(file);
  const auto names = reader.variables();
  if (std::find(names.begin(), names.end(), field) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    const std::string hint = closest_match(field, names);
    throw InputError(file.string(), 0, 0,
                     "--field: no field '" + field + "'" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                         " (fields: " + list + ")");
  }
  const auto& years = reader.years();
  const auto found = std::find(years.begin(), years.end(), year);
  if (found == years.end()) {
    throw InputError(file.string(), 0, 0,
                     "--year: " + std::to_string(year) +
                         " was not recorded (recorded: " + std::to_string(years.front()) + " to " +
                         std::to_string(years.back()) + ")");
  }
  const bool layered = reader.info(field).location == Location::layer;
  if (layered && (layer < 1 || static_cast<std::size_t>(layer) > reader.layers())) {
    throw InputError(file.string(), 0, 0,
                     "--layer must be 1 to " + std::to_string(reader.layers()));
  }
  const auto values = reader.read(field, static_cast<std::size_t>(found - years.begin()),
                                  layered ? static_cast<std::size_t>(layer - 1) : 0);
  std::vector<std::uint8_t> valid(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) valid[i] = values[i] != kFillValue;
  write_raster(target, RasterFormat::cloud_optimised_geotiff, reader.geometry(), values, valid,
               kFillValue);
}

}  // namespace minetwin
