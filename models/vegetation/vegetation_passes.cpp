#include "models/vegetation/vegetation_passes.hpp"

#include "engine/core/wide_vectors.hpp"

namespace minetwin::vegetation {

MINETWIN_WIDE_VECTORS void cover_pass(std::size_t count, bool any_woody,
                                      const double* __restrict woody_lai,
                                      const double* __restrict herb_lai,
                                      double* __restrict woody_fpar, double* __restrict herb_fpar,
                                      float* __restrict cover, float* __restrict lai) {
  if (!any_woody) {
    for (std::size_t i = 0; i < count; ++i) {
      const double herb = cover_from_lai(herb_lai[i]);
      woody_fpar[i] = 0.0;
      herb_fpar[i] = herb;
      cover[i] = static_cast<float>(combined_cover(herb, 0.0));
      lai[i] = static_cast<float>(0.0 + herb_lai[i]);
    }
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const double woody = cover_from_lai(woody_lai[i]), herb = cover_from_lai(herb_lai[i]);
    woody_fpar[i] = woody;
    herb_fpar[i] = herb;
    cover[i] = static_cast<float>(combined_cover(herb, woody));
    lai[i] = static_cast<float>(0.0 + woody_lai[i] + herb_lai[i]);
  }
}

MINETWIN_WIDE_VECTORS void water_pass(std::size_t count, const float* __restrict aet, double pet,
                                      double* __restrict water) {
  for (std::size_t i = 0; i < count; ++i) water[i] = water_scalar(aet[i], pet);
}

MINETWIN_WIDE_VECTORS void litter_ratio_pass(std::size_t count, const double* __restrict litter,
                                             const double* __restrict litter_dpm,
                                             float* __restrict ratio) {
  for (std::size_t i = 0; i < count; ++i)
    ratio[i] = static_cast<float>(litter_dpm_rpm_ratio(litter[i], litter_dpm[i]));
}

MINETWIN_WIDE_VECTORS void woody_growth_pass(
    std::size_t count, const GrowthTerms t, double par, const double* __restrict water,
    const float* __restrict soil, const double* __restrict fpar, double* __restrict leaf,
    double* __restrict stem, double* __restrict root, double* __restrict npp_out,
    double* __restrict litter_out, double* __restrict litter_dpm_out, double* __restrict lai_out,
    double* __restrict herb_light_out) {
  for (std::size_t i = 0; i < count; ++i) {
    double npp, turnover;
    grow_woody(t, par, fpar[i], water[i], static_cast<double>(soil[i]), leaf[i], stem[i], root[i],
               npp, turnover);
    npp_out[i] = npp;
    litter_out[i] = turnover;
    litter_dpm_out[i] = turnover * t.dpm_fraction;
    lai_out[i] = leaf[i] * t.specific_leaf_area;
    herb_light_out[i] = light_below(par, fpar[i]);
  }
}

MINETWIN_WIDE_VECTORS void herb_growth_pass(
    std::size_t count, const GrowthTerms t, const double* __restrict light,
    const double* __restrict water, const float* __restrict soil, const double* __restrict fpar,
    double* __restrict leaf, double* __restrict root, double* __restrict npp_sum,
    double* __restrict litter_sum, double* __restrict litter_dpm_sum, double* __restrict lai_out) {
  for (std::size_t i = 0; i < count; ++i) {
    double npp, turnover;
    grow_herb(t, light[i], fpar[i], water[i], static_cast<double>(soil[i]), leaf[i], root[i], npp,
              turnover);
    npp_sum[i] += npp;
    litter_sum[i] += turnover;
    litter_dpm_sum[i] += turnover * t.dpm_fraction;
    lai_out[i] = leaf[i] * t.specific_leaf_area;
  }
}

MINETWIN_WIDE_VECTORS void type_pass(std::size_t count, const std::uint8_t* __restrict valid,
                                     const float* __restrict woody_type,
                                     const float* __restrict herb_type, std::size_t type_count,
                                     std::int32_t* __restrict woody,
                                     std::int32_t* __restrict herb) {
  for (std::size_t i = 0; i < count; ++i) {
    woody[i] = valid[i] != 0 ? type_index(woody_type[i], type_count) : 0;
    herb[i] = valid[i] != 0 ? type_index(herb_type[i], type_count) : 0;
  }
}

MINETWIN_WIDE_VECTORS void store_pass(std::size_t count, const std::uint8_t* __restrict valid,
                                      const double* __restrict cell_litter,
                                      const double* __restrict cell_npp,
                                      const float* __restrict cell_cover,
                                      const float* __restrict cell_lai,
                                      const float* __restrict cell_ratio, double* __restrict litter,
                                      float* __restrict annual_npp, float* __restrict cover,
                                      float* __restrict lai, float* __restrict ratio) {
  for (std::size_t i = 0; i < count; ++i) {
    const bool is_valid = valid[i] != 0;
    litter[i] = is_valid ? cell_litter[i] : litter[i];
    annual_npp[i] += static_cast<float>(cell_npp[i]);  // 0 on an invalid cell
    cover[i] = is_valid ? cell_cover[i] : cover[i];
    lai[i] = is_valid ? cell_lai[i] : lai[i];
    ratio[i] = is_valid ? cell_ratio[i] : ratio[i];
  }
}

}  // namespace minetwin::vegetation
