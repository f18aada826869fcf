#include "models/metals/metals_component.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/core/summary.hpp"
#include "engine/core/vector_checks.hpp"
#include "engine/core/wide_vectors.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/metals/column_transport.hpp"
#include "models/metals/species.hpp"
#include "models/soil/pedotransfer.hpp"
#include "models/soil/soil_profile.hpp"
#include "models/terrain/flow_graph.hpp"

namespace minetwin::metals {
namespace {

using namespace fields;
constexpr std::size_t kSpecies = soil::kMetalCount;
// Cells per batched column solve (its scratch stays in L1 cache).
constexpr std::size_t kLeachBatch = 256;

// Names live as long as the program: FieldSpec and SummaryColumn hold string_views.
std::vector<std::string>& name_store() {
  static std::vector<std::string> names;
  names.reserve(512);  // never reallocates: views into it stay valid
  return names;
}
std::string_view keep(std::string name) {
  auto& names = name_store();
  names.push_back(std::move(name));
  return names.back();
}

const std::vector<FieldSpec>& field_specs() {
  static const std::vector<FieldSpec> specs = [] {
    std::vector<FieldSpec> v = {
        reads(kLayerThickness),
        reads(kBulkDensity),
        reads(kRockFragments),
        reads(kOrganicCarbon),
        reads(kSoilPh),
        may_read(kPbImmobilisedFraction),
        {"soil_water__depth", "m", Location::layer, Intent::in, ElementType::float64, true,
         "water stored in the soil layer, as depth"},
        {"surface_water__monthly_discharge", "m3", Location::cell, Intent::in, ElementType::float32,
         true, "surface runoff leaving the cell in the month (routed)", true},
        {"soil_water__monthly_percolation", "m", Location::cell, Intent::in, ElementType::float32,
         true, "water leaving the bottom of the soil profile in the month", true},
        {"erosion__soil_loss", "kg m-2", Location::cell, Intent::in, ElementType::float32, true,
         "soil detached in the year"},
        {"sediment__deposition", "kg m-2", Location::cell, Intent::in, ElementType::float32, true,
         "sediment deposited in the year where transport capacity drops"},
        reads(kFlowReceiver),
        reads(kFlowStackPosition),
        reads(kSpillElevation),
        may_read(kVegetationCover),
        may_read(kUptakeFactorCdAs),
        may_read(kWetlandRemoval),
        {"vegetation__annual_npp", "kg m-2", Location::cell, Intent::in, ElementType::float32,
         false, "net primary production in the calendar year so far (C)"},
        {"soil__risk_class", "1", Location::cell, Intent::out, ElementType::float32, true,
         "GB 15618-2018 class of the top layer, worst metal: 0 at or below screening, 1 above "
         "screening, 2 above intervention"},
    };
    for (const Species& s : species()) {
      const std::string symbol(s.symbol), name(s.name);
      v.push_back({keep(total_concentration_field(s)), "mg kg-1", Location::layer, Intent::inout,
                   ElementType::float64, false, keep("total " + name + " content")});
      v.push_back({keep(annual_leaching_field(s)), "kg m-2", Location::cell, Intent::out,
                   ElementType::float32, true,
                   keep(symbol + " leached below the profile in the calendar year so far")});
      for (auto [field, doc] : {std::pair{added_field(s), "added by measures this year"},
                                {excavated_field(s), "excavated and disposed of this year"},
                                {harvested_field(s), "removed with harvests this year"},
                                {pit_lake_field(s), "held in pit lakes (water and sediment)"},
                                {wetland_field(s), "held in constructed-wetland sediment"}}) {
        v.push_back({keep(field), "kg", Location::site, Intent::inout, ElementType::float64, false,
                     keep(symbol + " " + doc)});
      }
    }
    return v;
  }();
  return specs;
}

const std::vector<ParameterSpec>& parameter_specs() {
  static const std::vector<ParameterSpec> specs = [] {
    std::vector<ParameterSpec> v = {
        {"dispersivity_m", "m", 0.05, 0.001, 10.0,
         "field-scale soil dispersivity ~ a tenth of the travel distance (Gelhar et al. 1992), "
         "MineTwin default",
         "longitudinal dispersivity α of the vertical transport (D = α v)"},
        {"runoff_extraction_ratio", "1", 0.05, 0.0, 1.0,
         "mixing-zone concept (Ahuja 1986; MineTwin default, calibrate)",
         "runoff carries this share of the top layer's pore-water concentration"},
        {"vegetation_productivity_kg_m2", "kg m-2 yr-1", 0.3, 0.0, 5.0,
         "typical reclaimed grassland shoot production (assumption; the vegetation model "
         "replaces it)",
         "shoot dry matter grown a year under full cover, returned with litter (used only when the "
         "vegetation model does not run; with it, half its NPP / 0.47)"},
    };
    for (const Species& s : species()) {
      const std::string key(s.key), symbol(s.symbol);
      v.push_back({keep(key + "_log_kd_shift"), "log10(L kg-1)", 0.0, -3.0, 3.0,
                   "0: the published regression (Sauvé et al. 2000) or range midpoint",
                   keep("added to log10 Kd of " + symbol + " (site calibration, sweeps)")});
      v.push_back({keep(key + "_bcf"), "1", s.default_bcf, 0.0, 100.0,
                   "typical shoot/soil ratios, Kabata-Pendias 2011 (ranges)",
                   keep(symbol + " bioconcentration factor of ordinary vegetation")});
    }
    return v;
  }();
  return specs;
}

const std::vector<SummaryColumn>& summary_specs() {
  static const std::vector<SummaryColumn> columns = [] {
    std::vector<SummaryColumn> v;
    for (const Species& s : species()) {
      const std::string key(s.key), symbol(s.symbol);
      auto add = [&](const char* suffix, const char* units, std::string doc) {
        v.push_back({keep(key + suffix), units, keep(symbol + " " + doc)});
      };
      add("_soil_kg", "kg", "in the soil at the end of the year");
      add("_added_kg", "kg", "added by measures (placed soil, amendments)");
      add("_excavated_kg", "kg", "excavated and disposed of off site");
      add("_harvested_kg", "kg", "removed with phytoextraction harvests");
      add("_leached_kg", "kg", "leached below the profile towards groundwater");
      add("_runoff_exported_kg", "kg", "dissolved in runoff leaving the site");
      add("_sediment_exported_kg", "kg", "on eroded sediment leaving the site");
      add("_pit_lake_kg", "kg", "held in pit lakes at the end of the year");
      add("_wetland_kg", "kg", "held in constructed-wetland sediment at the end of the year");
      add("_plant_uptake_kg", "kg", "taken up by vegetation and returned with litter");
      add("_area_above_screening_ha", "ha",
          "area whose top layer exceeds the GB 15618-2018 screening value");
      add("_area_above_intervention_ha", "ha",
          "area whose top layer exceeds the GB 15618-2018 intervention value");
    }
    v.push_back({"metal_ledger_relative_residual", "1",
                 "largest |residual| of the year's metal ledgers, relative to their largest term"});
    return v;
  }();
  return columns;
}

std::string column(const Species& s, const char* suffix) {
  return std::string(s.key) + suffix;
}

// The per-layer passes of the leaching over a sub-block's lanes: plain loops over restrict
// pointers, so the compiler vectorises them (docs/development.md, "Vectorised cell loops").

// A layer's pore water (m, at least a micrometre so an oven-dry layer still has a finite
// concentration). The fine-earth mass and its reciprocal are the yearly caches.
MINETWIN_WIDE_VECTORS void pore_water(std::size_t count, const double* __restrict water,
                                      double* __restrict pore) {
  for (std::size_t j = 0; j < count; ++j) pore[j] = std::max(water[j], 1e-6);
}

// A species in one layer: the total (kg m-2), the immobilised share held back from transport
// (@p immobilised may be null: none), the capacity κ = pore water + Kd × mass (m), and the
// mobile mass that the column solve moves.
MINETWIN_WIDE_VECTORS void mobile_mass(std::size_t count, const double* __restrict total_mg_kg,
                                       const float* __restrict kd,
                                       const float* __restrict immobilised,
                                       const double* __restrict mass, const double* __restrict pore,
                                       double* __restrict fixed, double* __restrict capacity,
                                       double* __restrict amount) {
  for (std::size_t j = 0; j < count; ++j) {
    const double total = total_mg_kg[j] * 1e-6 * mass[j];
    fixed[j] = immobilised != nullptr ? total * immobilised[j] : 0.0;
    capacity[j] = pore[j] + kd[j] * mass[j];
    amount[j] = total - fixed[j];
  }
}

// Back to total content (mg kg-1) from the solved dissolved concentration, where water moved.
MINETWIN_WIDE_VECTORS void store_content(std::size_t count, const double* __restrict q,
                                         const double* __restrict mass,
                                         const double* __restrict per_mass,
                                         const double* __restrict fixed,
                                         const double* __restrict capacity,
                                         const double* __restrict dissolved,
                                         double* __restrict total_mg_kg) {
  for (std::size_t j = 0; j < count; ++j) {
    const double moved = (fixed[j] + capacity[j] * dissolved[j]) * per_mass[j];
    total_mg_kg[j] = q[j] > 0.0 && mass[j] > 0.0 ? moved : total_mg_kg[j];
  }
}

// The month's leaching out of the profile added to the year's (where water moved).
MINETWIN_WIDE_VECTORS void add_leached(std::size_t count, const double* __restrict q,
                                       const double* __restrict out, float* __restrict annual) {
  for (std::size_t j = 0; j < count; ++j)
    annual[j] = q[j] > 0.0 ? annual[j] + static_cast<float>(out[j]) : annual[j];
}

// The fused leaching of one species over a sub-block's lanes, for profiles of up to
// kFusedLayers layers: per lane, the layers' mobile mass and capacity, the column solve with
// the column in registers (solve_short_column: the same bits as solve_columns), the new total
// content, the outflow and the top layer's state for the runoff pass, four lanes at a time. The
// layer-by-layer passes above do the same in several sweeps over arrays in cache (and serve
// deeper profiles); this reads each input and writes each output once.
constexpr std::size_t kFusedLayers = 4;

// What every species of a sub-block shares: the water leaving the profile per lane, and the
// yearly caches and the soil water at the sub-block's first cell (layer or face l at + l * stride).
struct SharedLanes {
  std::size_t lanes, stride;
  const double* q;              // water leaving the profile (m), [lanes]
  const double* mass;           // fine-earth mass (kg m-2)
  const double* per_mass;       // 1e6 / mass (0 without mass)
  const double* water;          // soil water (m)
  const double* face_on_upper;  // the interior faces' coefficients per unit flux
  const double* face_on_lower;
};

// Four lanes as one vector (GCC's generic vectors: AVX2 registers in the AVX2 build, two SSE2
// registers in the baseline one; per-element IEEE operations, so a lane gives the same bits as a
// scalar loop would). A plain loop over lanes with the column in registers did not vectorise:
// GCC sinks the selected stores' arithmetic into branches.
using Double4 = double __attribute__((vector_size(4 * sizeof(double))));
using Float4 = float __attribute__((vector_size(4 * sizeof(float))));

// Loads and stores of V (double, or Double4) by reference (a vector argument or result would
// change the ABI between the builds, which GCC warns about), through unaligned, aliasing vector
// types: a memcpy through a local made GCC store two 16-byte halves and reload 32 bytes, which
// the processor cannot forward (a stall per load).
using UnalignedDouble4 =
    double __attribute__((vector_size(4 * sizeof(double)), aligned(8), may_alias));
using UnalignedFloat4 =
    float __attribute__((vector_size(4 * sizeof(float)), aligned(4), may_alias));

template <class V>
[[gnu::always_inline]] inline void load_lanes(V& v, const double* from) {
  if constexpr (std::is_same_v<V, double>) {
    v = *from;
  } else {
    v = *reinterpret_cast<const UnalignedDouble4*>(from);
  }
}
template <class V>
[[gnu::always_inline]] inline void load_lanes(V& v, const float* from) {
  if constexpr (std::is_same_v<V, double>) {
    v = static_cast<double>(*from);
  } else {
    v = __builtin_convertvector(*reinterpret_cast<const UnalignedFloat4*>(from), Double4);
  }
}
template <class V>
[[gnu::always_inline]] inline void store_lanes(double* to, const V& v) {
  if constexpr (std::is_same_v<V, double>) {
    *to = v;
  } else {
    *reinterpret_cast<UnalignedDouble4*>(to) = v;
  }
}

// Lanes [j, j + width) of one species, width 4 (V = Double4) or 1 (V = double). The top layer's
// dissolved concentration and capacity go to the sub-block's arrays of the species.
template <std::size_t Layers, bool Immobilised, class V>
[[gnu::always_inline]] inline void leach_lanes(const SharedLanes& in, std::size_t j,
                                               double* content, const float* kd,
                                               const float* immobilised, double* out,
                                               double* top_dissolved, double* top_capacity) {
  const std::size_t stride = in.stride;
  ShortColumn<Layers, V> column;
  V fixed[Layers], before[Layers], mass[Layers], q;
  load_lanes(q, in.q + j);
  for (std::size_t l = 0; l < Layers; ++l) {
    const std::size_t at = l * stride + j;
    V water, kd_m3, share;
    load_lanes(mass[l], in.mass + at);
    load_lanes(before[l], content + at);
    load_lanes(water, in.water + at);
    load_lanes(kd_m3, kd + at);
    const V total = before[l] * 1e-6 * mass[l];
    if constexpr (Immobilised) {
      load_lanes(share, immobilised + at);
      fixed[l] = total * share;
    } else {
      fixed[l] = V{};  // zero in every lane
    }
    // Pore water at least a micrometre, so an oven-dry layer keeps a finite concentration.
    const V minimum = V{} + 1e-6;
    const V pore = water < 1e-6 ? minimum : water;
    column.capacity[l] = pore + kd_m3 * mass[l];
    column.amount[l] = total - fixed[l];
  }
  for (std::size_t f = 0; f + 1 < Layers; ++f) {
    V on_upper, on_lower;
    load_lanes(on_upper, in.face_on_upper + f * stride + j);
    load_lanes(on_lower, in.face_on_lower + f * stride + j);
    column.flux_on_upper[f] = q * on_upper;
    column.flux_on_lower[f] = q * on_lower;
  }
  V leaving;
  solve_short_column(column, q, leaving);
  store_lanes(out + j, leaving);
  for (std::size_t l = 0; l < Layers; ++l) {
    const std::size_t at = l * stride + j;
    V per_mass;
    load_lanes(per_mass, in.per_mass + at);
    const V after = (fixed[l] + column.capacity[l] * column.amount[l]) * per_mass;
    const V kept = (q > 0.0) & (mass[l] > 0.0) ? after : before[l];
    store_lanes(content + at, kept);
  }
  store_lanes(top_dissolved + j, column.amount[0]);
  store_lanes(top_capacity + j, column.capacity[0]);
}

template <std::size_t Layers, bool Immobilised>
[[gnu::always_inline]] inline void leach_species_lanes(const SharedLanes& in, double* content,
                                                       const float* kd, const float* immobilised,
                                                       double* out, double* top_dissolved,
                                                       double* top_capacity) {
  std::size_t j = 0;
  for (; j + 4 <= in.lanes; j += 4)
    leach_lanes<Layers, Immobilised, Double4>(in, j, content, kd, immobilised, out, top_dissolved,
                                              top_capacity);
  for (; j < in.lanes; ++j)
    leach_lanes<Layers, Immobilised, double>(in, j, content, kd, immobilised, out, top_dissolved,
                                             top_capacity);
}

// The instances for 1 to kFusedLayers layers, each also built for AVX2.
#define MINETWIN_FUSED_LEACH(LAYERS)                                                      \
  MINETWIN_WIDE_VECTORS void leach_species_##LAYERS(                                      \
      const SharedLanes& in, double* content, const float* kd, const float* immobilised,  \
      double* out, double* top_dissolved, double* top_capacity) {                         \
    if (immobilised != nullptr) {                                                         \
      leach_species_lanes<LAYERS, true>(in, content, kd, immobilised, out, top_dissolved, \
                                        top_capacity);                                    \
    } else {                                                                              \
      leach_species_lanes<LAYERS, false>(in, content, kd, nullptr, out, top_dissolved,    \
                                         top_capacity);                                   \
    }                                                                                     \
  }
MINETWIN_FUSED_LEACH(1)
MINETWIN_FUSED_LEACH(2)
MINETWIN_FUSED_LEACH(3)
MINETWIN_FUSED_LEACH(4)
#undef MINETWIN_FUSED_LEACH

using FusedLeach = void (*)(const SharedLanes&, double*, const float*, const float*, double*,
                            double*, double*);
constexpr FusedLeach kFusedLeach[kFusedLayers + 1] = {nullptr, leach_species_1, leach_species_2,
                                                      leach_species_3, leach_species_4};

// The top layer's dissolved concentration and capacity of every species, held species by species
// ([k * count + j]), into the per-cell slots of the runoff pass ([cell * kSpecies + k]).
void store_top_slots(std::size_t count, const double* __restrict dissolved,
                     const double* __restrict capacity, double* __restrict dissolved_slots,
                     double* __restrict capacity_slots) {
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t k = 0; k < kSpecies; ++k) {
      dissolved_slots[j * kSpecies + k] = dissolved[k * count + j];
      capacity_slots[j * kSpecies + k] = capacity[k * count + j];
    }
  }
}

}  // namespace

MetalsComponent::MetalsComponent() {
  for (const Species& s : species()) ledgers_.emplace_back(std::string(s.symbol), "kg");
}

std::span<const FieldSpec> MetalsComponent::fields() const {
  return field_specs();
}
std::span<const ParameterSpec> MetalsComponent::parameters() const {
  return parameter_specs();
}
std::span<const SummaryColumn> MetalsComponent::summary_columns() const {
  return summary_specs();
}
std::string_view MetalsComponent::citation() const {
  return "Sauvé, Hendershot & Allen 2000 (Kd); van Genuchten & Alves 1982 (transport, verified); "
         "Patankar 1980 (hybrid scheme); GB 15618-2018 (risk screening)";
}

void MetalsComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  restart(fields);
}

void MetalsComponent::restart(FieldAccess& fields) {
  storage_open_ = stored(fields);
  stack_.clear();
}

std::vector<double> MetalsComponent::stored(const FieldAccess& fields) const {
  const State& state = fields.state();
  const std::size_t n = state.grid().cell_count(), layers = state.soil_layers();
  const auto thickness = fields.read<double>(kLayerThickness.name);
  const auto rock = fields.read<float>(kRockFragments.name);
  const auto density = fields.read<float>(kBulkDensity.name);
  const double area = state.grid().cell_area_m2();
  std::vector<double> totals;
  for (const Species& s : species()) {
    const auto content = fields.read<double>(total_concentration_field(s));
    double soil_kg =
        area * deterministic_sum(n, [&](std::size_t c) {
          if (!state.grid().is_valid(c)) return 0.0;
          double kg = 0.0;
          for (std::size_t l = 0; l < layers; ++l) {
            const std::size_t i = l * n + c;
            kg += content[i] * 1e-6 * soil::fine_earth_mass(thickness[i], rock[i], density[i]);
          }
          return kg;
        });
    totals.push_back(soil_kg + fields.read<double>(pit_lake_field(s))[0] +
                     fields.read<double>(wetland_field(s))[0]);
  }
  return totals;
}

void MetalsComponent::refresh_partitioning(const FieldAccess& fields) {
  const State& state = fields.state();
  const std::size_t n = state.grid().cell_count(), layers = state.soil_layers();
  const auto thickness = fields.read<double>(kLayerThickness.name);
  const auto rock = fields.read<float>(kRockFragments.name);
  const auto density = fields.read<float>(kBulkDensity.name);
  const auto carbon = fields.read<float>(kOrganicCarbon.name);
  const auto ph = fields.read<float>(kSoilPh.name);
  soil_mass_.resize(layers * n);
  per_soil_mass_.resize(layers * n);
  kd_.resize(kSpecies * layers * n);
  face_on_upper_.resize((layers - 1) * n);
  face_on_lower_.resize((layers - 1) * n);
  const double dispersivity = parameters_.get("dispersivity_m");
  std::array<double, kSpecies> shift{};
  for (std::size_t k = 0; k < kSpecies; ++k)
    shift[k] = std::pow(10.0, parameters_.get(std::string(species()[k].key) + "_log_kd_shift"));
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t l = 0; l < layers; ++l) {
      for (std::size_t c = begin; c < end; ++c) {
        const std::size_t i = l * n + c;
        soil_mass_[i] = soil::fine_earth_mass(thickness[i], rock[i], density[i]);
        per_soil_mass_[i] = soil_mass_[i] > 0.0 ? 1e6 / soil_mass_[i] : 0.0;
        if (l + 1 < layers)
          face_coefficients(thickness[i], thickness[i + n], dispersivity, face_on_upper_[i],
                            face_on_lower_[i]);
        const double som_percent = 100.0 * soil::kOrganicMatterPerCarbon * carbon[i];
        for (std::size_t k = 0; k < kSpecies; ++k) {
          // L/kg -> m3/kg
          kd_[(k * layers + l) * n + c] = static_cast<float>(
              partition_coefficient(species()[k].partitioning, ph[i], som_percent) * shift[k] *
              1e-3);
        }
      }
    }
  });
}

void MetalsComponent::update(FieldAccess& fields, const StepContext& step) {
  if (step.month == 1) {
    refresh_partitioning(fields);  // measures may have changed pH, carbon, or the profile
    for (auto* flux : {&leached_, &runoff_exported_, &sediment_exported_, &plant_uptake_})
      flux->assign(kSpecies, 0.0);
    for (const Species& s : species()) {
      auto annual = fields.write<float>(annual_leaching_field(s));
      std::fill(annual.begin(), annual.end(), 0.0f);
    }
    move_with_sediment(fields);
  }
  leach(fields);
  route_runoff(fields);
  if (step.month == 12) {
    cycle_through_vegetation(fields, step);
    close_year(fields, step);
  }
}

// Metals on this year's eroded sediment (the erosion component ran before the months): the
// detached top soil carries its total content; along the flow stack, deposition takes the mixed
// concentration of the sediment in transit; what reaches an outlet leaves the site, what reaches
// a kept closed basin settles in its pit lake.
void MetalsComponent::move_with_sediment(FieldAccess& fields) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count();
  const double area = grid.cell_area_m2();
  const auto loss = fields.read<float>("erosion__soil_loss");
  const auto deposition = fields.read<float>("sediment__deposition");
  const auto receiver = fields.read<double>(kFlowReceiver.name);
  const auto spill = fields.read<double>(kSpillElevation.name);
  refresh_topology(fields);
  std::vector<double> sediment_in(n, 0.0), metal_in(kSpecies * n, 0.0);
  std::array<std::span<double>, kSpecies> content;
  for (std::size_t k = 0; k < kSpecies; ++k)
    content[k] = fields.write<double>(total_concentration_field(species()[k]));
  struct Sinks {
    std::array<double, kSpecies> pit_lake{}, exported{};
  };
  std::vector<Sinks> sinks(chunks_.size());
  chunks_.for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    Sinks& sink = sinks[chunk];
    for (std::size_t j = last; j-- > first;) {
      const std::size_t c = stack_[j];
      const double detached = std::max(0.0, static_cast<double>(loss[c])) * area;
      const double sediment = sediment_in[c] + detached;
      if (sediment <= 0.0) continue;
      const double deposited =
          std::min(sediment, std::max(0.0, static_cast<double>(deposition[c])) * area);
      const double top_mass = soil_mass_[c] * area;  // kg of fine earth in the top layer
      const auto r = static_cast<std::size_t>(receiver[c]);
      for (std::size_t k = 0; k < kSpecies; ++k) {
        double top_metal = content[k][c] * 1e-6 * top_mass;
        const double eroded = std::min(top_metal, content[k][c] * 1e-6 * detached);
        const double metal = metal_in[k * n + c] + eroded;
        const double settled = sediment > 0 ? metal * deposited / sediment : 0.0;
        top_metal += settled - eroded;
        if (top_mass > 0) content[k][c] = top_metal / top_mass * 1e6;
        const double passing = metal - settled;
        if (r != c) {
          metal_in[k * n + r] += passing;
        } else if (spill[c] != kFillValue) {
          sink.pit_lake[k] += passing;
        } else {
          sink.exported[k] += passing;
        }
      }
      if (r != c) sediment_in[r] += sediment - deposited;
    }
  });
  for (const Sinks& sink : sinks) {  // chunk order: the same with any number of threads
    for (std::size_t k = 0; k < kSpecies; ++k) {
      fields.write<double>(pit_lake_field(species()[k]))[0] += sink.pit_lake[k];
      sediment_exported_[k] += sink.exported[k];
    }
  }
}

// Vertical leaching: the cells of a sub-block are the lanes of one batched column solve per
// species (column_transport.hpp), so the solve runs over contiguous arrays with vector
// instructions, its scratch in L1 cache. The solve takes each layer's mobile mass (total less
// any immobilised share) as its right-hand side, so no division by the capacity comes first;
// the fine-earth mass's reciprocal is taken once per layer for all species. A sub-block where no
// water percolates skips the solve: only its top layer's dissolved concentration is needed (for
// the runoff).
void MetalsComponent::leach(FieldAccess& fields) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = state.soil_layers();
  const double area = grid.cell_area_m2();
  const auto water = fields.read<double>("soil_water__depth");
  const auto percolation = fields.read<float>("soil_water__monthly_percolation");
  const bool has_immobilised = fields.has(kPbImmobilisedFraction.name);
  const auto immobilised =
      has_immobilised ? fields.read<float>(kPbImmobilisedFraction.name) : std::span<const float>();
  std::array<std::span<double>, kSpecies> content;
  std::array<std::span<float>, kSpecies> annual;
  for (std::size_t k = 0; k < kSpecies; ++k) {
    content[k] = fields.write<double>(total_concentration_field(species()[k]));
    annual[k] = fields.write<float>(annual_leaching_field(species()[k]));
  }
  top_dissolved_.resize(kSpecies * n);
  top_capacity_.resize(kSpecies * n);
  const std::uint8_t* valid = grid.valid_mask().data();
  const std::size_t blocks = (n + kCellBlock - 1) / kCellBlock;
  std::vector<std::array<double, kSpecies>> block_leached(blocks);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    const std::size_t size = layers * kLeachBatch;
    std::vector<double> pore(size), capacity(size), amount(size), fixed(size), lower(size),
        diagonal(size), upper(size);
    alignas(64) double q[kLeachBatch], out[kLeachBatch];
    std::vector<double> top_lanes(2 * kSpecies * kLeachBatch);  // [2][species][lane]
    std::array<LaneSum, kSpecies> leached;
    ColumnGeometry geometry;
    for (std::size_t first = begin; first < end; first += kLeachBatch) {
      const std::size_t lanes = std::min(kLeachBatch, end - first);
      for (std::size_t j = 0; j < lanes; ++j)
        q[j] = valid[first + j] != 0 ? std::max(0.0f, percolation[first + j]) : 0.0;
      const bool moving = any_positive(lanes, q);
      if (moving && layers <= kFusedLayers) {
        // Each species in one fused pass, from the yearly caches.
        const SharedLanes shared{lanes,
                                 n,
                                 q,
                                 soil_mass_.data() + first,
                                 per_soil_mass_.data() + first,
                                 water.data() + first,
                                 face_on_upper_.data() + first,
                                 face_on_lower_.data() + first};
        for (std::size_t k = 0; k < kSpecies; ++k) {
          const bool pb = k == 1 && has_immobilised;
          kFusedLeach[layers](
              shared, content[k].data() + first, kd_.data() + k * layers * n + first,
              pb ? immobilised.data() + first : nullptr, out, top_lanes.data() + k * lanes,
              top_lanes.data() + (kSpecies + k) * lanes);
          add_leached(lanes, q, out, annual[k].data() + first);
          leached[k].add(lanes, [&](std::size_t j) { return q[j] > 0.0 ? out[j] * area : 0.0; });
        }
        store_top_slots(lanes, top_lanes.data(), top_lanes.data() + kSpecies * lanes,
                        top_dissolved_.data() + first * kSpecies,
                        top_capacity_.data() + first * kSpecies);
        continue;
      }
      const std::size_t solved_layers = moving ? layers : 1;  // else the top layer only
      for (std::size_t l = 0; l < solved_layers; ++l)
        pore_water(lanes, water.data() + l * n + first, pore.data() + l * lanes);
      if (moving) {
        // The faces' coefficients of the sub-block's lanes, from the yearly cache.
        geometry.cells = layers;
        geometry.lanes = lanes;
        geometry.on_upper.resize((layers - 1) * lanes);
        geometry.on_lower.resize((layers - 1) * lanes);
        for (std::size_t f = 0; f + 1 < layers; ++f) {
          std::copy_n(face_on_upper_.data() + f * n + first, lanes,
                      geometry.on_upper.data() + f * lanes);
          std::copy_n(face_on_lower_.data() + f * n + first, lanes,
                      geometry.on_lower.data() + f * lanes);
        }
      }
      for (std::size_t k = 0; k < kSpecies; ++k) {
        const bool pb = k == 1 && has_immobilised;
        for (std::size_t l = 0; l < solved_layers; ++l) {
          const std::size_t s = l * lanes, i = l * n + first;
          mobile_mass(lanes, content[k].data() + i, kd_.data() + (k * layers + l) * n + first,
                      pb ? immobilised.data() + i : nullptr, soil_mass_.data() + i, pore.data() + s,
                      fixed.data() + s, capacity.data() + s, amount.data() + s);
        }
        const std::span<double> top_dissolved(amount.data(), lanes);
        if (moving) {
          solve_columns(
              geometry, std::span(capacity.data(), layers * lanes), std::span(q, lanes),
              std::span(amount.data(), layers * lanes), std::span(out, lanes),
              {std::span(lower.data(), layers * lanes), std::span(diagonal.data(), layers * lanes),
               std::span(upper.data(), layers * lanes)});
          for (std::size_t l = 0; l < layers; ++l) {
            const std::size_t s = l * lanes, i = l * n + first;
            store_content(lanes, q, soil_mass_.data() + i, per_soil_mass_.data() + i,
                          fixed.data() + s, capacity.data() + s, amount.data() + s,
                          content[k].data() + i);
          }
          add_leached(lanes, q, out, annual[k].data() + first);
          leached[k].add(lanes, [&](std::size_t j) { return q[j] > 0.0 ? out[j] * area : 0.0; });
        } else {
          for (std::size_t j = 0; j < lanes; ++j) top_dissolved[j] /= capacity[j];
        }
        std::copy_n(top_dissolved.data(), lanes, top_lanes.data() + k * lanes);
        std::copy_n(capacity.data(), lanes, top_lanes.data() + (kSpecies + k) * lanes);
      }
      store_top_slots(lanes, top_lanes.data(), top_lanes.data() + kSpecies * lanes,
                      top_dissolved_.data() + first * kSpecies,
                      top_capacity_.data() + first * kSpecies);
    }
    for (std::size_t k = 0; k < kSpecies; ++k)
      block_leached[begin / kCellBlock][k] = leached[k].total();
  });
  for (const auto& b : block_leached)
    for (std::size_t k = 0; k < kSpecies; ++k) leached_[k] += b[k];
}

void MetalsComponent::refresh_topology(const FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  stack_ = terrain::stack_from_positions(grid, fields.read<double>(kFlowStackPosition.name));
  const auto receiver = fields.read<double>(kFlowReceiver.name);
  const auto spill = fields.read<double>(kSpillElevation.name);
  std::vector<std::uint32_t> position(grid.cell_count(), 0);
  for (std::size_t k = 0; k < stack_.size(); ++k)
    position[stack_[k]] = static_cast<std::uint32_t>(k);
  receiver_position_.resize(stack_.size());
  ending_.resize(stack_.size());
  for (std::size_t k = 0; k < stack_.size(); ++k) {
    const std::size_t c = stack_[k];
    const auto r = static_cast<std::size_t>(receiver[c]);
    receiver_position_[k] = position[r];
    ending_[k] = r != c                   ? Ending::passes
                 : spill[c] != kFillValue ? Ending::pit_lake
                                          : Ending::exported;
  }
  chunks_ = terrain::DrainageChunks(receiver_position_);
}

// Dissolved metals in runoff, down the flow stack (each cell waits for its donors; drainage trees
// in parallel). Runoff generated on a cell picks up the extraction ratio times the top layer's
// pore-water concentration; run-on that infiltrates takes its share of the metal into the top
// layer; constructed wetlands retain their share; outlets export, kept closed basins hold it.
// The pass reads each cell's top-layer state where the leaching left it (one cache line a cell;
// the depth-first stack keeps neighbouring positions near in the grid) and writes the change of
// its top-layer metal in the same place; what moves between cells is in stack order.
void MetalsComponent::route_runoff(FieldAccess& fields) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const auto discharge = fields.read<float>("surface_water__monthly_discharge");
  const bool has_wetland = fields.has(kWetlandRemoval.name);
  const auto wetland =
      has_wetland ? fields.read<float>(kWetlandRemoval.name) : std::span<const float>();
  const double area = grid.cell_area_m2();
  const double extraction = parameters_.get("runoff_extraction_ratio");
  if (stack_.empty()) refresh_topology(fields);
  const std::size_t cells = stack_.size();
  // What arrives from donors, by stack position: water (m3) and metal (kg) per species. Kept
  // between months: the pass empties each position as it consumes it.
  if (water_in_k_.size() != cells) {
    water_in_k_.assign(cells, 0.0);
    metal_in_k_.assign(cells * kSpecies, 0.0);
  }
  std::array<double*, kSpecies> pit_lake{}, wetland_store{};
  for (std::size_t s = 0; s < kSpecies; ++s) {
    pit_lake[s] = &fields.write<double>(pit_lake_field(species()[s]))[0];
    wetland_store[s] = &fields.write<double>(wetland_field(species()[s]))[0];
  }
  // Each cell's change of top-layer metal (kg) replaces its dissolved concentration once read.
  std::vector<double>& change_cell = top_dissolved_;
  struct Sinks {
    std::array<double, kSpecies> wetland{}, pit_lake{}, exported{};
  };
  std::vector<Sinks> sinks(chunks_.size());
  // The cells' top-layer slots, met in stack order (at random in memory), are prefetched a few
  // positions ahead: 75 -> 66 ms a month on 1024^2.
  constexpr std::size_t kPrefetchAhead = 16;
  chunks_.for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    Sinks& sink = sinks[chunk];
    for (std::size_t k = last; k-- > first;) {
      const std::size_t c = stack_[k];
      if (k >= first + kPrefetchAhead) {
        const std::size_t ahead = stack_[k - kPrefetchAhead];
        __builtin_prefetch(&change_cell[ahead * kSpecies], 1);
        __builtin_prefetch(&change_cell[ahead * kSpecies + kSpecies - 1], 1);
        __builtin_prefetch(&top_capacity_[ahead * kSpecies]);
        __builtin_prefetch(&top_capacity_[ahead * kSpecies + kSpecies - 1]);
        __builtin_prefetch(&discharge[ahead]);
        // The receiver's inflow slots: near for a first donor, a subtree back for the others.
        const std::uint32_t receiver_ahead = receiver_position_[k - kPrefetchAhead];
        __builtin_prefetch(&metal_in_k_[receiver_ahead * kSpecies], 1);
        __builtin_prefetch(&metal_in_k_[receiver_ahead * kSpecies + kSpecies - 1], 1);
        __builtin_prefetch(&water_in_k_[receiver_ahead], 1);
      }
      const double q_in = water_in_k_[k], q_out = std::max(0.0f, discharge[c]);
      water_in_k_[k] = 0.0;
      std::array<double, kSpecies> metal_in;
      std::copy_n(&metal_in_k_[k * kSpecies], kSpecies, metal_in.begin());
      std::fill_n(&metal_in_k_[k * kSpecies], kSpecies, 0.0);
      double* change = &change_cell[c * kSpecies];
      if (q_out <= 0.0 && q_in <= 0.0) {
        for (std::size_t s = 0; s < kSpecies; ++s) change[s] = metal_in[s];
        continue;
      }
      const double* capacity = &top_capacity_[c * kSpecies];
      const double generated = std::max(0.0, q_out - q_in);
      const Ending ending = ending_[k];
      // Share of the water in transit that leaves the cell (the rest infiltrated as run-on).
      const double leaving = ending != Ending::passes ? 1.0
                             : q_in + generated > 0   ? std::min(1.0, q_out / (q_in + generated))
                                                      : 0.0;
      const double retained_share = has_wetland ? wetland[c] : 0.0f;
      const std::uint32_t r = receiver_position_[k];
      // The species side by side (no branch inside, so the compiler pairs them in vectors),
      // then where the metal goes.
      std::array<double, kSpecies> out;
      for (std::size_t s = 0; s < kSpecies; ++s) {
        const double dissolved = change[s];
        const double labile = dissolved * capacity[s] * area;  // the top layer's, kg
        const double picked = std::min(extraction * dissolved * generated, labile);
        const double metal = metal_in[s] + picked;
        const double leaves = metal * leaving;
        change[s] = (metal - leaves) - picked;  // infiltrated run-on metal less the pick-up
        const double retained = leaves * retained_share;
        sink.wetland[s] += retained;
        out[s] = leaves - retained;
      }
      if (ending == Ending::passes) {
        double* to = &metal_in_k_[r * kSpecies];
        for (std::size_t s = 0; s < kSpecies; ++s) to[s] += out[s];
        water_in_k_[r] += q_out;
      } else {
        auto& total = ending == Ending::pit_lake ? sink.pit_lake : sink.exported;
        for (std::size_t s = 0; s < kSpecies; ++s) total[s] += out[s];
      }
    }
  });
  for (const Sinks& sink : sinks) {  // chunk order: the same with any number of threads
    for (std::size_t s = 0; s < kSpecies; ++s) {
      *wetland_store[s] += sink.wetland[s];
      *pit_lake[s] += sink.pit_lake[s];
      runoff_exported_[s] += sink.exported[s];
    }
  }
  std::array<std::span<double>, kSpecies> content;
  for (std::size_t s = 0; s < kSpecies; ++s)
    content[s] = fields.write<double>(total_concentration_field(species()[s]));
  for_each_cell_block(grid.cell_count(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c) || soil_mass_[c] <= 0) continue;
      const double per_kg = 1e6 / (soil_mass_[c] * area);
      for (std::size_t s = 0; s < kSpecies; ++s) {
        const double delta = change_cell[c * kSpecies + s];
        if (delta != 0.0) content[s][c] += delta * per_kg;
      }
    }
  });
}

// Plant uptake from the root zone (layers 1-2) by bioconcentration factors, returned to the top
// layer with the year's litter: no ledger flux, a move of metal towards the surface.
void MetalsComponent::cycle_through_vegetation(FieldAccess& fields, const StepContext&) {
  if (!fields.has(kVegetationCover.name)) return;
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = std::min<std::size_t>(2, state.soil_layers());
  const auto cover = fields.read<float>(kVegetationCover.name);
  const bool has_factor = fields.has(kUptakeFactorCdAs.name);
  const auto factor =
      has_factor ? fields.read<float>(kUptakeFactorCdAs.name) : std::span<const float>();
  const double productivity = parameters_.get("vegetation_productivity_kg_m2");
  // With the vegetation model, the shoots grown are its last year's NPP: half to the shoots,
  // carbon to dry matter by 0.47 (IPCC 2006 Table 4.3).
  const bool has_npp = fields.has("vegetation__annual_npp");
  const auto npp =
      has_npp ? fields.read<float>("vegetation__annual_npp") : std::span<const float>();
  const double area = grid.cell_area_m2();
  for (std::size_t k = 0; k < kSpecies; ++k) {
    const Species& s = species()[k];
    auto content = fields.write<double>(total_concentration_field(s));
    const double bcf = parameters_.get(column(s, "_bcf"));
    const bool silicon_applies = s.key == "cd" || s.key == "as";
    plant_uptake_[k] +=
        area * deterministic_sum(n, [&](std::size_t c) {
          if (!grid.is_valid(c) || cover[c] <= 0) return 0.0;
          double metal = 0.0, mass = 0.0;
          for (std::size_t l = 0; l < layers; ++l) {
            metal += content[l * n + c] * 1e-6 * soil_mass_[l * n + c];
            mass += soil_mass_[l * n + c];
          }
          if (mass <= 0 || metal <= 0) return 0.0;
          const double shoot = has_npp ? 0.5 * std::max(0.0f, npp[c]) / 0.47
                                       : productivity * std::clamp<double>(cover[c], 0.0, 1.0);
          double uptake =
              bcf * (silicon_applies && has_factor ? factor[c] : 1.0f) * (metal / mass) * shoot;
          uptake = std::min(uptake, 0.5 * metal);
          // Taken from each root-zone layer in proportion to its metal, returned to the top layer.
          for (std::size_t l = 0; l < layers; ++l) {
            const std::size_t i = l * n + c;
            const double share = content[i] * 1e-6 * soil_mass_[i] / metal;
            content[i] -= uptake * share / soil_mass_[i] * 1e6;
          }
          if (soil_mass_[c] > 0) content[c] += uptake / soil_mass_[c] * 1e6;
          return uptake;
        });
  }
}

void MetalsComponent::close_year(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count();
  const double hectare_per_cell = grid.cell_area_m2() / 1e4;
  const auto ph = fields.read<float>(kSoilPh.name);
  auto risk = fields.write<float>("soil__risk_class");
  std::fill(risk.begin(), risk.end(), 0.0f);
  const std::vector<double> storage = stored(fields);
  double worst_residual = 0.0;
  for (std::size_t k = 0; k < kSpecies; ++k) {
    const Species& s = species()[k];
    const auto content = fields.read<double>(total_concentration_field(s));
    auto take = [&](const std::string& name) {
      auto field = fields.write<double>(name);
      const double value = field[0];
      field[0] = 0.0;  // the books start empty each year
      return value;
    };
    const double added = take(added_field(s)), excavated = take(excavated_field(s)),
                 harvested = take(harvested_field(s));
    Ledger& ledger = ledgers_[k];
    ledger.open(storage_open_[k]);
    ledger.add_input("added_by_measures", added);
    ledger.add_output("excavated", excavated);
    ledger.add_output("harvested", harvested);
    ledger.add_output("leached", leached_[k]);
    ledger.add_output("runoff_exported", runoff_exported_[k]);
    ledger.add_output("sediment_exported", sediment_exported_[k]);
    ledger.close(storage[k]);
    worst_residual = std::max(worst_residual, ledger.relative_residual());

    double screening = 0.0, intervention = 0.0;
    for (std::size_t c = 0; c < n; ++c) {
      if (!grid.is_valid(c)) continue;
      const int cls = risk_class(s.risk, ph[c], content[c]);
      screening += cls >= 1 ? hectare_per_cell : 0.0;
      intervention += cls >= 2 ? hectare_per_cell : 0.0;
      risk[c] = std::max(risk[c], static_cast<float>(cls));
    }
    const double pit = fields.read<double>(pit_lake_field(s))[0];
    const double wet = fields.read<double>(wetland_field(s))[0];
    SummaryRow& row = *step.summary;
    row.set(column(s, "_soil_kg"), storage[k] - pit - wet);
    row.set(column(s, "_added_kg"), added);
    row.set(column(s, "_excavated_kg"), excavated);
    row.set(column(s, "_harvested_kg"), harvested);
    row.set(column(s, "_leached_kg"), leached_[k]);
    row.set(column(s, "_runoff_exported_kg"), runoff_exported_[k]);
    row.set(column(s, "_sediment_exported_kg"), sediment_exported_[k]);
    row.set(column(s, "_pit_lake_kg"), pit);
    row.set(column(s, "_wetland_kg"), wet);
    row.set(column(s, "_plant_uptake_kg"), plant_uptake_[k]);
    row.set(column(s, "_area_above_screening_ha"), screening);
    row.set(column(s, "_area_above_intervention_ha"), intervention);
  }
  step.summary->set("metal_ledger_relative_residual", worst_residual);
  storage_open_ = storage;
}

}  // namespace minetwin::metals
