#include "models/hazards/surfaces.hpp"

#include <cmath>

namespace minetwin::hazards {

std::string_view to_string(Surface surface) {
  switch (surface) {
    case Surface::bare_rock:
      return "bare_rock";
    case Surface::loose_spoil:
      return "loose_spoil";
    case Surface::soil:
      return "soil";
    case Surface::grass:
      return "grass";
    case Surface::shrub:
      return "shrub";
    case Surface::forest:
      return "forest";
  }
  return "?";
}

std::array<SurfaceProperties, kSurfaceCount> default_surface_properties() {
  return {{
      {0.53, 0.50, 0.20, 0.0, 0.0},   // bare rock: Rockyfor3D soil type 6
      {0.33, 0.70, 0.35, 0.0, 0.0},   // loose spoil: type 3 (scree, compact soil with fragments)
      {0.23, 0.60, 0.40, 0.0, 0.0},   // soil: type 1 (fine soil)
      {0.23, 0.65, 0.45, 0.0, 0.0},   // grass: fine soil, turf adds rolling resistance
      {0.23, 0.65, 0.55, 1.0, 0.02},  // shrub
      {0.23, 0.65, 0.55, 0.1, 0.15},  // forest
  }};
}

double stem_dissipation_j(double dbh_m) {
  return 38.7 * std::pow(dbh_m * 100.0, 2.31);
}

Surface classify_surface(double cover_fraction, double woody_stem_carbon_kg_m2,
                         double rock_fragment_fraction) {
  if (woody_stem_carbon_kg_m2 >= 1.0) return Surface::forest;
  if (woody_stem_carbon_kg_m2 >= 0.05) return Surface::shrub;
  if (cover_fraction >= 0.3) return Surface::grass;
  if (rock_fragment_fraction >= 0.5) return Surface::bare_rock;
  if (rock_fragment_fraction >= 0.2) return Surface::loose_spoil;
  return Surface::soil;
}

}  // namespace minetwin::hazards
