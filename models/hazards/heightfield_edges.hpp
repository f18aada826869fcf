#pragma once
/// @file
/// @brief The internal-edge information of a rockfall heightfield (Bullet's
/// btGenerateInternalEdgeInfo), built in parallel bands of rows with the same result.

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

/// Fills @p edges (empty) with the entries btGenerateInternalEdgeInfo gives for the shape built
/// from @p geometry, in the same insertion order, using the TBB threads. A triangle's entry
/// depends only on its own neighbours, so bands of rows are built independently by Bullet's own
/// routine and appended in row order (tests/verification/test_rockfall.cpp compares every entry
/// with the serial routine's).
void build_internal_edge_info(const HeightfieldGeometry& geometry, HeightfieldEdges& edges);

/// Bullet's serial routine on the same shape: the reference for the test, and what
/// build_internal_edge_info reproduces.
void build_internal_edge_info_serially(const HeightfieldGeometry& geometry,
                                       btTriangleInfoMap& edges);

}  // namespace minetwin::hazards
