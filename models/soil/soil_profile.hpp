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

namespace minetwin::soil {

inline constexpr std::size_t kMetalCount = 6;  ///< the metals model's species (Cd Pb Zn Cu As Sb)

/// Fine-earth mass per m2 of a layer (kg), computed one way everywhere so that a metal content
/// written by a measure reads back as the same mass in the metals model.
inline double fine_earth_mass(double thickness, float rock_fraction, float bulk_density) {
  return thickness * (1.0 - static_cast<double>(rock_fraction)) * static_cast<double>(bulk_density);
}

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

  void add(const Slab& other, double fraction = 1.0);
  /// The top @p depth of this slab (depth ≤ thickness), as a new slab.
  Slab part(double depth) const;
};

/// A material given in written units (the soil table's columns, "material.<column>"), as a slab
/// of @p depth metres.
Slab material_slab(const std::map<std::string, double>& numbers, double depth);

/// The fields a profile edit reads and writes (declare them in the measure's fields()).
std::span<const FieldSpec> profile_fields();

/// Read-modify-write access to the profiles of one run's State.
class SoilProfiles {
 public:
  explicit SoilProfiles(FieldAccess& fields);
  std::size_t layers() const { return layers_; }
  /// The cell's layers as slabs, top first.
  std::vector<Slab> read(std::size_t cell) const;
  /// Writes @p slabs (top first) back as layers: the upper layers keep their thicknesses, the
  /// bottom layer takes the rest, so nothing leaves the modelled profile.
  void write(std::size_t cell, const std::vector<Slab>& slabs);

 private:
  FieldAccess& fields_;
  std::size_t cells_, layers_;
};

/// Removes the top @p depth of @p slabs and returns it as one slab.
Slab take_top(std::vector<Slab>& slabs, double depth);
/// Mixes the top @p depth of @p slabs into one slab (the rest is unchanged).
void mix_top(std::vector<Slab>& slabs, double depth);

}  // namespace minetwin::soil
