#include "engine/sweep/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/core/random.hpp"

namespace minetwin::sweep {

double sorted_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

Moments describe(std::vector<double> values) {
  Moments m;
  if (values.empty()) return m;
  const double n = static_cast<double>(values.size());
  double mean = 0, m2 = 0, k = 0;
  for (double v : values) {  // Welford, in member order
    k += 1;
    const double delta = v - mean;
    mean += delta / k;
    m2 += delta * (v - mean);
  }
  m.mean = mean;
  m.sd = values.size() > 1 ? std::sqrt(m2 / (n - 1)) : 0.0;
  std::sort(values.begin(), values.end());
  m.p5 = sorted_quantile(values, 0.05);
  m.p25 = sorted_quantile(values, 0.25);
  m.p50 = sorted_quantile(values, 0.50);
  m.p75 = sorted_quantile(values, 0.75);
  m.p95 = sorted_quantile(values, 0.95);
  return m;
}

Interval wilson_interval(std::size_t successes, std::size_t trials, double z) {
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {

std::vector<double> mid_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> ranks(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> rx = mid_ranks(x), ry = mid_ranks(y);
  const double mean = 0.5 * static_cast<double>(n + 1);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx <= 0 || syy <= 0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

namespace {

// Indices from the base samples listed in @p rows (a bootstrap resample, or all of them).
void estimate_sobol(const std::vector<double>& f, std::size_t inputs,
                    const std::vector<std::size_t>& rows, std::vector<double>& first,
                    std::vector<double>& total) {
  const std::size_t stride = inputs + 2;
  const double n = static_cast<double>(rows.size());
  double sum = 0, sum2 = 0;
  for (std::size_t j : rows) {
    const double a = f[j * stride], b = f[j * stride + 1];
    sum += a + b;
    sum2 += a * a + b * b;
  }
  const double mean = sum / (2 * n);
  const double variance = sum2 / (2 * n) - mean * mean;
  first.assign(inputs, std::numeric_limits<double>::quiet_NaN());
  total.assign(inputs, std::numeric_limits<double>::quiet_NaN());
  if (!(variance > 0)) return;
  for (std::size_t i = 0; i < inputs; ++i) {
    double v_first = 0, v_total = 0;
    for (std::size_t j : rows) {
      const double a = f[j * stride], b = f[j * stride + 1], ab = f[j * stride + 2 + i];
      v_first += b * (ab - a);
      v_total += (a - ab) * (a - ab);
    }
    first[i] = v_first / n / variance;
    total[i] = v_total / (2 * n) / variance;
  }
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::vector<double>& outputs, std::size_t inputs,
                                      std::size_t resamples, std::uint64_t seed) {
  const std::size_t samples = outputs.size() / (inputs + 2);
  std::vector<std::size_t> rows(samples);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  std::vector<double> first, total;
  estimate_sobol(outputs, inputs, rows, first, total);
  std::vector<SobolIndex> result(inputs);
  for (std::size_t i = 0; i < inputs; ++i) {
    result[i].first = first[i];
    result[i].total = total[i];
  }
  if (samples < 2 || resamples == 0) return result;
  std::vector<std::vector<double>> boot_first(inputs), boot_total(inputs);
  std::vector<double> f1, ft;
  for (std::size_t b = 0; b < resamples; ++b) {
    for (std::size_t j = 0; j < samples; ++j) {
      const auto pick = static_cast<std::size_t>(random_uniform({seed, b, j, 0, 7}) *
                                                 static_cast<double>(samples));
      rows[j] = std::min(pick, samples - 1);
    }
    estimate_sobol(outputs, inputs, rows, f1, ft);
    for (std::size_t i = 0; i < inputs; ++i) {
      if (std::isfinite(f1[i])) boot_first[i].push_back(f1[i]);
      if (std::isfinite(ft[i])) boot_total[i].push_back(ft[i]);
    }
  }
  for (std::size_t i = 0; i < inputs; ++i) {
    std::sort(boot_first[i].begin(), boot_first[i].end());
    std::sort(boot_total[i].begin(), boot_total[i].end());
    result[i].first_low = sorted_quantile(boot_first[i], 0.025);
    result[i].first_high = sorted_quantile(boot_first[i], 0.975);
    result[i].total_low = sorted_quantile(boot_total[i], 0.025);
    result[i].total_high = sorted_quantile(boot_total[i], 0.975);
  }
  return result;
}

P2Quantile::P2Quantile(double p) : p_(p) {
  desired_ = {1.0, 1.0 + 2.0 * p, 1.0 + 4.0 * p, 3.0 + 2.0 * p, 5.0};
}

void P2Quantile::add(double x) {
  if (count_ < 5) {
    heights_[count_++] = x;
    if (count_ == 5) {
      std::sort(heights_.begin(), heights_.end());
      positions_ = {1, 2, 3, 4, 5};
    }
    return;
  }
  ++count_;
  std::size_t k;  // the cell of the markers x falls in
  if (x < heights_[0]) {
    heights_[0] = x;
    k = 0;
  } else if (x >= heights_[4]) {
    heights_[4] = std::max(heights_[4], x);
    k = 3;
  } else {
    k = 0;
    while (k < 3 && x >= heights_[k + 1]) ++k;
  }
  for (std::size_t i = k + 1; i < 5; ++i) positions_[i] += 1;
  const std::array<double, 5> increments{0.0, p_ / 2, p_, (1 + p_) / 2, 1.0};
  for (std::size_t i = 0; i < 5; ++i) desired_[i] += increments[i];
  for (std::size_t i = 1; i < 4; ++i) {
    const double d = desired_[i] - positions_[i];
    if ((d >= 1 && positions_[i + 1] - positions_[i] > 1) ||
        (d <= -1 && positions_[i - 1] - positions_[i] < -1)) {
      const double s = d >= 0 ? 1.0 : -1.0;
      // Piecewise-parabolic (P^2) prediction, linear when it would break the ordering.
      const double q = heights_[i], qp = heights_[i + 1], qm = heights_[i - 1];
      const double n = positions_[i], np = positions_[i + 1], nm = positions_[i - 1];
      const double parabolic =
          q +
          s / (np - nm) * ((n - nm + s) * (qp - q) / (np - n) + (np - n - s) * (q - qm) / (n - nm));
      if (qm < parabolic && parabolic < qp) {
        heights_[i] = parabolic;
      } else {
        const std::size_t j = s > 0 ? i + 1 : i - 1;
        heights_[i] = q + s * (heights_[j] - q) / (positions_[j] - n);
      }
      positions_[i] += s;
    }
  }
}

void P2Quantile::start_from(const std::vector<double>& sorted) {
  const double n = static_cast<double>(sorted.size());
  const std::array<double, 5> fractions{0.0, p_ / 2, p_, (1 + p_) / 2, 1.0};
  double previous = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    desired_[i] = 1 + fractions[i] * (n - 1);
    // Integer marker positions, strictly increasing, the last at n.
    double position = std::max(previous + 1, std::round(desired_[i]));
    position = std::min(position, n - static_cast<double>(4 - i));
    positions_[i] = position;
    heights_[i] = sorted[static_cast<std::size_t>(position) - 1];
    previous = position;
  }
  count_ = sorted.size();
}

double P2Quantile::value() const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  if (count_ < 5) {
    std::vector<double> first(heights_.begin(), heights_.begin() + static_cast<long>(count_));
    std::sort(first.begin(), first.end());
    return sorted_quantile(first, p_);
  }
  return heights_[2];
}

CellStatistics::CellStatistics(std::size_t cells, std::vector<double> thresholds, double fill)
    : cells_(cells),
      thresholds_(std::move(thresholds)),
      fill_(fill),
      valid_(cells, 0),
      mean_(cells, 0.0),
      m2_(cells, 0.0),
      kept_(cells * kExactMembers, 0.0),
      quantiles_(cells, {P2Quantile(0.05), P2Quantile(0.5), P2Quantile(0.95)}),
      above_(cells * thresholds_.size(), 0) {}

void CellStatistics::add(const std::vector<double>& values) {
  if (members_ == 0) {
    for (std::size_t c = 0; c < cells_; ++c) valid_[c] = values[c] != fill_;
  }
  ++members_;
  const double k = static_cast<double>(members_);
  const std::size_t t_count = thresholds_.size();
  const bool keeping = members_ <= kExactMembers;
  std::vector<double> sorted;
  for (std::size_t c = 0; c < cells_; ++c) {
    if (!valid_[c]) continue;
    const double v = values[c];
    const double delta = v - mean_[c];
    mean_[c] += delta / k;
    m2_[c] += delta * (v - mean_[c]);
    if (keeping) {
      kept_[c * kExactMembers + members_ - 1] = v;
    } else {
      if (members_ == kExactMembers + 1) {  // hand the kept values over to P-square
        sorted.assign(kept_.begin() + static_cast<long>(c * kExactMembers),
                      kept_.begin() + static_cast<long>((c + 1) * kExactMembers));
        std::sort(sorted.begin(), sorted.end());
        for (auto& q : quantiles_[c]) q.start_from(sorted);
      }
      for (auto& q : quantiles_[c]) q.add(v);
    }
    for (std::size_t t = 0; t < t_count; ++t) above_[c * t_count + t] += v > thresholds_[t];
  }
  if (members_ == kExactMembers + 1) std::vector<double>().swap(kept_);
}

std::vector<double> CellStatistics::mean() const {
  std::vector<double> out(cells_, fill_);
  for (std::size_t c = 0; c < cells_; ++c)
    if (valid_[c]) out[c] = mean_[c];
  return out;
}

std::vector<double> CellStatistics::sd() const {
  std::vector<double> out(cells_, fill_);
  const double k = static_cast<double>(members_);
  for (std::size_t c = 0; c < cells_; ++c)
    if (valid_[c]) out[c] = members_ > 1 ? std::sqrt(m2_[c] / (k - 1)) : 0.0;
  return out;
}

std::vector<double> CellStatistics::quantile(std::size_t which) const {
  std::vector<double> out(cells_, fill_);
  constexpr double kP[3] = {0.05, 0.5, 0.95};
  std::vector<double> sorted;
  for (std::size_t c = 0; c < cells_; ++c) {
    if (!valid_[c]) continue;
    if (members_ <= kExactMembers) {
      sorted.assign(kept_.begin() + static_cast<long>(c * kExactMembers),
                    kept_.begin() + static_cast<long>(c * kExactMembers + members_));
      std::sort(sorted.begin(), sorted.end());
      out[c] = sorted_quantile(sorted, kP[which]);
    } else {
      out[c] = quantiles_[c][which].value();
    }
  }
  return out;
}

std::vector<double> CellStatistics::exceedance(std::size_t threshold) const {
  std::vector<double> out(cells_, fill_);
  const std::size_t t_count = thresholds_.size();
  for (std::size_t c = 0; c < cells_; ++c)
    if (valid_[c])
      out[c] = members_ ? static_cast<double>(above_[c * t_count + threshold]) /
                              static_cast<double>(members_)
                        : 0.0;
  return out;
}

}  // namespace minetwin::sweep
