#include "models/hazards/rockfall.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <numbers>

#include <BulletCollision/CollisionDispatch/btInternalEdgeUtility.h>
#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>
#include <BulletCollision/CollisionShapes/btTriangleInfoMap.h>
#include <btBulletDynamicsCommon.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/core/random.hpp"
#include "models/hazards/heightfield_edges.hpp"

namespace minetwin::hazards {

double RockfallTerrain::ground(double x, double y) const {
  const double fi = x / cell_m, fj = y / cell_m;
  if (columns < 2 || rows < 2 || fi < 0 || fj < 0 || fi > static_cast<double>(columns - 1) ||
      fj > static_cast<double>(rows - 1))
    return std::numeric_limits<double>::quiet_NaN();
  const auto i = std::min(static_cast<std::size_t>(fi), columns - 2);
  const auto j = std::min(static_cast<std::size_t>(fj), rows - 2);
  const double u = fi - static_cast<double>(i), v = fj - static_cast<double>(j);
  const double h00 = elevation[j * columns + i], h10 = elevation[j * columns + i + 1],
               h01 = elevation[(j + 1) * columns + i], h11 = elevation[(j + 1) * columns + i + 1];
  // Bullet's default split (btHeightfieldTerrainShape::processAllTriangles): triangles
  // (i,j)-(i,j+1)-(i+1,j) and (i+1,j)-(i,j+1)-(i+1,j+1).
  if (u + v <= 1.0) return h00 + u * (h10 - h00) + v * (h01 - h00);
  return h11 + (1.0 - u) * (h01 - h11) + (1.0 - v) * (h10 - h11);
}

RockfallTerrain terrain_on_grid(const RasterGrid& grid, std::span<const double> elevation,
                                Surface surface) {
  RockfallTerrain terrain;
  terrain.columns = grid.columns();
  terrain.rows = grid.rows();
  terrain.cell_m = grid.cell_size_m();
  terrain.elevation.resize(grid.cell_count());
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    terrain.elevation[c] = grid.is_valid(c) ? static_cast<float>(elevation[c]) : NAN;
  terrain.surface.assign(grid.cell_count(), surface);
  terrain.cover.assign(grid.cell_count(), 0.0f);
  return terrain;
}

std::array<double, 3> box_half_extents_m(double volume_m3) {
  const double a = std::cbrt(volume_m3 / (0.8 * 0.6)) / 2.0;
  return {a, 0.8 * a, 0.6 * a};
}

int hazard_class(double reach_probability, double energy_kj) {
  if (reach_probability <= 0) return 0;
  const int p = reach_probability < 0.01 ? 0 : reach_probability < 0.1 ? 1 : 2;
  const int e = energy_kj < 30 ? 0 : energy_kj <= 300 ? 1 : 2;
  static constexpr int kMatrix[3][3] = {{1, 1, 2}, {1, 2, 3}, {2, 3, 3}};
  return kMatrix[p][e];
}

namespace {

constexpr double kGravity = 9.81;
constexpr int kTerrainGroup = 1, kBlockGroup = 2;

double sphere_radius(double volume) {
  return std::cbrt(3.0 * volume / (4.0 * std::numbers::pi));
}

btVector3 box_half_extents(double volume) {
  const auto h = box_half_extents_m(volume);
  return {static_cast<btScalar>(h[0]), static_cast<btScalar>(h[1]), static_cast<btScalar>(h[2])};
}

struct Visit {
  std::size_t cell;
  float energy_kj;
  float height_m;
};

struct LiveBlock {
  std::size_t index = 0;
  std::unique_ptr<btCollisionShape> shape;
  std::unique_ptr<btRigidBody> body;
  double mass = 0, radius = 0;
  double slow_seconds = 0, seconds = 0;
  double anchor_x = 0, anchor_y = 0, anchor_seconds = 0;  ///< where it was when last checked
  std::size_t last_barrier_cell = std::numeric_limits<std::size_t>::max();
  std::vector<Visit> visits;
  bool done = false;
  bool touching = false;     ///< in contact with the terrain after the last step
  double contact_cos = 1.0;  ///< cosine of the slope at that contact (contact normal's z)
};

// One Bullet world with its heightfield and a batch of blocks.
// Contacts with a heightfield's triangles report the triangle's edge normal where a block rolls
// over an internal edge, a bump that does not exist on the surface; Bullet's internal-edge
// utility corrects the normal from the triangles' adjacency (btInternalEdgeUtility).
bool adjust_internal_edges(btManifoldPoint& point, const btCollisionObjectWrapper* object0,
                           int part0, int index0, const btCollisionObjectWrapper* object1,
                           int part1, int index1) {
  // The terrain side of the contact is the heightfield's triangle; its object, the terrain,
  // points to its world's map of edge information, which gets the triangle's entry first.
  const bool terrain_first =
      object0->getCollisionObject()->getCollisionShape()->getShapeType() == TERRAIN_SHAPE_PROXYTYPE;
  const btCollisionObjectWrapper* terrain = terrain_first ? object0 : object1;
  const int part = terrain_first ? part0 : part1, index = terrain_first ? index0 : index1;
  static_cast<TouchedEdges*>(terrain->getCollisionObject()->getUserPointer())->touch(part, index);
  btAdjustInternalEdgeContacts(point, terrain, terrain_first ? object1 : object0, part, index);
  return true;
}

class BatchWorld {
 public:
  BatchWorld(const HeightfieldGeometry& geometry, const EdgeTiles& edges)
      : dispatcher_(&configuration_),
        world_(&dispatcher_, &broadphase_, &solver_, &configuration_),
        terrain_shape_(geometry),
        edges_(edges) {
    world_.setGravity(btVector3(0, 0, static_cast<btScalar>(-kGravity)));
    // Penetration is always resolved by split impulses (a separate position correction), so the
    // normal impulse, and the Coulomb friction bound mu N with it, carry no correction term.
    world_.getSolverInfo().m_splitImpulse = 1;
    world_.getSolverInfo().m_splitImpulsePenetrationThreshold = 0;
    terrain_shape_.setTriangleInfoMap(&edges_.map());
    // Bullet centres a heightfield on its bounding box: move it so that vertex (i, j) is at
    // (i * cell, j * cell, elevation).
    btTransform origin;
    origin.setIdentity();
    origin.setOrigin(btVector3(
        static_cast<btScalar>(0.5 * static_cast<double>(geometry.columns - 1) * geometry.cell_m),
        static_cast<btScalar>(0.5 * static_cast<double>(geometry.rows - 1) * geometry.cell_m),
        static_cast<btScalar>(0.5 * (geometry.low + geometry.high))));
    btRigidBody::btRigidBodyConstructionInfo info(0, nullptr, &terrain_shape_);
    info.m_startWorldTransform = origin;
    terrain_body_ = std::make_unique<btRigidBody>(info);
    terrain_body_->setUserIndex(-1);
    terrain_body_->setUserPointer(&edges_);  // for the contact callback
    // Contact values are products of the two bodies' (btManifoldResult): the terrain's are 1
    // (rolling 0), so a contact takes the block's values, set from the cell under it.
    terrain_body_->setFriction(1);
    terrain_body_->setRestitution(1);
    terrain_body_->setRollingFriction(0);
    terrain_body_->setSpinningFriction(0);
    terrain_body_->setCollisionFlags(terrain_body_->getCollisionFlags() |
                                     btCollisionObject::CF_CUSTOM_MATERIAL_CALLBACK);
    world_.addRigidBody(terrain_body_.get(), kTerrainGroup, kBlockGroup);
  }
  ~BatchWorld() {
    for (auto& block : blocks_)
      if (block.body && !block.done) world_.removeRigidBody(block.body.get());
    world_.removeRigidBody(terrain_body_.get());
  }
  BatchWorld(const BatchWorld&) = delete;
  BatchWorld& operator=(const BatchWorld&) = delete;

  void add(std::size_t index, const BlockStart& start, double density) {
    LiveBlock block;
    block.index = index;
    if (start.shape == BlockShape::sphere) {
      block.radius = sphere_radius(start.volume_m3);
      block.shape = std::make_unique<btSphereShape>(static_cast<btScalar>(block.radius));
    } else {
      const btVector3 half = box_half_extents(start.volume_m3);
      block.radius = half.length();
      block.shape = std::make_unique<btBoxShape>(half);
    }
    block.mass = density * start.volume_m3;
    block.anchor_x = start.x;
    block.anchor_y = start.y;
    btVector3 inertia(0, 0, 0);
    block.shape->calculateLocalInertia(static_cast<btScalar>(block.mass), inertia);
    btRigidBody::btRigidBodyConstructionInfo info(static_cast<btScalar>(block.mass), nullptr,
                                                  block.shape.get(), inertia);
    btTransform t;
    t.setIdentity();
    t.setRotation(btQuaternion(btVector3(0, 1, 0), static_cast<btScalar>(start.pitch_rad)));
    t.setOrigin(btVector3(static_cast<btScalar>(start.x), static_cast<btScalar>(start.y),
                          static_cast<btScalar>(start.z)));
    info.m_startWorldTransform = t;
    block.body = std::make_unique<btRigidBody>(info);
    block.body->setLinearVelocity(btVector3(static_cast<btScalar>(start.vx),
                                            static_cast<btScalar>(start.vy),
                                            static_cast<btScalar>(start.vz)));
    block.body->setActivationState(DISABLE_DEACTIVATION);    // stopping is decided here
    if (start.lumped_mass) block.body->setAngularFactor(0);  // slides, never rotates
    // Continuous collision detection: a fast block must not pass through a thin ridge.
    block.body->setCcdMotionThreshold(static_cast<btScalar>(0.2 * block.radius));
    block.body->setCcdSweptSphereRadius(static_cast<btScalar>(0.9 * block.radius));
    block.body->setUserIndex(static_cast<int>(blocks_.size()));
    world_.addRigidBody(block.body.get(), kBlockGroup, kTerrainGroup);
    blocks_.push_back(std::move(block));
  }

  std::vector<LiveBlock>& blocks() { return blocks_; }

  /// Which blocks touch the terrain now, and the slope there (from the contact manifolds).
  void mark_contacts() {
    for (auto& block : blocks_) block.touching = false;
    btDispatcher* dispatcher = world_.getDispatcher();
    for (int m = 0; m < dispatcher->getNumManifolds(); ++m) {
      const btPersistentManifold* manifold = dispatcher->getManifoldByIndexInternal(m);
      const btCollisionObject* a = manifold->getBody0();
      const btCollisionObject* b = manifold->getBody1();
      const btCollisionObject* block_object = a == terrain_body_.get() ? b : a;
      const int slot = block_object->getUserIndex();
      if (slot < 0) continue;
      for (int k = 0; k < manifold->getNumContacts(); ++k) {
        const btManifoldPoint& point = manifold->getContactPoint(k);
        if (point.getDistance() > 0.02) continue;
        LiveBlock& block = blocks_[static_cast<std::size_t>(slot)];
        block.touching = true;
        block.contact_cos = std::abs(static_cast<double>(point.m_normalWorldOnB.z()));
      }
    }
  }
  btDiscreteDynamicsWorld& world() { return world_; }

 private:
  btDefaultCollisionConfiguration configuration_;
  btCollisionDispatcher dispatcher_;
  btDbvtBroadphase broadphase_;
  btSequentialImpulseConstraintSolver solver_;
  btDiscreteDynamicsWorld world_;
  Heightfield terrain_shape_;
  TouchedEdges edges_;
  std::unique_ptr<btRigidBody> terrain_body_;
  std::vector<LiveBlock> blocks_;
};

double kinetic_energy_j(const btRigidBody& body, double mass) {
  const btVector3 v = body.getLinearVelocity();
  // Rotational energy in the body's principal axes: 1/2 sum I_i w_i^2 (w in body coordinates).
  const btVector3 w = body.getWorldTransform().getBasis().transpose() * body.getAngularVelocity();
  const btVector3 inertia = body.getLocalInertia();
  const double rotational =
      0.5 * static_cast<double>(inertia.x() * w.x() * w.x() + inertia.y() * w.y() * w.y() +
                                inertia.z() * w.z() * w.z());
  return 0.5 * mass * static_cast<double>(v.length2()) + rotational;
}

struct Accumulator {
  std::mutex mutex;
  RockfallResult* result;
};

void finish_block(LiveBlock& block, BlockOutcome& outcome, BlockEnd end, const btVector3& p,
                  btDiscreteDynamicsWorld& world) {
  block.done = true;
  outcome.end = end;
  outcome.end_x = p.x();
  outcome.end_y = p.y();
  outcome.runout_m = std::hypot(outcome.end_x - outcome.start_x, outcome.end_y - outcome.start_y);
  outcome.seconds = block.seconds;
  world.removeRigidBody(block.body.get());
}

void run_batch(const RockfallTerrain& terrain, const HeightfieldGeometry& geometry,
               const EdgeTiles& edges, const std::vector<BlockStart>& starts, std::size_t first,
               std::size_t last, const RockfallOptions& options, const TrajectoryObserver& observer,
               Accumulator& accumulator) {
  BatchWorld batch(geometry, edges);
  std::vector<BlockOutcome> outcomes(last - first);
  for (std::size_t b = first; b < last; ++b) {
    batch.add(b, starts[b], options.density_kg_m3);
    outcomes[b - first].start_x = starts[b].x;
    outcomes[b - first].start_y = starts[b].y;
  }
  double lowest = std::numeric_limits<double>::infinity();
  const double dt = options.time_step_s;
  const auto steps = static_cast<std::size_t>(std::ceil(options.max_seconds / dt));
  std::size_t live = last - first;
  for (std::size_t step = 0; step < steps && live > 0; ++step) {
    // Contact values and the stems' drag from the cell under each block.
    for (auto& block : batch.blocks()) {
      if (block.done) continue;
      const btVector3 p = block.body->getWorldTransform().getOrigin();
      const auto i = static_cast<long>(std::lround(p.x() / terrain.cell_m));
      const auto j = static_cast<long>(std::lround(p.y() / terrain.cell_m));
      if (i < 0 || j < 0 || i >= static_cast<long>(terrain.columns) ||
          j >= static_cast<long>(terrain.rows))
        continue;
      const std::size_t cell =
          static_cast<std::size_t>(j) * terrain.columns + static_cast<std::size_t>(i);
      const SurfaceProperties& s =
          terrain.properties[static_cast<std::size_t>(terrain.surface[cell])];
      block.body->setFriction(static_cast<btScalar>(s.friction));
      block.body->setRestitution(static_cast<btScalar>(s.restitution));
      if (block.touching && s.rolling_friction > 0) {
        // Rolling resistance as rockfall models state it (a coefficient mu_r: deceleration
        // mu_r g cos(slope) of a block on the ground; Azzoni et al. 1995), applied to the
        // translation and, in proportion, to the spin.
        const btVector3 v = block.body->getLinearVelocity();
        const double speed = v.length();
        if (speed > 0) {
          const double slower =
              std::max(0.0, speed - s.rolling_friction * kGravity * block.contact_cos * dt);
          const auto keep = static_cast<btScalar>(slower / speed);
          block.body->setLinearVelocity(v * keep);
          block.body->setAngularVelocity(block.body->getAngularVelocity() * keep);
        }
      }
      if (s.stems_per_m2 > 0 && !terrain.cover.empty() && terrain.cover[cell] > 0) {
        // Expected energy lost per metre travelled through stems (Dorren et al. 2005 geometry:
        // a block of diameter D sweeps stems within (D + d) / 2 of its path).
        const double per_metre = terrain.cover[cell] * s.stems_per_m2 *
                                 (s.stem_diameter_m + 2 * block.radius) *
                                 stem_dissipation_j(s.stem_diameter_m);
        btVector3 v = block.body->getLinearVelocity();
        const double speed = v.length();
        if (speed > 0) {
          const double slower = std::max(0.0, speed - per_metre / block.mass * dt);
          block.body->setLinearVelocity(v * static_cast<btScalar>(slower / speed));
        }
      }
    }
    batch.world().stepSimulation(static_cast<btScalar>(dt), 0, static_cast<btScalar>(dt));
    batch.mark_contacts();
    for (auto& block : batch.blocks()) {
      if (block.done) continue;
      BlockOutcome& outcome = outcomes[block.index - first];
      block.seconds += dt;
      const btVector3 p = block.body->getWorldTransform().getOrigin();
      const btVector3 v = block.body->getLinearVelocity();
      if (observer) {
        const double position[3] = {p.x(), p.y(), p.z()}, velocity[3] = {v.x(), v.y(), v.z()};
        observer(block.index, block.seconds, position, velocity);
      }
      const auto i = static_cast<long>(std::lround(p.x() / terrain.cell_m));
      const auto j = static_cast<long>(std::lround(p.y() / terrain.cell_m));
      const double ground = terrain.ground(p.x(), p.y());
      if (i < 0 || j < 0 || i >= static_cast<long>(terrain.columns) ||
          j >= static_cast<long>(terrain.rows) || std::isnan(ground) ||
          std::isnan(terrain.elevation[static_cast<std::size_t>(j) * terrain.columns +
                                       static_cast<std::size_t>(i)])) {
        finish_block(block, outcome, BlockEnd::left_site, p, batch.world());
        --live;
        continue;
      }
      const std::size_t cell =
          static_cast<std::size_t>(j) * terrain.columns + static_cast<std::size_t>(i);
      const double clearance = p.z() - block.radius - ground;
      if (starts[block.index].shape == BlockShape::sphere) lowest = std::min(lowest, clearance);
      double energy = kinetic_energy_j(*block.body, block.mass);
      // A barrier stops a block whose energy it can absorb, and takes its capacity from one
      // that breaks through (Rockyfor3D's nets, Dorren 2016).
      if (!terrain.barrier_capacity_kj.empty() && terrain.barrier_capacity_kj[cell] > 0 &&
          block.last_barrier_cell != cell) {
        block.last_barrier_cell = cell;
        const double capacity_j = 1000.0 * terrain.barrier_capacity_kj[cell];
        if (energy <= capacity_j) {
          block.visits.push_back({cell, static_cast<float>(energy / 1000),
                                  static_cast<float>(std::max(0.0, clearance))});
          outcome.max_energy_kj = std::max(outcome.max_energy_kj, energy / 1000);
          finish_block(block, outcome, BlockEnd::barrier, p, batch.world());
          --live;
          continue;
        }
        const auto keep = static_cast<btScalar>(std::sqrt((energy - capacity_j) / energy));
        block.body->setLinearVelocity(v * keep);
        block.body->setAngularVelocity(block.body->getAngularVelocity() * keep);
        energy -= capacity_j;
      }
      if (!terrain.watched.empty() && terrain.watched[cell]) outcome.reached_watched = true;
      const auto energy_kj = static_cast<float>(energy / 1000.0);
      const auto height = static_cast<float>(std::max(0.0, clearance));
      if (!block.visits.empty() && block.visits.back().cell == cell) {
        block.visits.back().energy_kj = std::max(block.visits.back().energy_kj, energy_kj);
        block.visits.back().height_m = std::max(block.visits.back().height_m, height);
      } else {
        block.visits.push_back({cell, energy_kj, height});
      }
      outcome.max_energy_kj = std::max(outcome.max_energy_kj, energy / 1000.0);
      const double spin = block.body->getAngularVelocity().length() * block.radius;
      block.slow_seconds = (v.length() < options.stop_speed_m_s && spin < options.stop_speed_m_s)
                               ? block.slow_seconds + dt
                               : 0.0;
      bool trapped = false;
      if (block.seconds - block.anchor_seconds >= options.trapped_after_s) {
        trapped = std::hypot(p.x() - block.anchor_x, p.y() - block.anchor_y) < block.radius;
        block.anchor_x = p.x();
        block.anchor_y = p.y();
        block.anchor_seconds = block.seconds;
      }
      if (block.slow_seconds >= options.stop_after_s || trapped) {
        finish_block(block, outcome, BlockEnd::stopped, p, batch.world());
        --live;
      }
    }
  }
  for (auto& block : batch.blocks()) {
    if (block.done) continue;
    finish_block(block, outcomes[block.index - first], BlockEnd::timed_out,
                 block.body->getWorldTransform().getOrigin(), batch.world());
  }

  // Merge: counts and maxima do not depend on the order batches arrive in.
  std::lock_guard lock(accumulator.mutex);
  RockfallResult& result = *accumulator.result;
  result.lowest_clearance_m = std::min(result.lowest_clearance_m, lowest);
  for (auto& block : batch.blocks()) {
    std::sort(block.visits.begin(), block.visits.end(),
              [](const Visit& a, const Visit& b) { return a.cell < b.cell; });
    for (std::size_t k = 0; k < block.visits.size(); ++k) {
      const Visit& visit = block.visits[k];
      if (k == 0 || block.visits[k - 1].cell != visit.cell) ++result.passes[visit.cell];
      result.max_energy_kj[visit.cell] =
          std::max(result.max_energy_kj[visit.cell], visit.energy_kj);
      result.max_height_m[visit.cell] = std::max(result.max_height_m[visit.cell], visit.height_m);
    }
  }
  std::copy(outcomes.begin(), outcomes.end(), result.outcomes.begin() + static_cast<long>(first));
}

}  // namespace

RockfallResult simulate_blocks(const RockfallTerrain& terrain,
                               const std::vector<BlockStart>& blocks,
                               const RockfallOptions& options, const TrajectoryObserver& observer) {
  RockfallResult result;
  result.blocks = blocks.size();
  const std::size_t cells = terrain.cell_count();
  result.passes.assign(cells, 0);
  result.max_energy_kj.assign(cells, 0.0f);
  result.max_height_m.assign(cells, 0.0f);
  result.outcomes.resize(blocks.size());
  result.lowest_clearance_m = std::numeric_limits<double>::infinity();
  if (blocks.empty() || terrain.columns < 2 || terrain.rows < 2) return result;

  // The heightfield: cells outside the site sit 100 m below the lowest valid cell (a block
  // that reaches one has left the site and is ended there).
  float low = std::numeric_limits<float>::infinity(), high = -low;
  for (float h : terrain.elevation)
    if (!std::isnan(h)) {
      low = std::min(low, h);
      high = std::max(high, h);
    }
  std::vector<float> heights(terrain.elevation);
  for (float& h : heights)
    if (std::isnan(h)) h = low - 100.0f;
  low -= 100.0f;
  high += 1.0f;

  // The internal-edge information of the heightfield, a tile at a time where blocks touch it
  // (the same entries as Bullet's routine for the whole heightfield), shared by the batches.
  gContactAddedCallback = adjust_internal_edges;
  const HeightfieldGeometry geometry{static_cast<int>(terrain.columns),
                                     static_cast<int>(terrain.rows),
                                     heights.data(),
                                     low,
                                     high,
                                     terrain.cell_m};
  const EdgeTiles edges(geometry);

  Accumulator accumulator{{}, &result};
  const std::size_t batch = std::max<std::size_t>(1, options.batch_size);
  const std::size_t batches = (blocks.size() + batch - 1) / batch;
  auto run = [&](std::size_t b) {
    run_batch(terrain, geometry, edges, blocks, b * batch, std::min(blocks.size(), (b + 1) * batch),
              options, observer, accumulator);
  };
  if (observer) {
    for (std::size_t b = 0; b < batches; ++b) run(b);
  } else {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t b = range.begin(); b < range.end(); ++b) run(b);
                      });
  }
  return result;
}

std::vector<BlockStart> release_blocks(const RockfallTerrain& terrain,
                                       const std::vector<std::size_t>& source_cells,
                                       std::size_t per_source, double volume_min_m3,
                                       double volume_max_m3, BlockShape shape, std::uint64_t seed) {
  std::vector<BlockStart> blocks;
  blocks.reserve(source_cells.size() * per_source);
  for (std::size_t cell : source_cells) {
    const double x0 = static_cast<double>(cell % terrain.columns) * terrain.cell_m;
    const double y0 = static_cast<double>(cell / terrain.columns) * terrain.cell_m;
    for (std::size_t k = 0; k < per_source; ++k) {
      BlockStart b;
      b.shape = shape;
      b.source_cell = cell;
      b.x = x0 + (random_uniform({seed, cell, k, 0, 1}) - 0.5) * 0.5 * terrain.cell_m;
      b.y = y0 + (random_uniform({seed, cell, k, 0, 2}) - 0.5) * 0.5 * terrain.cell_m;
      b.volume_m3 =
          volume_min_m3 + random_uniform({seed, cell, k, 0, 3}) * (volume_max_m3 - volume_min_m3);
      const double radius = shape == BlockShape::sphere
                                ? sphere_radius(b.volume_m3)
                                : static_cast<double>(box_half_extents(b.volume_m3).length());
      const double ground = terrain.ground(
          std::clamp(b.x, 0.0, static_cast<double>(terrain.columns - 1) * terrain.cell_m),
          std::clamp(b.y, 0.0, static_cast<double>(terrain.rows - 1) * terrain.cell_m));
      b.z = (std::isnan(ground) ? terrain.elevation[cell] : ground) + radius + 0.05;
      blocks.push_back(b);
    }
  }
  return blocks;
}

}  // namespace minetwin::hazards
