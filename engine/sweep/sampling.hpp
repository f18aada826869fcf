#pragma once
/// @file
/// @brief Sampling designs of a sweep: which uniform numbers each member gets, one per
/// uncertain input. The distributions turn them into values (distribution.hpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace minetwin::sweep {

enum class SamplingMethod { lhs, sobol, random, saltelli };

/// A design: rows are members, columns are inputs, every value in (0, 1).
struct Design {
  std::size_t inputs = 0;
  std::vector<double> u;  ///< row-major, members x inputs
  std::size_t members() const { return inputs ? u.size() / inputs : 0; }
  double at(std::size_t member, std::size_t input) const { return u[member * inputs + input]; }
};

/// Members a design of @p samples has: samples, or samples x (inputs + 2) for saltelli.
std::size_t design_members(SamplingMethod method, std::size_t samples, std::size_t inputs);

/// Builds the design.
/// - random: independent uniforms (counter-based, keyed by seed, member and input).
/// - lhs: Latin hypercube (McKay, Beckman & Conover 1979): each input's range is cut into
///   `samples` equal-probability strata, one member in each, strata paired at random.
/// - sobol: the Sobol low-discrepancy sequence (Joe & Kuo 2008 directions, Boost.Random),
///   origin skipped; the seed is not used.
/// - saltelli: Saltelli et al. (2010) radial layout for Sobol indices from a 2k-dimensional
///   Sobol sequence: for each base sample j, members A_j, B_j and AB_j^i (A_j with input i
///   taken from B_j), i = 1..k, in that order.
Design make_design(SamplingMethod method, std::size_t samples, std::size_t inputs,
                   std::uint64_t seed);

const char* to_string(SamplingMethod method);

}  // namespace minetwin::sweep
