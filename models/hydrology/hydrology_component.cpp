#include "models/hydrology/hydrology_component.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include "engine/core/summary.hpp"
#include "engine/core/vector_checks.hpp"

#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/hydrology/hydrology_equations.hpp"
#include "models/hydrology/hydrology_passes.hpp"
#include "models/soil/pedotransfer.hpp"
#include "models/terrain/flow_graph.hpp"

namespace minetwin::hydrology {
namespace {

using namespace fields;
constexpr TypedFieldSpec<float> kSurfaceWaterAnnualDischarge{
    "surface_water__annual_discharge",
    "m3",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "surface runoff leaving the cell in the calendar year so far (routed)"};
constexpr TypedFieldSpec<float> kSurfaceWaterAnnualRunoff{
    "surface_water__annual_runoff",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "surface runoff generated on the cell by the storms of the calendar year so far (before "
    "run-on from upslope)"};
constexpr TypedFieldSpec<float> kEvapotranspirationAnnualActual{
    "evapotranspiration__annual_actual",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "actual evapotranspiration in the calendar year so far"};
constexpr FieldSpec kFields[] = {
    reads(kPrecipitationMonthly),
    reads(kPrecipitationDaily),
    reads(kAirTemperatureMonthly),
    may_read(kPetMonthly),
    may_read(kLatitude),
    reads(kElevation),
    reads(kSlopeGradient),
    reads(kFlowReceiver),
    reads(kFlowStackPosition),
    reads(kSpillElevation),
    reads(kSand),
    reads(kClay),
    reads(kOrganicCarbon),
    reads(kBulkDensity),
    reads(kRockFragments),
    reads(kLayerThickness),
    may_read(kVegetationCover),
    may_read(kCurveNumberOffset),
    may_read(kCoverPercolationFactor),
    kSoilWaterDepth,
    kPitLakeVolume,
    // What the metals' pit-lake pools lose with the water that spills (docs/models/metals.md).
    kPitLakeSpillFraction,
    // Monthly fluxes for the monthly models (metals); internal, so state.nc does not record a
    // December value as if it were the year's. The annual totals below are what it records.
    kSurfaceWaterMonthlyDischarge,
    kSoilWaterMonthlyPercolation,
    kEvapotranspirationMonthlyActual,
    kSurfaceWaterAnnualDischarge,
    kSurfaceWaterAnnualRunoff,
    kSoilWaterAnnualPercolation,
    kEvapotranspirationAnnualActual,
    kSurfaceWaterDepth,
    writes(kPotentialEtMonthly),
};

constexpr ParameterSpec kParameters[] = {
    {"diurnal_temperature_range_c", "degC", 11.0, 1.0, 30.0,
     "Hargreaves & Samani 1985; typical continental north-China value (assumption)",
     "Tmax - Tmin for Hargreaves PET when the climate has no PET"},
    {"run_on_infiltration_fraction", "1", 0.5, 0.0, 1.0,
     "MineTwin assumption (docs/models/hydrology.md); calibrate",
     "share of run-on from upslope that infiltrates where the soil is below field capacity"},
    {"depletion_fraction", "1", 0.5, 0.1, 0.9, "FAO-56 (Allen et al. 1998), Table 22: p = 0.5",
     "fraction of available water used before ET is reduced"},
    {"default_latitude_deg", "degree", 40.0, -90.0, 90.0, "used only when the DEM has no CRS",
     "latitude for extraterrestrial radiation"},
};

constexpr SummaryColumn kColumns[] = {
    {"aet_mm", "mm", "actual evapotranspiration over the site"},
    {"runoff_generated_mm", "mm",
     "surface runoff generated on the site's cells by the storms (before run-on infiltrates)"},
    {"runoff_exported_mm", "mm", "surface runoff leaving the site (and pit-lake spill)"},
    {"percolation_mm", "mm", "water leaving the bottom of the soil profile"},
    {"pit_lake_volume_m3", "m3", "water in pit lakes at the end of the year"},
    {"water_balance_residual_m3", "m3", "sum of |monthly water-ledger residuals| (round-off)"},
};

struct LayerCapacity {
  double wilting, field;  // m of water in the layer
};

}  // namespace

std::span<const FieldSpec> HydrologyComponent::fields() const {
  return kFields;
}
std::span<const ParameterSpec> HydrologyComponent::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> HydrologyComponent::summary_columns() const {
  return kColumns;
}
std::string_view HydrologyComponent::citation() const {
  return "SCS curve number (USDA NRCS NEH 630); Hargreaves & Samani 1985; FAO-56 (Allen et al. "
         "1998); Saxton & Rawls 2006";
}

namespace {

// Hydraulic capacities of every layer of a cell, from the soil fields.
struct SoilView {
  std::span<const float> sand, clay, carbon, density, rock;
  std::span<const double> thickness;
  std::size_t cells, layers;

  /// The Saxton & Rawls properties of the last layer computed, with their inputs: neighbouring
  /// cells of one material share them (most subsoil layers), and the same inputs give the same
  /// bits without the equations' powers and logarithms.
  struct Memo {
    float sand = std::numeric_limits<float>::quiet_NaN(), clay = 0, carbon = 0, density = 0;
    soil::HydraulicProperties properties{};
  };

  LayerCapacity capacity(std::size_t layer, std::size_t cell, double* ks_mm_h = nullptr,
                         Memo* memo = nullptr) const {
    const std::size_t i = layer * cells + cell;
    Memo own;
    Memo& m = memo != nullptr ? *memo : own;
    if (sand[i] != m.sand || clay[i] != m.clay || carbon[i] != m.carbon ||
        density[i] != m.density) {  // NaN: never equal
      m = {sand[i], clay[i], carbon[i], density[i],
           soil::saxton_rawls(sand[i], clay[i], 100.0 * soil::kOrganicMatterPerCarbon * carbon[i],
                              density[i] / 1000.0)};
    }
    const soil::HydraulicProperties& p = m.properties;
    if (ks_mm_h != nullptr) *ks_mm_h = p.saturated_conductivity_mm_h;
    const double fine_earth = thickness[i] * (1.0 - rock[i]);
    return {p.wilting_point * fine_earth, p.field_capacity * fine_earth};
  }
};

SoilView soil_view(const FieldAccess& fields) {
  const State& state = fields.state();
  return {fields.read(fields::kSand),          fields.read(fields::kClay),
          fields.read(fields::kOrganicCarbon), fields.read(fields::kBulkDensity),
          fields.read(fields::kRockFragments), fields.read(fields::kLayerThickness),
          state.grid().cell_count(),           state.soil_layers()};
}

}  // namespace

void HydrologyComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  // The soil starts at field capacity (a wet spring start; the first months settle it).
  const RasterGrid& grid = fields.state().grid();
  const SoilView soil = soil_view(fields);
  auto water = fields.write(kSoilWaterDepth);
  for_each_cell_block(grid.cell_count(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      for (std::size_t l = 0; l < soil.layers; ++l)
        water[l * soil.cells + c] = soil.capacity(l, c).field;
    }
  });
}

void HydrologyComponent::refresh_capacities(const FieldAccess& fields, int year) {
  if (year == capacity_year_) return;
  capacity_year_ = year;
  const RasterGrid& grid = fields.state().grid();
  const SoilView soil = soil_view(fields);
  const std::size_t n = grid.cell_count();
  wilting_.assign(n * soil.layers, 0.0);
  field_.assign(n * soil.layers, 0.0);
  curve_number_bare_.assign(n, 0.0f);
  curve_number_grass_gain_.assign(n, 0.0f);
  curve_number_slope_share_.assign(n, 0.0f);
  const auto gradient = fields.read(kSlopeGradient);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    std::vector<SoilView::Memo> memo(soil.layers);  // the previous cell's, per layer
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      curve_number_slope_share_[c] = static_cast<float>(curve_number_slope_share(gradient[c]));
      for (std::size_t l = 0; l < soil.layers; ++l) {
        double ks_mm_h = 0.0;
        const LayerCapacity cap = soil.capacity(l, c, l == 0 ? &ks_mm_h : nullptr, &memo[l]);
        wilting_[l * n + c] = cap.wilting;
        field_[l * n + c] = cap.field;
        if (l != 0) continue;
        // CN between bare fallow and good grassland for the top layer's soil group.
        const int group = hydrologic_soil_group(ks_mm_h);
        curve_number_bare_[c] = static_cast<float>(kCurveNumberBare[group]);
        curve_number_grass_gain_[c] =
            static_cast<float>(kCurveNumberGrassGood[group] - kCurveNumberBare[group]);
      }
    }
  });
}

double lake_level(std::span<const double> elevations, std::span<const double> prefix_sum,
                  double spill_level, double cell_area, double volume, std::size_t& wet) {
  // With k cells wet the level lies between the k-th lowest elevation and the next one (or the
  // spill level), where the basin holds up to area * (k * top_k - S_k): find the smallest k
  // that holds the volume (binary search), then h = (volume / area + S_k) / k.
  if (volume <= 0.0 || elevations.empty()) {
    wet = 0;
    return elevations.empty() ? spill_level : elevations.front();
  }
  auto holds = [&](std::size_t k) {
    const double top = k < elevations.size() ? elevations[k] : spill_level;
    return cell_area * (static_cast<double>(k) * top - prefix_sum[k]);
  };
  std::size_t lo = 1, hi = elevations.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (holds(mid) >= volume) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  wet = lo;
  return std::min(spill_level, (volume / cell_area + prefix_sum[lo]) / static_cast<double>(lo));
}

void HydrologyComponent::refresh_topology(const FieldAccess& fields, int year) {
  // The terrain changes only at the start of a year (measures, landform evolution), so the
  // stack, each cell's outlet and the sorted elevations of each pit-lake basin are rebuilt once
  // a year from the shared flow fields.
  if (year == topology_year_) return;
  topology_year_ = year;
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const auto receiver = fields.read(fields::kFlowReceiver);
  const auto spill = fields.read(kSpillElevation);
  const auto z = fields.read(fields::kElevation);
  flow_ = terrain::shared_flow_graph(fields);  // the year's one graph
  const auto& stack = flow_->stack();
  std::vector<std::uint32_t> outlet(n, 0);  // each cell's outlet (or kept sink)
  for (std::uint32_t c : stack) {
    const auto r = static_cast<std::uint32_t>(receiver[c]);
    outlet[c] = r == c ? c : outlet[r];
  }
  const auto position = fields.read(fields::kFlowStackPosition);
  receiver_position_.resize(stack.size());
  for (std::size_t k = 0; k < stack.size(); ++k) {
    receiver_position_[k] =
        static_cast<std::uint32_t>(position[static_cast<std::size_t>(receiver[stack[k]])]);
  }
  chunks_ = terrain::DrainageChunks(receiver_position_);
  std::map<std::uint32_t, Basin> by_sink;
  for (std::uint32_t c : stack) {
    const std::uint32_t sink = outlet[c];
    if (spill[sink] == kFillValue || z[c] >= spill[sink]) continue;
    by_sink[sink].elevations.push_back(z[c]);
    by_sink[sink].cells.push_back(c);
  }
  basins_.assign(std::make_move_iterator(by_sink.begin()), std::make_move_iterator(by_sink.end()));
  const double area = grid.cell_area_m2();
  for (auto& kept : basins_) {
    const std::uint32_t sink = kept.first;  // not a structured binding: lambdas capture it
    Basin& basin = kept.second;
    std::sort(basin.elevations.begin(), basin.elevations.end());
    // prefix_sum[k] = sum of the k lowest elevations (k = 0..size).
    basin.prefix_sum.assign(basin.elevations.size() + 1, 0.0);
    for (std::size_t k = 0; k < basin.elevations.size(); ++k) {
      basin.prefix_sum[k + 1] = basin.prefix_sum[k] + basin.elevations[k];
    }
    basin.capacity_m3 = area * (spill[sink] * static_cast<double>(basin.elevations.size()) -
                                basin.prefix_sum.back());
  }
}

// The water of a basin that is no longer kept (a regrade or a fill took its sink, a breach
// drained it) runs on down the new flow graph, once a year with the new topology: into the pit
// lake it now drains into, or off the site (returned, m3: the month's exported runoff). The
// metals' pit-lake pools follow the same rule (MetalsComponent::carry_lake_pools).
double HydrologyComponent::drain_former_lakes(FieldAccess& fields) const {
  const RasterGrid& grid = fields.state().grid();
  const auto receiver = fields.read(fields::kFlowReceiver);
  const auto spill = fields.read(kSpillElevation);
  auto lakes = fields.write(kPitLakeVolume);
  double drained = 0.0;
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (!grid.is_valid(c) || !(lakes[c] > 0.0)) continue;
    auto to = static_cast<std::size_t>(receiver[c]);
    if (to == c && spill[c] != kFillValue) continue;  // a kept basin's sink
    while (to != static_cast<std::size_t>(receiver[to]))
      to = static_cast<std::size_t>(receiver[to]);
    if (spill[to] != kFillValue)
      lakes[to] += lakes[c];
    else
      drained += lakes[c];
    lakes[c] = 0.0;
  }
  return drained;
}

void HydrologyComponent::update(FieldAccess& fields, const StepContext& step) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const double area = grid.cell_area_m2();
  const std::size_t layers = fields.state().soil_layers();
  refresh_capacities(fields, step.year);
  refresh_topology(fields, step.year);
  auto water = fields.write(kSoilWaterDepth);
  auto lakes = fields.write(kPitLakeVolume);

  MonthWater month;
  month.precipitation_m = fields.read(fields::kPrecipitationMonthly)[0];
  if (fields.has(fields::kPetMonthly)) {
    month.pet_m = fields.read(fields::kPetMonthly)[0];
  } else {
    const double latitude = fields.has(fields::kLatitude) ? fields.read(fields::kLatitude)[0]
                                                          : parameters_.get("default_latitude_deg");
    month.pet_m =
        hargreaves_monthly_et0(latitude, step.month, fields.read(fields::kAirTemperatureMonthly)[0],
                               parameters_.get("diurnal_temperature_range_c")) /
        1000.0;
  }
  fields.write(kPotentialEtMonthly)[0] = month.pet_m;  // for vegetation, soil carbon
  // The month's storms: its wet days (climate forcing, engine/site/daily_rainfall.hpp).
  for (const double day_m : fields.read(kPrecipitationDaily)) {
    if (day_m > 0.0) month.wet_day_mm[month.wet_days++] = day_m * 1000.0;
  }
  month.depletion_fraction = parameters_.get("depletion_fraction");
  auto optional_field = [&](std::string_view name) {
    return fields.has(name) ? fields.read<float>(name).data() : nullptr;
  };
  // The grid's soil columns; columns.run(first, count) is a run of them.
  SoilColumns columns;
  columns.count = n;
  columns.layers = layers;
  columns.layer_stride = n;
  columns.water = water.data();
  columns.wilting = wilting_.data();
  columns.field = field_.data();
  columns.curve_number_bare = curve_number_bare_.data();
  columns.curve_number_grass_gain = curve_number_grass_gain_.data();
  columns.cover = optional_field("vegetation__cover_fraction");
  columns.curve_number_offset = optional_field("soil_surface__curve_number_offset");
  columns.curve_number_slope_share = curve_number_slope_share_.data();
  columns.percolation_factor = optional_field(kCoverPercolationFactor.name);
  const std::uint8_t* valid = grid.valid_mask().data();
  auto lake_volume = [&](std::size_t first) {
    return [&, first](std::size_t i) { return valid[first + i] != 0 ? lakes[first + i] : 0.0; };
  };
  if (routing_.size() != n) routing_.assign(n, {});
  if (inflow_.size() != flow_->stack().size()) inflow_.assign(flow_->stack().size(), 0.0);
  const bool new_year = step.month == 1;
  // Per-block partial sums for the ledger and the summary (deterministic_sum's blocks and lanes,
  // summed while the passes work: the same bits with any thread count).
  const std::size_t blocks = (n + kCellBlock - 1) / kCellBlock;
  std::vector<double> soil_before(blocks), lakes_before(blocks), et_by_block(blocks),
      percolation_by_block(blocks), runoff_by_block(blocks), soil_after(blocks),
      lakes_after(blocks);

  // 1-3: the vertical balance of each cell (independent of the others).
  auto et_out = fields.write(kEvapotranspirationMonthlyActual);
  auto percolation_out = fields.write(kSoilWaterMonthlyPercolation);
  auto et_year = fields.write(kEvapotranspirationAnnualActual);
  auto percolation_year = fields.write(kSoilWaterAnnualPercolation);
  auto runoff_year = fields.write(kSurfaceWaterAnnualRunoff);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    LaneSum soil_sum, lake_sum, et_sum, percolation_sum, runoff_sum;
    alignas(64) double depth[kBalanceBatch], runoff[kBalanceBatch], et[kBalanceBatch],
        percolation[kBalanceBatch], room[kBalanceBatch];
    for (std::size_t first = begin; first < end; first += kBalanceBatch) {
      const std::size_t count = std::min(kBalanceBatch, end - first);
      for (double* zero : {depth, et, percolation, runoff}) std::fill_n(zero, count, 0.0);
      for_each_valid_run(valid, first, first + count, [&](std::size_t run_first, std::size_t run) {
        const std::size_t i = run_first - first;
        const SoilColumns soil = columns.run(run_first, run);
        profile_water(soil, depth + i);
        vertical_balance(month, soil, {runoff + i, et + i, percolation + i, room + i});
        RoutingSlot* __restrict slot = routing_.data() + run_first;  // runoff, room
        for (std::size_t j = 0; j < run; ++j) slot[j] = {runoff[i + j] * area, room[i + j] * area};
        store_flux(run, et + i, et_out.data() + run_first, et_year.data() + run_first, new_year);
        store_flux(run, percolation + i, percolation_out.data() + run_first,
                   percolation_year.data() + run_first, new_year);
        add_to_year(run, runoff + i, runoff_year.data() + run_first, new_year);
      });
      soil_sum.add(depth, count);
      lake_sum.add(count, lake_volume(first));
      et_sum.add(et, count);
      percolation_sum.add(percolation, count);
      runoff_sum.add(runoff, count);
    }
    const std::size_t block = begin / kCellBlock;
    soil_before[block] = soil_sum.total();
    lakes_before[block] = lake_sum.total();
    et_by_block[block] = et_sum.total();
    percolation_by_block[block] = percolation_sum.total();
    runoff_by_block[block] = runoff_sum.total();
  });
  ledger_.open(area * sum_in_block_order(soil_before) + sum_in_block_order(lakes_before));

  // 4: route runoff down the flow stack; run-on infiltrates up to field capacity. Each drainage
  // tree in turn, donors before receivers; trees in parallel (drainage_chunks.hpp).
  const auto spill = fields.read(kSpillElevation);
  const auto z = fields.read(fields::kElevation);
  const double run_on_share = parameters_.get("run_on_infiltration_fraction");
  //
  // Along a flow line each cell waits for the one above it: the flow into the next cell down
  // the stack (its first donor, processed just before it) is carried in a register instead of
  // going through memory, and the cell-order loads and stores, which the chain does not wait
  // for, overlap with it (a separate gather and scatter pass cost 5 ms more). The carried flow
  // is added last, as the buffer would have added it: the same bits as the plain walk. (Two
  // chunks walked in lockstep, selects instead of branches, and prefetching the cells ahead
  // measured no faster.)
  std::vector<double> exported_by_chunk(chunks_.size(), 0.0);
  const auto& stack = flow_->stack();
  chunks_.for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    double carried = 0.0;  // the flow from position k + 1 into k
    double exported_here = 0.0;
    for (std::size_t k = last; k-- > first;) {
      const std::uint32_t c = stack[k];
      double run_on = inflow_[k] + carried;
      inflow_[k] = 0.0;  // consumed: the buffer is empty again for next month
      RoutingSlot& slot = routing_[c];
      const double runoff = slot.first_m3, room = slot.second_m3;
      double into = 0.0;
      if (run_on > 0.0 && run_on_share > 0.0) {
        into = std::min(room, run_on * run_on_share);
        run_on -= into;
      }
      const double out = runoff + run_on;
      slot = {out, into};
      const std::uint32_t r = receiver_position_[k];
      carried = 0.0;
      if (r + 1 == k) {
        carried = out;
      } else if (r != k) {
        inflow_[r] += out;
      } else if (spill[c] != kFillValue) {
        lakes[c] += out;  // a kept sink: its pit lake
      } else {
        exported_here += out;  // an outlet: off the site
      }
    }
    exported_by_chunk[chunk] = exported_here;
  });
  double exported = 0.0;
  for (double e : exported_by_chunk) exported += e;  // chunk order: the same with any threads
  if (new_year) exported += drain_former_lakes(fields);

  // 5: pit lakes, over the hypsometry of each kept basin (cached with the topology).
  double lake_evaporation = 0.0, lake_total = 0.0;
  auto spill_fraction = fields.write(kPitLakeSpillFraction);
  if (new_year)  // last year's sinks (invalid cells keep their fill value)
    for (std::size_t c = 0; c < n; ++c)
      if (grid.is_valid(c)) spill_fraction[c] = 0.0;
  for (auto& kept : basins_) {
    const std::uint32_t sink = kept.first;  // not a structured binding: lambdas capture it
    Basin& basin = kept.second;
    const std::vector<double>& e = basin.elevations;
    const std::vector<double>& below = basin.prefix_sum;
    auto level_of = [&](double volume, std::size_t& wet) {
      return lake_level(e, below, spill[sink], area, volume, wet);
    };
    const double capacity = basin.capacity_m3;
    spill_fraction[sink] = 0.0;
    if (lakes[sink] > capacity) {
      exported += lakes[sink] - capacity;  // spill over the rim leaves the site
      spill_fraction[sink] = (lakes[sink] - capacity) / lakes[sink];
      lakes[sink] = capacity;
    }
    std::size_t wet = 0;
    level_of(lakes[sink], wet);
    const double evaporation = std::min(lakes[sink], month.pet_m * static_cast<double>(wet) * area);
    lakes[sink] -= evaporation;
    lake_evaporation += evaporation;
    basin.level = level_of(lakes[sink], wet);
    lake_total += lakes[sink];
  }

  // Back in cell order: the routed discharge, the infiltrated run-on filling the layers from the
  // top up to field capacity, the standing water of the pit lakes.
  auto discharge = fields.write(kSurfaceWaterMonthlyDischarge);
  auto discharge_year = fields.write(kSurfaceWaterAnnualDischarge);
  auto surface = fields.write(kSurfaceWaterDepth);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    LaneSum soil_sum, lake_sum;
    alignas(64) double depth[kBalanceBatch], out[kBalanceBatch], run_on[kBalanceBatch];
    for (std::size_t first = begin; first < end; first += kBalanceBatch) {
      const std::size_t count = std::min(kBalanceBatch, end - first);
      std::fill_n(depth, count, 0.0);
      for_each_valid_run(valid, first, first + count, [&](std::size_t run_first, std::size_t run) {
        const std::size_t i = run_first - first;
        const RoutingSlot* __restrict routed = routing_.data() + run_first;  // out, run-on
        for (std::size_t j = 0; j < run; ++j) out[i + j] = routed[j].first_m3;
        store_flux(run, out + i, discharge.data() + run_first, discharge_year.data() + run_first,
                   new_year);
        std::fill_n(surface.data() + run_first, run, 0.0f);  // the lakes' cells: below
        for (std::size_t j = 0; j < run; ++j) run_on[i + j] = routed[j].second_m3;
        const SoilColumns soil = columns.run(run_first, run);
        if (any_positive(run, run_on + i)) {  // most runs, most months: no run-on infiltrates
          for (std::size_t j = 0; j < run; ++j) run_on[i + j] /= area;  // m3 -> m
          fill_from_top(soil, run_on + i);
        }
        profile_water(soil, depth + i);
      });
      soil_sum.add(depth, count);
      lake_sum.add(count, lake_volume(first));
    }
    const std::size_t block = begin / kCellBlock;
    soil_after[block] = soil_sum.total();
    lakes_after[block] = lake_sum.total();
  });
  // Standing water over the cells of each pit lake below its level (all other cells got 0).
  tbb::parallel_for(std::size_t{0}, basins_.size(), [&](std::size_t b) {
    const Basin& basin = basins_[b].second;
    for (const std::uint32_t c : basin.cells)
      if (z[c] < basin.level) surface[c] = static_cast<float>(basin.level - z[c]);
  });

  const double site_area = area * static_cast<double>(grid.valid_cell_count());
  const double et_total = area * sum_in_block_order(et_by_block);
  const double percolation_total = area * sum_in_block_order(percolation_by_block);
  ledger_.add_input("precipitation", month.precipitation_m * site_area);
  ledger_.add_output("evapotranspiration", et_total);
  ledger_.add_output("exported_runoff", exported);
  ledger_.add_output("percolation", percolation_total);
  ledger_.add_output("lake_evaporation", lake_evaporation);
  const double residual =
      ledger_.close(area * sum_in_block_order(soil_after) + sum_in_block_order(lakes_after));

  step.summary->add("aet_mm", (et_total + lake_evaporation) / site_area * 1000.0);
  step.summary->add("runoff_generated_mm",
                    sum_in_block_order(runoff_by_block) * area / site_area * 1000.0);
  step.summary->add("runoff_exported_mm", exported / site_area * 1000.0);
  step.summary->add("percolation_mm", percolation_total / site_area * 1000.0);
  step.summary->set("pit_lake_volume_m3", lake_total);
  step.summary->add("water_balance_residual_m3", std::abs(residual));
}

}  // namespace minetwin::hydrology
