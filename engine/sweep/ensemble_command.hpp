#pragma once
/// @file
/// @brief What the ensemble commands (sweep, calibrate, optimise) share around their runs: the
/// thread limit, the identity that keeps a journal to its own run, and errors under MPI.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace minetwin::sweep {

/// The `--threads` limit (0: all cores), held for as long as the returned handle lives.
std::shared_ptr<void> limit_threads(int threads);

/// The identity of an ensemble run: its resolved file (and @p extra, e.g. a sample count), the
/// program's version, the `--set` values and the resolved base scenario. Its fingerprint keys the
/// journal, so that --resume never reads another run's.
std::string ensemble_identity(const std::string& resolved_file, const std::string& extra,
                              const std::vector<std::string>& overrides, const Scenario& base);

/// The text of `<what>.yaml` in an ensemble's outputs: a header naming the program's version
/// (and @p note), then the file with every default filled in.
std::string resolved_file_text(const std::string& what, const std::string& note,
                               const std::string& resolved_yaml);

/// Runs @p body, which every rank runs. With one process its errors propagate; under MPI a rank's
/// error is printed and ends every rank (exit 2 for bad input, 1 otherwise), which would
/// otherwise wait for it forever.
void on_every_rank(const std::function<void()>& body);

}  // namespace minetwin::sweep
