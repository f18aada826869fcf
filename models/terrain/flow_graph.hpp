#pragma once
/// @file
/// @brief The flow graph of a (filled) DEM: D8 receivers, the topological stack, accumulation.
///
/// One object owns the flow topology (fastscapelib's flow graph): built once per terrain change
/// and shared by hydrology, erosion and metal transport. Receivers follow the steepest descent
/// (O'Callaghan & Mark 1984, D8: the largest drop / distance among the 8 neighbours). The stack
/// orders cells so that every cell comes after its receiver, built in O(n) by a depth-first
/// walk of the donor tree from each outlet (Braun & Willett 2013, Geomorphology 180-181:170,
/// section 3.2); accumulating in reverse stack order is then a single pass.
/// Multiple flow direction accumulation (Freeman 1991, Computers & Geosciences 17:413) splits each
/// cell's flow among all lower neighbours in proportion to (tan beta)^1.1, processed from the
/// highest cell down.
///
/// Limits: build it on a filled DEM (priority_flood_fill); on an unfilled DEM every local
/// minimum is an outlet. Invalid (nodata) cells neither receive nor pass flow.
///
/// Edge cells (next to nodata or the grid's edge): by default a cell drains to its steepest
/// lower valid neighbour wherever it is, and only an edge cell without one is an outlet; the
/// terrain beyond a site's mask is unknown, and a cell on a catchment's divide drains into the
/// catchment. SAGA's D8 (ta_hydrology, CSG_Grid::Get_Gradient_NeighborDir with bNoEdges) makes
/// every edge cell an outlet instead; FlowEdges::outlets reproduces it (docs/models/terrain.md,
/// "D8 against SAGA and GRASS").

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/core/component.hpp"
#include "engine/grid/grid_memory.hpp"
#include "engine/grid/raster_grid.hpp"
#include "models/terrain/drainage_chunks.hpp"

namespace minetwin::terrain {

/// Where the cells next to nodata or the grid's edge send their flow (see above).
enum class FlowEdges {
  drain_inward,  ///< to the steepest lower valid neighbour; an outlet only without one
  outlets,       ///< out of the grid, always (SAGA's D8)
};

class FlowGraph {
 public:
  FlowGraph(const RasterGrid& grid, std::span<const double> elevation,
            FlowEdges edges = FlowEdges::drain_inward);

  /// The graph as the terrain component stored it in State (`flow__receiver`,
  /// `flow__stack_position`, `flow__receiver_distance`): O(n), no sorting. Without
  /// @p receiver_distance (empty) the distances are 0.
  static FlowGraph from_fields(const RasterGrid& grid, std::span<const double> receiver,
                               std::span<const double> stack_position,
                               std::span<const double> receiver_distance);

  /// receivers()[c] is the cell c drains to; an outlet drains to itself. Invalid cells too.
  const GridVector<std::uint32_t>& receivers() const { return receivers_; }
  /// Distance to the receiver (m); 0 for outlets.
  const GridVector<double>& receiver_distance() const { return receiver_distance_; }
  /// Valid cells, every receiver before its donors.
  const GridVector<std::uint32_t>& stack() const { return stack_; }
  std::size_t outlet_count() const { return outlets_; }
  /// The stack's drainage trees in chunks, for passes along the flow in parallel.
  const DrainageChunks& chunks() const { return chunks_; }

  /// Sum over each cell and everything upstream of it of @p weight (1 per cell when empty):
  /// accumulation in cells counting the cell itself. Invalid cells get @p fill.
  GridVector<double> accumulate(std::span<const double> weight, double fill) const;

 private:
  explicit FlowGraph(const RasterGrid& grid) : grid_(grid) {}
  const RasterGrid& grid_;
  GridVector<std::uint32_t> receivers_;
  GridVector<double> receiver_distance_;
  GridVector<std::uint32_t> stack_;
  std::size_t outlets_ = 0;
  DrainageChunks chunks_;
};

/// The year's flow graph, one for every model: the terrain component builds it when it rebuilds
/// the flow fields and publishes it as the structure derived from `flow__receiver`
/// (FieldAccess::publish_derived); the hydrology, erosion, soil redistribution and metals read it
/// here. Where no component publishes one (a run or a test without the terrain model), it is
/// built from the flow fields (FlowGraph::from_fields): the same graph (with distances only where
/// the component declares `flow__receiver_distance`). @p fields must declare `flow__receiver`
/// and `flow__stack_position`.
std::shared_ptr<const FlowGraph> shared_flow_graph(const FieldAccess& fields);

/// The drainage trees of a depth-first @p stack in chunks (drainage_chunks.hpp), from the
/// `flow__receiver` field: a tree starts at each outlet (a cell that is its own receiver).
DrainageChunks chunks_of_stack(std::span<const std::uint32_t> stack,
                               std::span<const double> receiver);

/// The stack (valid cells, receivers before donors) from the `flow__stack_position` field.
GridVector<std::uint32_t> stack_from_positions(const RasterGrid& grid,
                                               std::span<const double> stack_position);

/// The D8 receiver of every cell (steepest drop / distance among the valid neighbours; an outlet,
/// a cell with no lower neighbour and every invalid cell receive themselves) into @p receivers,
/// and the distance to it (0 for an outlet) into @p receiver_distance unless that is empty.
/// Both sized to the grid's cells.
void d8_receivers(const RasterGrid& grid, std::span<const double> elevation, FlowEdges edges,
                  std::span<std::uint32_t> receivers, std::span<double> receiver_distance);

/// D8 accumulation in cells, counting the cell itself (invalid cells: @p fill): the values of
/// FlowGraph(grid, elevation, edges).accumulate({}, fill) without building the graph's stack and
/// donors (the command-line tool's path: a third of the memory and of the time). The
/// accumulation is written over @p elevation (moved in) once the receivers are known.
GridVector<double> d8_accumulation(const RasterGrid& grid, GridVector<double> elevation,
                                   FlowEdges edges, double fill);

/// Freeman (1991) multiple-flow-direction accumulation in cells (exponent 1.1), counting each
/// cell itself. Invalid cells get @p fill.
GridVector<double> mfd_accumulation(const RasterGrid& grid, std::span<const double> elevation,
                                    double fill, double exponent = 1.1);

}  // namespace minetwin::terrain
