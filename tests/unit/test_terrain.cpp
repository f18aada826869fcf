// Requirements (issue 3): depressions are filled so that every cell drains (Priority-Flood +
// epsilon), real closed basins can be kept, D8 accumulation counts each cell once and sends all
// of it to an outlet, the stack orders receivers before donors, and degenerate DEMs (all flat,
// one row, holes of nodata) neither crash nor loop.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <queue>

#include "models/terrain/drainage_chunks.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/neighbours.hpp"
#include "models/terrain/priority_flood.hpp"
#include "models/terrain/radix_heap.hpp"
#include "models/terrain/surface_derivatives.hpp"

using namespace minetwin;
using namespace minetwin::terrain;

namespace {

constexpr double kFill = -9999.0;

RasterGrid grid_of(std::size_t columns, std::size_t rows, std::vector<std::uint8_t> mask = {}) {
  if (mask.empty()) mask.assign(columns * rows, 1);
  return RasterGrid(GridGeometry{columns, rows, 10.0, 0, 0, ""}, std::move(mask));
}

// Follows receivers from every valid cell; true when each reaches an outlet on the boundary
// (or a kept sink) without revisiting a cell.
bool every_cell_drains(const RasterGrid& grid, const FlowGraph& graph,
                       const std::vector<std::uint8_t>& keep = {}) {
  const auto& r = graph.receivers();
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (!grid.is_valid(c)) continue;
    std::size_t at = c, steps = 0;
    while (r[at] != at && steps++ <= grid.cell_count()) at = r[at];
    const std::size_t row = at / grid.columns(), column = at % grid.columns();
    const bool edge =
        row == 0 || column == 0 || row + 1 == grid.rows() || column + 1 == grid.columns();
    bool next_to_nodata = false;
    for (std::size_t other = 0; other < grid.cell_count() && !edge; ++other) {
      const std::size_t orow = other / grid.columns(), ocol = other % grid.columns();
      if (!grid.is_valid(other) && std::max(orow, row) - std::min(orow, row) <= 1 &&
          std::max(ocol, column) - std::min(ocol, column) <= 1) {
        next_to_nodata = true;
      }
    }
    const bool kept = !keep.empty() && keep[at] != 0;
    if (!(edge || next_to_nodata || kept)) return false;
  }
  return true;
}

}  // namespace

TEST(PriorityFlood, FillsAClosedPitToItsSpillLevel) {
  // A 9 x 9 plateau at 10 m with a 3 x 3 pit at 5 m in the middle: the pit holds
  // 9 cells x 5 m x 100 m2 = 4500 m3 (plus float32 epsilons).
  const RasterGrid grid = grid_of(9, 9);
  std::vector<double> z(81, 10.0);
  for (std::size_t r = 3; r < 6; ++r) {
    for (std::size_t c = 3; c < 6; ++c) z[r * 9 + c] = 5.0;
  }
  const FillResult filled = priority_flood_fill(grid, z);
  EXPECT_NEAR(filled.filled_volume_m3, 4500.0, 1.0);
  for (std::size_t c = 0; c < 81; ++c) EXPECT_GE(filled.elevation[c], z[c]);
  EXPECT_TRUE(every_cell_drains(grid, FlowGraph(grid, filled.elevation)));
}

TEST(PriorityFlood, KeptSinkIsNotFilledAndCollectsItsBasin) {
  const RasterGrid grid = grid_of(9, 9);
  std::vector<double> z(81, 10.0);
  for (std::size_t r = 1; r < 8; ++r) {
    for (std::size_t c = 1; c < 8; ++c)
      z[r * 9 + c] =
          6.0 + static_cast<double>(std::max(r > 4 ? r - 4 : 4 - r, c > 4 ? c - 4 : 4 - c));
  }
  std::vector<std::uint8_t> keep(81, 0);
  keep[4 * 9 + 4] = 1;  // the pit floor becomes a pit lake
  const FillResult filled = priority_flood_fill(grid, z, keep);
  EXPECT_LT(filled.filled_volume_m3, 1e-2);  // only epsilons, no pit filling
  const FlowGraph graph(grid, filled.elevation);
  EXPECT_TRUE(every_cell_drains(grid, graph, keep));
  const auto accumulation = graph.accumulate({}, kFill);
  // The rim (10 m) is above the whole bowl (6-9 m): all 81 cells drain into the kept sink.
  EXPECT_EQ(accumulation[4 * 9 + 4], 81.0);
}

// A 15 x 9 plateau at 20 m with two bowls: the west one with its floor at 10 m, its lowest cell
// at 9 m and a hollow at 9.5 m (two local minima in one depression); the east one at 17 m with
// its lowest cell at 16.5 m.
std::vector<double> two_bowls() {
  const std::size_t columns = 15, rows = 9;
  std::vector<double> z(columns * rows, 20.0);
  for (std::size_t r = 1; r + 1 < rows; ++r) {
    for (std::size_t c = 1; c < 7; ++c) z[r * columns + c] = 10.0;
    for (std::size_t c = 9; c + 1 < columns; ++c) z[r * columns + c] = 17.0;
  }
  z[4 * columns + 2] = 9.0;  // the west bowl's lowest cell
  z[4 * columns + 5] = 9.5;  // a hollow on its floor: a local minimum, 10.5 m below the spill
  z[4 * columns + 11] = 16.5;
  return z;
}

TEST(PriorityFlood, EachDeepDepressionIsOneBasinDrainingToItsLowestCell) {
  const std::size_t columns = 15;
  const RasterGrid grid = grid_of(columns, 9);
  const std::vector<double> z = two_bowls();
  const FillResult full = priority_flood_fill(grid, z);
  const BasinFill filled = fill_keeping_closed_basins(grid, z, 5.0);
  // The old rule (every local minimum at least 5 m below the fill) would keep the hollow too.
  ASSERT_EQ(filled.basins.size(), 1u);
  const ClosedBasin& basin = filled.basins[0];
  EXPECT_EQ(basin.sink, 4 * columns + 2);
  EXPECT_EQ(basin.cell_count, 7u * 6u);
  EXPECT_EQ(basin.spill_elevation_m, full.elevation[basin.sink]);
  EXPECT_GE(basin.spill_elevation_m, 20.0);
  std::vector<std::uint8_t> keep(z.size(), 0);
  keep[basin.sink] = 1;
  const FlowGraph graph(grid, filled.elevation);
  EXPECT_TRUE(every_cell_drains(grid, graph, keep));
  // The whole west bowl, its hollow included, drains to the sink; the shallow east bowl is
  // filled like the full fill, bit for bit, as is every cell outside the kept basin.
  const auto accumulation = graph.accumulate({}, kFill);
  EXPECT_GE(accumulation[basin.sink], 42.0);
  for (std::size_t c = 0; c < z.size(); ++c) {
    const std::size_t column = c % columns;
    const bool west_bowl = column >= 1 && column < 7 && c / columns >= 1 && c / columns < 8;
    if (west_bowl) {
      EXPECT_GE(filled.elevation[c], z[c]);
      EXPECT_LT(filled.elevation[c], 12.0) << c;  // the hollow raised to drain, not the bowl
    } else {
      EXPECT_EQ(filled.elevation[c], full.elevation[c]) << c;
    }
  }
  // The hollow is raised just above the floor around it, to drain across it to the sink.
  EXPECT_GT(filled.elevation[4 * columns + 5], 10.0);
  EXPECT_LT(filled.elevation[4 * columns + 5], 10.001);
}

TEST(PriorityFlood, KeptBasinsAreTheDepressionsAtLeastTheThresholdDeep) {
  const RasterGrid grid = grid_of(15, 9);
  const std::vector<double> z = two_bowls();
  // 3.5 m: the east bowl (3.5 m below its 20 m rim at its lowest cell) is kept too.
  const BasinFill both = fill_keeping_closed_basins(grid, z, 3.5);
  ASSERT_EQ(both.basins.size(), 2u);
  EXPECT_EQ(both.basins[1].sink, 4u * 15u + 11u);
  EXPECT_EQ(both.basins[1].cell_count, 7u * 5u);
  // Deeper than either: nothing kept, the full fill.
  const BasinFill none = fill_keeping_closed_basins(grid, z, 12.0);
  EXPECT_TRUE(none.basins.empty());
  EXPECT_EQ(none.elevation, priority_flood_fill(grid, z).elevation);
  // Both floors drain to their sinks, raised by epsilons only.
  std::vector<std::uint8_t> keep(z.size(), 0);
  for (const ClosedBasin& basin : both.basins) keep[basin.sink] = 1;
  EXPECT_TRUE(every_cell_drains(grid, FlowGraph(grid, both.elevation), keep));
  for (std::size_t r = 1; r < 8; ++r) {
    for (std::size_t c = 9; c < 14; ++c) {
      EXPECT_GE(both.elevation[r * 15 + c], z[r * 15 + c]);
      EXPECT_LT(both.elevation[r * 15 + c], 17.001);
    }
  }
}

TEST(FlowGraph, PlaneDrainsEastAndAccumulationIsConserved) {
  const std::size_t columns = 12, rows = 7;
  const RasterGrid grid = grid_of(columns, rows);
  std::vector<double> z(columns * rows);
  for (std::size_t c = 0; c < z.size(); ++c) z[c] = 100.0 - static_cast<double>(c % columns);
  const FlowGraph graph(grid, z);
  const auto accumulation = graph.accumulate({}, kFill);
  for (std::size_t r = 1; r + 1 < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      EXPECT_EQ(accumulation[r * columns + c], static_cast<double>(c + 1)) << r << "," << c;
    }
  }
  // Stack: every receiver before its donors; every valid cell once.
  std::vector<std::size_t> position(grid.cell_count());
  for (std::size_t k = 0; k < graph.stack().size(); ++k) position[graph.stack()[k]] = k;
  EXPECT_EQ(graph.stack().size(), grid.valid_cell_count());
  for (std::uint32_t c : graph.stack()) EXPECT_LE(position[graph.receivers()[c]], position[c]);
  double at_outlets = 0;
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (graph.receivers()[c] == c) at_outlets += accumulation[c];
  }
  EXPECT_EQ(at_outlets, static_cast<double>(grid.valid_cell_count()));
}

// Edge cells (issue 22, D8 against SAGA): on a plane falling south by one cell size per row
// (5 x 6 cells, one nodata cell at row 2, column 2), by default cells next to nodata or the grid
// edge drain to their steepest lower neighbour; with FlowEdges::outlets (SAGA's D8) each is an
// outlet. Expected accumulations worked by hand.
TEST(FlowGraph, EdgeCellsDrainInwardOrAreOutletsAsSaga) {
  const std::size_t columns = 5, rows = 6;
  auto accumulation_of = [&](bool hole, FlowEdges edges) {
    std::vector<std::uint8_t> mask(columns * rows, 1);
    if (hole) mask[2 * columns + 2] = 0;
    const RasterGrid grid = grid_of(columns, rows, mask);
    std::vector<double> z(columns * rows);
    for (std::size_t c = 0; c < z.size(); ++c)
      z[c] = 60.0 - 10.0 * static_cast<double>(c / columns);
    return FlowGraph(grid, z, edges).accumulate({}, kFill);
  };
  auto cell = [&](const GridVector<double>& a, std::size_t r, std::size_t c) {
    return a[r * columns + c];
  };
  auto last_row = [&](const GridVector<double>& a) {
    return std::vector<double>(a.end() - static_cast<long>(columns), a.end());
  };
  // No nodata. Inward: every column drains whole to the bottom row (6 cells each). Outlets: the
  // border cells keep their own flow; an inner column gathers rows 1 to 5 only.
  EXPECT_EQ(last_row(accumulation_of(false, FlowEdges::drain_inward)),
            (std::vector<double>{6, 6, 6, 6, 6}));
  EXPECT_EQ(last_row(accumulation_of(false, FlowEdges::outlets)),
            (std::vector<double>{1, 5, 5, 5, 1}));
  // The hole. Inward: (1,2) cannot go south; of its two equal diagonals south-east comes first
  // (N, NE, E, SE, S, SW, W, NW), so column 2's top two cells join column 3 (2 + 6 = 8 at the
  // bottom) and column 2 below the hole gathers 3.
  const auto inward = accumulation_of(true, FlowEdges::drain_inward);
  EXPECT_EQ(last_row(inward), (std::vector<double>{6, 6, 3, 8, 6}));
  EXPECT_EQ(cell(inward, 2, 3), 5.0);
  // Outlets: the hole's eight neighbours are edge cells too; only row 4's inner cells still pass
  // their flow on, to the bottom row.
  const auto outlets = accumulation_of(true, FlowEdges::outlets);
  EXPECT_EQ(last_row(outlets), (std::vector<double>{1, 2, 2, 2, 1}));
  EXPECT_EQ(cell(outlets, 1, 2), 1.0);
  EXPECT_EQ(cell(outlets, 3, 2), 1.0);
}

// The command-line tool's path (issue 22): the fill in place and the accumulation without the
// graph's stack give the values of the simulation's path, on a rough DEM with depressions, flats
// and holes of nodata, for both edge rules.
TEST(FlowGraph, StacklessAccumulationAndInPlaceFillMatchTheGraphs) {
  const std::size_t columns = 61, rows = 47;
  std::vector<std::uint8_t> mask(columns * rows, 1);
  for (std::size_t c = 0; c < mask.size(); ++c)
    if ((c * 2654435761u) % 97 == 0) mask[c] = 0;  // scattered holes
  const RasterGrid grid = grid_of(columns, rows, mask);
  std::vector<double> z(columns * rows);
  for (std::size_t c = 0; c < z.size(); ++c) {
    const double x = static_cast<double>(c % columns), y = static_cast<double>(c / columns);
    // A valley with noise (pits) and a terrace of equal heights (a flat).
    z[c] = 0.5 * std::abs(x - 30.0) + 0.2 * y + static_cast<double>((c * 7919) % 11) * 0.3;
    if (y > 20 && y < 26) z[c] = 12.0;
  }
  const FillResult filled = priority_flood_fill(grid, z);
  FillResult in_place = priority_flood_fill(grid, GridVector<double>(z.begin(), z.end()));
  EXPECT_EQ(in_place.elevation, filled.elevation);
  EXPECT_EQ(in_place.raised_cells, filled.raised_cells);
  EXPECT_GT(filled.raised_cells, 100u);  // the DEM has depressions to fill
  for (const FlowEdges edges : {FlowEdges::drain_inward, FlowEdges::outlets}) {
    const GridVector<double> expected =
        FlowGraph(grid, filled.elevation, edges).accumulate({}, kFill);
    const GridVector<double> stackless = d8_accumulation(grid, filled.elevation, edges, kFill);
    EXPECT_EQ(stackless, expected);
    EXPECT_GT(*std::max_element(expected.begin(), expected.end()), 200.0);  // long flow paths
  }
}

// Priority-Flood + epsilon as Barnes et al. (2014, Algorithm 3) write it, on a binary heap of
// (elevation, cell) and a FIFO pit queue, seeded with the boundary cells: the reference for the
// radix heaps' fill (64-bit keys for any elevation, 32-bit ones where all are floats').
GridVector<double> reference_fill(const RasterGrid& grid, std::vector<double> z) {
  const Neighbourhood hood(grid);
  std::priority_queue<std::pair<double, std::uint32_t>,
                      std::vector<std::pair<double, std::uint32_t>>, std::greater<>>
      open;
  std::queue<std::uint32_t> pit;
  std::vector<std::uint8_t> closed(z.size(), 0);
  for (std::uint32_t c = 0; c < z.size(); ++c)
    if (grid.is_valid(c) && hood.is_boundary(c)) {
      open.emplace(z[c] + 0.0, c);
      closed[c] = 1;
    }
  while (!open.empty() || !pit.empty()) {
    std::uint32_t c;
    if (!pit.empty() && !open.empty() && open.top().first == z[pit.front()]) {
      c = open.top().second;
      open.pop();
    } else if (!pit.empty()) {
      c = pit.front();
      pit.pop();
    } else {
      c = open.top().second;
      open.pop();
    }
    const double raised = static_cast<double>(
        std::nextafter(static_cast<float>(z[c]), std::numeric_limits<float>::infinity()));
    hood.for_each(c, [&](std::size_t neighbour, double) {
      if (closed[neighbour]) return;
      closed[neighbour] = 1;
      if (z[neighbour] <= raised) {
        z[neighbour] = raised;
        pit.push(static_cast<std::uint32_t>(neighbour));
      } else {
        open.emplace(z[neighbour] + 0.0, static_cast<std::uint32_t>(neighbour));
      }
    });
  }
  return GridVector<double>(z.begin(), z.end());
}

TEST(PriorityFlood, RadixHeapFillsAsTheTextbookAlgorithmForDoubleAndFloatElevations) {
  const std::size_t columns = 53, rows = 41;
  std::vector<std::uint8_t> mask(columns * rows, 1);
  for (std::size_t c = 0; c < mask.size(); ++c)
    if ((c * 40503u) % 89 == 0) mask[c] = 0;
  const RasterGrid grid = grid_of(columns, rows, mask);
  std::vector<double> z(columns * rows);
  for (std::size_t c = 0; c < z.size(); ++c) {
    const double x = static_cast<double>(c % columns), y = static_cast<double>(c / columns);
    // Pits, a terrace at one height (a flat to raise by epsilon) and a closed bowl.
    z[c] = 0.37 * std::abs(x - 26.0) + 0.21 * y + static_cast<double>((c * 7919) % 13) * 0.29 +
           (std::hypot(x - 12.0, y - 30.0) < 6.0 ? -3.0 : 0.0);
    if (y > 15 && y < 19) z[c] = 11.0;
  }
  std::vector<double> floats(z.size());
  for (std::size_t c = 0; c < z.size(); ++c)
    floats[c] = static_cast<double>(static_cast<float>(z[c]));
  for (const auto* dem : {&z, &floats}) {
    const FillResult filled = priority_flood_fill(grid, *dem);
    EXPECT_EQ(filled.elevation, reference_fill(grid, *dem));
    EXPECT_GT(filled.raised_cells, 150u);
  }
}

TEST(FlowGraph, MultipleFlowDirectionConservesFlow) {
  const RasterGrid grid = grid_of(15, 15);
  std::vector<double> z(225);
  for (std::size_t c = 0; c < 225; ++c) {
    const double x = static_cast<double>(c % 15) - 7, y = static_cast<double>(c / 15) - 7;
    z[c] = 50.0 - std::sqrt(x * x + y * y) * 0.5 - 0.01 * static_cast<double>(c % 15);  // a cone
  }
  const auto accumulation = mfd_accumulation(grid, z, kFill);
  // Flow leaves only at cells without a lower neighbour; their sum is every cell once.
  double leaving = 0;
  for (std::size_t c = 0; c < 225; ++c) {
    const std::size_t r = c / 15, col = c % 15;
    bool has_lower = false;
    for (int dr = -1; dr <= 1; ++dr) {
      for (int dc = -1; dc <= 1; ++dc) {
        const long rr = static_cast<long>(r) + dr, cc = static_cast<long>(col) + dc;
        if (rr < 0 || cc < 0 || rr >= 15 || cc >= 15 || (dr == 0 && dc == 0)) continue;
        has_lower = has_lower || z[static_cast<std::size_t>(rr * 15 + cc)] < z[c];
      }
    }
    if (!has_lower) leaving += accumulation[c];
  }
  EXPECT_NEAR(leaving, 225.0, 1e-9);
  EXPECT_NEAR(accumulation[7 * 15 + 7], 1.0, 1e-12);  // the summit receives nothing
}

TEST(DegenerateDems, AllFlatOneRowAndHolesDrainWithoutLooping) {
  {
    SCOPED_TRACE("all flat");
    const RasterGrid grid = grid_of(20, 20);
    const std::vector<double> z(400, 7.0);
    const FillResult filled = priority_flood_fill(grid, z);
    const FlowGraph graph(grid, filled.elevation);
    EXPECT_TRUE(every_cell_drains(grid, graph));
    const auto slope = slope_degrees(grid, z, kFill);
    EXPECT_EQ(*std::max_element(slope.begin(), slope.end()), 0.0);
    EXPECT_EQ(aspect_degrees(grid, z, kFill)[210], kFill);  // flat: no aspect, as gdaldem
  }
  {
    SCOPED_TRACE("one row");
    const RasterGrid grid = grid_of(30, 1);
    std::vector<double> z(30);
    std::iota(z.begin(), z.end(), 0.0);
    const FlowGraph graph(grid, priority_flood_fill(grid, z).elevation);
    EXPECT_EQ(graph.accumulate({}, kFill)[0], 30.0);  // cell 0 is the lowest: everything reaches it
    EXPECT_EQ(graph.stack().size(), 30u);
  }
  {
    SCOPED_TRACE("holes of nodata");
    std::vector<std::uint8_t> mask(100, 1);
    for (std::size_t c : {44u, 45u, 54u, 55u, 12u}) mask[c] = 0;
    const RasterGrid grid = grid_of(10, 10, mask);
    std::vector<double> z(100, 3.0);
    for (std::size_t c = 0; c < 100; ++c) z[c] += 0.1 * static_cast<double>((c * 7919) % 13);
    const FillResult filled = priority_flood_fill(grid, z);
    const FlowGraph graph(grid, filled.elevation);
    EXPECT_TRUE(every_cell_drains(grid, graph));
    const auto accumulation = graph.accumulate({}, kFill);
    EXPECT_EQ(accumulation[44], kFill);  // nodata neither receives nor passes flow
    for (std::size_t c = 0; c < 100; ++c) {
      if (mask[c]) {
        EXPECT_NE(graph.receivers()[c], 44u);
      }
    }
  }
}

TEST(SurfaceDerivatives, PlaneHasItsAnalyticSlopeAspectAndNoCurvature) {
  // z = 0.3 x + 0.4 y (x east, y north): |grad| = 0.5, slope = atan(0.5), downslope points
  // south-west: azimuth 180 + atan2(0.3, 0.4) = 216.87 degrees.
  const RasterGrid grid = grid_of(6, 5);
  std::vector<double> z(30);
  for (std::size_t c = 0; c < 30; ++c) {
    z[c] = 0.3 * grid.x_center(c % 6) + 0.4 * grid.y_center(c / 6);
  }
  const std::size_t interior = 2 * 6 + 3;
  EXPECT_NEAR(slope_degrees(grid, z, kFill)[interior], std::atan(0.5) * 180 / M_PI, 1e-9);
  EXPECT_NEAR(aspect_degrees(grid, z, kFill)[interior], 180 + std::atan2(0.3, 0.4) * 180 / M_PI,
              1e-9);
  EXPECT_NEAR(total_curvature(grid, z, kFill)[interior], 0.0, 1e-12);
  // A paraboloid z = -(x^2 + y^2) / 2 has total curvature -2 (D + E) = 2 (convex: positive).
  std::vector<double> dome(30);
  for (std::size_t c = 0; c < 30; ++c) {
    const double x = grid.x_center(c % 6), y = grid.y_center(c / 6);
    dome[c] = -(x * x + y * y) / 2.0;
  }
  EXPECT_NEAR(total_curvature(grid, dome, kFill)[interior], 2.0, 1e-9);
}

template <class Heap>
void expect_binary_heap_order() {
  // Monotone pushes (never below the last key popped) with many equal keys, negative keys, -0 and
  // +0: the radix heap must pop exactly as std::priority_queue<pair<key, index>, greater> does,
  // which is what keeps the filled DEM the same to the bit. Every key here is a float's, so the
  // float heap must give the same order.
  Heap radix;
  std::priority_queue<std::pair<double, std::uint32_t>,
                      std::vector<std::pair<double, std::uint32_t>>, std::greater<>>
      reference;
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  auto push = [&](double key, std::uint32_t cell) {
    radix.push(key, cell);
    reference.emplace(key + 0.0, cell);
  };
  for (std::uint32_t cell = 0; cell < 200; ++cell)
    push(-50.0 + static_cast<double>(next() % 40) * 0.25, cell);
  push(-0.0, 1000);
  push(0.0, 999);
  double last = -1e300;
  std::uint32_t cell = 2000;
  while (!reference.empty()) {
    ASSERT_FALSE(radix.empty());
    ASSERT_EQ(radix.top_key(), reference.top().first);
    const std::uint32_t popped = radix.pop();
    ASSERT_EQ(popped, reference.top().second);
    last = reference.top().first;
    reference.pop();
    // Push a few at or above the last key, some equal to it.
    for (std::uint64_t k = next() % 3; k-- > 0;)
      if (cell < 5000) push(last + static_cast<double>(next() % 4) * 0.125, cell++);
  }
  EXPECT_TRUE(radix.empty());
}

TEST(CellRadixHeap, PopsInTheOrderOfABinaryHeapOfKeyAndIndex) {
  expect_binary_heap_order<CellRadixHeap>();
  expect_binary_heap_order<FloatCellRadixHeap>();
}

TEST(Neighbourhood, InteriorFastPathVisitsWhatTheEdgeTestsWould) {
  // A grid with nodata: every cell's visited neighbours, in order, against a plain
  // row/column computation.
  const std::size_t columns = 7, rows = 5;
  std::vector<std::uint8_t> mask(columns * rows, 1);
  mask[2 * columns + 3] = 0;
  mask[1 * columns + 5] = 0;
  const RasterGrid grid = grid_of(columns, rows, mask);
  const Neighbourhood hood(grid);
  static constexpr int kRow[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
  static constexpr int kColumn[8] = {0, 1, 1, 1, 0, -1, -1, -1};
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    std::vector<std::size_t> visited, expected;
    hood.for_each(c, [&](std::size_t n, double) { visited.push_back(n); });
    const long row = static_cast<long>(c / columns), column = static_cast<long>(c % columns);
    for (int k = 0; k < 8; ++k) {
      const long r = row + kRow[k], q = column + kColumn[k];
      if (r < 0 || q < 0 || r >= static_cast<long>(rows) || q >= static_cast<long>(columns))
        continue;
      const auto n = static_cast<std::size_t>(r) * columns + static_cast<std::size_t>(q);
      if (grid.is_valid(n)) expected.push_back(n);
    }
    EXPECT_EQ(visited, expected) << "cell " << c;
  }
}

// Drainage chunks: whole trees of the depth-first stack, so that passes along the flow can run
// in parallel. A rolling DEM of 400 x 400 cells with pits (many outlets on the edge): the chunks
// cover the stack once, each starts at an outlet and holds whole trees (no receiver outside
// it), all but the last hold at least the target; accumulating chunk by chunk in parallel gives
// what the serial pass gives. A stack that is not depth-first is one chunk.
TEST(DrainageChunks, WholeTreesCoverTheStackAndRouteInParallel) {
  const std::size_t side = 400;
  const RasterGrid grid = grid_of(side, side);
  std::vector<double> z(side * side);
  for (std::size_t c = 0; c < z.size(); ++c) {
    const double x = static_cast<double>(c % side), y = static_cast<double>(c / side);
    z[c] = 50.0 + 6.0 * std::sin(x / 23.0) * std::cos(y / 31.0) + 0.02 * y + 0.3 * std::sin(x * y);
  }
  const FlowGraph graph(grid, priority_flood_fill(grid, z).elevation);
  const auto& stack = graph.stack();
  std::vector<std::uint32_t> position(grid.cell_count()), receiver_position(stack.size());
  for (std::size_t k = 0; k < stack.size(); ++k) position[stack[k]] = static_cast<std::uint32_t>(k);
  for (std::size_t k = 0; k < stack.size(); ++k)
    receiver_position[k] = position[graph.receivers()[stack[k]]];
  const DrainageChunks chunks(receiver_position);
  ASSERT_GE(chunks.size(), 3u);
  ASSERT_GT(graph.outlet_count(), chunks.size());
  EXPECT_EQ(chunks.begin(0), 0u);
  EXPECT_EQ(chunks.end(chunks.size() - 1), stack.size());
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    if (k > 0) {
      EXPECT_EQ(chunks.begin(k), chunks.end(k - 1));
    }
    if (k + 1 < chunks.size()) {
      EXPECT_GE(chunks.end(k) - chunks.begin(k), DrainageChunks::kTargetCells);
    }
    EXPECT_EQ(receiver_position[chunks.begin(k)], chunks.begin(k)) << "chunk " << k;
    for (std::size_t j = chunks.begin(k); j < chunks.end(k); ++j) {
      ASSERT_GE(receiver_position[j], chunks.begin(k));
      ASSERT_LE(receiver_position[j], j);
    }
  }
  std::vector<double> area(stack.size(), 1.0);
  chunks.for_each([&](std::size_t, std::size_t first, std::size_t last) {
    for (std::size_t j = last; j-- > first;)
      if (receiver_position[j] != j) area[receiver_position[j]] += area[j];
  });
  // The serial pass, and the graph's own accumulation (which runs on the graph's chunks).
  std::vector<double> serial(stack.size(), 1.0);
  for (std::size_t j = stack.size(); j-- > 0;)
    if (receiver_position[j] != j) serial[receiver_position[j]] += serial[j];
  const auto accumulated = graph.accumulate({}, kFill);
  for (std::size_t k = 0; k < stack.size(); ++k) {
    ASSERT_EQ(area[k], serial[k]);
    ASSERT_EQ(accumulated[stack[k]], serial[k]);
  }
  // The graph's chunks are the same grouping of the same trees.
  ASSERT_EQ(graph.chunks().size(), chunks.size());
  for (std::size_t k = 0; k < chunks.size(); ++k) EXPECT_EQ(graph.chunks().end(k), chunks.end(k));

  // Not depth-first: position 2 drains to position 0 across the tree that starts at 1.
  const std::vector<std::uint32_t> interleaved = {0, 1, 0, 1};
  const DrainageChunks one(interleaved);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.end(0), 4u);
}

// Pairs of chunks for walks that step through two at once: every chunk comes once, pairs are
// neighbours in size (the larger first), and an odd count leaves the smallest alone (b = size()).
TEST(DrainageChunks, PairsTakeEveryChunkOnceWithOneOfAboutItsSize) {
  // Trees of 5, 1, 4, 2 and 3 cells (an outlet, then its donors in a line), one chunk each.
  std::vector<std::uint32_t> tree_starts;
  std::size_t size = 0;
  for (std::size_t cells : {5, 1, 4, 2, 3}) {
    tree_starts.push_back(static_cast<std::uint32_t>(size));
    size += cells * DrainageChunks::kTargetCells;
  }
  const DrainageChunks chunks = DrainageChunks::from_tree_starts(tree_starts, size);
  ASSERT_EQ(chunks.size(), 5u);
  std::mutex mutex;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  chunks.for_each_pair([&](std::size_t a, std::size_t b) {
    const std::lock_guard lock(mutex);
    pairs.emplace_back(a, b);
  });
  std::sort(pairs.begin(), pairs.end());
  // By size: 0 (5), 2 (4), 4 (3), 3 (2), 1 (1).
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {{0, 2}, {1, 5}, {4, 3}};
  EXPECT_EQ(pairs, expected);
}
