#include "engine/sweep/sampling.hpp"

#include <algorithm>
#include <numeric>

#include <boost/random/sobol.hpp>

#include "engine/core/random.hpp"

namespace minetwin::sweep {
namespace {

// Streams of the counter-based generator (engine/core/random.hpp) used by the designs.
constexpr std::uint64_t kStreamUniform = 1, kStreamStratum = 2, kStreamPermutation = 3;

// Rows of the Sobol sequence in @p dimensions. Boost's engine starts after the origin (which
// carries no stratum information): (1/2, ...), then (3/4, 1/4, ...), ...
std::vector<double> sobol_points(std::size_t rows, std::size_t dimensions) {
  boost::random::sobol engine(dimensions);
  std::vector<double> u(rows * dimensions);
  for (double& v : u) v = static_cast<double>(engine()) * 0x1.0p-64;
  return u;
}

}  // namespace

const char* to_string(SamplingMethod method) {
  switch (method) {
    case SamplingMethod::lhs:
      return "lhs";
    case SamplingMethod::sobol:
      return "sobol";
    case SamplingMethod::random:
      return "random";
    case SamplingMethod::saltelli:
      return "saltelli";
  }
  return "?";
}

std::size_t design_members(SamplingMethod method, std::size_t samples, std::size_t inputs) {
  return method == SamplingMethod::saltelli ? samples * (inputs + 2) : samples;
}

Design make_design(SamplingMethod method, std::size_t samples, std::size_t inputs,
                   std::uint64_t seed) {
  Design design;
  design.inputs = inputs;
  if (inputs == 0 || samples == 0) return design;
  switch (method) {
    case SamplingMethod::random: {
      design.u.resize(samples * inputs);
      for (std::size_t m = 0; m < samples; ++m)
        for (std::size_t i = 0; i < inputs; ++i)
          design.u[m * inputs + i] = random_uniform({seed, m, i, 0, kStreamUniform});
      break;
    }
    case SamplingMethod::lhs: {
      design.u.resize(samples * inputs);
      std::vector<std::size_t> strata(samples);
      for (std::size_t i = 0; i < inputs; ++i) {
        // A Fisher-Yates shuffle of the strata, drawn from keyed numbers (no hidden state).
        std::iota(strata.begin(), strata.end(), std::size_t{0});
        for (std::size_t k = samples - 1; k > 0; --k) {
          const auto j = static_cast<std::size_t>(
              random_uniform({seed, k, i, 0, kStreamPermutation}) * static_cast<double>(k + 1));
          std::swap(strata[k], strata[std::min(j, k)]);
        }
        for (std::size_t m = 0; m < samples; ++m) {
          const double within = random_uniform({seed, m, i, 0, kStreamStratum});
          design.u[m * inputs + i] =
              (static_cast<double>(strata[m]) + within) / static_cast<double>(samples);
        }
      }
      break;
    }
    case SamplingMethod::sobol:
      design.u = sobol_points(samples, inputs);
      break;
    case SamplingMethod::saltelli: {
      const std::vector<double> base = sobol_points(samples, 2 * inputs);
      design.u.resize(samples * (inputs + 2) * inputs);
      for (std::size_t j = 0; j < samples; ++j) {
        const double* a = &base[j * 2 * inputs];
        const double* b = a + inputs;
        double* out = &design.u[j * (inputs + 2) * inputs];
        std::copy(a, a + inputs, out);
        std::copy(b, b + inputs, out + inputs);
        for (std::size_t i = 0; i < inputs; ++i) {
          double* row = out + (2 + i) * inputs;
          std::copy(a, a + inputs, row);
          row[i] = b[i];
        }
      }
      break;
    }
  }
  return design;
}

}  // namespace minetwin::sweep
