#pragma once
/// @file
/// @brief `minetwin soilcarbon rothc INPUT OUTPUT`: the official Rothamsted RothC input format
/// (Fortran 2.0.0 layout with the option lines, and the older 1.0.0 layout without), run
/// through the same monthly step as the grid model.

#include <filesystem>
#include <vector>

#include "models/carbon/rothc.hpp"

namespace minetwin::carbon {

struct RothCInputRow {
  int year = 0, month = 0;
  RothCMonth forcing;
};

struct RothCInput {
  RothCSoil soil;
  double iom = 0;                   ///< t C/ha
  std::vector<RothCInputRow> rows;  ///< nsteps rows; the first 12 are the spin-up year
};

/// Reads an official RothC input file. Bad input throws InputError with file, line and column.
/// Moisture options other than 1/1 (the dryland options of version 2.0.0) are refused.
RothCInput read_rothc_input(const std::filesystem::path& file);

struct RothCOutputRow {
  int year = 0, month = 0;
  Pools pools;  ///< at the end of the month
};

/// Spin-up on the first 12 rows, then the simulation of rows 13..nsteps.
std::vector<RothCOutputRow> run_rothc(const RothCInput& input);

/// `year,month,dpm,rpm,bio,hum,iom,soc` (t C/ha), written atomically.
void write_rothc_csv(const std::filesystem::path& file, const std::vector<RothCOutputRow>& rows);

}  // namespace minetwin::carbon
