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
/// hazard year. A tile's entries are those of Bullet's routine for its triangles (each entry
/// depends only on its triangle's neighbours, which the tile's computation asks the whole
/// heightfield for). Thread-safe: each tile is computed once, by whichever batch needs it first.
class EdgeTiles {
 public:
  using Entries = std::vector<std::pair<int, btTriangleInfo>>;  ///< (Bullet's key, entry)
  /// Quads per tile side: a block's path of a few dozen cells touches a few tiles.
  static constexpr int kTileQuads = 16;

  explicit EdgeTiles(const HeightfieldGeometry& geometry);
  ~EdgeTiles();
  EdgeTiles(const EdgeTiles&) = delete;
  EdgeTiles& operator=(const EdgeTiles&) = delete;

  int tile_count() const { return tiles_across_ * tiles_down_; }
  /// The tile of a heightfield triangle as Bullet numbers it: part 2 x column (+ 1 for the
  /// quad's second triangle), index the row (btHeightfieldTerrainShape::processAllTriangles).
  int tile_of(int part_id, int triangle_index) const {
    return (triangle_index / kTileQuads) * tiles_across_ + (part_id / 2) / kTileQuads;
  }
  /// The entries of tile @p tile, in the order Bullet's routine inserts them.
  const Entries& entries(int tile) const;
  /// How many tiles were computed (for tests and the benchmark).
  int computed_tiles() const;

 private:
  struct Tile;
  HeightfieldGeometry geometry_;
  int tiles_across_ = 0, tiles_down_ = 0;
  std::unique_ptr<Tile[]> tiles_;
};

/// One Bullet world's map of internal-edge information, filled from the shared tiles as its
/// blocks touch them (Bullet's lookups are not safe against an insert from another thread, so
/// every world has its own map; the entries are equal, being the tiles').
class TouchedEdges {
 public:
  explicit TouchedEdges(const EdgeTiles& tiles)
      : tiles_(tiles), copied_(static_cast<std::size_t>(tiles.tile_count()), 0) {}
  btTriangleInfoMap& map() { return map_; }
  /// Makes sure the map holds the entry of the triangle (@p part_id, @p triangle_index).
  void touch(int part_id, int triangle_index);

 private:
  const EdgeTiles& tiles_;
  std::vector<std::uint8_t> copied_;
  btTriangleInfoMap map_;
};

/// Bullet's serial routine on the whole shape: the reference for the test, and what the tiles
/// reproduce.
void build_internal_edge_info_serially(const HeightfieldGeometry& geometry,
                                       btTriangleInfoMap& edges);

}  // namespace minetwin::hazards
