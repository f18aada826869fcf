#pragma once
/// @file
/// @brief `minetwin export OUT --gltf DIR`: the terrain of every recorded year of a run as a
/// binary glTF 2.0 file (docs/viewer.md, "glTF export"), for Blender, QGIS 3D, Cesium and any
/// other glTF viewer.
///
/// Each `terrain_YEAR.glb` holds one mesh: a vertex at every cell centre (X east, Y up, Z south,
/// metres from the grid's north-west corner and the lowest recorded elevation: glTF is Y-up and
/// right-handed), two triangles per square of four valid cells, normals from the elevation's
/// central differences, and per-vertex colours: the land-cover look (bare ground to vegetation by
/// the cover fraction, water where pit lakes stand) or a field on a colour ramp whose ends are the
/// field's range over every recorded year. The year, the CRS and the offsets are in the scene's
/// `extras.minetwin` (glTF 2.0 §3.2: application-specific data).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace minetwin {

struct GltfExport {
  std::vector<std::filesystem::path> files;  ///< one per recorded year
  std::size_t vertices = 0;                  ///< per file: the grid's cells
  std::size_t triangles = 0;                 ///< in the last year's mesh
};

/// Writes `terrain_YEAR.glb` for every recorded year of @p run_output into @p folder (made when
/// absent). @p colour_field: "" for the land-cover look, else a cell field of state.nc (or
/// NAME[LAYER] for a layer field). Every problem (no state.nc, no recorded elevation, an unknown
/// field) throws InputError before anything is written.
GltfExport export_gltf(const std::filesystem::path& run_output, const std::filesystem::path& folder,
                       const std::string& colour_field);

/// The bytes of a binary glTF 2.0 file: the 12-byte header, the JSON chunk (padded with
/// spaces) and the BIN chunk (padded with zeros), each 4-byte aligned (glTF 2.0 §4.4).
std::string glb_bytes(const std::string& json, const std::string& binary);

}  // namespace minetwin
