#include "models/terrain/flow_graph.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "engine/grid/local_operations.hpp"
#include "models/terrain/neighbours.hpp"

namespace minetwin::terrain {

FlowGraph::FlowGraph(const RasterGrid& grid, std::span<const double> elevation) : grid_(grid) {
  const std::size_t n = grid.cell_count();
  const Neighbourhood hood(grid);
  receivers_.resize(n);
  receiver_distance_.assign(n, 0.0);
  // Steepest descent of every cell: independent cells, in parallel blocks.
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      receivers_[c] = static_cast<std::uint32_t>(c);
      if (!grid.is_valid(c)) continue;
      double steepest = 0.0;
      hood.for_each(c, [&](std::size_t neighbour, double distance) {
        const double gradient = (elevation[c] - elevation[neighbour]) / distance;
        if (gradient > steepest) {
          steepest = gradient;
          receivers_[c] = static_cast<std::uint32_t>(neighbour);
          receiver_distance_[c] = distance;
        }
      });
    }
  });
  // Donors in compressed rows, then a depth-first walk from each outlet (Braun & Willett 2013):
  // a cell's donors follow it closely in the stack, which keeps the monthly routing passes over
  // the stack local in memory (a breadth-first or source-peeling order builds faster but made the
  // metals' month 15 % slower). The rows are filled from their ends, so no copy of the offsets.
  std::vector<std::uint32_t> offsets(n + 2, 0);
  for (std::size_t c = 0; c < n; ++c) {
    if (grid.is_valid(c) && receivers_[c] != c) ++offsets[receivers_[c] + 1];
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  // offsets[r + 1] is the end of r's row; filling downwards leaves it at the row's start, so
  // r's donors are donors[offsets[r + 1], offsets[r + 2]).
  std::vector<std::uint32_t> donors(offsets[n + 1]);
  for (std::size_t c = n; c-- > 0;) {
    if (grid.is_valid(c) && receivers_[c] != c)
      donors[--offsets[receivers_[c] + 1]] = static_cast<std::uint32_t>(c);
  }
  stack_.reserve(grid.valid_cell_count());
  std::vector<std::uint32_t> pending;
  for (std::size_t outlet = 0; outlet < n; ++outlet) {
    if (!grid.is_valid(outlet) || receivers_[outlet] != outlet) continue;
    ++outlets_;
    pending.push_back(static_cast<std::uint32_t>(outlet));
    while (!pending.empty()) {
      const std::uint32_t c = pending.back();
      pending.pop_back();
      stack_.push_back(c);
      for (std::uint32_t k = offsets[c + 1]; k < offsets[c + 2]; ++k) pending.push_back(donors[k]);
    }
  }
}

std::vector<std::uint32_t> stack_from_positions(const RasterGrid& grid,
                                                std::span<const double> stack_position) {
  std::vector<std::uint32_t> stack(grid.valid_cell_count(), 0);
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
    graph.receiver_distance_[c] = receiver_distance[c];
    if (graph.receivers_[c] == c) ++graph.outlets_;
  }
  return graph;
}

std::vector<double> FlowGraph::accumulate(std::span<const double> weight, double fill) const {
  std::vector<double> total(grid_.cell_count(), fill);
  for (std::uint32_t c : stack_) total[c] = weight.empty() ? 1.0 : weight[c];
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    const std::uint32_t c = *it;
    if (receivers_[c] != c) total[receivers_[c]] += total[c];
  }
  return total;
}

std::vector<double> mfd_accumulation(const RasterGrid& grid, std::span<const double> elevation,
                                     double fill, double exponent) {
  const std::size_t n = grid.cell_count();
  const Neighbourhood hood(grid);
  std::vector<std::uint32_t> order;
  order.reserve(grid.valid_cell_count());
  for (std::size_t c = 0; c < n; ++c) {
    if (grid.is_valid(c)) order.push_back(static_cast<std::uint32_t>(c));
  }
  // Highest first; ties by index, so the result is reproducible.
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return elevation[a] != elevation[b] ? elevation[a] > elevation[b] : a < b;
  });
  std::vector<double> total(n, fill);
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
