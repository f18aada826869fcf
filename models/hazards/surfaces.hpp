#pragma once
/// @file
/// @brief Surface classes of the rockfall model and their contact properties
/// (docs/models/hazards.md, "Surfaces").

#include <array>
#include <cstdint>
#include <string_view>

namespace minetwin::hazards {

enum class Surface : std::uint8_t { bare_rock, loose_spoil, soil, grass, shrub, forest };
inline constexpr std::size_t kSurfaceCount = 6;
std::string_view to_string(Surface surface);

/// How a block meets a surface. Bullet combines a block's values with the terrain body's
/// (friction and restitution multiply, the terrain's are 1), so these are the contact values.
struct SurfaceProperties {
  double restitution;       ///< normal coefficient of restitution Rn
  double friction;          ///< Coulomb sliding friction coefficient
  double rolling_friction;  ///< rolling-resistance coefficient mu_r: deceleration mu_r g cos(slope)
  double stems_per_m2;      ///< woody stems a block can hit (at full cover)
  double stem_diameter_m;   ///< their mean diameter at breast height
};

/// Defaults: Rn from Rockyfor3D's soil types (Dorren 2016, Table 2: fine soil 0.23, scree 0.33,
/// bedrock 0.53); friction, and rolling resistance within the rolling-friction coefficients
/// 0.2-0.6 measured by Azzoni et al. (1995, IJRMMS 32:709) (MineTwin's choice by surface); stems
/// from a young reclamation plantation (MineTwin assumption: 1000 stems/ha of 15 cm DBH in forest,
/// 1 stem/m2 of 2 cm in shrubland).
std::array<SurfaceProperties, kSurfaceCount> default_surface_properties();

/// Energy (J) one stem of @p dbh_m can dissipate: E = 38.7 DBH^2.31 with DBH in cm
/// (Dorren & Berger 2006, Tree Physiology 26:63, fitted on impact tests).
double stem_dissipation_j(double dbh_m);

/// The surface class of a cell from its cover and soil: woody stem carbon decides forest
/// (>= 1 kg C/m2) and shrub (>= 0.05); otherwise cover >= 0.3 is grass; bare ground is rock
/// with >= 50 % rock fragments, loose spoil with >= 20 %, soil below.
Surface classify_surface(double cover_fraction, double woody_stem_carbon_kg_m2,
                         double rock_fragment_fraction);

}  // namespace minetwin::hazards
