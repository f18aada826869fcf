#include "models/soil/soil_profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/grid/state.hpp"
#include "engine/scenario/soil_properties.hpp"
#include "models/fields.hpp"

namespace minetwin::soil {
namespace {

constexpr const char* kMetalColumns[kMetalCount] = {"Cd_mg_kg", "Pb_mg_kg", "Zn_mg_kg",
                                                    "Cu_mg_kg", "As_mg_kg", "Sb_mg_kg"};

}  // namespace

void Slab::add(const Slab& o, double f) {
  thickness += f * o.thickness;
  fine_volume += f * o.fine_volume;
  fine_mass += f * o.fine_mass;
  sand += f * o.sand;
  silt += f * o.silt;
  clay += f * o.clay;
  organic_carbon += f * o.organic_carbon;
  exchange_capacity += f * o.exchange_capacity;
  ph_mass += f * o.ph_mass;
  for (std::size_t m = 0; m < kMetalCount; ++m) metal[m] += f * o.metal[m];
  pb_immobilised += f * o.pb_immobilised;
  sulfide_sulfur += f * o.sulfide_sulfur;
  carbonate += f * o.carbonate;
}

Slab Slab::part(double depth) const {
  Slab s;
  if (thickness > 0) s.add(*this, std::min(1.0, depth / thickness));
  return s;
}

Slab material_slab(const std::map<std::string, double>& n, double depth) {
  auto value = [&](const char* column) {
    const auto found = n.find(std::string("material.") + column);
    return found == n.end() ? 0.0 : found->second * find_soil_column(column)->to_field;
  };
  Slab s;
  s.thickness = depth;
  s.fine_volume = depth * (1.0 - value("rock_fragments_pct"));
  s.fine_mass = s.fine_volume * value("bulk_density_g_cm3");
  s.sand = s.fine_mass * value("sand_pct");
  s.silt = s.fine_mass * value("silt_pct");
  s.clay = s.fine_mass * value("clay_pct");
  s.organic_carbon = s.fine_mass * value("organic_carbon_pct");
  s.exchange_capacity = s.fine_mass * value("cec_cmol_kg");
  s.ph_mass = s.fine_mass * value("ph");
  for (std::size_t m = 0; m < kMetalCount; ++m)
    s.metal[m] = s.fine_mass * value(kMetalColumns[m]) * 1e-6;
  s.sulfide_sulfur = s.fine_mass * value("sulfide_s_pct");
  s.carbonate = s.fine_mass * value("carbonate_pct");
  return s;
}

std::span<const FieldSpec> profile_fields() {
  using namespace fields;
  static const FieldSpec specs[] = {
      updates(kSand),
      updates(kSilt),
      updates(kClay),
      updates(kRockFragments),
      updates(kBulkDensity),
      updates(kOrganicCarbon),
      updates(kLayerThickness),
      updates(kSoilPh),
      updates(kCationExchangeCapacity),
      updates(kPbImmobilisedFraction),
      kSulfideSulfur,
      kCarbonate,
      fields::metal_content(fields::kMetalContentFields[0], Intent::inout),
      fields::metal_content(fields::kMetalContentFields[1], Intent::inout),
      fields::metal_content(fields::kMetalContentFields[2], Intent::inout),
      fields::metal_content(fields::kMetalContentFields[3], Intent::inout),
      fields::metal_content(fields::kMetalContentFields[4], Intent::inout),
      fields::metal_content(fields::kMetalContentFields[5], Intent::inout),
  };
  return specs;
}

SoilProfiles::SoilProfiles(FieldAccess& fields)
    : cells_(fields.state().grid().cell_count()),
      layers_(fields.state().soil_layers()),
      sand_(fields.write(fields::kSand)),
      silt_(fields.write(fields::kSilt)),
      clay_(fields.write(fields::kClay)),
      rock_(fields.write(fields::kRockFragments)),
      density_(fields.write(fields::kBulkDensity)),
      carbon_(fields.write(fields::kOrganicCarbon)),
      ph_(fields.write(fields::kSoilPh)),
      cec_(fields.write(fields::kCationExchangeCapacity)),
      immobilised_(fields.write(fields::kPbImmobilisedFraction)),
      thickness_(fields.write(fields::kLayerThickness)),
      sulfide_(fields.write(fields::kSulfideSulfur)),
      carbonate_(fields.write(fields::kCarbonate)) {
  for (std::size_t m = 0; m < kMetalCount; ++m)
    metal_[m] = fields.write<double>(fields::kMetalContentFields[m]);
}

std::vector<Slab> SoilProfiles::read(std::size_t cell) const {
  std::vector<Slab> slabs;
  read(cell, slabs);
  return slabs;
}

void SoilProfiles::read(std::size_t cell, std::vector<Slab>& slabs) const {
  slabs.assign(layers_, Slab{});
  for (std::size_t l = 0; l < layers_; ++l) {
    const std::size_t i = l * cells_ + cell;
    Slab& s = slabs[l];
    s.thickness = thickness_[i];
    s.fine_volume = thickness_[i] * (1.0 - rock_[i]);
    s.fine_mass = fine_earth_mass(thickness_[i], rock_[i], density_[i]);
    s.sand = s.fine_mass * sand_[i];
    s.silt = s.fine_mass * silt_[i];
    s.clay = s.fine_mass * clay_[i];
    s.organic_carbon = s.fine_mass * carbon_[i];
    s.exchange_capacity = s.fine_mass * cec_[i];
    s.ph_mass = s.fine_mass * ph_[i];
    for (std::size_t m = 0; m < kMetalCount; ++m) s.metal[m] = s.fine_mass * metal_[m][i] * 1e-6;
    s.pb_immobilised = s.metal[1] * immobilised_[i];
    s.sulfide_sulfur = s.fine_mass * sulfide_[i];
    s.carbonate = s.fine_mass * carbonate_[i];
  }
}

void SoilProfiles::write(std::size_t cell, const std::vector<Slab>& slabs) {
  // Slice the stack at the layers' bottoms; the last layer takes whatever remains. (The scratch
  // is the thread's: profiles of different cells are written from several threads.)
  thread_local std::vector<Slab> layers;
  layers.assign(layers_, Slab{});
  std::size_t source = 0;
  double used = 0.0;  // depth already taken from slabs[source]
  for (std::size_t l = 0; l < layers_; ++l) {
    const bool last = l + 1 == layers_;
    double wanted = last ? std::numeric_limits<double>::infinity() : thickness_[l * cells_ + cell];
    while (wanted > 0 && source < slabs.size()) {
      const Slab& s = slabs[source];
      const double left = s.thickness - used;
      const double take = std::min(wanted, left);
      if (s.thickness > 0) layers[l].add(s, take / s.thickness);
      wanted -= take;
      used += take;
      if (used >= s.thickness) {
        ++source;
        used = 0.0;
      }
    }
  }
  for (std::size_t l = 0; l < layers_; ++l) {
    const std::size_t i = l * cells_ + cell;
    const Slab& s = layers[l];
    // A layer the slabs no longer reach (erosion took the profile's soil) is the rock below it:
    // its thickness stays, it holds no fine earth.
    if (s.thickness > 0) thickness_[i] = s.thickness;
    if (s.fine_mass <= 0) {  // rock fragments alone: no fine earth to hold anything
      rock_[i] = 1.0f;
      for (std::size_t m = 0; m < kMetalCount; ++m) metal_[m][i] = 0.0;
      sulfide_[i] = carbonate_[i] = 0.0;
      continue;
    }
    const double mass = s.fine_mass;
    // A sliver of fine earth keeps a rock fraction below 1 in float32 (else it would read back
    // as no soil, and its metal would have no mass to sit in).
    rock_[i] =
        std::min(static_cast<float>(1.0 - s.fine_volume / s.thickness), std::nextafter(1.0f, 0.0f));
    density_[i] = static_cast<float>(mass / s.fine_volume);
    sand_[i] = static_cast<float>(s.sand / mass);
    silt_[i] = static_cast<float>(s.silt / mass);
    clay_[i] = static_cast<float>(s.clay / mass);
    carbon_[i] = static_cast<float>(s.organic_carbon / mass);
    cec_[i] = static_cast<float>(s.exchange_capacity / mass);
    ph_[i] = static_cast<float>(s.ph_mass / mass);
    immobilised_[i] = static_cast<float>(s.metal[1] > 0 ? s.pb_immobilised / s.metal[1] : 0.0);
    // The fine-earth mass a later read computes from the float32 density and rock fraction;
    // the metal content is set against it so that the metal mass reads back as written.
    const double read_back_mass = fine_earth_mass(s.thickness, rock_[i], density_[i]);
    for (std::size_t m = 0; m < kMetalCount; ++m) metal_[m][i] = s.metal[m] / read_back_mass * 1e6;
    sulfide_[i] = s.sulfide_sulfur / read_back_mass;
    carbonate_[i] = s.carbonate / read_back_mass;
  }
}

Slab top_layer(const std::vector<Slab>& slabs, double thickness) {
  Slab top;
  double wanted = thickness < 0 ? std::numeric_limits<double>::infinity() : thickness;
  for (const Slab& s : slabs) {
    if (wanted <= 0) break;
    const double take = std::min(wanted, s.thickness);
    if (s.thickness > 0) top.add(s, take / s.thickness);
    wanted -= take;
  }
  return top;
}

Slab take_top(std::vector<Slab>& slabs, double depth) {
  Slab taken;
  for (auto& s : slabs) {
    if (depth <= 0) break;
    const double take = std::min(depth, s.thickness);
    const Slab top = s.part(take);
    taken.add(top);
    // Whole slabs go; of a part, what is left stays (compared before the subtraction: after it,
    // a slab more than half taken would compare its remainder and be dropped).
    if (take >= s.thickness) {
      s = Slab{};
    } else {
      s.add(top, -1.0);
    }
    depth -= take;
  }
  std::erase_if(slabs, [](const Slab& s) { return s.thickness <= 0; });
  return taken;
}

void mix_top(std::vector<Slab>& slabs, double depth) {
  Slab mixed = take_top(slabs, depth);
  slabs.insert(slabs.begin(), mixed);
}

}  // namespace minetwin::soil
