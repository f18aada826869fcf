#pragma once
/// @file
/// @brief Editing a cell's soil profile as a stack of slabs: placing material on top, removing
/// the top, mixing, and slicing back into the model's layers. Every extensive quantity (fine
/// earth, each texture class, organic carbon, exchange capacity, each metal) is carried as an
/// amount per unit area, so the edits conserve mass exactly; intensive properties are the
/// amount-weighted means of what is mixed (docs/models/soil.md).

#include <array>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/core/component.hpp"
#include "models/fields.hpp"

namespace minetwin::soil {

inline constexpr std::size_t kMetalCount = 6;  ///< the metals model's species (Cd Pb Zn Cu As Sb)
/// The species' keys in field names (`metal_cd__...`), in the order of the slabs' metals.
inline constexpr const char* kMetalKeys[kMetalCount] = {"cd", "pb", "zn", "cu", "as", "sb"};

/// A site field where measures and the soil redistribution book the metal they add or remove;
/// the metals model reads them into its ledger at the end of the year and resets them.
constexpr FieldSpec metal_book(const char* name) {
  return {name,
          "kg",
          Location::site,
          Intent::inout,
          ElementType::float64,
          false,
          "metal booked this year by a measure or by erosion (metals ledger)"};
}
/// The six species' books of one kind (string literals, so the names live as long as the specs).
#define MINETWIN_METAL_BOOKS(kind)                     \
  ::minetwin::soil::metal_book("metal_cd__" kind),     \
      ::minetwin::soil::metal_book("metal_pb__" kind), \
      ::minetwin::soil::metal_book("metal_zn__" kind), \
      ::minetwin::soil::metal_book("metal_cu__" kind), \
      ::minetwin::soil::metal_book("metal_as__" kind), \
      ::minetwin::soil::metal_book("metal_sb__" kind)

using fields::fine_earth_mass;  // one expression everywhere (models/fields.hpp)

/// A horizontal slice of soil, per m2. Amounts are extensive: a part of a slab of thickness f·t
/// holds f of each.
struct Slab {
  double thickness = 0;                     ///< m
  double fine_volume = 0;                   ///< m3 of fine earth (the rest is rock fragments)
  double fine_mass = 0;                     ///< kg of fine earth
  double sand = 0, silt = 0, clay = 0;      ///< kg
  double organic_carbon = 0;                ///< kg C
  double exchange_capacity = 0;             ///< mol(+) (CEC × mass)
  double ph_mass = 0;                       ///< Σ pH × kg (mass-weighted pH)
  std::array<double, kMetalCount> metal{};  ///< kg of each metal
  double pb_immobilised = 0;                ///< kg of Pb made non-labile by phosphate
  double sulfide_sulfur = 0;                ///< kg of sulfide S (acid-generating potential)
  double carbonate = 0;                     ///< kg of CaCO3 equivalent (neutralisation potential)

  void add(const Slab& other, double fraction = 1.0);
  /// The top @p depth of this slab (depth ≤ thickness), as a new slab.
  Slab part(double depth) const;
};

/// A material given in written units (the soil table's columns, "material.<column>"), as a slab
/// of @p depth metres.
Slab material_slab(const std::map<std::string, double>& numbers, double depth);

/// The fields a profile edit reads and writes (declare them in the measure's fields()).
std::span<const FieldSpec> profile_fields();

/// Read-modify-write access to the profiles of one run's State (the fields' storage is looked
/// up once; cells may be edited from several threads when each thread edits its own cells).
class SoilProfiles {
 public:
  explicit SoilProfiles(FieldAccess& fields);
  std::size_t layers() const { return layers_; }
  /// The cell's layers as slabs, top first.
  std::vector<Slab> read(std::size_t cell) const;
  /// The same into @p slabs (its storage reused: no allocation in a loop over cells).
  void read(std::size_t cell, std::vector<Slab>& slabs) const;
  /// Writes @p slabs (top first) back as layers: the upper layers keep their thicknesses, the
  /// bottom layer takes the rest, so nothing leaves the modelled profile. A layer of rock
  /// fragments alone (no fine earth), or one the slabs no longer reach (erosion took all the
  /// soil above the rock), keeps its other properties, with rock fraction 1 and no metal.
  void write(std::size_t cell, const std::vector<Slab>& slabs);

 private:
  std::size_t cells_, layers_;
  std::span<float> sand_, silt_, clay_, rock_, density_, carbon_, ph_, cec_, immobilised_;
  std::span<double> thickness_, sulfide_, carbonate_;
  std::array<std::span<double>, kMetalCount> metal_;
};

/// The top layer that SoilProfiles::write would make of @p slabs: their top @p thickness (all of
/// them when @p thickness < 0, a profile of one layer).
Slab top_layer(const std::vector<Slab>& slabs, double thickness);

/// Removes the top @p depth of @p slabs and returns it as one slab.
Slab take_top(std::vector<Slab>& slabs, double depth);
/// Mixes the top @p depth of @p slabs into one slab (the rest is unchanged).
void mix_top(std::vector<Slab>& slabs, double depth);

}  // namespace minetwin::soil
