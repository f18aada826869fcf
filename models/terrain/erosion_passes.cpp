#include "models/terrain/erosion_passes.hpp"

#include <algorithm>

#include "engine/core/wide_vectors.hpp"
#include "models/terrain/rusle.hpp"

namespace minetwin::terrain {

MINETWIN_WIDE_VECTORS void detach_cells(std::size_t count, const SiteTerms& site,
                                        const double* __restrict erodibility,
                                        const float* __restrict gradient,
                                        const float* __restrict drainage_area,
                                        const double* __restrict cover_practice,
                                        double* __restrict detached, double* __restrict capacity) {
  for (std::size_t i = 0; i < count; ++i) {
    const double specific_area =
        std::min<double>(drainage_area[i] / site.cell_width_m, site.max_specific_area_m);
    const double ls = ls_factor(specific_area, gradient[i]);
    const double rk = site.erosivity * erodibility[i];
    // t ha-1 yr-1 -> kg m-2 yr-1: x 0.1.
    detached[i] = rk * ls * cover_practice[i] * 0.1 * site.cell_area_m2;
    const double transport = std::max(0.0, ls - capacity_slope_term(gradient[i]));
    capacity[i] = site.transport_capacity_ktc_m * rk * transport * 0.1 * site.cell_width_m;
  }
}

}  // namespace minetwin::terrain
