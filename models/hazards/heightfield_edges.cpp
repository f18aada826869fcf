#include "models/hazards/heightfield_edges.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include <BulletCollision/CollisionDispatch/btInternalEdgeUtility.h>
#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>
#include <BulletCollision/CollisionShapes/btTriangleInfoMap.h>

namespace minetwin::hazards {
namespace {

// btGenerateInternalEdgeInfo asks its shape twice: once with an unbounded box for every
// triangle (the outer loop), then for each triangle with the triangle's box (its neighbours).
// This shape answers the outer question with the triangles of a patch of quad rows [first_row,
// end_row) and columns [first_column, end_column) only, and every other question as the whole
// heightfield does, so Bullet's routine fills the entries of the patch's triangles: a tile.
class HeightfieldPatch final : public Heightfield {
 public:
  HeightfieldPatch(const HeightfieldGeometry& g, int first_row, int end_row, int first_column,
                   int end_column)
      : Heightfield(g),
        first_row_(first_row),
        end_row_(end_row),
        first_column_(first_column),
        end_column_(end_column) {}

  void processAllTriangles(btTriangleCallback* callback, const btVector3& box_min,
                           const btVector3& box_max) const override {
    if (box_max.x() < btScalar(BT_LARGE_FLOAT)) {
      btHeightfieldTerrainShape::processAllTriangles(callback, box_min, box_max);
      return;
    }
    // The heightfield passes a triangle as (2 x quad column, + 1 for the quad's second
    // triangle; quad row) in (partId, triangleIndex).
    struct InPatch final : btTriangleCallback {
      btTriangleCallback* inner;
      const HeightfieldPatch& patch;
      InPatch(btTriangleCallback* c, const HeightfieldPatch& p) : inner(c), patch(p) {}
      void processTriangle(btVector3* triangle, int part, int row) override {
        const int column = part / 2;
        if (row >= patch.first_row_ && row < patch.end_row_ && column >= patch.first_column_ &&
            column < patch.end_column_)
          inner->processTriangle(triangle, part, row);
      }
    } in_patch(callback, *this);
    // A box around the patch (grid row r lies at (r - origin) * scale in the shape's frame,
    // column c likewise in x); Bullet widens it by a quad on each side, the filter keeps the
    // patch's own.
    btVector3 low = box_min, high = box_max;
    low.setY((static_cast<btScalar>(first_row_) - m_localOrigin.y()) * m_localScaling.y());
    high.setY((static_cast<btScalar>(end_row_) - m_localOrigin.y()) * m_localScaling.y());
    low.setX((static_cast<btScalar>(first_column_) - m_localOrigin.x()) * m_localScaling.x());
    high.setX((static_cast<btScalar>(end_column_) - m_localOrigin.x()) * m_localScaling.x());
    btHeightfieldTerrainShape::processAllTriangles(&in_patch, low, high);
  }

 private:
  int first_row_, end_row_, first_column_, end_column_;
};

}  // namespace

// Heights as floats scaled by 1, z up (axis 2), Bullet's default split of each quad.
Heightfield::Heightfield(const HeightfieldGeometry& g)
    : btHeightfieldTerrainShape(g.columns, g.rows, g.heights, 1.0, g.low, g.high, 2, PHY_FLOAT,
                                false) {
  setLocalScaling(btVector3(static_cast<btScalar>(g.cell_m), static_cast<btScalar>(g.cell_m), 1));
}

void HeightfieldEdges::reserve(int entries) {
  int capacity = 1;
  while (capacity < entries) capacity *= 2;
  if (capacity <= m_valueArray.capacity()) return;
  m_valueArray.reserve(capacity);
  m_keyArray.reserve(capacity);
  growTables(btHashInt(0));  // the hash and next tables to the new capacity, entries rehashed
}

void build_internal_edge_info_serially(const HeightfieldGeometry& geometry,
                                       btTriangleInfoMap& edges) {
  Heightfield shape(geometry);
  btGenerateInternalEdgeInfo(&shape, &edges);
}

int bullet_triangle_key(int part_id, int triangle_index) {
  // Bullet's `(partId << 21) | triangleIndex` on int, in unsigned arithmetic (the same bits
  // where Bullet's shift overflows).
  return static_cast<int>((static_cast<unsigned>(part_id) << 21) |
                          static_cast<unsigned>(triangle_index));
}

struct EdgeTiles::Tile {
  std::once_flag once;
  int first_row = 0, first_part = 0, parts = 0;  // its triangles: rows x parts from these
  std::vector<btTriangleInfo> entries;           // by (row - first_row) x parts + part offset
};

EdgeTiles::EdgeTiles(const HeightfieldGeometry& geometry)
    : geometry_(geometry),
      tiles_across_(std::max(0, (geometry.columns - 1 + kTileQuads - 1) / kTileQuads)),
      tiles_down_(std::max(0, (geometry.rows - 1 + kTileQuads - 1) / kTileQuads)),
      tiles_(std::make_unique<Tile[]>(static_cast<std::size_t>(tile_count()))) {}

EdgeTiles::~EdgeTiles() = default;

const btTriangleInfo& EdgeTiles::entry(int part_id, int triangle_index) const {
  const int tile = (triangle_index / kTileQuads) * tiles_across_ + part_id / 2 / kTileQuads;
  Tile& t = tiles_[static_cast<std::size_t>(tile)];
  std::call_once(t.once, [&] {
    const int row = (tile / tiles_across_) * kTileQuads,
              column = (tile % tiles_across_) * kTileQuads;
    const int end_row = std::min(geometry_.rows - 1, row + kTileQuads),
              end_column = std::min(geometry_.columns - 1, column + kTileQuads);
    HeightfieldPatch shape(geometry_, row, end_row, column, end_column);
    // A tile spans 32 part ids: no two of its triangles share a key.
    HeightfieldEdges found;
    found.reserve(2 * kTileQuads * kTileQuads);
    btGenerateInternalEdgeInfo(&shape, &found);
    t.first_row = row;
    t.first_part = 2 * column;
    t.parts = 2 * (end_column - column);
    t.entries.resize(static_cast<std::size_t>((end_row - row) * t.parts));
    for (int r = row; r < end_row; ++r)
      for (int p = t.first_part; p < t.first_part + t.parts; ++p) {
        const btTriangleInfo* info = found.find(btHashInt(bullet_triangle_key(p, r)));
        if (info != nullptr)
          t.entries[static_cast<std::size_t>((r - row) * t.parts + p - t.first_part)] = *info;
      }
  });
  return t.entries[static_cast<std::size_t>((triangle_index - t.first_row) * t.parts + part_id -
                                            t.first_part)];
}

int EdgeTiles::computed_tiles() const {
  int computed = 0;
  for (int k = 0; k < tile_count(); ++k)
    computed += !tiles_[static_cast<std::size_t>(k)].entries.empty();
  return computed;
}

}  // namespace minetwin::hazards
