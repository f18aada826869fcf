#pragma once
/// @file
/// @brief The vegetation model's loops over a sub-block of cells (docs/models/vegetation.md):
/// they apply the equations of vegetation_equations.hpp, one plain loop over restrict pointers
/// each, so the compiler vectorises them. Built with the flags of the models' hot loops
/// (models/CMakeLists.txt); each is also built for AVX2 (wide_vectors.hpp). The component
/// (vegetation_component.cpp) runs them sub-block by sub-block and keeps the summary.

#include <cstddef>
#include <cstdint>
#include <span>

#include "models/vegetation/vegetation_equations.hpp"

namespace minetwin::vegetation {

/// Cells are grown in sub-blocks of this many; their leaf areas wait in arrays for the
/// exponentials, which one vectorised loop then takes for the whole sub-block (in the cell loop
/// each would wait on its own chain of multiplications).
inline constexpr std::size_t kSubBlock = 256;

/// fPAR of each layer from its leaf area (0 where the layer is absent), the cell's cover and
/// LAI. Without any woody layer in the sub-block (@p any_woody false: most of a site), one
/// exponential a cell, not two: the woody fPAR of leaf area 0 is exactly 0.
void cover_pass(std::size_t count, bool any_woody, const double* woody_lai, const double* herb_lai,
                double* woody_fpar, double* herb_fpar, float* cover, float* lai);

/// CASA's water scalar of each cell (the month's PET is the site's).
void water_pass(std::size_t count, const float* aet, double pet, double* water);

/// The DPM/RPM ratio of each cell's litter (litter_dpm_rpm_ratio).
void litter_ratio_pass(std::size_t count, const double* litter, const double* litter_dpm,
                       float* ratio);

/// The woody layer of a run of cells of one type, first (@p t by value: a local copy, which the
/// stores through the pools cannot alias, so the loop vectorises): its light is the month's PAR.
/// Writes each cell's NPP, litter and the litter's DPM part, its leaf area and the light left for
/// the herbs below it.
void woody_growth_pass(std::size_t count, GrowthTerms t, double par, const double* water,
                       const float* soil, const double* fpar, double* leaf, double* stem,
                       double* root, double* npp_out, double* litter_out, double* litter_dpm_out,
                       double* lai_out, double* herb_light_out);

/// The herb layer of a run of cells of one type, under the woody canopy: adds its NPP, litter
/// and litter DPM to the woody layer's (so a cell's sums are woody + herb, in that order).
void herb_growth_pass(std::size_t count, GrowthTerms t, const double* light, const double* water,
                      const float* soil, const double* fpar, double* leaf, double* root,
                      double* npp_sum, double* litter_sum, double* litter_dpm_sum, double* lai_out);

/// The types of each cell of a sub-block (0: none, and for an invalid cell, which holds
/// _FillValue, not a type).
void type_pass(std::size_t count, const std::uint8_t* valid, const float* woody_type,
               const float* herb_type, std::size_t type_count, std::int32_t* woody,
               std::int32_t* herb);

/// The month's results of a sub-block into the fields (invalid cells keep their _FillValue).
void store_pass(std::size_t count, const std::uint8_t* valid, const double* cell_litter,
                const double* cell_npp, const float* cell_cover, const float* cell_lai,
                const float* cell_ratio, double* litter, float* annual_npp, float* cover,
                float* lai, float* ratio);

/// Calls pass(type, first, count) for each run of consecutive cells of one type (0: none).
template <typename Pass>
void for_each_type_run(std::span<const std::int32_t> type, Pass&& pass) {
  for (std::size_t first = 0; first < type.size();) {
    std::size_t last = first + 1;
    while (last < type.size() && type[last] == type[first]) ++last;
    pass(type[first], first, last - first);
    first = last;
  }
}

}  // namespace minetwin::vegetation
