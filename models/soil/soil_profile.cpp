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
    : fields_(fields),
      cells_(fields.state().grid().cell_count()),
      layers_(fields.state().soil_layers()) {}

std::vector<Slab> SoilProfiles::read(std::size_t cell) const {
  const auto sand = fields_.read<float>(fields::kSand.name);
  const auto silt = fields_.read<float>(fields::kSilt.name);
  const auto clay = fields_.read<float>(fields::kClay.name);
  const auto rock = fields_.read<float>(fields::kRockFragments.name);
  const auto density = fields_.read<float>(fields::kBulkDensity.name);
  const auto carbon = fields_.read<float>(fields::kOrganicCarbon.name);
  const auto thickness = fields_.read<double>(fields::kLayerThickness.name);
  const auto ph = fields_.read<float>(fields::kSoilPh.name);
  const auto cec = fields_.read<float>(fields::kCationExchangeCapacity.name);
  const auto immobilised = fields_.read<float>(fields::kPbImmobilisedFraction.name);
  std::vector<Slab> slabs(layers_);
  for (std::size_t l = 0; l < layers_; ++l) {
    const std::size_t i = l * cells_ + cell;
    Slab& s = slabs[l];
    s.thickness = thickness[i];
    s.fine_volume = thickness[i] * (1.0 - rock[i]);
    s.fine_mass = fine_earth_mass(thickness[i], rock[i], density[i]);
    s.sand = s.fine_mass * sand[i];
    s.silt = s.fine_mass * silt[i];
    s.clay = s.fine_mass * clay[i];
    s.organic_carbon = s.fine_mass * carbon[i];
    s.exchange_capacity = s.fine_mass * cec[i];
    s.ph_mass = s.fine_mass * ph[i];
    for (std::size_t m = 0; m < kMetalCount; ++m)
      s.metal[m] = s.fine_mass * fields_.read<double>(fields::kMetalContentFields[m])[i] * 1e-6;
    s.pb_immobilised = s.metal[1] * immobilised[i];
  }
  return slabs;
}

void SoilProfiles::write(std::size_t cell, const std::vector<Slab>& slabs) {
  auto thickness = fields_.write<double>(fields::kLayerThickness.name);
  // Slice the stack at the layers' bottoms; the last layer takes whatever remains.
  std::vector<Slab> layers(layers_);
  std::size_t source = 0;
  double used = 0.0;  // depth already taken from slabs[source]
  for (std::size_t l = 0; l < layers_; ++l) {
    const bool last = l + 1 == layers_;
    double wanted = last ? std::numeric_limits<double>::infinity() : thickness[l * cells_ + cell];
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
  auto sand = fields_.write<float>(fields::kSand.name);
  auto silt = fields_.write<float>(fields::kSilt.name);
  auto clay = fields_.write<float>(fields::kClay.name);
  auto rock = fields_.write<float>(fields::kRockFragments.name);
  auto density = fields_.write<float>(fields::kBulkDensity.name);
  auto carbon = fields_.write<float>(fields::kOrganicCarbon.name);
  auto ph = fields_.write<float>(fields::kSoilPh.name);
  auto cec = fields_.write<float>(fields::kCationExchangeCapacity.name);
  auto immobilised = fields_.write<float>(fields::kPbImmobilisedFraction.name);
  for (std::size_t l = 0; l < layers_; ++l) {
    const std::size_t i = l * cells_ + cell;
    const Slab& s = layers[l];
    if (s.fine_mass <= 0) continue;  // an empty layer keeps its properties
    const double mass = s.fine_mass;
    thickness[i] = s.thickness;
    rock[i] = static_cast<float>(1.0 - s.fine_volume / s.thickness);
    density[i] = static_cast<float>(mass / s.fine_volume);
    sand[i] = static_cast<float>(s.sand / mass);
    silt[i] = static_cast<float>(s.silt / mass);
    clay[i] = static_cast<float>(s.clay / mass);
    carbon[i] = static_cast<float>(s.organic_carbon / mass);
    cec[i] = static_cast<float>(s.exchange_capacity / mass);
    ph[i] = static_cast<float>(s.ph_mass / mass);
    immobilised[i] = static_cast<float>(s.metal[1] > 0 ? s.pb_immobilised / s.metal[1] : 0.0);
    // The fine-earth mass a later read computes from the float32 density and rock fraction;
    // the metal content is set against it so that the metal mass reads back as written.
    const double read_back_mass = fine_earth_mass(s.thickness, rock[i], density[i]);
    for (std::size_t m = 0; m < kMetalCount; ++m)
      fields_.write<double>(fields::kMetalContentFields[m])[i] = s.metal[m] / read_back_mass * 1e6;
  }
}

Slab take_top(std::vector<Slab>& slabs, double depth) {
  Slab taken;
  for (auto& s : slabs) {
    if (depth <= 0) break;
    const double take = std::min(depth, s.thickness);
    const Slab top = s.part(take);
    taken.add(top);
    s.add(top, -1.0);
    if (take >= s.thickness) s = Slab{};
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
