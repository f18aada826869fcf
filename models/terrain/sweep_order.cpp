#include "models/terrain/sweep_order.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace minetwin::terrain {

SweepOrder sweep_order(std::span<const std::uint32_t> stack,
                       std::span<const std::uint32_t> receiver_position, std::size_t cell_count) {
  SweepOrder order;
  order.chunks = DrainageChunks(receiver_position);
  const DrainageChunks& chunks = order.chunks;
  const std::size_t positions = stack.size();
  constexpr std::uint32_t kNone = UINT32_MAX;
  // Per cell: its chunk (kNone: not in the graph), its receiver cell, its number of donors.
  std::vector<std::uint32_t> chunk_of(cell_count, kNone), receiver(cell_count, 0),
      donors(cell_count, 0);
  for (std::size_t k = 0; k < chunks.size(); ++k)
    for (std::size_t p = chunks.begin(k); p < chunks.end(k); ++p)
      chunk_of[stack[p]] = static_cast<std::uint32_t>(k);
  for (std::size_t p = 0; p < positions; ++p) {
    receiver[stack[p]] = stack[receiver_position[p]];
    if (receiver_position[p] != p) ++donors[stack[receiver_position[p]]];
  }
  // Each chunk's cells by rising index (a counting sort by chunk, in cell order).
  std::vector<std::uint32_t> by_index(positions);
  std::vector<std::size_t> next(chunks.size());
  for (std::size_t k = 0; k < chunks.size(); ++k) next[k] = chunks.begin(k);
  for (std::size_t c = 0; c < cell_count; ++c)
    if (chunk_of[c] != kNone) by_index[next[chunk_of[c]]++] = static_cast<std::uint32_t>(c);
  // The sweep, chunk by chunk (chunks hold whole trees: no walk leaves its chunk).
  order.cells.resize(positions);
  order.receivers.resize(positions);
  std::vector<std::uint32_t> waiting = donors;  // donors not yet visited
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks.size(), 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t k = range.begin(); k != range.end(); ++k) {
                        std::size_t out = chunks.begin(k);
                        for (std::size_t p = chunks.begin(k); p < chunks.end(k); ++p) {
                          std::uint32_t cell = by_index[p];
                          if (donors[cell] != 0)
                            continue;  // visited by the walk from its last donor
                          while (true) {
                            order.cells[out] = cell;
                            order.receivers[out++] = receiver[cell];
                            const std::uint32_t down = receiver[cell];
                            if (down == cell || --waiting[down] != 0) break;
                            cell = down;
                          }
                        }
                      }
                    });
  return order;
}

}  // namespace minetwin::terrain
