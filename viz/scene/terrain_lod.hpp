#pragma once
/// @file
/// @brief The terrain mesh with view-dependent level of detail: a quadtree of tiles of at most
/// `tile_quads` x `tile_quads` quads, each level half the resolution of the one below; the tiles
/// drawn are those whose quads, seen from the eye, are about `pixel_error` pixels wide (a
/// screen-space error bound in the spirit of chunked LOD, Ulrich 2002). Tiles are built on
/// demand from the surface and dropped when unused, so a 4000 x 4000 DEM draws a few hundred
/// thousand vertices wherever the camera is, and memory follows the view, not the grid.

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Matrixd>
#include <osg/Polytope>
#include <osg/Vec3d>

#include "viz/scene/surface.hpp"

namespace minetwin::viz {

struct LodSettings {
  int tile_quads = 64;       ///< quads along a tile's edge (65 x 65 vertices: 16-bit indices)
  double pixel_error = 3.0;  ///< refine a tile while its quads are wider than this on screen
  /// Tiles newly built per selection (the rest follow in the next frames; their parent is
  /// drawn meanwhile): keeps a frame's work bounded when the camera jumps.
  std::size_t new_tiles_per_frame = 96;
  std::size_t keep_unused_frames = 120;  ///< unused tiles are dropped after this many selections
};

/// A tile of the quadtree: level 0 is full resolution (stride 1 cell), level L has stride 2^L.
struct TileKey {
  int level = 0, column = 0, row = 0;
  std::uint64_t id() const {
    return (std::uint64_t(level) << 48) | (std::uint64_t(row) << 24) | std::uint64_t(column);
  }
};

class TerrainLod {
 public:
  TerrainLod(const GridGeometry& geometry, const LodSettings& settings = {});

  /// The node to put in the scene; its drawables are the selected tiles.
  osg::Geode* node() const { return node_.get(); }
  /// Shows @p surface: the tiles in use are refreshed from it at the next selection.
  void set_surface(std::shared_ptr<const BlendedSurface> surface);
  /// Chooses the tiles for an eye at @p eye (scene coordinates) whose screen has
  /// @p pixels_per_radian (viewport height / (2 tan(fovy / 2))), builds or refreshes them.
  /// Tiles outside @p frustum (when given) are not refined: they are not seen.
  void select(const osg::Vec3d& eye, double pixels_per_radian,
              const osg::Polytope* frustum = nullptr);
  /// The same for a camera with these matrices: its eye, and its view frustum.
  void select(const osg::Matrixd& view, const osg::Matrixd& projection, double pixels_per_radian);
  /// False while some wanted tiles wait for a later selection (the new-tile budget ran out).
  bool settled() const { return !pending_; }

  struct Stats {
    std::size_t tiles = 0;          ///< drawn
    std::size_t vertices = 0;       ///< drawn (skirts included)
    std::size_t built = 0;          ///< tiles built or refreshed in the last selection
    std::size_t cached = 0;         ///< tiles held in memory
    std::vector<TileKey> selected;  ///< the drawn tiles
  };
  const Stats& stats() const { return stats_; }
  int levels() const { return root_level_ + 1; }
  /// The cell span of a tile: first and last column and row (inclusive vertex range).
  void span(const TileKey& key, std::size_t& column0, std::size_t& column1, std::size_t& row0,
            std::size_t& row1) const;

 private:
  struct Tile {
    osg::ref_ptr<osg::Geometry> geometry;
    std::uint64_t version = 0;
    std::size_t last_used = 0;
  };
  double projected_error(const TileKey& key, const osg::Vec3d& eye, double pixels_per_radian) const;
  bool exists(const TileKey& key) const;
  bool in_view(const TileKey& key);
  bool built(const TileKey& key) const;
  void visit(const TileKey& key, const osg::Vec3d& eye, double pixels_per_radian,
             std::size_t& budget);
  void draw(const TileKey& key);
  void refresh_drawn();
  void fill(const TileKey& key, Tile& tile) const;

  GridGeometry geometry_;
  LodSettings settings_;
  int root_level_ = 0;
  osg::ref_ptr<osg::Geode> node_;
  std::shared_ptr<const BlendedSurface> surface_;
  std::uint64_t version_ = 0;
  std::size_t selection_ = 0;
  bool pending_ = false;
  osg::Polytope frustum_;  // of the selection under way (contains() keeps a mask stack)
  bool has_frustum_ = false;
  std::unordered_map<std::uint64_t, Tile> tiles_;
  Stats stats_;
};

}  // namespace minetwin::viz
