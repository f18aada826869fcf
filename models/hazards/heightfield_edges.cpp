#include "models/hazards/heightfield_edges.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include <BulletCollision/CollisionDispatch/btInternalEdgeUtility.h>
#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>
#include <BulletCollision/CollisionShapes/btTriangleInfoMap.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace minetwin::hazards {
namespace {

// btGenerateInternalEdgeInfo asks its shape twice: once with an unbounded box for every
// triangle (the outer loop), then for each triangle with the triangle's box (its neighbours).
// This shape answers the outer question with the triangles of its rows only and every other
// question as the whole heightfield does, so Bullet's routine fills the entries of one band.
class HeightfieldBand final : public Heightfield {
 public:
  HeightfieldBand(const HeightfieldGeometry& g, int first_row, int end_row)
      : Heightfield(g), first_row_(first_row), end_row_(end_row) {}

  void processAllTriangles(btTriangleCallback* callback, const btVector3& box_min,
                           const btVector3& box_max) const override {
    if (box_max.x() < btScalar(BT_LARGE_FLOAT)) {
      btHeightfieldTerrainShape::processAllTriangles(callback, box_min, box_max);
      return;
    }
    // The heightfield passes a triangle's quad column and row as (partId, triangleIndex).
    struct InBand final : btTriangleCallback {
      btTriangleCallback* inner;
      int first, end;
      InBand(btTriangleCallback* c, int f, int e) : inner(c), first(f), end(e) {}
      void processTriangle(btVector3* triangle, int column, int row) override {
        if (row >= first && row < end) inner->processTriangle(triangle, column, row);
      }
    } in_band(callback, first_row_, end_row_);
    // A box around the band's rows (grid row r lies at (r - origin) * scale in the shape's
    // frame); Bullet widens it by a row on each side, the filter keeps the band's own.
    btVector3 low = box_min, high = box_max;
    low.setY((static_cast<btScalar>(first_row_) - m_localOrigin.y()) * m_localScaling.y());
    high.setY((static_cast<btScalar>(end_row_) - m_localOrigin.y()) * m_localScaling.y());
    btHeightfieldTerrainShape::processAllTriangles(&in_band, low, high);
  }

 private:
  int first_row_, end_row_;
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

void build_internal_edge_info(const HeightfieldGeometry& geometry, HeightfieldEdges& edges) {
  const int quad_rows = geometry.rows - 1;
  if (quad_rows <= 0 || geometry.columns < 2) return;
  // Bands of 16 quad rows: enough bands to share among threads, each worth a task.
  constexpr int kBandRows = 16;
  const int bands = (quad_rows + kBandRows - 1) / kBandRows;
  // An entry per triangle: two per quad.
  const int entries_per_row = 2 * (geometry.columns - 1);
  std::vector<std::unique_ptr<HeightfieldEdges>> parts(static_cast<std::size_t>(bands));
  tbb::parallel_for(tbb::blocked_range<int>(0, bands, 1), [&](const tbb::blocked_range<int>& r) {
    for (int b = r.begin(); b < r.end(); ++b) {
      const int first = b * kBandRows, end = std::min(quad_rows, (b + 1) * kBandRows);
      auto part = std::make_unique<HeightfieldEdges>();
      part->reserve(entries_per_row * (end - first));
      HeightfieldBand shape(geometry, first, end);
      btGenerateInternalEdgeInfo(&shape, part.get());
      parts[static_cast<std::size_t>(b)] = std::move(part);
    }
  });
  // Row order, and within a band Bullet's own order: the serial routine's insertion order.
  edges.reserve(edges.size() + entries_per_row * quad_rows);
  for (auto& part : parts) {
    for (int k = 0; k < part->size(); ++k)
      edges.insert(part->getKeyAtIndex(k), *part->getAtIndex(k));
    part.reset();
  }
}

}  // namespace minetwin::hazards
