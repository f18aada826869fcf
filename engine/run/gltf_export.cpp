#include "engine/run/gltf_export.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>

#include "engine/core/errors.hpp"
#include "engine/core/json_text.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/land_cover_colours.hpp"
#include "engine/io/netcdf_writer.hpp"
#include "engine/run/runner.hpp"

namespace minetwin {
namespace {

constexpr const char* kElevation = "topographic__elevation";

// glTF numbers: the shortest text that reads back as the same float32 (the validator compares
// an accessor's min and max with its data).
std::string float_text(float v) {
  std::ostringstream out;
  out.precision(9);
  out << static_cast<double>(v);
  return out.str();
}

template <class T>
void append(std::string& bytes, const std::vector<T>& values) {
  if (values.empty()) return;
  bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  while (bytes.size() % 4 != 0) bytes.push_back('\0');
}

// The colour ramp of a field: dark blue, teal, green, yellow (viridis' ends and middle).
std::array<float, 3> ramp(double t) {
  static constexpr std::array<std::array<float, 3>, 4> stops = {{{0.267f, 0.005f, 0.329f},
                                                                 {0.128f, 0.567f, 0.551f},
                                                                 {0.369f, 0.789f, 0.383f},
                                                                 {0.993f, 0.906f, 0.144f}}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 3.0;
  const auto k = std::min<std::size_t>(2, static_cast<std::size_t>(t));
  const double u = t - static_cast<double>(k);
  std::array<float, 3> c{};
  for (int i = 0; i < 3; ++i)
    c[i] = static_cast<float>((1 - u) * stops[k][i] + u * stops[k + 1][i]);
  return c;
}

std::uint8_t channel(float v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

}  // namespace

std::string glb_bytes(const std::string& json, const std::string& binary) {
  std::string json_chunk = json, bin_chunk = binary;
  while (json_chunk.size() % 4 != 0) json_chunk.push_back(' ');
  while (bin_chunk.size() % 4 != 0) bin_chunk.push_back('\0');
  const auto total = static_cast<std::uint32_t>(12 + 8 + json_chunk.size() +
                                                (bin_chunk.empty() ? 0 : 8) + bin_chunk.size());
  std::string out;
  auto put = [&](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  put(0x46546C67);  // "glTF"
  put(2);
  put(total);
  put(static_cast<std::uint32_t>(json_chunk.size()));
  put(0x4E4F534A);  // "JSON"
  out += json_chunk;
  if (!bin_chunk.empty()) {
    put(static_cast<std::uint32_t>(bin_chunk.size()));
    put(0x004E4942);  // "BIN\0"
    out += bin_chunk;
  }
  return out;
}

GltfExport export_gltf(const std::filesystem::path& run_output, const std::filesystem::path& folder,
                       const std::string& colour_field) {
  const auto file = run_output / "state.nc";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw InputError(run_output.string(), 0, 0,
                     "no state.nc here: not the output of a finished run");
  NetcdfReader reader(file);
  const auto names = reader.variables();
  auto has = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (!has(kElevation))
    throw InputError(file.string(), 0, 0,
                     "--gltf: the run did not record topographic__elevation (outputs.fields), so "
                     "it has no terrain to export");
  std::string field;
  int layer = -1;
  if (!colour_field.empty()) {
    if (!parse_field_name(colour_field, field, layer) || !has(field)) {
      const std::string hint = closest_match(field.empty() ? colour_field : field, names);
      throw InputError(file.string(), 0, 0,
                       "--field: no field '" + colour_field + "' in state.nc" +
                           (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
    const bool layered = reader.info(field).location == Location::layer;
    if (layered != (layer >= 0) || (layered && static_cast<std::size_t>(layer) >= reader.layers()))
      throw InputError(file.string(), 0, 0,
                       "--field: '" + field + "' " +
                           (layered ? "is a layer field: name a layer, NAME[0] to NAME[" +
                                          std::to_string(reader.layers() - 1) + "]"
                                    : "has no layers"));
  }
  const GridGeometry& g = reader.geometry();
  const std::size_t columns = g.columns, rows = g.rows, cells = columns * rows;
  const std::vector<int>& years = reader.years();
  auto read = [&](const std::string& name, std::size_t record, int at_layer = 0) {
    return reader.read(name, reader.time_varying(name) ? record : 0,
                       static_cast<std::size_t>(std::max(0, at_layer)));
  };

  // The lowest elevation and the colour field's range over every recorded year: one frame of
  // reference and one colour scale for the whole replay.
  double base = std::numeric_limits<double>::infinity();
  double low = base, high = -base;
  for (std::size_t r = 0; r < years.size(); ++r) {
    for (double z : read(kElevation, r))
      if (z != kFillValue) base = std::min(base, z);
    if (!field.empty())
      for (double v : read(field, r, layer))
        if (v != kFillValue && std::isfinite(v)) {
          low = std::min(low, v);
          high = std::max(high, v);
        }
  }
  if (!std::isfinite(base)) base = 0;

  std::filesystem::create_directories(folder);
  GltfExport result;
  result.vertices = cells;
  const double cell = g.cell_size_m;
  for (std::size_t r = 0; r < years.size(); ++r) {
    const std::vector<double> z = read(kElevation, r);
    std::vector<double> cover, lake, values;
    if (field.empty()) {
      if (has("vegetation__cover_fraction")) cover = read("vegetation__cover_fraction", r);
      if (has("pit_lake__volume")) lake = read("pit_lake__volume", r);
    } else {
      values = read(field, r, layer);
    }
    auto valid = [&](std::size_t c) { return z[c] != kFillValue; };
    std::vector<float> positions(3 * cells), normals(3 * cells);
    std::vector<std::uint8_t> colours(4 * cells);
    for (std::size_t j = 0; j < rows; ++j)
      for (std::size_t i = 0; i < columns; ++i) {
        const std::size_t c = j * columns + i;
        const double height = valid(c) ? z[c] - base : 0.0;
        positions[3 * c] = static_cast<float>((static_cast<double>(i) + 0.5) * cell);
        positions[3 * c + 1] = static_cast<float>(height);
        positions[3 * c + 2] = static_cast<float>((static_cast<double>(j) + 0.5) * cell);
        // Normal (-dz/dx, 1, -dz/dsouth), from the valid neighbours (one-sided at edges).
        auto at = [&](std::size_t ii, std::size_t jj) { return z[jj * columns + ii]; };
        auto slope = [&](bool along_x) {
          const std::size_t n = along_x ? columns : rows, k = along_x ? i : j;
          const std::size_t before = k > 0 ? k - 1 : k, after = k + 1 < n ? k + 1 : k;
          auto value = [&](std::size_t m) { return along_x ? at(m, j) : at(i, m); };
          std::size_t a = before, b = after;
          if (value(a) == kFillValue) a = k;
          if (value(b) == kFillValue) b = k;
          if (a == b || !valid(c)) return 0.0;
          return (value(b) - value(a)) / (static_cast<double>(b - a) * cell);
        };
        const double dx = slope(true), dz = slope(false);
        const double length = std::sqrt(dx * dx + 1.0 + dz * dz);
        normals[3 * c] = static_cast<float>(-dx / length);
        normals[3 * c + 1] = static_cast<float>(1.0 / length);
        normals[3 * c + 2] = static_cast<float>(-dz / length);
        std::array<float, 3> rgb{0.5f, 0.5f, 0.5f};
        if (!field.empty()) {
          rgb = ramp(high > low ? (values[c] - low) / (high - low) : 0.5);
        } else if (!lake.empty() && lake[c] != kFillValue && lake[c] > 0) {
          rgb = land_cover::kWater;
        } else {
          rgb = land_cover::by_cover(
              cover.empty() || cover[c] == kFillValue ? 0.0 : std::clamp(cover[c], 0.0, 1.0));
        }
        for (int k = 0; k < 3; ++k)
          colours[4 * c + static_cast<std::size_t>(k)] = channel(rgb[static_cast<std::size_t>(k)]);
        colours[4 * c + 3] = 255;
      }
    // Two counter-clockwise triangles (seen from above) per square of four valid cells.
    std::vector<std::uint32_t> indices;
    indices.reserve(6 * (columns > 0 ? columns - 1 : 0) * (rows > 0 ? rows - 1 : 0));
    for (std::size_t j = 0; j + 1 < rows; ++j)
      for (std::size_t i = 0; i + 1 < columns; ++i) {
        const auto v00 = static_cast<std::uint32_t>(j * columns + i), v10 = v00 + 1,
                   v01 = static_cast<std::uint32_t>(v00 + columns), v11 = v01 + 1;
        if (!valid(v00) || !valid(v10) || !valid(v01) || !valid(v11)) continue;
        indices.insert(indices.end(), {v00, v01, v10, v10, v01, v11});
      }
    result.triangles = indices.size() / 3;

    std::array<float, 3> lo{}, hi{};
    for (int k = 0; k < 3; ++k) {
      lo[static_cast<std::size_t>(k)] = std::numeric_limits<float>::infinity();
      hi[static_cast<std::size_t>(k)] = -std::numeric_limits<float>::infinity();
    }
    for (std::size_t c = 0; c < cells; ++c)
      for (std::size_t k = 0; k < 3; ++k) {
        lo[k] = std::min(lo[k], positions[3 * c + k]);
        hi[k] = std::max(hi[k], positions[3 * c + k]);
      }
    std::string binary;
    const std::size_t position_offset = binary.size();
    append(binary, positions);
    const std::size_t normal_offset = binary.size();
    append(binary, normals);
    const std::size_t colour_offset = binary.size();
    append(binary, colours);
    const std::size_t index_offset = binary.size();
    append(binary, indices);
    const bool any_triangle = !indices.empty();

    std::ostringstream json;
    json << "{\"asset\":{\"version\":\"2.0\",\"generator\":\"MineTwin " << program_version()
         << "\"},\"scene\":0,\"scenes\":[{\"name\":\"" << years[r]
         << "\",\"nodes\":[0],\"extras\":{\"minetwin\":{\"year\":" << years[r]
         << ",\"run\":" << json_string(run_output.filename().string()) << ",\"origin\":["
         << format_number(g.west_m) << "," << format_number(g.north_m) << "," << format_number(base)
         << "],\"axes\":\"x east, y up, z south (m from origin: west, north, "
            "lowest elevation)\",\"colour\":"
         << json_string(field.empty() ? "land cover" : colour_field);
    if (!field.empty())
      json << ",\"colour_range\":[" << format_number(low) << "," << format_number(high) << "]";
    json << ",\"crs_wkt\":" << json_string(g.crs_wkt) << "}}}],"
         << "\"nodes\":[{\"name\":\"terrain " << years[r] << "\",\"mesh\":0}],"
         << "\"meshes\":[{\"name\":\"terrain\",\"primitives\":[{\"attributes\":{\"POSITION\":0,"
            "\"NORMAL\":1,\"COLOR_0\":2},"
         << (any_triangle ? "\"indices\":3," : "") << "\"mode\":" << (any_triangle ? 4 : 0)
         << ",\"material\":0}]}],"
         << "\"materials\":[{\"name\":\"land\",\"pbrMetallicRoughness\":{\"metallicFactor\":0,"
            "\"roughnessFactor\":1}}],"
         << "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":" << cells
         << ",\"type\":\"VEC3\",\"min\":[" << float_text(lo[0]) << "," << float_text(lo[1]) << ","
         << float_text(lo[2]) << "],\"max\":[" << float_text(hi[0]) << "," << float_text(hi[1])
         << "," << float_text(hi[2]) << "]},"
         << "{\"bufferView\":1,\"componentType\":5126,\"count\":" << cells << ",\"type\":\"VEC3\"},"
         << "{\"bufferView\":2,\"componentType\":5121,\"normalized\":true,\"count\":" << cells
         << ",\"type\":\"VEC4\"}";
    if (any_triangle)
      json << ",{\"bufferView\":3,\"componentType\":5125,\"count\":" << indices.size()
           << ",\"type\":\"SCALAR\"}";
    json << "],\"bufferViews\":[{\"buffer\":0,\"byteOffset\":" << position_offset
         << ",\"byteLength\":" << positions.size() * 4 << ",\"target\":34962},"
         << "{\"buffer\":0,\"byteOffset\":" << normal_offset
         << ",\"byteLength\":" << normals.size() * 4 << ",\"target\":34962},"
         << "{\"buffer\":0,\"byteOffset\":" << colour_offset << ",\"byteLength\":" << colours.size()
         << ",\"target\":34962}";
    if (any_triangle)
      json << ",{\"buffer\":0,\"byteOffset\":" << index_offset
           << ",\"byteLength\":" << indices.size() * 4 << ",\"target\":34963}";
    json << "],\"buffers\":[{\"byteLength\":" << binary.size() << "}]}";

    const auto target = folder / ("terrain_" + std::to_string(years[r]) + ".glb");
    write_file_atomically(target, glb_bytes(json.str(), binary));
    result.files.push_back(target);
  }
  return result;
}

}  // namespace minetwin
