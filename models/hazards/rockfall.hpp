#pragma once
/// @file
/// @brief Rockfall trajectories: Bullet Physics rigid bodies on a heightfield of the current
/// terrain (docs/models/hazards.md). Pure model: no State; the component and the
/// `minetwin hazard rockfall` tool feed it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/grid/raster_grid.hpp"
#include "models/hazards/surfaces.hpp"

namespace minetwin::hazards {

/// The terrain in the model's frame: x = column x cell size, y = row x cell size, z up. (The y
/// axis points south: a mirror image of the map, which gravity along z does not mind.)
struct RockfallTerrain {
  std::size_t columns = 0, rows = 0;
  double cell_m = 1.0;
  std::vector<float> elevation;            ///< rows x columns; NaN outside the site
  std::vector<Surface> surface;            ///< per cell
  std::vector<float> cover;                ///< woody cover 0..1 scaling the stems
  std::vector<float> barrier_capacity_kj;  ///< per cell, 0: no barrier (may be empty)
  std::vector<std::uint8_t> watched;       ///< per cell, 1: protected (may be empty)
  std::array<SurfaceProperties, kSurfaceCount> properties = default_surface_properties();

  std::size_t cell_count() const { return columns * rows; }
  /// Ground height at (x, y) on the same triangles as Bullet's heightfield (each cell quad
  /// split along the diagonal from (i + 1, j) to (i, j + 1)); NaN outside.
  double ground(double x, double y) const;
};

/// The terrain of @p grid: its elevation (NaN on invalid cells), every cell @p surface, no woody
/// cover, no barriers. Callers set the surfaces, cover and barriers they know.
RockfallTerrain terrain_on_grid(const RasterGrid& grid, std::span<const double> elevation,
                                Surface surface = Surface::soil);

enum class BlockShape : std::uint8_t { sphere, box };

/// Half extents of the box block of @p volume_m3: axes 1 : 0.8 : 0.6 (a blocky fragment).
std::array<double, 3> box_half_extents_m(double volume_m3);

/// One block's start.
struct BlockStart {
  double x = 0, y = 0, z = 0;     ///< centre (model frame, m)
  double vx = 0, vy = 0, vz = 0;  ///< m/s
  double volume_m3 = 0.5;
  double pitch_rad = 0;  ///< initial rotation about the y axis (a box resting on a slope in x)
  /// A lumped mass (RocFall's lumped-mass method): the body never rotates, so it slides where
  /// a rigid block would roll.
  bool lumped_mass = false;
  BlockShape shape = BlockShape::sphere;
  std::size_t source_cell = 0;
};

struct RockfallOptions {
  double density_kg_m3 = 2650.0;
  double time_step_s = 1.0 / 120.0;  ///< docs/models/hazards.md: accuracy at this step
  double max_seconds = 60.0;
  double stop_speed_m_s = 0.15;  ///< a block this slow for stop_after_s has stopped
  double stop_after_s = 0.5;
  /// A block that moved less than its radius (horizontally) over this time is trapped in a
  /// hollow, rocking: stopped.
  double trapped_after_s = 2.0;
  std::size_t batch_size =
      32;  ///< blocks per Bullet world (fixed: results do not depend on threads)
};

/// How a block's journey ended.
enum class BlockEnd : std::uint8_t { stopped, barrier, left_site, timed_out };

struct BlockOutcome {
  double start_x = 0, start_y = 0, end_x = 0, end_y = 0;
  double runout_m = 0;  ///< horizontal distance from start to stop
  double max_energy_kj = 0;
  double seconds = 0;
  BlockEnd end = BlockEnd::stopped;
  bool reached_watched = false;  ///< passed over a watched (protected) cell
};

struct RockfallResult {
  std::size_t blocks = 0;
  std::vector<std::uint32_t> passes;  ///< per cell: blocks that passed over it
  std::vector<float> max_energy_kj;   ///< per cell: largest kinetic energy (translation + rotation)
  std::vector<float> max_height_m;    ///< per cell: largest clearance of the block's base
  std::vector<BlockOutcome> outcomes;  ///< per block
  double lowest_clearance_m = 0;       ///< min over blocks and steps of (centre - radius - ground)
};

/// One step of one block, for tests and diagnostics: block index, time (s), position, velocity.
using TrajectoryObserver = std::function<void(std::size_t block, double t, const double* position,
                                              const double* velocity)>;

/// Simulates every block: batches of options.batch_size blocks share a Bullet world (blocks do
/// not collide with each other), batches run in parallel with TBB. With an observer the
/// batches run one after the other (the observer need not be thread-safe).
RockfallResult simulate_blocks(const RockfallTerrain& terrain,
                               const std::vector<BlockStart>& blocks,
                               const RockfallOptions& options,
                               const TrajectoryObserver& observer = {});

/// Release positions: @p per_source blocks on each source cell, centred on the cell with a
/// random offset of up to a quarter cell, just above the ground, at rest, volumes uniform in
/// [volume_min, volume_max]; keyed random numbers (seed, cell, block) so that the blocks do not
/// depend on the order of the sources.
std::vector<BlockStart> release_blocks(const RockfallTerrain& terrain,
                                       const std::vector<std::size_t>& source_cells,
                                       std::size_t per_source, double volume_min_m3,
                                       double volume_max_m3, BlockShape shape, std::uint64_t seed);

/// Hazard class from reach probability and energy, after the Swiss hazard matrix (intensity
/// E < 30 kJ low, 30-300 medium, > 300 high; Raetzo et al. 2002); reach probability < 1 %
/// low, 1-10 % medium, >= 10 % high (MineTwin's reading of the frequency classes for one
/// release scenario). 0: not reached; 1 low, 2 medium, 3 high.
int hazard_class(double reach_probability, double energy_kj);

}  // namespace minetwin::hazards
