// The sweep machinery's own per-member costs (issue 7): adding one member's map to the per-cell
// statistics on the 128 x 128 demo grid (while quantiles are kept exactly, and in the P-square
// phase), and the Sobol indices with their bootstrap for one metric. Compare with a member's
// run time (tests/benchmarks/sweep_scaling.sh: about 2.6 s at 128 x 128 over 50 years).
#include <benchmark/benchmark.h>

#include "engine/core/random.hpp"
#include "engine/sweep/statistics.hpp"

using namespace minetwin;

namespace {

std::vector<double> member_map(std::size_t cells, std::uint64_t member) {
  std::vector<double> values(cells);
  for (std::size_t c = 0; c < cells; ++c)
    values[c] = 1.0 + 0.2 * random_normal({1, member, 0, c, 0});
  return values;
}

void BM_CellStatisticsAddMember(benchmark::State& bench) {
  const std::size_t cells = 128 * 128;
  const auto already = static_cast<std::size_t>(bench.range(0));
  sweep::CellStatistics statistics(cells, {0.3, 1.5}, -9999.0);
  for (std::size_t m = 0; m < already; ++m) statistics.add(member_map(cells, m));
  const std::vector<double> next = member_map(cells, already);
  for (auto _ : bench) {
    bench.PauseTiming();
    sweep::CellStatistics copy = statistics;
    bench.ResumeTiming();
    copy.add(next);
    benchmark::DoNotOptimize(copy.members());
  }
}
// After 10 members: quantiles kept exactly; after 40: the P-square phase.
BENCHMARK(BM_CellStatisticsAddMember)->Arg(10)->Arg(40)->Unit(benchmark::kMillisecond);

void BM_SobolIndicesWithBootstrap(benchmark::State& bench) {
  const std::size_t samples = 256, inputs = 8;
  std::vector<double> outputs(samples * (inputs + 2));
  for (std::size_t i = 0; i < outputs.size(); ++i) outputs[i] = random_normal({2, 0, 0, i, 0});
  for (auto _ : bench) benchmark::DoNotOptimize(sweep::sobol_indices(outputs, inputs, 500, 7));
}
BENCHMARK(BM_SobolIndicesWithBootstrap)->Unit(benchmark::kMillisecond);

}  // namespace
