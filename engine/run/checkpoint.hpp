#pragma once
/// @file
/// @brief Checkpoints: every changing field of State after a completed year, the components'
/// carry-over, and the summary so far, with a checksum of the whole body.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/grid/state.hpp"

namespace minetwin {

struct CheckpointHeader {
  std::uint64_t scenario_hash = 0;  ///< of the resolved scenario: resume only the same run
  std::int32_t completed_years = 0;
  std::uint64_t records = 0;  ///< records the recorder had written
  /// Completed years at the run's first record: 0, or for a state made by a calibration's
  /// analysis (docs/calibration.md, state update) the analysis year's, where a run resumed from
  /// it starts its state.nc.
  std::int32_t record_origin_years = 0;
  std::string summary_rows;  ///< summary.csv rows so far (text, without header)
  /// Each component's carry-over (Simulation::carry_over), by component name.
  std::map<std::string, std::vector<std::uint8_t>> carry_over;
};

/// Writes the checkpoint atomically, with the values of @p fields (the fields that can change;
/// the rest is rebuilt from the site on resume).
void write_checkpoint(const std::filesystem::path& file, const CheckpointHeader& header,
                      const State& state, const std::vector<std::string>& fields);

/// Reads a checkpoint into @p state (same fields and sizes). Returns false when the file does
/// not exist. A damaged file (its checksum does not match, it is truncated, or it belongs to
/// another grid or program version) throws InputError naming it: the run must start again.
bool read_checkpoint(const std::filesystem::path& file, CheckpointHeader& header, State& state);

/// FNV-1a 64-bit hash of a text (a fingerprint, not security).
std::uint64_t fingerprint(const std::string& text);

}  // namespace minetwin
