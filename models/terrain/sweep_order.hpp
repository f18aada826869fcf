#pragma once
/// @file
/// @brief A flow order with the memory locality of a raster scan: every cell after its donors,
/// for passes that carry something down the flow graph over fields in cell order.
///
/// The depth-first stack (flow_graph.hpp) also visits donors first, but it follows each drainage
/// tree branch by branch, so consecutive positions jump between rows and a pass over cell-indexed
/// fields waits on memory at almost every cell. This order sweeps each chunk's cells by rising
/// cell index (row by row): a cell without donors starts a walk down its flow path that goes on
/// while the next cell has all its donors done, and stops at the first that still waits for one
/// (it is taken when its last donor is). Every cell is visited once, after all its donors
/// (Kahn's topological sort, run in scan order), and the walks stay near the scan line, so the
/// data a pass touches is in cache. The chunks are those of the stack (whole drainage trees):
/// the order depends only on the flow graph, so passes give the same bits with any number of
/// threads.

#include <cstdint>
#include <span>
#include <vector>

#include "models/terrain/drainage_chunks.hpp"

namespace minetwin::terrain {

struct SweepOrder {
  /// Chunk k's cells at positions [chunks.begin(k), chunks.end(k)), donors before receivers.
  std::vector<std::uint32_t> cells;
  /// Each position's receiver cell (the cell itself for a terminal cell).
  std::vector<std::uint32_t> receivers;
  DrainageChunks chunks;
};

/// The sweep order of a flow graph given as its depth-first stack (@p stack: the cell at each
/// position; @p receiver_position: each position's receiver position, itself for a terminal
/// cell) on a grid of @p cell_count cells.
SweepOrder sweep_order(std::span<const std::uint32_t> stack,
                       std::span<const std::uint32_t> receiver_position, std::size_t cell_count);

}  // namespace minetwin::terrain
