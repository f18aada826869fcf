#include "engine/sweep/sweep_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/netcdf_writer.hpp"

namespace minetwin::sweep {
namespace {

std::string number_text(double v) {
  return std::isfinite(v) ? format_number(v) : "";
}

// Fieller, Hartley & Pearson (1957): the Fisher z of a Spearman coefficient has standard
// error about sqrt(1.06 / (n - 3)).
Interval spearman_interval(double r, std::size_t n) {
  if (!std::isfinite(r) || n < 4) return {std::nan(""), std::nan("")};
  const double z = std::atanh(std::clamp(r, -0.999999999, 0.999999999));
  const double half = 1.959963984540054 * std::sqrt(1.06 / static_cast<double>(n - 3));
  return {std::tanh(z - half), std::tanh(z + half)};
}

}  // namespace

SweepAccumulator::SweepAccumulator(SweepLayout layout) : layout_(std::move(layout)) {
  const std::size_t cells = layout_.geometry.columns * layout_.geometry.rows;
  for (const auto& map : layout_.spec->maps)
    maps_.push_back(std::make_unique<CellStatistics>(cells, map.thresholds, kFillValue));
}

std::size_t SweepAccumulator::metric_index(const std::string& metric) const {
  const auto& metrics = layout_.spec->metrics;
  return static_cast<std::size_t>(std::find(metrics.begin(), metrics.end(), metric) -
                                  metrics.begin());
}

void SweepAccumulator::add(const MemberResult& result) {
  metrics_.insert(metrics_.end(), result.metrics.begin(), result.metrics.end());
  for (std::size_t m = 0; m < maps_.size(); ++m) maps_[m]->add(result.maps[m]);
  ++added_;
}

void SweepAccumulator::write(const std::filesystem::path& folder) const {
  const SweepSpec& spec = *layout_.spec;
  const std::size_t n_metrics = spec.metrics.size(),
                    years = static_cast<std::size_t>(layout_.years);
  auto value = [&](std::size_t member, std::size_t year_index, std::size_t metric) {
    return metrics_[(member * years + year_index) * n_metrics + metric];
  };
  const std::size_t last = years - 1;
  auto year_index_of = [&](int year) {
    return static_cast<std::size_t>(year - layout_.start_year);
  };

  // members.csv: the sampled inputs, the metrics of the last year, each target met (1) or not.
  std::ostringstream members;
  members << "member";
  for (const auto& input : spec.uncertain) members << "," << input.key;
  for (const auto& metric : spec.metrics) members << "," << metric;
  for (std::size_t t = 0; t < spec.targets.size(); ++t) members << ",target_" << t + 1 << "_met";
  members << "\n";
  for (std::size_t m = 0; m < added_; ++m) {
    members << m;
    for (double v : layout_.inputs[m]) members << "," << number_text(v);
    for (std::size_t k = 0; k < n_metrics; ++k) members << "," << number_text(value(m, last, k));
    for (const auto& target : spec.targets) {
      members << ","
              << (target.met_by(value(m, year_index_of(target.year), metric_index(target.metric)))
                      ? 1
                      : 0);
    }
    members << "\n";
  }
  write_file_atomically(folder / "members.csv", members.str());

  // stats.csv: per year and metric, over the members.
  std::ostringstream stats;
  stats << "year,metric,members,mean,sd,p5,p25,p50,p75,p95\n";
  std::vector<double> column(added_);
  for (std::size_t y = 0; y < years; ++y) {
    for (std::size_t k = 0; k < n_metrics; ++k) {
      for (std::size_t m = 0; m < added_; ++m) column[m] = value(m, y, k);
      const Moments d = describe(column);
      stats << layout_.start_year + static_cast<int>(y) << "," << spec.metrics[k] << "," << added_
            << "," << number_text(d.mean) << "," << number_text(d.sd) << "," << number_text(d.p5)
            << "," << number_text(d.p25) << "," << number_text(d.p50) << "," << number_text(d.p75)
            << "," << number_text(d.p95) << "\n";
    }
  }
  write_file_atomically(folder / "stats.csv", stats.str());

  // targets.csv: the probability of meeting each target with its 95 % Wilson interval.
  std::ostringstream targets;
  targets << "target,metric,year,op,value,members,met,probability,ci95_low,ci95_high\n";
  for (std::size_t t = 0; t < spec.targets.size(); ++t) {
    const Target& target = spec.targets[t];
    std::size_t met = 0;
    for (std::size_t m = 0; m < added_; ++m)
      met += target.met_by(value(m, year_index_of(target.year), metric_index(target.metric)));
    const Interval ci = wilson_interval(met, added_);
    targets << t + 1 << "," << target.metric << "," << target.year << "," << target.op << ","
            << number_text(target.value) << "," << added_ << "," << met << ","
            << number_text(added_ ? static_cast<double>(met) / static_cast<double>(added_) : 0.0)
            << "," << number_text(ci.low) << "," << number_text(ci.high) << "\n";
  }
  write_file_atomically(folder / "targets.csv", targets.str());

  // sensitivity.csv: of each metric in the last year (and in each target's year).
  std::vector<int> sensitivity_years{layout_.start_year + layout_.years - 1};
  for (const auto& target : spec.targets)
    if (std::find(sensitivity_years.begin(), sensitivity_years.end(), target.year) ==
        sensitivity_years.end())
      sensitivity_years.push_back(target.year);
  std::sort(sensitivity_years.begin(), sensitivity_years.end());
  std::ostringstream sensitivity;
  const bool sobol = spec.method == SamplingMethod::saltelli;
  sensitivity << (sobol ? "year,metric,input,first_order,first_order_ci95_low,"
                          "first_order_ci95_high,total,total_ci95_low,total_ci95_high\n"
                        : "year,metric,input,spearman,ci95_low,ci95_high\n");
  const std::size_t inputs = spec.uncertain.size();
  for (int year : sensitivity_years) {
    const std::size_t y = year_index_of(year);
    for (std::size_t k = 0; k < n_metrics; ++k) {
      for (std::size_t m = 0; m < added_; ++m) column[m] = value(m, y, k);
      if (sobol) {
        const auto indices = sobol_indices(column, inputs, spec.bootstrap, spec.seed);
        for (std::size_t i = 0; i < inputs; ++i) {
          const SobolIndex& s = indices[i];
          sensitivity << year << "," << spec.metrics[k] << "," << spec.uncertain[i].key << ","
                      << number_text(s.first) << "," << number_text(s.first_low) << ","
                      << number_text(s.first_high) << "," << number_text(s.total) << ","
                      << number_text(s.total_low) << "," << number_text(s.total_high) << "\n";
        }
      } else {
        std::vector<double> input_values(added_);
        for (std::size_t i = 0; i < inputs; ++i) {
          for (std::size_t m = 0; m < added_; ++m) input_values[m] = layout_.inputs[m][i];
          const double r = spearman(input_values, column);
          const Interval ci = spearman_interval(r, added_);
          sensitivity << year << "," << spec.metrics[k] << "," << spec.uncertain[i].key << ","
                      << number_text(r) << "," << number_text(ci.low) << "," << number_text(ci.high)
                      << "\n";
        }
      }
    }
  }
  write_file_atomically(folder / "sensitivity.csv", sensitivity.str());

  // maps.nc: per-cell statistics of the final year's state (CF-1.8, static variables).
  if (!maps_.empty()) {
    NetcdfLayout nc;
    nc.geometry = layout_.geometry;
    nc.start_year = layout_.start_year + layout_.years;
    nc.title = "MineTwin sweep of " + layout_.scenario_name + ": per-cell statistics of " +
               std::to_string(added_) + " members, state on 1 January " +
               std::to_string(nc.start_year);
    nc.program_version = "";
    nc.single_precision = false;
    std::vector<std::vector<double>> columns_out;
    for (std::size_t m = 0; m < maps_.size(); ++m) {
      const MapSpec& map = spec.maps[m];
      std::string base = map.field + (map.layer >= 0 ? "_layer" + std::to_string(map.layer) : "");
      auto add = [&](const std::string& suffix, const std::string& units, const std::string& what,
                     std::vector<double> values) {
        nc.static_variables.push_back({base + "_" + suffix, units,
                                       what + " of " + map.name + " over the members",
                                       Location::cell, ElementType::float64, false});
        columns_out.push_back(std::move(values));
      };
      const CellStatistics& s = *maps_[m];
      const std::string& units = layout_.map_fields[m].units;
      add("mean", units, "mean", s.mean());
      add("sd", units, "standard deviation", s.sd());
      add("p5", units, "5th percentile (P-square estimate)", s.quantile(0));
      add("p50", units, "median (P-square estimate)", s.quantile(1));
      add("p95", units, "95th percentile (P-square estimate)", s.quantile(2));
      for (std::size_t t = 0; t < map.thresholds.size(); ++t)
        add("exceedance_" + std::to_string(t + 1), "1",
            "probability of exceeding " + format_number(map.thresholds[t]), s.exceedance(t));
    }
    const auto partial = temporary_sibling(folder / "maps.nc");
    {
      NetcdfWriter writer(partial, nc);
      std::vector<std::span<const std::byte>> spans;
      for (const auto& values : columns_out) spans.push_back(std::as_bytes(std::span(values)));
      writer.write_static(spans);
      writer.close();
    }
    commit_file(partial, folder / "maps.nc");
  }
}

}  // namespace minetwin::sweep
