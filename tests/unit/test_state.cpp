// Requirement: fields are named, typed and unit-carrying; invalid cells keep the fill value;
// block-ordered sums do not depend on the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <tbb/global_control.h>

#include "engine/grid/grid_memory.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"

using namespace minetwin;

namespace {
RasterGrid small_grid() {
  GridGeometry g{4, 3, 10.0, 1000.0, 2000.0, ""};
  std::vector<std::uint8_t> mask(12, 1);
  mask[5] = 0;
  return RasterGrid(g, mask);
}
}  // namespace

TEST(RasterGrid, CoordinatesAreCellCentres) {
  RasterGrid grid = small_grid();
  EXPECT_EQ(grid.cell_count(), 12u);
  EXPECT_EQ(grid.valid_cell_count(), 11u);
  EXPECT_DOUBLE_EQ(grid.x_center(0), 1005.0);
  EXPECT_DOUBLE_EQ(grid.y_center(2), 1975.0);
}

TEST(RasterGrid, RejectsMaskOfWrongSize) {
  EXPECT_THROW(RasterGrid(GridGeometry{4, 3, 10.0, 0, 0, ""}, std::vector<std::uint8_t>(5, 1)),
               std::invalid_argument);
}

TEST(State, InvalidCellsHoldFillValueInEveryLayer) {
  State state(small_grid(), 2);
  Field& f = state.add({"soil__ph", "1", "pH", Location::layer, ElementType::float32}, 7.0);
  EXPECT_EQ(f.size(), 24u);
  EXPECT_EQ(f.values<float>()[5], static_cast<float>(kFillValue));
  EXPECT_EQ(f.values<float>()[12 + 5], static_cast<float>(kFillValue));
  EXPECT_EQ(f.values<float>()[12 + 6], 7.0f);
  EXPECT_THROW(f.values<double>(), std::logic_error);
}

// The fields' memory is first touched on all threads and the initial values set in parallel
// blocks (issue 22): every value of a grid of many blocks, with holes, in every layer.
TEST(State, InitialValuesOnEveryValidCellOfEveryLayerOfALargeGrid) {
  const std::size_t side = 700;  // 490 000 cells: many blocks and several huge pages a layer
  std::vector<std::uint8_t> mask(side * side, 1);
  for (std::size_t c = 0; c < mask.size(); c += 7) mask[c] = 0;
  State state(RasterGrid(GridGeometry{side, side, 5.0, 0, 0, ""}, mask), 3);
  const auto& layered =
      state.add({"soil__carbon", "kg m-2", "", Location::layer, ElementType::float64}, 2.5);
  const auto values = layered.values<double>();
  ASSERT_EQ(values.size(), 3 * side * side);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    wrong += values[i] != (mask[i % mask.size()] ? 2.5 : kFillValue);
  EXPECT_EQ(wrong, 0u);
  const auto& site = state.add({"site__stock", "kg", "", Location::site, ElementType::float64}, 4);
  EXPECT_EQ(site.values<double>()[0], 4.0);
}

TEST(State, SameFieldTwiceMustAgree) {
  State state(small_grid(), 1);
  state.add({"topographic__elevation", "m", "", Location::cell, ElementType::float64});
  EXPECT_NO_THROW(
      state.add({"topographic__elevation", "m", "", Location::cell, ElementType::float64}));
  EXPECT_THROW(
      state.add({"topographic__elevation", "ft", "", Location::cell, ElementType::float64}),
      std::logic_error);
  EXPECT_EQ(state.names().size(), 1u);
}

TEST(LocalOperations, DeterministicSumIsIdenticalWithOneAndTwoThreads) {
  const std::size_t n = 100000;
  auto value = [](std::size_t i) { return 1.0 / (1.0 + static_cast<double>(i)); };
  double one = 0, two = 0;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = deterministic_sum(n, value);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two = deterministic_sum(n, value);
  }
  EXPECT_EQ(one, two);  // bitwise, not approximately
  EXPECT_NEAR(one, std::log(static_cast<double>(n)) + 0.5772156649, 1e-4);  // harmonic number
}

TEST(LocalOperations, LaneSumFedInPiecesGivesTheSameBits) {
  // Values spanning many magnitudes, so a different order of additions would round differently.
  std::vector<double> x(1003);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = std::pow(10.0, static_cast<double>(i % 17) - 8.0) * (i % 3 == 0 ? -1.0 : 1.0);
  const double whole = lane_sum(x.data(), x.size());
  LaneSum pieces;
  for (std::size_t first = 0; first < x.size(); first += 256)  // multiples of 8, the last not
    pieces.add(x.data() + first, std::min<std::size_t>(256, x.size() - first));
  EXPECT_EQ(pieces.total(), whole);  // bitwise
  double in_order = 0.0;
  for (double v : x) in_order += v;
  EXPECT_NEAR(whole, in_order, 1e-9 * std::abs(in_order));  // a sum, in another order
}

TEST(LocalOperations, ValidRunsCoverExactlyTheValidCells) {
  const std::vector<std::uint8_t> valid = {0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0};
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for_each_valid_run(valid.data(), 1, valid.size(), [&](std::size_t first, std::size_t count) {
    runs.emplace_back(first, count);
  });
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {{1, 2}, {5, 1}, {7, 3}};
  EXPECT_EQ(runs, expected);
  runs.clear();
  for_each_valid_run(valid.data(), 3, 5, [&](std::size_t first, std::size_t count) {
    runs.emplace_back(first, count);
  });
  EXPECT_TRUE(runs.empty());  // no valid cell in [3, 5)
}

// Grid-sized arrays (2 MiB and more) start on a 2 MiB boundary, where a huge page can back them;
// smaller ones and over-aligned types keep their own alignment; growing, copying and freeing
// keep the values (under the sanitizers: every block freed by the path that allocated it).
TEST(GridMemory, LargeArraysStartOnHugePageBoundariesAndKeepTheirValues) {
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  GridVector<double> large(std::size_t{1} << 18, 1.5);  // exactly 2 MiB
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.data()) % kHugePage, 0u);
  large.push_back(2.5);  // reallocates: 2 MiB + 8 bytes, rounded up to 4 MiB
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.data()) % kHugePage, 0u);
  EXPECT_EQ(large.front(), 1.5);
  EXPECT_EQ(large.back(), 2.5);
  const GridVector<double> copy = large;
  EXPECT_EQ(copy, large);

  struct alignas(64) Slot {
    double kg[8];
  };
  GridVector<Slot> slots(3);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(slots.data()) % 64, 0u);
  GridVector<Slot> many_slots((std::size_t{3} << 20) / sizeof(Slot));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(many_slots.data()) % kHugePage, 0u);

  GridVector<float> small(10, 0.25f);
  EXPECT_EQ(small[9], 0.25f);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small.data()) % alignof(float), 0u);
}
