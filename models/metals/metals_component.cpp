#include "models/metals/metals_component.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/core/carry_over.hpp"
#include "engine/core/summary.hpp"
#include "engine/core/vector_checks.hpp"
#include "engine/core/wide_vectors.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/metals/column_transport.hpp"
#include "models/metals/metals_equations.hpp"
#include "models/metals/metals_passes.hpp"
#include "models/metals/species.hpp"
#include "models/soil/pedotransfer.hpp"
#include "models/soil/soil_profile.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/neighbours.hpp"

namespace minetwin::metals {
namespace {

using namespace fields;
// Cells per sub-block of the leaching pass: one batched column solve per species, its scratch in
// cache. 512 against 256: each array is read in runs twice as long (4 KiB of doubles), which the
// processor's prefetchers follow better: 1024^2 23.0 -> 21.5 ms, 256^2 1.17 -> 1.14 ms a month;
// 1024 and more were slower again.
constexpr std::size_t kLeachBatch = 512;

std::string_view keep(std::string name) {
  return lasting_name(std::move(name));
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
        reads(kSoilWaterDepth),
        reads(kSurfaceWaterMonthlyDischarge),
        reads(kSoilWaterMonthlyPercolation),
        reads(kFlowReceiver),
        reads(kFlowStackPosition),
        reads(kSpillElevation),
        may_read(kVegetationCover),
        may_read(kUptakeFactorCdAs),
        may_read(kWetlandRemoval),
        may_read(kVegetationAnnualNpp),
        reads(kPitLakeVolume),
        reads(kPitLakeSpillFraction),
        reads(kSurfaceWaterDepth),
        kSoilRiskClass,
    };
    for (const Species& s : species()) {
      const std::string symbol(s.symbol), name(s.name);
      v.push_back({keep(total_concentration_field(s)), "mg kg-1", Location::layer, Intent::inout,
                   ElementType::float64, false, keep("total " + name + " content")});
      v.push_back({keep(annual_leaching_field(s)), "kg m-2", Location::cell, Intent::out,
                   ElementType::float32, true,
                   keep(symbol + " leached below the profile in the calendar year so far")});
      v.push_back({keep(lake_concentration_field(s)), "mg L-1", Location::cell, Intent::out,
                   ElementType::float32, true,
                   keep(symbol + " dissolved in the pit lake over the cell at the end of the "
                                 "year (0 where no lake water stands)")});
      for (auto [field, doc] : {std::pair{added_field(s), "added by measures this year"},
                                {excavated_field(s), "excavated and disposed of this year"},
                                {sediment_exported_field(s),
                                 "carried off the site by eroded sediment (soil redistribution)"},
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
      add("_pit_lake_dissolved_max_mg_l", "mg L-1",
          "dissolved in the pit lake of highest concentration at the end of the year");
      add("_pit_lake_dissolved_mean_mg_l", "mg L-1",
          "dissolved in the pit lakes' water at the end of the year (all lakes' metal over "
          "their water)");
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
  return "Sauvé, Hendershot & Allen 2000 (cation Kd); Allison & Allison 2005 (As Kd); van "
         "Genuchten & Alves 1982 (transport, verified); "
         "Patankar 1980 (hybrid scheme); GB 15618-2018 (risk screening)";
}

void MetalsComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  restart(fields);
}

void MetalsComponent::restart(FieldAccess& fields) {
  storage_open_ = stored(fields);
  flow_order_.clear();
  metal_in_.clear();  // nothing waits to infiltrate at the start of a year
  infiltration_waiting_ = false;
  leaving_.clear();
}

std::vector<double> MetalsComponent::stored(const FieldAccess& fields) const {
  const State& state = fields.state();
  const std::size_t n = state.grid().cell_count(), layers = state.soil_layers();
  const auto thickness = fields.read(kLayerThickness);
  const auto rock = fields.read(kRockFragments);
  const auto density = fields.read(kBulkDensity);
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
            double layer_kg;
            layer_metal_kg_m2(layer_kg, content[i],
                              soil::fine_earth_mass(thickness[i], rock[i], density[i]));
            kg += layer_kg;
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
  const auto thickness = fields.read(kLayerThickness);
  const auto rock = fields.read(kRockFragments);
  const auto density = fields.read(kBulkDensity);
  const auto carbon = fields.read(kOrganicCarbon);
  const auto ph = fields.read(kSoilPh);
  soil_mass_.resize(layers * n);
  per_soil_mass_.resize(layers * n);
  kd_.resize(kSpecies * layers * n);
  face_on_upper_.resize((layers - 1) * n);
  const double dispersivity = parameters_.get("dispersivity_m");
  std::array<double, kSpecies> shift{};
  for (std::size_t k = 0; k < kSpecies; ++k)
    shift[k] = std::pow(10.0, parameters_.get(std::string(species()[k].key) + "_log_kd_shift"));
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t l = 0; l < layers; ++l) {
      // Kd depends on the layer's pH and carbon only. Neighbouring cells of one material or
      // zone share them (most subsoil layers): the previous cell's six Kd are reused (the same
      // bits) instead of six powers and a logarithm (a fifth of the metals' year on 1024^2).
      float previous_ph = std::numeric_limits<float>::quiet_NaN(), previous_carbon = 0.0f;
      std::array<float, kSpecies> previous_kd{};
      for (std::size_t c = begin; c < end; ++c) {
        const std::size_t i = l * n + c;
        soil_mass_[i] = soil::fine_earth_mass(thickness[i], rock[i], density[i]);
        per_soil_mass_[i] = soil_mass_[i] > 0.0 ? 1e6 / soil_mass_[i] : 0.0;
        double on_lower = 0.0;  // 1 - on_upper: the passes derive it
        if (l + 1 < layers)
          face_coefficients(thickness[i], thickness[i + n], dispersivity, face_on_upper_[i],
                            on_lower);
        if (ph[i] != previous_ph || carbon[i] != previous_carbon) {  // NaN: never equal
          previous_ph = ph[i];
          previous_carbon = carbon[i];
          const double log_som = log_som_percent(100.0 * soil::kOrganicMatterPerCarbon * carbon[i]);
          for (std::size_t k = 0; k < kSpecies; ++k)  // L/kg -> m3/kg
            previous_kd[k] = static_cast<float>(
                partition_coefficient_of_log_som(species()[k].partitioning, ph[i], log_som) *
                shift[k] * 1e-3);
        }
        for (std::size_t k = 0; k < kSpecies; ++k) kd_[(k * layers + l) * n + c] = previous_kd[k];
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
    refresh_topology(fields);  // the terrain changes at the start of each year
    // The year's ledger opens with the storage before what the books hold for it: last year's
    // soil redistribution (after last year's close) and this year's measures (before January)
    // have moved metal that the books carry into this year's ledger. Taken from State here, a
    // resumed run opens with the same bits as one that never stopped.
    storage_open_ = stored(fields);
    for (std::size_t k = 0; k < kSpecies; ++k) {
      const Species& s = species()[k];
      auto book = [&](const std::string& name) { return fields.read<double>(name)[0]; };
      storage_open_[k] += book(sediment_exported_field(s)) - book(added_field(s)) +
                          book(excavated_field(s)) + book(harvested_field(s));
    }
  }
  if (flow_order_.empty()) refresh_topology(fields);
  // After the year's opening: what leaves the lakes here is this year's export.
  if (pool_sinks_ != lake_sinks_ || pool_kg_.size() != lake_sinks_.size() * kSpecies)
    carry_lake_pools(fields);
  leach(fields);
  route_runoff(fields, /*end_of_year=*/step.month == 12);
  mix_into_lakes(fields);
  if (step.month == 12) {
    cycle_through_vegetation(fields, step);
    close_year(fields, step);
    report_lakes(fields, step);
  }
}

// Pit lakes (docs/models/metals.md, "Pit lakes"): the dissolved metal that runoff brings into a
// kept basin mixes into its lake's water (a fully mixed lake: Castendyk et al. 2015's simplest
// limnology); what spills over the rim leaves at the lake's concentration (the spilled share of
// its water, from the hydrology); evaporation takes water, not metal; no sorption or settling
// (conservative solutes: an upper bound). A dry lake keeps its metal (evaporite) for its next
// water. The sediment's metal (soil redistribution) settles: pit-lake storage, not dissolved.
void MetalsComponent::mix_into_lakes(FieldAccess& fields) {
  const std::size_t n = fields.state().grid().cell_count(), chunks = chunks_.size();
  const auto spill = fields.read(kPitLakeSpillFraction);
  for (std::size_t s = 0; s < kSpecies; ++s) {
    double& pit_lake = fields.write<double>(pit_lake_field(species()[s]))[0];
    for (std::size_t l = 0; l < lake_sinks_.size(); ++l) {
      double& arriving = metal_in_[n + chunks + l].kg[s];
      double& pool = pool_kg_[l * kSpecies + s];
      pool += arriving;
      pit_lake += arriving;
      arriving = 0.0;
      const double spilled = pool * spill[lake_sinks_[l]];
      pool -= spilled;
      pit_lake -= spilled;
      runoff_exported_[s] += spilled;
    }
  }
}

// At each new topology (January) the pools move onto this year's lakes: a pool goes to the lake
// its old sink cell now drains into, or leaves the site with the water (an outlet, or a basin
// no longer kept: booked as runoff export). Pools in cell order of their old sinks: the same
// sums on any run, resumed or not.
void MetalsComponent::carry_lake_pools(FieldAccess& fields) {
  std::vector<double> moved(lake_sinks_.size() * kSpecies, 0.0);
  for (std::size_t p = 0; p < pool_sinks_.size(); ++p) {
    const std::uint32_t lake = lake_of_[pool_sinks_[p]];
    for (std::size_t s = 0; s < kSpecies; ++s) {
      const double kg = pool_kg_[p * kSpecies + s];
      if (lake != kNoLake) {
        moved[lake * kSpecies + s] += kg;
        continue;
      }
      runoff_exported_[s] += kg;
      fields.write<double>(pit_lake_field(species()[s]))[0] -= kg;
    }
  }
  pool_sinks_ = lake_sinks_;
  pool_kg_ = std::move(moved);
}

void MetalsComponent::report_lakes(FieldAccess& fields, const StepContext& step) const {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const auto volume = fields.read(kPitLakeVolume);
  const auto depth = fields.read(kSurfaceWaterDepth);
  for (std::size_t s = 0; s < kSpecies; ++s) {
    // mg/L = 1000 kg/m3; a lake without water has no concentration.
    std::vector<double> concentration(lake_sinks_.size(), 0.0);
    double highest = 0.0, metal = 0.0, water = 0.0;
    for (std::size_t l = 0; l < lake_sinks_.size(); ++l) {
      const double v = volume[lake_sinks_[l]];
      if (v <= 0.0) continue;
      concentration[l] = 1000.0 * pool_kg_[l * kSpecies + s] / v;
      highest = std::max(highest, concentration[l]);
      metal += pool_kg_[l * kSpecies + s];
      water += v;
    }
    auto map = fields.write<float>(lake_concentration_field(species()[s]));
    for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
      for (std::size_t c = begin; c < end; ++c) {
        if (!grid.is_valid(c)) continue;
        const std::uint32_t lake = lake_of_[c];
        map[c] =
            lake != kNoLake && depth[c] > 0.0f ? static_cast<float>(concentration[lake]) : 0.0f;
      }
    });
    const std::string key(species()[s].key);
    step.summary->set(key + "_pit_lake_dissolved_max_mg_l", highest);
    step.summary->set(key + "_pit_lake_dissolved_mean_mg_l",
                      water > 0.0 ? 1000.0 * metal / water : 0.0);
  }
}

void MetalsComponent::save_carry_over(CarryOverWriter& out) const {
  if (pool_sinks_.empty()) return;  // no pit lake: nothing to carry
  out.put_vector(pool_sinks_);
  out.put_vector(pool_kg_);
}

void MetalsComponent::load_carry_over(CarryOverReader& in) {
  pool_sinks_ = in.get_vector<std::uint32_t>();
  pool_kg_ = in.get_vector<double>();
  if (pool_kg_.size() != pool_sinks_.size() * kSpecies)
    throw std::runtime_error("the checkpoint's pit-lake pools of component 'metals' do not fit");
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
  const auto water = fields.read(kSoilWaterDepth);
  const auto percolation = fields.read(kSoilWaterMonthlyPercolation);
  const bool has_immobilised = fields.has(kPbImmobilisedFraction);
  const auto immobilised =
      has_immobilised ? fields.read(kPbImmobilisedFraction) : std::span<const float>();
  const double extraction = parameters_.get("runoff_extraction_ratio");
  const auto discharge = fields.read(kSurfaceWaterMonthlyDischarge);
  std::array<std::span<double>, kSpecies> content;
  std::array<double*, kSpecies> content_of{};
  std::array<std::span<float>, kSpecies> annual;
  for (std::size_t k = 0; k < kSpecies; ++k) {
    content[k] = fields.write<double>(total_concentration_field(species()[k]));
    content_of[k] = content[k].data();
    annual[k] = fields.write<float>(annual_leaching_field(species()[k]));
  }
  // Every cell's slot is read and then overwritten below; the sink slots are emptied after each
  // runoff pass.
  const std::size_t slots = n + chunks_.size() + lake_sinks_.size();
  if (metal_in_.size() != slots) metal_in_.assign(slots, {});
  leaving_.resize(n);
  const std::uint8_t* valid = grid.valid_mask().data();
  const auto offsets = terrain::Neighbourhood::offsets(grid.columns());
  const std::size_t blocks = (n + kCellBlock - 1) / kCellBlock;
  // Per block and species: the metal leached (kg).
  std::vector<std::array<double, kSpecies>> block_leached(blocks);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    const std::size_t size = layers * kLeachBatch;
    std::vector<double> pore(size), capacity(size), amount(size), fixed(size), lower(size),
        diagonal(size), upper(size);
    alignas(64) double q[kLeachBatch], out[kLeachBatch], run_on[kLeachBatch],
        generated[kLeachBatch];
    // The top layer after leaching, [2][species][lane]: dissolved concentration, capacity.
    std::vector<double> top_lanes(2 * kSpecies * kLeachBatch);
    std::array<LaneSum, kSpecies> leached;
    ColumnGeometry geometry;
    // The runoff's pick-up from the sub-block's top layer, once it is leached.
    auto pick_up_sub_block = [&](std::size_t first, std::size_t lanes) {
      run_on_from_donors(first, lanes, n, offsets, donor_bits_.data(), discharge.data(), run_on);
      surface_water_shares(lanes, run_on, discharge.data() + first, per_soil_mass_.data() + first,
                           terminal_.data() + first, generated, leaving_.data() + first);
      const PickUpLanes in{lanes, extraction, area, generated, per_soil_mass_.data() + first};
      std::array<double*, kSpecies> top_content{};
      for (std::size_t k = 0; k < kSpecies; ++k) top_content[k] = content[k].data() + first;
      pick_up(in, top_lanes.data(), top_lanes.data() + kSpecies * lanes, top_content,
              metal_in_.data() + first);
    };
    for (std::size_t first = begin; first < end; first += kLeachBatch) {
      const std::size_t lanes = std::min(kLeachBatch, end - first);
      // Last month's infiltrated run-on metal joins the top layer first (route_runoff). Where
      // last month's water all left each cell (its leaving share, not yet this month's, is 1),
      // nothing infiltrated: the slots hold zeros. So it is in most months, on most cells (wet
      // months bring the soil to field capacity, dry ones have no runoff), and the sub-block
      // skips reading them.
      if (!(all_equal(lanes, leaving_.data() + first) && leaving_[first] == 1.0))
        infiltrate(lanes, 1.0 / area, per_soil_mass_.data() + first, metal_in_.data() + first,
                   content_of, first, /*empty=*/false);
      percolating_water(lanes, valid + first, percolation.data() + first, q);
      const bool moving = any_positive(lanes, q);
      if (moving && layers <= kFusedLayers) {
        // Each species in one fused pass, from the yearly caches.
        const SharedLanes shared{lanes, n, area, q, soil_mass_.data() + first,
                                 per_soil_mass_.data() + first, water.data() + first,
                                 // A profile of one layer has no faces (and no cache).
                                 layers > 1 ? face_on_upper_.data() + first : nullptr};
        for (std::size_t k = 0; k < kSpecies; ++k) {
          const bool pb = k == 1 && has_immobilised;
          leach_fused(layers, shared, content[k].data() + first,
                      kd_.data() + k * layers * n + first,
                      pb ? immobilised.data() + first : nullptr, annual[k].data() + first, out,
                      top_lanes.data() + k * lanes, top_lanes.data() + (kSpecies + k) * lanes);
          leached[k].add(out, lanes);
        }
        pick_up_sub_block(first, lanes);
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
          for (std::size_t j = 0; j < lanes; ++j)
            geometry.on_lower[f * lanes + j] = 1.0 - geometry.on_upper[f * lanes + j];
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
          add_leached(lanes, q, area, out, annual[k].data() + first);
          leached[k].add(out, lanes);
        } else {
          for (std::size_t j = 0; j < lanes; ++j)
            dissolved_kg_m3(top_dissolved[j], top_dissolved[j], capacity[j]);
        }
        std::copy_n(top_dissolved.data(), lanes, top_lanes.data() + k * lanes);
        std::copy_n(capacity.data(), lanes, top_lanes.data() + (kSpecies + k) * lanes);
      }
      pick_up_sub_block(first, lanes);
    }
    for (std::size_t k = 0; k < kSpecies; ++k)
      block_leached[begin / kCellBlock][k] = leached[k].total();
  });
  for (std::size_t b = 0; b < blocks; ++b)
    for (std::size_t k = 0; k < kSpecies; ++k) leached_[k] += block_leached[b][k];
}

void MetalsComponent::refresh_topology(const FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const std::shared_ptr<const terrain::FlowGraph> graph = terrain::shared_flow_graph(fields);
  const auto& stack = graph->stack();
  const auto receiver = fields.read(kFlowReceiver);
  const auto spill = fields.read(kSpillElevation);
  chunks_ = graph->chunks();
  flow_order_.resize(stack.size());
  sends_to_.resize(stack.size());
  terminal_.assign(n, 0);
  donor_bits_.assign(n, 0);
  // The pit lakes in cell order of their sinks (the same numbering on any thread count).
  lake_sinks_.clear();
  lake_of_.assign(n, kNoLake);
  for (std::uint32_t c = 0; c < n; ++c)
    if (grid.is_valid(c) && static_cast<std::uint32_t>(receiver[c]) == c &&
        spill[c] != kFillValue) {
      lake_of_[c] = static_cast<std::uint32_t>(lake_sinks_.size());
      lake_sinks_.push_back(c);
    }
  const auto columns = static_cast<std::ptrdiff_t>(grid.columns());
  using terrain::Neighbourhood;
  for (std::size_t chunk = 0; chunk < chunks_.size(); ++chunk) {
    const std::size_t first = chunks_.begin(chunk), last = chunks_.end(chunk);
    for (std::size_t k = first; k < last; ++k) {
      const std::size_t j = first + (last - 1 - k);  // the chunk's stack segment reversed
      const std::uint32_t c = stack[k], r = static_cast<std::uint32_t>(receiver[c]);
      flow_order_[j] = c;
      sends_to_[j] = r;
      if (r != c) {
        lake_of_[c] = lake_of_[r];  // the stack comes from the receivers up
        // Which neighbour of its receiver the cell is (Neighbourhood's order).
        const auto donor = static_cast<std::ptrdiff_t>(c), to = static_cast<std::ptrdiff_t>(r);
        const std::ptrdiff_t row_step = donor / columns - to / columns,
                             column_step = donor % columns - to % columns;
        std::size_t d = 0;
        while (d < 8 && (Neighbourhood::kRowStep[d] != row_step ||
                         Neighbourhood::kColumnStep[d] != column_step))
          ++d;
        if (d == 8) throw std::logic_error("metals: a flow receiver that is not a D8 neighbour");
        donor_bits_[r] |= static_cast<std::uint8_t>(1u << d);
      }
      if (r == c) {
        terminal_[c] = 1;
        sends_to_[j] = static_cast<std::uint32_t>(
            lake_of_[c] != kNoLake ? n + chunks_.size() + lake_of_[c] : n + chunk);
      }
    }
  }
}

// Dissolved metals in runoff, down the flow graph (in flow order; drainage trees in parallel).
// The leaching pass left in each cell's slot the metal that the runoff generated on it picked
// up, and its leaving share; this carries the metal to the receivers. At each cell, of what its
// slot holds (its pick-up and the metal arriving with the run-on, together) the leaving share
// travels on (less what a constructed wetland retains) and the rest infiltrates into its top
// layer; outlets export, kept closed basins hold it. The infiltrating metal is left in the cell's
// slot and added to the content later, in cell order: by the next month's leaching pass, which
// reads and writes the top layer anyway, or at the end of the year (@p end_of_year) here. No
// other component reads the metal content between two months of this one (the measures and the
// outputs come between years). Writing the six content fields of each cell as the flow order
// meets it took 13.5 ms a month on 1024^2 against 9.5 for the walk and a cell-order pass.
void MetalsComponent::route_runoff(FieldAccess& fields, bool end_of_year) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count();
  const bool has_wetland = fields.has(kWetlandRemoval);
  const auto wetland = has_wetland ? fields.read(kWetlandRemoval) : std::span<const float>();
  const double per_area = 1.0 / grid.cell_area_m2();
  const std::size_t chunks = chunks_.size();
  std::array<double*, kSpecies> content{};
  for (std::size_t s = 0; s < kSpecies; ++s)
    content[s] = fields.write<double>(total_concentration_field(species()[s])).data();
  std::vector<SpeciesSlot> retained_in_wetlands(chunks + 1);  // the last: an empty chunk's
  const RunoffRoute route{flow_order_.data(), sends_to_.data(), leaving_.data(),
                          has_wetland ? wetland.data() : nullptr, metal_in_.data()};
  chunks_.for_each_pair([&](std::size_t a, std::size_t b) {
    const std::size_t b_first = b < chunks ? chunks_.begin(b) : 0,
                      b_last = b < chunks ? chunks_.end(b) : 0;
    route_metal(route, chunks_.begin(a), chunks_.end(a), b_first, b_last, retained_in_wetlands[a],
                retained_in_wetlands[b]);
  });
  if (end_of_year) {
    for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
      infiltrate(end - begin, per_area, per_soil_mass_.data() + begin, metal_in_.data() + begin,
                 content, begin, /*empty=*/true);
    });
  }
  infiltration_waiting_ = !end_of_year;
  // The sinks, in chunk order: the same with any number of threads.
  for (std::size_t s = 0; s < kSpecies; ++s) {
    double& wetland_store = fields.write<double>(wetland_field(species()[s]))[0];
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
      double& exported = metal_in_[n + chunk].kg[s];
      wetland_store += retained_in_wetlands[chunk].kg[s];
      runoff_exported_[s] += exported;
      exported = 0.0;
    }
  }
}

// Plant uptake from the root zone (layers 1-2) by bioconcentration factors, returned to the top
// layer with the year's litter: no ledger flux, a move of metal towards the surface.
void MetalsComponent::cycle_through_vegetation(FieldAccess& fields, const StepContext&) {
  if (!fields.has(kVegetationCover)) return;
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = std::min<std::size_t>(2, state.soil_layers());
  const auto cover = fields.read(kVegetationCover);
  const bool has_factor = fields.has(kUptakeFactorCdAs);
  const auto factor = has_factor ? fields.read(kUptakeFactorCdAs) : std::span<const float>();
  const double productivity = parameters_.get("vegetation_productivity_kg_m2");
  // With the vegetation model, the shoots grown are its last year's NPP (shoot_dry_matter_kg_m2).
  const bool has_npp = fields.has(kVegetationAnnualNpp);
  const auto npp = has_npp ? fields.read(kVegetationAnnualNpp) : std::span<const float>();
  const double area = grid.cell_area_m2();
  for (std::size_t k = 0; k < kSpecies; ++k) {
    const Species& s = species()[k];
    auto content = fields.write<double>(total_concentration_field(s));
    const double bcf = parameters_.get(column(s, "_bcf"));
    const bool silicon_applies = s.key == "cd" || s.key == "as";
    plant_uptake_[k] +=
        area * deterministic_sum(n, [&](std::size_t c) {
          if (!grid.is_valid(c) || cover[c] <= 0) return 0.0;
          double metal = 0.0, mass = 0.0, layer_metal[2];
          for (std::size_t l = 0; l < layers; ++l) {
            layer_metal_kg_m2(layer_metal[l], content[l * n + c], soil_mass_[l * n + c]);
            metal += layer_metal[l];
            mass += soil_mass_[l * n + c];
          }
          // The litter returns to the top layer: where it holds no fine earth (a rock armour),
          // nothing is taken up (metal taken from below would have nowhere to go).
          if (mass <= 0 || metal <= 0 || soil_mass_[c] <= 0) return 0.0;
          const double shoot = has_npp ? shoot_dry_matter_kg_m2(npp[c])
                                       : productivity * std::clamp<double>(cover[c], 0.0, 1.0);
          const double uptake = root_zone_uptake_kg_m2(
              bcf, silicon_applies && has_factor ? factor[c] : 1.0f, metal, mass, shoot);
          // Taken from each root-zone layer in proportion to its metal, returned to the top layer.
          for (std::size_t l = 0; l < layers; ++l) {
            const std::size_t i = l * n + c;
            const double share = layer_metal[l] / metal;
            // A layer without fine earth holds no metal: its share is 0 (a select, not a
            // branch, so the loop stays vectorised).
            const double layer_mass = soil_mass_[i] > 0 ? soil_mass_[i] : 1.0;
            content[i] -= uptake * share / layer_mass * 1e6;
          }
          content[c] += uptake / soil_mass_[c] * 1e6;
          return uptake;
        });
  }
}

void MetalsComponent::close_year(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count();
  const double hectare_per_cell = grid.cell_area_m2() / 1e4;
  const auto ph = fields.read(kSoilPh);
  auto risk = fields.write(kSoilRiskClass);
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
    // The soil redistribution moved last year's eroded soil after that year's ledger closed.
    sediment_exported_[k] = take(sediment_exported_field(s));
    Ledger& ledger = ledgers_[k];
    ledger.open(storage_open_[k]);
    ledger.add_input("added_by_measures", added);
    ledger.add_output("excavated", excavated);
    ledger.add_output("harvested", harvested);
    ledger.add_output("leached", leached_[k]);
    ledger.add_output("runoff_exported", runoff_exported_[k]);
    ledger.add_output("sediment_exported", sediment_exported_[k]);
    ledger.close(storage[k]);
    // A NaN residual (a broken storage) must show, not vanish in std::max.
    const double residual = ledger.relative_residual();
    worst_residual = std::isnan(residual) ? residual : std::max(worst_residual, residual);

    // The cells' classes in parallel blocks; the areas are the cells counted, each adding a
    // cell's hectares in turn (the same bits as one serial pass over the cells).
    std::vector<std::size_t> above_screening((n + kCellBlock - 1) / kCellBlock, 0),
        above_intervention(above_screening.size(), 0);
    for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
      std::size_t screened = 0, intervened = 0;
      for (std::size_t c = begin; c < end; ++c) {
        if (!grid.is_valid(c)) continue;
        const int cls = risk_class(s.risk, ph[c], content[c]);
        screened += cls >= 1 ? 1 : 0;
        intervened += cls >= 2 ? 1 : 0;
        risk[c] = std::max(risk[c], static_cast<float>(cls));
      }
      above_screening[begin / kCellBlock] = screened;
      above_intervention[begin / kCellBlock] = intervened;
    });
    double screening = 0.0, intervention = 0.0;
    for (std::size_t b = 0; b < above_screening.size(); ++b) {
      for (std::size_t cell = 0; cell < above_screening[b]; ++cell) screening += hectare_per_cell;
      for (std::size_t cell = 0; cell < above_intervention[b]; ++cell)
        intervention += hectare_per_cell;
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
