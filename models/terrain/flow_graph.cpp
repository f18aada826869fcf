#include "models/terrain/flow_graph.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <tbb/parallel_for.h>

#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/terrain/neighbours.hpp"

namespace minetwin::terrain {

void d8_receivers(const RasterGrid& grid, std::span<const double> elevation, FlowEdges edges,
                  std::span<std::uint32_t> receivers, std::span<double> receiver_distance) {
  const Neighbourhood hood(grid);
  const bool distances = !receiver_distance.empty();
  // Steepest descent of every cell: independent cells, in parallel blocks.
  for_each_cell_block(grid.cell_count(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      receivers[c] = static_cast<std::uint32_t>(c);
      if (distances) receiver_distance[c] = 0.0;
      if (!grid.is_valid(c)) continue;
      // The steepest drop / distance, compared by cross-multiplication (no division): drop /
      // distance > best drop / best distance <=> drop * best distance > best drop * distance.
      double best_drop = 0.0, best_distance = 1.0;
      std::size_t receiver = c;
      const double here = elevation[c];
      int valid_neighbours = 0;
      hood.for_each(c, [&](std::size_t neighbour, double distance) {
        ++valid_neighbours;
        const double drop = here - elevation[neighbour];
        if (drop * best_distance > best_drop * distance) {
          best_drop = drop;
          best_distance = distance;
          receiver = neighbour;
        }
      });
      if (edges == FlowEdges::outlets && valid_neighbours < 8) receiver = c;  // leaves the grid
      receivers[c] = static_cast<std::uint32_t>(receiver);
      if (distances && receiver != c) receiver_distance[c] = best_distance;
    }
  });
}

FlowGraph::FlowGraph(const RasterGrid& grid, std::span<const double> elevation, FlowEdges edges)
    : grid_(grid) {
  const std::size_t n = grid.cell_count();
  receivers_.resize(n);
  receiver_distance_.resize(n);
  d8_receivers(grid, elevation, edges, receivers_, receiver_distance_);
  // Donors in compressed rows, then a depth-first walk from each outlet (Braun & Willett 2013):
  // a cell's donors follow it closely in the stack, which keeps the monthly routing passes over
  // the stack local in memory (a breadth-first or source-peeling order builds faster but made the
  // metals' month 15 % slower). The rows are filled from their ends, so no copy of the offsets.
  GridVector<std::uint32_t> offsets(n + 2, 0);
  for (std::size_t c = 0; c < n; ++c) {
    if (grid.is_valid(c) && receivers_[c] != c) ++offsets[receivers_[c] + 1];
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  // offsets[r + 1] is the end of r's row; filling downwards leaves it at the row's start, so
  // r's donors are donors[offsets[r + 1], offsets[r + 2]).
  GridVector<std::uint32_t> donors(offsets[n + 1]);
  for (std::size_t c = n; c-- > 0;) {
    if (grid.is_valid(c) && receivers_[c] != c)
      donors[--offsets[receivers_[c] + 1]] = static_cast<std::uint32_t>(c);
  }
  // The outlets in cell order; each one's tree is walked on its own (trees are independent), in
  // parallel groups of outlets, and the walks are laid end to end in outlet order: the same
  // stack as one serial walk.
  GridVector<std::uint32_t> outlets;
  for (std::size_t c = 0; c < n; ++c)
    if (grid.is_valid(c) && receivers_[c] == c) outlets.push_back(static_cast<std::uint32_t>(c));
  outlets_ = outlets.size();
  constexpr std::size_t kOutletsPerGroup = 256;
  const std::size_t groups = (outlets.size() + kOutletsPerGroup - 1) / kOutletsPerGroup;
  // Walks the trees of outlets [first, last) onto @p walk, noting where each tree starts.
  auto walk_trees = [&](std::size_t first, std::size_t last, GridVector<std::uint32_t>& walk,
                        GridVector<std::uint32_t>& starts) {
    GridVector<std::uint32_t> pending;
    for (std::size_t o = first; o < last; ++o) {
      starts.push_back(static_cast<std::uint32_t>(walk.size()));
      pending.push_back(outlets[o]);
      while (!pending.empty()) {
        const std::uint32_t c = pending.back();
        pending.pop_back();
        walk.push_back(c);
        for (std::uint32_t k = offsets[c + 1]; k < offsets[c + 2]; ++k)
          pending.push_back(donors[k]);
      }
    }
  };
  GridVector<std::uint32_t> tree_starts;
  tree_starts.reserve(outlets.size());
  if (groups <= 1) {
    // Few outlets (a site draining to a handful of them): one walk, straight into the stack.
    stack_.reserve(grid.valid_cell_count());
    walk_trees(0, outlets.size(), stack_, tree_starts);
  } else {
    GridVector<GridVector<std::uint32_t>> walks(groups), starts(groups);
    tbb::parallel_for(std::size_t{0}, groups, [&](std::size_t g) {
      walks[g].reserve(grid.valid_cell_count() / groups);
      walk_trees(g * kOutletsPerGroup, std::min(outlets.size(), (g + 1) * kOutletsPerGroup),
                 walks[g], starts[g]);
    });
    GridVector<std::size_t> at(groups + 1, 0);
    for (std::size_t g = 0; g < groups; ++g) at[g + 1] = at[g] + walks[g].size();
    stack_.resize(at[groups]);
    for (std::size_t g = 0; g < groups; ++g)
      for (std::uint32_t start : starts[g])
        tree_starts.push_back(static_cast<std::uint32_t>(at[g] + start));
    tbb::parallel_for(std::size_t{0}, groups, [&](std::size_t g) {
      std::copy(walks[g].begin(), walks[g].end(),
                stack_.begin() + static_cast<std::ptrdiff_t>(at[g]));
    });
  }
  chunks_ = DrainageChunks::from_tree_starts(tree_starts, stack_.size());
}

GridVector<std::uint32_t> stack_from_positions(const RasterGrid& grid,
                                               std::span<const double> stack_position) {
  GridVector<std::uint32_t> stack(grid.valid_cell_count(), 0);
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (grid.is_valid(c))
      stack[static_cast<std::size_t>(stack_position[c])] = static_cast<std::uint32_t>(c);
  }
  return stack;
}

FlowGraph FlowGraph::from_fields(const RasterGrid& grid, std::span<const double> receiver,
                                 std::span<const double> stack_position,
                                 std::span<const double> receiver_distance) {
  FlowGraph graph(grid);
  const std::size_t n = grid.cell_count();
  graph.receivers_.resize(n);
  graph.receiver_distance_.assign(n, 0.0);
  graph.stack_ = stack_from_positions(grid, stack_position);
  for (std::size_t c = 0; c < n; ++c) {
    graph.receivers_[c] = static_cast<std::uint32_t>(c);
    if (!grid.is_valid(c)) continue;
    graph.receivers_[c] = static_cast<std::uint32_t>(receiver[c]);
    if (!receiver_distance.empty()) graph.receiver_distance_[c] = receiver_distance[c];
    if (graph.receivers_[c] == c) ++graph.outlets_;
  }
  graph.chunks_ = chunks_of_stack(graph.stack_, receiver);
  return graph;
}

std::shared_ptr<const FlowGraph> shared_flow_graph(const FieldAccess& fields) {
  if (auto published = fields.derived<FlowGraph>(fields::kFlowReceiver)) return published;
  // The readers that do not declare the distances do not use them: 0 there.
  const bool distances = fields.declares(fields::kFlowReceiverDistance.name);
  return std::make_shared<const FlowGraph>(FlowGraph::from_fields(
      fields.state().grid(), fields.read(fields::kFlowReceiver),
      fields.read(fields::kFlowStackPosition),
      distances ? fields.read(fields::kFlowReceiverDistance) : std::span<const double>()));
}

DrainageChunks chunks_of_stack(std::span<const std::uint32_t> stack,
                               std::span<const double> receiver) {
  GridVector<std::uint32_t> tree_starts;
  for (std::size_t k = 0; k < stack.size(); ++k)
    if (static_cast<std::uint32_t>(receiver[stack[k]]) == stack[k])
      tree_starts.push_back(static_cast<std::uint32_t>(k));
  return DrainageChunks::from_tree_starts(tree_starts, stack.size());
}

GridVector<double> FlowGraph::accumulate(std::span<const double> weight, double fill) const {
  GridVector<double> total(grid_.cell_count(), fill);
  // Each tree from its sources down (drainage trees in parallel, drainage_chunks.hpp).
  chunks_.for_each([&](std::size_t, std::size_t first, std::size_t last) {
    for (std::size_t k = first; k < last; ++k)
      total[stack_[k]] = weight.empty() ? 1.0 : weight[stack_[k]];
    for (std::size_t k = last; k-- > first;) {
      const std::uint32_t c = stack_[k];
      if (receivers_[c] != c) total[receivers_[c]] += total[c];
    }
  });
  return total;
}

GridVector<double> d8_accumulation(const RasterGrid& grid, GridVector<double> elevation,
                                   FlowEdges edges, double fill) {
  const std::size_t n = grid.cell_count();
  GridVector<std::uint32_t> receivers(n);
  d8_receivers(grid, elevation, edges, receivers, {});
  GridVector<double>& total = elevation;  // the elevations are not read again
  // Kahn's topological order, one pass: a cell whose donors have all passed their flow on passes
  // its own to its receiver, and the walk goes on downstream from there while the receiver has no
  // donor left waiting. Sums of whole cells are exact in doubles, so the order of the additions
  // does not matter: the values of FlowGraph::accumulate, without its stack (a quarter of the
  // memory of a one-off tool's run).
  constexpr std::uint8_t kPassed = 0xFF;   // the cell's flow has gone to its receiver
  GridVector<std::uint8_t> waiting(n, 0);  // donors not yet passed on (at most 8), or kPassed
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) {
      total[c] = fill;
      continue;
    }
    total[c] = 1.0;
    if (receivers[c] != c) ++waiting[receivers[c]];
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c) || waiting[c] != 0) continue;
    for (std::uint32_t cell = static_cast<std::uint32_t>(c);;) {
      const std::uint32_t receiver = receivers[cell];
      if (receiver == cell) break;
      total[receiver] += total[cell];
      waiting[cell] = kPassed;
      if (--waiting[receiver] != 0) break;
      cell = receiver;
    }
  }
  return total;
}

GridVector<double> mfd_accumulation(const RasterGrid& grid, std::span<const double> elevation,
                                    double fill, double exponent) {
  const std::size_t n = grid.cell_count();
  const Neighbourhood hood(grid);
  GridVector<std::uint32_t> order;
  order.reserve(grid.valid_cell_count());
  for (std::size_t c = 0; c < n; ++c) {
    if (grid.is_valid(c)) order.push_back(static_cast<std::uint32_t>(c));
  }
  // Highest first; ties by index, so the result is reproducible.
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return elevation[a] != elevation[b] ? elevation[a] > elevation[b] : a < b;
  });
  GridVector<double> total(n, fill);
  for (std::uint32_t c : order) total[c] = 1.0;
  std::array<std::pair<std::size_t, double>, 8> lower{};
  for (std::uint32_t c : order) {
    std::size_t count = 0;
    double sum = 0.0;
    hood.for_each(c, [&](std::size_t neighbour, double distance) {
      const double drop = elevation[c] - elevation[neighbour];
      if (drop > 0.0) {
        const double share = std::pow(drop / distance, exponent);
        lower[count++] = {neighbour, share};
        sum += share;
      }
    });
    for (std::size_t k = 0; k < count; ++k)
      total[lower[k].first] += total[c] * lower[k].second / sum;
  }
  return total;
}

}  // namespace minetwin::terrain
