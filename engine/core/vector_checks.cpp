#include "engine/core/vector_checks.hpp"

#include "engine/core/wide_vectors.hpp"

namespace minetwin {

MINETWIN_WIDE_VECTORS bool all_equal(std::size_t count, const double* __restrict x) {
  unsigned differs = 0;
  for (std::size_t i = 0; i < count; ++i) differs |= x[i] != x[0] ? 1u : 0u;
  return differs == 0;
}

MINETWIN_WIDE_VECTORS bool any_positive(std::size_t count, const double* __restrict x) {
  unsigned positive = 0;
  for (std::size_t i = 0; i < count; ++i) positive |= x[i] > 0.0 ? 1u : 0u;
  return positive != 0;
}

}  // namespace minetwin
