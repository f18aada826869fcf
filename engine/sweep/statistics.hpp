#pragma once
/// @file
/// @brief The statistics of a sweep: quantiles, online per-cell moments and quantiles, the
/// probability of meeting a target with its interval, rank correlations and Sobol indices.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace minetwin::sweep {

/// Quantile @p p of sorted values by linear interpolation between order statistics
/// (Hyndman & Fan 1996, definition 7; R's and NumPy's default). NaN when empty.
double sorted_quantile(const std::vector<double>& sorted, double p);

/// Mean, sample sd and the quantiles stats.csv reports.
struct Moments {
  double mean = 0, sd = 0, p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};
Moments describe(std::vector<double> values);

/// Wilson score interval of a proportion (Wilson 1927), 95 % (z = 1.96).
struct Interval {
  double low = 0, high = 0;
};
Interval wilson_interval(std::size_t successes, std::size_t trials, double z = 1.959963984540054);

/// Spearman rank correlation (Pearson correlation of mid-ranks, ties averaged). NaN when
/// either variable is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

/// First-order and total Sobol indices of one input with 95 % bootstrap percentile intervals.
struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;
  double total = 0, total_low = 0, total_high = 0;
};

/// Sobol indices from a Saltelli design's outputs (sampling.hpp): @p outputs holds, for each
/// base sample j, f(A_j), f(B_j), f(AB_j^1) ... f(AB_j^k). First order by Saltelli et al. 2010
/// (Comput. Phys. Commun. 181:259, Table 2 (b)), total by Jansen 1999 (Table 2 (f)), both
/// divided by the variance of all f(A) and f(B). @p resamples bootstrap resamples of the base
/// samples, keyed by @p seed (deterministic).
std::vector<SobolIndex> sobol_indices(const std::vector<double>& outputs, std::size_t inputs,
                                      std::size_t resamples, std::uint64_t seed);

/// Streaming estimate of one quantile by the P-square algorithm (Jain & Chlamtac 1985, CACM
/// 28:1076): five markers, constant memory, exact for the first five values.
class P2Quantile {
 public:
  explicit P2Quantile(double p = 0.5);
  void add(double x);
  /// Starts from a sorted sample of five values or more (the markers at their order
  /// statistics), as if its values had been added.
  void start_from(const std::vector<double>& sorted);
  double value() const;

 private:
  double p_;
  std::size_t count_ = 0;
  std::array<double, 5> heights_{};
  std::array<double, 5> positions_{};
  std::array<double, 5> desired_{};
};

/// Per-cell statistics of one map over the members, online: Welford (1962) mean and
/// variance, p5 / p50 / p95, and the count above each threshold. The quantiles are exact
/// (type 7) for up to kExactMembers members, whose values are kept; beyond, the P-square
/// estimate started from them. Cells holding @p fill in the first member stay fill.
class CellStatistics {
 public:
  static constexpr std::size_t kExactMembers = 32;
  CellStatistics(std::size_t cells, std::vector<double> thresholds, double fill);
  void add(const std::vector<double>& values);
  std::size_t members() const { return members_; }
  std::vector<double> mean() const;
  std::vector<double> sd() const;
  std::vector<double> quantile(std::size_t which) const;  ///< 0: p5, 1: p50, 2: p95
  std::vector<double> exceedance(std::size_t threshold) const;
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  std::size_t cells_;
  std::vector<double> thresholds_;
  double fill_;
  std::size_t members_ = 0;
  std::vector<unsigned char> valid_;
  std::vector<double> mean_, m2_;
  std::vector<double> kept_;  ///< cells x kExactMembers, while members <= kExactMembers
  std::vector<std::array<P2Quantile, 3>> quantiles_;
  std::vector<std::uint32_t> above_;  ///< cells x thresholds
};

}  // namespace minetwin::sweep
