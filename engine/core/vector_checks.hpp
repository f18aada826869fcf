#pragma once
/// @file
/// @brief Checks over a run of cells that decide whether a cell pass can take a shortcut (one
/// value for the whole run, or nothing to do). Loops without an early exit, which the compiler
/// vectorises: a check costs a small fraction of the pass it can skip.

#include <cstddef>

namespace minetwin {

/// Whether all of x[0, count) equal x[0] (true for count 0).
bool all_equal(std::size_t count, const double* x);

/// Whether any of x[0, count) is above 0.
bool any_positive(std::size_t count, const double* x);

}  // namespace minetwin
