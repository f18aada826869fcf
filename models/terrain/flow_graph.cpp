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
  // The stack by peeling the graph from its sources (Kahn 1962): a cell whose donors are all
  // placed is placed, and so is its receiver once that cell was the receiver's last donor: a
  // walk down the receiver chain, neighbour to neighbour, so memory is read almost in order.
  // The reverse of that order puts receivers before donors.
  std::vector<std::uint8_t> donors_left(n, 0);  // at most 8
  constexpr std::uint8_t kPlaced = 0xFF;
  for (std::size_t c = 0; c < n; ++c)
    if (grid.is_valid(c) && receivers_[c] != c) ++donors_left[receivers_[c]];
  stack_.resize(grid.valid_cell_count());
  std::size_t placed = stack_.size();
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c) || donors_left[c] != 0) continue;
    for (std::uint32_t x = static_cast<std::uint32_t>(c);;) {
      stack_[--placed] = x;
      donors_left[x] = kPlaced;  // so that the scan does not start from it again
      const std::uint32_t r = receivers_[x];
      if (r == x) {
        ++outlets_;
        break;
      }
      if (--donors_left[r] != 0) break;
      x = r;
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
