#pragma once
/// @file
/// @brief Checkpoints: every field of State after a completed year, plus the summary so far.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/grid/state.hpp"

namespace minetwin {

struct CheckpointHeader {
  std::uint64_t scenario_hash = 0;  ///< of the resolved scenario: resume only the same run
  std::int32_t completed_years = 0;
  std::uint64_t records = 0;  ///< records the recorder had written
  std::string summary_rows;   ///< summary.csv rows so far (text, without header)
};

/// Writes the checkpoint atomically, with the values of @p fields (the fields that can change;
/// the rest is rebuilt from the site on resume).
void write_checkpoint(const std::filesystem::path& file, const CheckpointHeader& header,
                      const State& state, const std::vector<std::string>& fields);

/// Reads a checkpoint into @p state (same fields and sizes). Returns false when the file does
/// not exist; throws when it is damaged or belongs to another grid.
bool read_checkpoint(const std::filesystem::path& file, CheckpointHeader& header, State& state);

/// FNV-1a 64-bit hash of a text (a fingerprint, not security).
std::uint64_t fingerprint(const std::string& text);

}  // namespace minetwin
