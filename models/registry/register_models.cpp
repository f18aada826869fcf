#include "models/registry/register_models.hpp"

namespace minetwin {

void register_models(ModelRegistry& registry) {
  // The process models (terrain, hydrology, soil, metals, vegetation, carbon, hazards,
  // indices) register here as their issues land, in the coupling order of the design brief.
  (void)registry;
}

}  // namespace minetwin
