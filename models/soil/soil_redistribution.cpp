#include "models/soil/soil_redistribution.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <memory_resource>
#include <unordered_map>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/soil/soil_profile.hpp"
#include "models/terrain/drainage_chunks.hpp"
#include "models/terrain/flow_graph.hpp"

namespace minetwin::soil {
namespace {

// The top layer's carbon pools, in the order of kPools.
constexpr std::size_t kPoolCount = 6;
constexpr const FieldSpec* kPools[kPoolCount] = {&fields::kDpm, &fields::kRpm, &fields::kBio,
                                                 &fields::kHum, &fields::kIom, &fields::kBiochar};
constexpr std::size_t kHumPool = 3;

constexpr SummaryColumn kColumns[] = {
    {"soil_removed_t", "t", "fine earth taken from the profiles by erosion"},
    {"soil_deposited_t", "t", "fine earth settled on the profiles from sediment"},
    {"soil_exported_t", "t", "fine earth carried off the site by sediment"},
    {"soil_to_pit_lakes_t", "t", "fine earth settled in pit lakes"},
    {"soil_mass_balance_residual_t", "t", "|removed - deposited - exported - to pit lakes|"},
    {"soil_carbon_carried_off_t", "t C",
     "top-layer soil carbon (RothC pools and biochar) carried off the site or into pit lakes"},
    {"soil_carbon_from_subsoil_t", "t C",
     "subsoil carbon that entered the top layer as the eroding surface lowered"},
};

// What sediment carries, as amounts (kg, or kg per m2 in a profile): fine earth with what it
// holds (a Slab without rock fragments: thickness = fine_volume) and the top layer's pools.
struct Sediment {
  Slab soil;
  std::array<double, kPoolCount> pools{};
  void add(const Sediment& other, double fraction) {
    soil.add(other.soil, fraction);
    for (std::size_t p = 0; p < kPoolCount; ++p) pools[p] += fraction * other.pools[p];
  }
  void scale(double factor) {
    const Sediment copy = *this;
    *this = Sediment{};
    add(copy, factor);
  }
};

// Sums of one drainage chunk (added in chunk order: the same bits with any thread count).
struct ChunkSums {
  double removed = 0, deposited = 0, exported = 0, trapped = 0;
  double carbon_off = 0, carbon_up = 0;
  std::array<double, kMetalCount> metal_exported{}, metal_trapped{};
  double sulfide_exported = 0, sulfide_trapped = 0, carbonate_exported = 0, carbonate_trapped = 0;
};

// Takes @p fine_mass (kg/m2) of fine earth off the top of @p slabs. Returns the fine earth taken
// (thickness = its volume); @p lag gets the rock fragments of the depth it came from, which stay.
Slab take_fine_earth(std::vector<Slab>& slabs, double fine_mass, Slab& lag) {
  // The depth that holds this fine mass, slab by slab from the top.
  double depth = 0.0, left = fine_mass;
  for (const Slab& s : slabs) {
    if (left <= 0) break;
    if (s.fine_mass <= left) {
      depth += s.thickness;
      left -= s.fine_mass;
    } else {
      depth += s.thickness * left / s.fine_mass;
      left = 0;
    }
  }
  Slab taken = take_top(slabs, depth);
  lag = Slab{};
  lag.thickness = taken.thickness - taken.fine_volume;
  taken.thickness = taken.fine_volume;
  return taken;
}

double total_thickness(const std::vector<Slab>& slabs) {
  double depth = 0.0;
  for (const Slab& s : slabs) depth += s.thickness;
  return depth;
}

// The thickness of every cell's modelled profile, kept by this component.
constexpr TypedFieldSpec<float> kProfileThickness{
    "soil__profile_thickness",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "thickness of the modelled soil profile (all layers): thins where erosion takes "
    "fine earth, thickens where sediment settles"};

// The profile's thickness per cell (all layers), for the maps.
void record_profile_thickness(FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count(), layers = fields.state().soil_layers();
  const auto thickness = fields.read(fields::kLayerThickness);
  auto profile = fields.write(kProfileThickness);
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) continue;
    double depth = 0.0;
    for (std::size_t l = 0; l < layers; ++l) depth += thickness[l * n + c];
    profile[c] = static_cast<float>(depth);
  }
}

}  // namespace

void SoilRedistribution::initialize(FieldAccess& fields, const ParameterValues&) {
  record_profile_thickness(fields);
}

SoilRedistribution::SoilRedistribution() {
  using namespace fields;
  fields_.assign(profile_fields().begin(), profile_fields().end());
  for (const FieldSpec& f :
       std::initializer_list<FieldSpec>{reads(kErosionSoilLoss),
                                        reads(kSedimentDeposition),
                                        kProfileThickness,
                                        writes(kSoilThicknessChange),
                                        reads(kFlowReceiver),
                                        reads(kFlowStackPosition),
                                        reads(kSpillElevation),
                                        kDpm,
                                        kRpm,
                                        kBio,
                                        kHum,
                                        kIom,
                                        kBiochar,
                                        kSoilCarbonMovedByErosion,
                                        MINETWIN_METAL_BOOKS("sediment_exported"),
                                        MINETWIN_METAL_BOOKS("pit_lake_storage"),
                                        kSulfideExportedBook,
                                        kSulfideTrappedBook,
                                        kCarbonateExportedBook,
                                        kCarbonateTrappedBook})
    fields_.push_back(f);
}

std::span<const SummaryColumn> SoilRedistribution::summary_columns() const {
  return kColumns;
}

std::string_view SoilRedistribution::citation() const {
  return "soil moved with the RUSLE / WaTEM-SEDEM sediment (docs/models/erosion.md); rock "
         "fragment lag: Poesen & Lavee 1994";
}

void SoilRedistribution::update(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const double area = grid.cell_area_m2();
  const auto loss = fields.read(fields::kErosionSoilLoss);
  const auto deposition = fields.read(fields::kSedimentDeposition);
  const auto receiver = fields.read(fields::kFlowReceiver);
  const auto spill = fields.read(fields::kSpillElevation);
  const std::shared_ptr<const terrain::FlowGraph> graph = terrain::shared_flow_graph(fields);
  const auto& stack = graph->stack();
  const terrain::DrainageChunks& chunks = graph->chunks();
  std::array<std::span<double>, kPoolCount> pools;
  for (std::size_t p = 0; p < kPoolCount; ++p) pools[p] = fields.write<double>(kPools[p]->name);
  const auto thickness = fields.read(fields::kLayerThickness);  // as edited
  SoilProfiles profiles(fields);
  auto thickness_change = fields.write(fields::kSoilThicknessChange);
  std::fill(thickness_change.begin(), thickness_change.end(), 0.0f);

  const std::size_t layers = state.soil_layers();
  std::vector<ChunkSums> sums(chunks.size());
  std::vector<double> pool_change(chunks.size(), 0.0);
  // Each drainage tree from its sources down (drainage_chunks.hpp); a chunk's cells are its own,
  // so the profiles of different chunks are edited from different threads. Sediment in transit
  // waits at its receiver until the receiver's turn (a map: only the front of the walk holds it).
  chunks.for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    ChunkSums& sum = sums[chunk];
    double& changed = pool_change[chunk];
    // Its nodes come from a pool: one allocation per cell with sediment would cost more than the
    // cell's work.
    std::pmr::unsynchronized_pool_resource pool;
    std::pmr::unordered_map<std::uint32_t, Sediment> arriving(&pool);
    arriving.reserve(4096);
    std::vector<Slab> slabs;  // the cell's profile, its storage reused from cell to cell
    for (std::size_t k = last; k-- > first;) {
      const std::uint32_t c = stack[k];
      if (!grid.is_valid(c)) continue;
      Sediment moving;  // kg
      if (auto found = arriving.find(c); found != arriving.end()) {
        moving = found->second;
        arriving.erase(found);
      }
      const double detached = std::max(0.0, static_cast<double>(loss[c]));              // kg/m2
      const double settled = std::max(0.0, static_cast<double>(deposition[c]) * area);  // kg
      if (detached > 0.0 || (settled > 0.0 && moving.soil.fine_mass > 0.0)) {
        profiles.read(c, slabs);
        const double thickness_before = total_thickness(slabs);
        double pools_before = 0.0;
        for (std::size_t p = 0; p < kPoolCount; ++p) pools_before += pools[p][c];
        const double top_mass = slabs.front().fine_mass;
        double remainder_carbon = slabs.front().organic_carbon;  // of the old top layer, in place
        Slab lag;
        if (detached > 0.0) {
          Sediment own;
          own.soil = take_fine_earth(slabs, detached, lag);
          // The top layer's pools leave in proportion to its fine earth taken.
          const double share = top_mass > 0.0 ? std::min(1.0, own.soil.fine_mass / top_mass) : 1.0;
          remainder_carbon *= 1.0 - share;
          for (std::size_t p = 0; p < kPoolCount; ++p) {
            own.pools[p] = pools[p][c] * share;
            pools[p][c] -= own.pools[p];
          }
          sum.removed += own.soil.fine_mass * area;
          moving.add(own, area);
        }
        if (lag.thickness > 0.0) slabs.insert(slabs.begin(), lag);
        // The deposited share of what passes settles here, on top.
        const double keep =
            moving.soil.fine_mass > 0.0 ? std::min(1.0, settled / moving.soil.fine_mass) : 0.0;
        double deposit_carbon = 0.0;
        if (keep > 0.0) {
          Sediment here;
          here.add(moving, keep / area);
          slabs.insert(slabs.begin(), here.soil);
          deposit_carbon = here.soil.organic_carbon;
          for (std::size_t p = 0; p < kPoolCount; ++p) pools[p][c] += here.pools[p];
          moving.scale(1.0 - keep);
          sum.deposited += here.soil.fine_mass * area;
        }
        // The top layer after slicing holds the deposit, the lag, what is left of the old top
        // layer and, if these fall short of its thickness, soil from below (old, humified
        // carbon: the HUM pool); a thick deposit pushes part of the old top layer below it.
        const Slab top = top_layer(slabs, layers == 1 ? -1.0 : thickness[c]);
        const double from_below = top.organic_carbon - deposit_carbon - remainder_carbon;
        if (from_below > 0.0) {
          pools[kHumPool][c] += from_below;
          sum.carbon_up += from_below;
        } else if (from_below < 0.0 && deposit_carbon + remainder_carbon > 0.0) {
          const double stays =
              std::max(0.0, 1.0 + from_below / (deposit_carbon + remainder_carbon));
          for (std::size_t p = 0; p < kPoolCount; ++p) pools[p][c] *= stays;
        }
        thickness_change[c] = static_cast<float>(total_thickness(slabs) - thickness_before);
        profiles.write(c, slabs);
        double pools_after = 0.0;
        for (std::size_t p = 0; p < kPoolCount; ++p) pools_after += pools[p][c];
        changed += pools_after - pools_before;
      }
      if (moving.soil.fine_mass <= 0.0) continue;
      const auto r = static_cast<std::uint32_t>(receiver[c]);
      if (r != c) {
        arriving[r].add(moving, 1.0);
        continue;
      }
      const bool lake = spill[c] != kFillValue;
      (lake ? sum.trapped : sum.exported) += moving.soil.fine_mass;
      for (std::size_t m = 0; m < kMetalCount; ++m)
        (lake ? sum.metal_trapped : sum.metal_exported)[m] += moving.soil.metal[m];
      (lake ? sum.sulfide_trapped : sum.sulfide_exported) += moving.soil.sulfide_sulfur;
      (lake ? sum.carbonate_trapped : sum.carbonate_exported) += moving.soil.carbonate;
      for (const double carbon : moving.pools) sum.carbon_off += carbon;
    }
  });

  ChunkSums total;
  double carbon_change = 0.0;
  for (std::size_t chunk = 0; chunk < sums.size(); ++chunk) {  // chunk order: any thread count
    const ChunkSums& s = sums[chunk];
    total.removed += s.removed;
    total.deposited += s.deposited;
    total.exported += s.exported;
    total.trapped += s.trapped;
    total.carbon_off += s.carbon_off;
    total.carbon_up += s.carbon_up;
    for (std::size_t m = 0; m < kMetalCount; ++m) {
      total.metal_exported[m] += s.metal_exported[m];
      total.metal_trapped[m] += s.metal_trapped[m];
    }
    total.sulfide_exported += s.sulfide_exported;
    total.sulfide_trapped += s.sulfide_trapped;
    total.carbonate_exported += s.carbonate_exported;
    total.carbonate_trapped += s.carbonate_trapped;
    carbon_change += pool_change[chunk];
  }
  record_profile_thickness(fields);
  for (std::size_t m = 0; m < kMetalCount; ++m) {
    const std::string species = std::string("metal_") + kMetalKeys[m];
    fields.write<double>(species + "__sediment_exported")[0] += total.metal_exported[m];
    fields.write<double>(species + "__pit_lake_storage")[0] += total.metal_trapped[m];
  }
  fields.write(fields::kSoilCarbonMovedByErosion)[0] += carbon_change * area;
  // Sulfide and carbonate leave the profiles with the sediment, kg (acid_generation's ledgers).
  fields.write(fields::kSulfideExportedBook)[0] += total.sulfide_exported;
  fields.write(fields::kSulfideTrappedBook)[0] += total.sulfide_trapped;
  fields.write(fields::kCarbonateExportedBook)[0] += total.carbonate_exported;
  fields.write(fields::kCarbonateTrappedBook)[0] += total.carbonate_trapped;
  ledger_.open(0.0);  // soil in transit starts and ends each year at zero
  ledger_.add_input("removed", total.removed);
  ledger_.add_output("deposited", total.deposited);
  ledger_.add_output("exported", total.exported);
  ledger_.add_output("to_pit_lakes", total.trapped);
  const double residual = ledger_.close(0.0);
  SummaryRow& row = *step.summary;
  row.set("soil_removed_t", total.removed / 1000.0);
  row.set("soil_deposited_t", total.deposited / 1000.0);
  row.set("soil_exported_t", total.exported / 1000.0);
  row.set("soil_to_pit_lakes_t", total.trapped / 1000.0);
  row.set("soil_mass_balance_residual_t", std::abs(residual) / 1000.0);
  row.set("soil_carbon_carried_off_t", total.carbon_off / 1000.0);
  row.set("soil_carbon_from_subsoil_t", total.carbon_up * area / 1000.0);
}

}  // namespace minetwin::soil
