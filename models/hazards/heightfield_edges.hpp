#pragma once
/// @file
/// @brief The internal-edge information of a rockfall heightfield (Bullet's
/// btGenerateInternalEdgeInfo), built a tile at a time where blocks touch it, with the same
/// entries.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>
#include <BulletCollision/CollisionShapes/btTriangleInfoMap.h>

namespace minetwin::hazards {

/// Bullet's map of triangle edge information, with room made before a bulk insert: btHashMap
/// grows by doubling and rehashes every entry each time (a third of the build on 1024^2).
/// Lookups and the entries' order are those of a map that grew by itself.
class HeightfieldEdges : public btTriangleInfoMap {
 public:
  /// Room for @p entries without growing (btHashMap's mask needs a power-of-two capacity).
  void reserve(int entries);
};

/// The heightfield as Bullet's btHeightfieldTerrainShape sees it: @p columns x @p rows float
/// heights (row-major), the height range [@p low, @p high] and the horizontal cell size.
struct HeightfieldGeometry {
  int columns = 0, rows = 0;
  const float* heights = nullptr;
  float low = 0, high = 0;
  double cell_m = 1;
};

/// The heightfield shape of @p geometry: the one constructor of the rockfall worlds' terrain
/// and of the edge information, whose entries are valid only for the same vertices to the bit.
class Heightfield : public btHeightfieldTerrainShape {
 public:
  explicit Heightfield(const HeightfieldGeometry& geometry);
};

/// The internal-edge information of a heightfield, a tile of quads at a time, computed when a
/// block first touches the tile: a hazard year's blocks touch a small part of a large site, and
/// the whole heightfield's information costs about 0.8 s on 1024^2 (16 M cells: 13 s) each
/// hazard year. A triangle's entry is that of Bullet's routine (each entry depends only on its
/// triangle's neighbours, which the tile's computation asks the whole heightfield for).
/// Thread-safe: each tile is computed once, by whichever batch needs it first.
class EdgeTiles {
 public:
  /// Quads per tile side: a block's path of a few dozen cells touches a few tiles.
  static constexpr int kTileQuads = 16;

  explicit EdgeTiles(const HeightfieldGeometry& geometry);
  ~EdgeTiles();
  EdgeTiles(const EdgeTiles&) = delete;
  EdgeTiles& operator=(const EdgeTiles&) = delete;

  int tile_count() const { return tiles_across_ * tiles_down_; }
  /// Whether (@p part_id, @p triangle_index) is a triangle of the heightfield as Bullet numbers
  /// them: part 2 x quad column (+ 1 for the quad's second triangle), index the quad row
  /// (btHeightfieldTerrainShape::processAllTriangles).
  bool has(int part_id, int triangle_index) const {
    return part_id >= 0 && triangle_index >= 0 && part_id < 2 * (geometry_.columns - 1) &&
           triangle_index < geometry_.rows - 1;
  }
  /// Bullet's entry for the triangle (has() must hold), its tile computed on first use.
  const btTriangleInfo& entry(int part_id, int triangle_index) const;
  /// How many tiles were computed (for tests and the benchmark).
  int computed_tiles() const;

 private:
  struct Tile;
  HeightfieldGeometry geometry_;
  int tiles_across_ = 0, tiles_down_ = 0;
  std::unique_ptr<Tile[]> tiles_;
};

/// Bullet's key for a triangle's entry (btInternalEdgeUtility's hash: the part id shifted by 21
/// bits over the triangle index). The part id keeps 11 bits: on a heightfield wider than 1 025
/// columns, triangles 1 024 columns apart share a key.
int bullet_triangle_key(int part_id, int triangle_index);

/// One Bullet world's map of internal-edge information, given each triangle's entry when a
/// contact with it is added (Bullet's lookups are not safe against an insert from another
/// thread, so every world has its own map). The entry goes in each time: where two triangles
/// share a key (bullet_triangle_key), the map holds the one in contact, not the other's.
class TouchedEdges {
 public:
  explicit TouchedEdges(const EdgeTiles& tiles) : tiles_(tiles) {}
  btTriangleInfoMap& map() { return map_; }
  /// Puts the entry of the triangle (@p part_id, @p triangle_index) under its key.
  void touch(int part_id, int triangle_index) {
    if (tiles_.has(part_id, triangle_index))
      map_.insert(btHashInt(bullet_triangle_key(part_id, triangle_index)),
                  tiles_.entry(part_id, triangle_index));
  }

 private:
  const EdgeTiles& tiles_;
  btTriangleInfoMap map_;
};

/// Bullet's serial routine on the whole shape: the reference for the test, and what the tiles
/// reproduce.
void build_internal_edge_info_serially(const HeightfieldGeometry& geometry,
                                       btTriangleInfoMap& edges);

}  // namespace minetwin::hazards
