#include "models/hydrology/hydrology_component.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include "engine/core/summary.hpp"

#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/hydrology/water_equations.hpp"
#include "models/soil/pedotransfer.hpp"
#include "models/terrain/flow_graph.hpp"

namespace minetwin::hydrology {
namespace {

using namespace fields;
constexpr FieldSpec kFields[] = {
    reads(kPrecipitationMonthly),
    reads(kAirTemperatureMonthly),
    may_read(kPetMonthly),
    may_read(kLatitude),
    reads(kElevation),
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
    {"soil_water__depth", "m", Location::layer, Intent::inout, ElementType::float64, false,
     "water stored in the soil layer, as depth"},
    {"pit_lake__volume", "m3", Location::cell, Intent::inout, ElementType::float64, false,
     "water stored in the pit lake of a kept closed basin (at its sink cell)"},
    // Monthly fluxes for the monthly models (metals); internal, so state.nc does not record a
    // December value as if it were the year's. The annual totals below are what it records.
    {"surface_water__monthly_discharge", "m3", Location::cell, Intent::out, ElementType::float32,
     true, "surface runoff leaving the cell in the month (routed)", true},
    {"soil_water__monthly_percolation", "m", Location::cell, Intent::out, ElementType::float32,
     true, "water leaving the bottom of the soil profile in the month", true},
    {"evapotranspiration__monthly_actual", "m", Location::cell, Intent::out, ElementType::float32,
     true, "actual evapotranspiration of the month", true},
    {"surface_water__annual_discharge", "m3", Location::cell, Intent::out, ElementType::float32,
     true, "surface runoff leaving the cell in the calendar year so far (routed)"},
    {"soil_water__annual_percolation", "m", Location::cell, Intent::out, ElementType::float32, true,
     "water leaving the bottom of the soil profile in the calendar year so far"},
    {"evapotranspiration__annual_actual", "m", Location::cell, Intent::out, ElementType::float32,
     true, "actual evapotranspiration in the calendar year so far"},
    {"surface_water__depth", "m", Location::cell, Intent::out, ElementType::float32, true,
     "depth of standing water (pit lakes)"},
    writes(kPotentialEtMonthly),
};

constexpr ParameterSpec kParameters[] = {
    {"mean_event_depth_mm", "mm", 12.0, 1.0, 200.0,
     "MineTwin assumption for a monsoon climate (docs/models/hydrology.md); calibrate",
     "a month's precipitation falls in events of this depth for the curve-number runoff"},
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
    {"runoff_exported_mm", "mm", "surface runoff leaving the site (and pit-lake spill)"},
    {"percolation_mm", "mm", "water leaving the bottom of the soil profile"},
    {"pit_lake_volume_m3", "m3", "water in pit lakes at the end of the year"},
    {"water_balance_residual_m3", "m3", "sum of |monthly water-ledger residuals| (round-off)"},
};

struct LayerCapacity {
  double wilting, field, saturation;  // m of water in the layer
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

  LayerCapacity capacity(std::size_t layer, std::size_t cell, double* ks_mm_h = nullptr) const {
    const std::size_t i = layer * cells + cell;
    const soil::HydraulicProperties p = soil::saxton_rawls(
        sand[i], clay[i], 100.0 * soil::kOrganicMatterPerCarbon * carbon[i], density[i] / 1000.0);
    if (ks_mm_h != nullptr) *ks_mm_h = p.saturated_conductivity_mm_h;
    const double fine_earth = thickness[i] * (1.0 - rock[i]);
    return {p.wilting_point * fine_earth, p.field_capacity * fine_earth, p.saturation * fine_earth};
  }
};

SoilView soil_view(const FieldAccess& fields) {
  const State& state = fields.state();
  return {fields.read<float>("soil__sand_fraction"),
          fields.read<float>("soil__clay_fraction"),
          fields.read<float>("soil__organic_carbon_fraction"),
          fields.read<float>("soil__bulk_density"),
          fields.read<float>("soil__rock_fragment_fraction"),
          fields.read<double>("soil__layer_thickness"),
          state.grid().cell_count(),
          state.soil_layers()};
}

double stored_water(const RasterGrid& grid, std::span<const double> soil_water,
                    std::span<const double> lakes, std::size_t layers) {
  const std::size_t n = grid.cell_count();
  return grid.cell_area_m2() * deterministic_sum(n,
                                                 [&](std::size_t c) {
                                                   if (!grid.is_valid(c)) return 0.0;
                                                   double depth = 0.0;
                                                   for (std::size_t l = 0; l < layers; ++l)
                                                     depth += soil_water[l * n + c];
                                                   return depth;
                                                 }) +
         deterministic_sum(n, [&](std::size_t c) { return grid.is_valid(c) ? lakes[c] : 0.0; });
}

}  // namespace

void HydrologyComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  // The soil starts at field capacity (a wet spring start; the first months settle it).
  const RasterGrid& grid = fields.state().grid();
  const SoilView soil = soil_view(fields);
  auto water = fields.write<double>("soil_water__depth");
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
  saturation_.assign(n * soil.layers, 0.0);
  top_conductivity_mm_h_.assign(n, 0.0);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      for (std::size_t l = 0; l < soil.layers; ++l) {
        const LayerCapacity cap =
            soil.capacity(l, c, l == 0 ? &top_conductivity_mm_h_[c] : nullptr);
        wilting_[l * n + c] = cap.wilting;
        field_[l * n + c] = cap.field;
        saturation_[l * n + c] = cap.saturation;
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
  const auto receiver = fields.read<double>("flow__receiver");
  const auto spill = fields.read<double>("pit_lake__spill_elevation");
  const auto z = fields.read<double>("topographic__elevation");
  stack_ = terrain::stack_from_positions(grid, fields.read<double>("flow__stack_position"));
  outlet_.assign(n, 0);
  for (std::uint32_t c : stack_) {
    const auto r = static_cast<std::uint32_t>(receiver[c]);
    outlet_[c] = r == c ? c : outlet_[r];
  }
  const auto position = fields.read<double>("flow__stack_position");
  receiver_position_.resize(stack_.size());
  for (std::size_t k = 0; k < stack_.size(); ++k) {
    receiver_position_[k] =
        static_cast<std::uint32_t>(position[static_cast<std::size_t>(receiver[stack_[k]])]);
  }
  chunks_ = terrain::DrainageChunks(receiver_position_);
  basins_.clear();
  for (std::uint32_t c : stack_) {
    const std::uint32_t sink = outlet_[c];
    if (spill[sink] != kFillValue && z[c] < spill[sink]) basins_[sink].elevations.push_back(z[c]);
  }
  const double area = grid.cell_area_m2();
  for (auto& [sink, basin] : basins_) {
    std::sort(basin.elevations.begin(), basin.elevations.end());
    // prefix_sum[k] = sum of the k lowest elevations (k = 0..size).
    basin.prefix_sum.assign(basin.elevations.size() + 1, 0.0);
    for (std::size_t k = 0; k < basin.elevations.size(); ++k) {
      basin.prefix_sum[k + 1] = basin.prefix_sum[k] + basin.elevations[k];
    }
    basin.capacity_m3 = area * (spill[sink] * static_cast<double>(basin.elevations.size()) -
                                basin.prefix_sum.back());
  }
  sink_level_.assign(n, std::numeric_limits<double>::quiet_NaN());
}

void HydrologyComponent::update(FieldAccess& fields, const StepContext& step) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const double area = grid.cell_area_m2();
  const std::size_t layers = fields.state().soil_layers();
  refresh_capacities(fields, step.year);
  auto water = fields.write<double>("soil_water__depth");
  auto lakes = fields.write<double>("pit_lake__volume");

  const double precipitation_m = fields.read<double>("precipitation__monthly_depth")[0];
  double pet_m = 0.0;
  if (fields.has("potential_evapotranspiration__monthly_depth")) {
    pet_m = fields.read<double>("potential_evapotranspiration__monthly_depth")[0];
  } else {
    const double latitude = fields.has("site__latitude") ? fields.read<double>("site__latitude")[0]
                                                         : parameters_.get("default_latitude_deg");
    pet_m = hargreaves_monthly_et0(latitude, step.month,
                                   fields.read<double>("air_temperature__monthly_mean")[0],
                                   parameters_.get("diurnal_temperature_range_c")) /
            1000.0;
  }
  fields.write<double>(kPotentialEtMonthly.name)[0] = pet_m;  // for vegetation and soil carbon
  const bool has_cover = fields.has("vegetation__cover_fraction");
  const bool has_offset = fields.has("soil_surface__curve_number_offset");
  const std::span<const float> cover_field =
      has_cover ? fields.read<float>("vegetation__cover_fraction") : std::span<const float>();
  const std::span<const float> offset_field =
      has_offset ? fields.read<float>("soil_surface__curve_number_offset")
                 : std::span<const float>();
  const bool has_cap = fields.has(kCoverPercolationFactor.name);
  const std::span<const float> cap_field =
      has_cap ? fields.read<float>(kCoverPercolationFactor.name) : std::span<const float>();
  const double event_mm = parameters_.get("mean_event_depth_mm");
  const double p_fraction = parameters_.get("depletion_fraction");
  ledger_.open(stored_water(grid, water, lakes, layers));

  // 1-3: vertical balance of each cell, independent of the others.
  // Scratch kept between months (every valid cell is written before it is read; invalid cells
  // stay zero from the first allocation), so no month pays for allocating and clearing them.
  for (auto* buffer : {&runoff_, &et_, &percolation_, &deficit_, &run_on_infiltration_})
    if (buffer->size() != n) buffer->assign(n, 0.0);
  std::vector<double>& runoff = runoff_;
  std::vector<double>& et = et_;
  std::vector<double>& percolation = percolation_;
  std::vector<double>& deficit = deficit_;
  std::vector<double>& run_on_infiltration = run_on_infiltration_;
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      const double ks = top_conductivity_mm_h_[c];
      auto cap = [&](std::size_t l) {
        return LayerCapacity{wilting_[l * n + c], field_[l * n + c], saturation_[l * n + c]};
      };
      const double cover = has_cover ? std::clamp<double>(cover_field[c], 0.0, 1.0) : 0.0;
      const int group = hydrologic_soil_group(ks);
      double cn = kCurveNumberBare[group] +
                  cover * (kCurveNumberGrassGood[group] - kCurveNumberBare[group]);
      if (has_offset) cn += offset_field[c];
      cn = std::clamp(cn, 30.0, 98.0);
      const double q = monthly_curve_number_runoff(precipitation_m * 1000.0, cn, event_mm) / 1000.0;
      runoff[c] = q;
      water[c] += precipitation_m - q;  // infiltration into layer 1
      // Evaporation from the top layer (bare share), transpiration from every layer.
      auto stress = [&](std::size_t l) {
        const double available = cap(l).field - cap(l).wilting;
        if (available <= 0.0) return 0.0;
        return std::clamp((water[l * n + c] - cap(l).wilting) / (p_fraction * available), 0.0, 1.0);
      };
      double demand = pet_m * (1.0 - cover) * stress(0);
      double taken = std::min(demand, std::max(0.0, water[c] - cap(0).wilting));
      water[c] -= taken;
      double total_et = taken;
      double transpiration = pet_m * cover;
      for (std::size_t l = 0; l < layers && transpiration > 0.0; ++l) {
        const double from_layer =
            std::min(transpiration * stress(l), std::max(0.0, water[l * n + c] - cap(l).wilting));
        water[l * n + c] -= from_layer;
        transpiration -= from_layer;
        total_et += from_layer;
      }
      et[c] = total_et;
      // Drainage above field capacity cascades down; below the profile it percolates.
      for (std::size_t l = 0; l < layers; ++l) {
        const double excess = std::max(0.0, water[l * n + c] - cap(l).field);
        water[l * n + c] -= excess;
        if (l + 1 < layers) {
          water[(l + 1) * n + c] += excess;
        } else {
          // A low-permeability cap passes only its share; the rest drains laterally off the
          // cap and joins the cell's surface runoff.
          const double passing =
              has_cap ? excess * std::clamp<double>(cap_field[c], 0.0, 1.0) : excess;
          percolation[c] = passing;
          runoff[c] += excess - passing;
        }
      }
      // Room below field capacity in the profile: what run-on can fill (one compact value for
      // the serial routing pass below, instead of a gather over the layers).
      double room = 0.0;
      for (std::size_t l = 0; l < layers; ++l)
        room += std::max(0.0, cap(l).field - water[l * n + c]);
      deficit[c] = room;
    }
  });

  // 4: route runoff down the flow stack; run-on infiltrates up to field capacity.
  const auto receiver = fields.read<double>("flow__receiver");
  const auto spill = fields.read<double>("pit_lake__spill_elevation");
  const auto z = fields.read<double>("topographic__elevation");
  refresh_topology(fields, step.year);
  const std::vector<std::uint32_t>& stack = stack_;
  const double run_on_share = parameters_.get("run_on_infiltration_fraction");
  // Gather the per-cell inputs into stack order (parallel), route streaming over the stack
  // (every cell waits for its donors; drainage trees in parallel), scatter the results back.
  const std::size_t cells = stack.size();
  // Stack-order buffers, kept between months; inflow_k is emptied as the pass consumes it.
  for (auto* buffer : {&runoff_k_, &deficit_k_, &inflow_k_, &out_k_, &run_on_k_})
    if (buffer->size() != cells) buffer->assign(cells, 0.0);
  std::vector<double>& runoff_k = runoff_k_;
  std::vector<double>& deficit_k = deficit_k_;
  std::vector<double>& inflow_k = inflow_k_;
  std::vector<double>& out_k = out_k_;
  std::vector<double>& run_on_k = run_on_k_;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, kCellBlock),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t k = range.begin(); k != range.end(); ++k) {
                        runoff_k[k] = runoff[stack[k]] * area;
                        deficit_k[k] = deficit[stack[k]] * area;
                      }
                    });
  // Each drainage tree in turn, donors before receivers; trees in parallel (drainage_chunks.hpp).
  std::vector<double> exported_by_chunk(chunks_.size(), 0.0);
  chunks_.for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    double exported_here = 0.0;
    for (std::size_t k = last; k-- > first;) {
      double run_on = inflow_k[k];
      inflow_k[k] = 0.0;  // consumed: the buffer is empty again for next month
      run_on_k[k] = 0.0;
      if (run_on > 0.0 && run_on_share > 0.0) {
        const double into = std::min(deficit_k[k], run_on * run_on_share);
        run_on_k[k] = into;
        run_on -= into;
      }
      const double out = runoff_k[k] + run_on;
      out_k[k] = out;
      const std::uint32_t r = receiver_position_[k];
      if (r != k) {
        inflow_k[r] += out;
      } else if (spill[stack[k]] != kFillValue) {
        lakes[stack[k]] += out;
      } else {
        exported_here += out;
      }
    }
    exported_by_chunk[chunk] = exported_here;
  });
  double exported = 0.0;
  for (double e : exported_by_chunk) exported += e;  // chunk order: the same with any threads
  auto discharge = fields.write<float>("surface_water__monthly_discharge");
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, kCellBlock),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t k = range.begin(); k != range.end(); ++k) {
                        discharge[stack[k]] = static_cast<float>(out_k[k]);
                        run_on_infiltration[stack[k]] = run_on_k[k] / area;
                      }
                    });

  // The infiltrated run-on fills the layers from the top up to field capacity (cell by cell,
  // in parallel: the amounts were fixed by the serial routing pass).
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      double left = run_on_infiltration[c];
      for (std::size_t l = 0; l < layers && left > 0.0; ++l) {
        const double into = std::min(left, std::max(0.0, field_[l * n + c] - water[l * n + c]));
        water[l * n + c] += into;
        left -= into;
      }
    }
  });

  // 5: pit lakes, over the hypsometry of each kept basin (cached with the topology).
  const std::vector<std::uint32_t>& outlet = outlet_;
  auto surface = fields.write<float>("surface_water__depth");
  for (std::size_t c = 0; c < n; ++c) {
    if (grid.is_valid(c)) surface[c] = 0.0f;
  }
  double lake_evaporation = 0.0, lake_total = 0.0;
  for (const auto& [sink, basin] : basins_) {
    const std::vector<double>& e = basin.elevations;
    const std::vector<double>& below = basin.prefix_sum;
    auto level_of = [&](double volume, std::size_t& wet) {
      return lake_level(e, below, spill[sink], area, volume, wet);
    };
    const double capacity = basin.capacity_m3;
    if (lakes[sink] > capacity) {
      exported += lakes[sink] - capacity;  // spill over the rim leaves the site
      lakes[sink] = capacity;
    }
    std::size_t wet = 0;
    level_of(lakes[sink], wet);
    const double evaporation = std::min(lakes[sink], pet_m * static_cast<double>(wet) * area);
    lakes[sink] -= evaporation;
    lake_evaporation += evaporation;
    sink_level_[sink] = level_of(lakes[sink], wet);
    lake_total += lakes[sink];
  }
  if (!basins_.empty()) {
    for (std::size_t c = 0; c < n; ++c) {
      if (!grid.is_valid(c)) continue;
      const double level = sink_level_[outlet[c]];
      if (z[c] < level) surface[c] = static_cast<float>(level - z[c]);  // NaN compares false
    }
  }

  auto et_out = fields.write<float>("evapotranspiration__monthly_actual");
  auto percolation_out = fields.write<float>("soil_water__monthly_percolation");
  auto et_year = fields.write<float>("evapotranspiration__annual_actual");
  auto percolation_year = fields.write<float>("soil_water__annual_percolation");
  auto discharge_year = fields.write<float>("surface_water__annual_discharge");
  const bool new_year = step.month == 1;
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      et_out[c] = static_cast<float>(et[c]);
      percolation_out[c] = static_cast<float>(percolation[c]);
      et_year[c] = (new_year ? 0.0f : et_year[c]) + et_out[c];
      percolation_year[c] = (new_year ? 0.0f : percolation_year[c]) + percolation_out[c];
      discharge_year[c] = (new_year ? 0.0f : discharge_year[c]) + discharge[c];
    }
  });
  const double site_area = area * static_cast<double>(grid.valid_cell_count());
  const double et_total = area * deterministic_sum(n, [&](std::size_t c) { return et[c]; });
  const double percolation_total =
      area * deterministic_sum(n, [&](std::size_t c) { return percolation[c]; });
  ledger_.add_input("precipitation", precipitation_m * site_area);
  ledger_.add_output("evapotranspiration", et_total);
  ledger_.add_output("exported_runoff", exported);
  ledger_.add_output("percolation", percolation_total);
  ledger_.add_output("lake_evaporation", lake_evaporation);
  const double residual = ledger_.close(stored_water(grid, water, lakes, layers));

  step.summary->add("aet_mm", (et_total + lake_evaporation) / site_area * 1000.0);
  step.summary->add("runoff_exported_mm", exported / site_area * 1000.0);
  step.summary->add("percolation_mm", percolation_total / site_area * 1000.0);
  step.summary->set("pit_lake_volume_m3", lake_total);
  step.summary->add("water_balance_residual_m3", std::abs(residual));
}

}  // namespace minetwin::hydrology
