#include "models/terrain/terrain_component.hpp"

#include <algorithm>
#include <cmath>

#include <tbb/parallel_invoke.h>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/landform_evolution.hpp"
#include "models/terrain/priority_flood.hpp"
#include "models/terrain/rusle.hpp"
#include "models/terrain/surface_derivatives.hpp"

namespace minetwin::terrain {
namespace {

using namespace fields;
constexpr FieldSpec kFields[] = {
    with_intent(kElevation, Intent::inout, true),
    may_read(kVegetationCover),
    may_read(kRockFragments),
    writes(kFlowReceiver),
    writes(kFlowStackPosition),
    writes(kFlowReceiverDistance),
    writes(kDrainageArea),
    writes(kSlope),
    writes(kSlopeGradient),
    writes(kSpillElevation),
    writes(kElevationChange),
};

constexpr ParameterSpec kParameters[] = {
    {"stream_power_k", "yr-1 m^(1-2m)", 2.0e-4, 0.0, 1.0,
     "parameters.md section 4 (Braun & Willett 2013); calibrated on mine spoil, sweep it",
     "stream-power erodibility of bare spoil"},
    {"stream_power_m", "1", 0.5, 0.2, 1.0, "parameters.md section 4: m/n = 0.35-0.6, n = 1",
     "drainage-area exponent m (n = 1)"},
    {"hillslope_diffusivity", "m2 yr-1", 0.005, 0.0, 1.0,
     "parameters.md section 4: 0.001-0.01 m2/yr (Fernandes & Dietrich 1997)",
     "linear hillslope diffusivity D"},
    {"closed_basin_min_depth_m", "m", 5.0, 0.0, 1000.0,
     "MineTwin convention (docs/models/terrain.md)",
     "closed depressions at least this deep are kept as pit-lake sinks instead of filled"},
};

constexpr SummaryColumn kColumns[] = {
    {"landform_eroded_m3", "m3", "volume lowered by landform evolution in the year"},
    {"landform_deposited_m3", "m3", "volume raised by landform evolution in the year"},
    {"pit_lakes", "1", "closed basins kept as pit lakes"},
};

}  // namespace

std::span<const FieldSpec> TerrainComponent::fields() const {
  return kFields;
}
std::span<const ParameterSpec> TerrainComponent::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> TerrainComponent::summary_columns() const {
  return kColumns;
}
std::string_view TerrainComponent::citation() const {
  return "Barnes et al. 2014 (Priority-Flood); Braun & Willett 2013 (stack, implicit stream "
         "power); Horn 1981 (slope)";
}

void TerrainComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  rebuild_flow(fields);
}

void TerrainComponent::rebuild_flow(FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  auto z = fields.read(fields::kElevation);
  // Closed depressions deeper than the threshold keep their lowest cell as a sink (a pit lake).
  // The fill is serial: the slope (of the unfilled surface) is computed beside it.
  BasinFill filled;
  auto slope_out = fields.write(fields::kSlope);
  auto gradient_out = fields.write(fields::kSlopeGradient);
  tbb::parallel_invoke(
      [&] {
        filled = fill_keeping_closed_basins(grid, z, parameters_.get("closed_basin_min_depth_m"));
      },
      [&] {
        const std::vector<double> gradient = slope_gradient(grid, z, kFillValue);
        for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
          for (std::size_t c = begin; c < end; ++c) {
            if (!grid.is_valid(c)) continue;
            gradient_out[c] = static_cast<float>(gradient[c]);
            slope_out[c] = static_cast<float>(slope_angle_degrees(gradient[c]));
          }
        });
      });
  auto shared = std::make_shared<const FlowGraph>(grid, filled.elevation);
  const FlowGraph& graph = *shared;
  auto receiver = fields.write(fields::kFlowReceiver);
  auto position = fields.write(fields::kFlowStackPosition);
  auto distance = fields.write(fields::kFlowReceiverDistance);
  auto spill = fields.write(fields::kSpillElevation);
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) continue;
    receiver[c] = graph.receivers()[c];
    distance[c] = graph.receiver_distance()[c];
    spill[c] = kFillValue;
  }
  for (const ClosedBasin& basin : filled.basins) spill[basin.sink] = basin.spill_elevation_m;
  for (std::size_t k = 0; k < graph.stack().size(); ++k)
    position[graph.stack()[k]] = static_cast<double>(k);
  const auto area = graph.accumulate({}, kFillValue);
  auto drainage = fields.write(fields::kDrainageArea);
  for (std::size_t c = 0; c < n; ++c) {
    if (grid.is_valid(c)) drainage[c] = static_cast<float>(area[c] * grid.cell_area_m2());
  }
  kept_sinks_ = filled.basins.size();
  fields.publish_derived(fields::kFlowReceiver, std::move(shared));  // the year's one graph
}

void TerrainComponent::update(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count();
  auto z = fields.write(fields::kElevation);
  const std::vector<double> before(z.begin(), z.end());

  // Landform evolution on the flow graph of the surface as the year starts (the shared fields).
  const std::shared_ptr<const FlowGraph> shared = shared_flow_graph(fields);
  const FlowGraph& graph = *shared;
  std::vector<double> area(n), erodibility(n);
  const auto drainage = fields.read(fields::kDrainageArea);
  const bool has_cover = fields.has(fields::kVegetationCover);
  const std::span<const float> cover =
      has_cover ? fields.read(fields::kVegetationCover) : std::span<const float>();
  // Layer 1's rock fragments cover the surface (rusle.hpp); a run without soil has none.
  const bool has_rock = fields.has(kRockFragments);
  const std::span<const float> rock =
      has_rock ? fields.read(kRockFragments) : std::span<const float>();
  const double k = parameters_.get("stream_power_k");
  // Invalid cells hold the fill value in both inputs; the stream-power step never reads them.
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) area[c] = drainage[c];
    for (std::size_t c = begin; c < end; ++c)
      erodibility[c] = k * cover_factor(has_cover ? cover[c] : 0.0, has_rock ? rock[c] : 0.0);
  });
  stream_power_step(graph, area, erodibility, parameters_.get("stream_power_m"), 0.0, 1.0, z);
  diffusion_step(grid, parameters_.get("hillslope_diffusivity"), 0.0, 1.0, z);

  auto change = fields.write(kElevationChange);
  double eroded = 0.0, deposited = 0.0;
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) continue;
    const double dz = z[c] - before[c];
    change[c] = static_cast<float>(dz);
    (dz < 0 ? eroded : deposited) += std::abs(dz) * grid.cell_area_m2();
  }
  rebuild_flow(fields);
  step.summary->add("landform_eroded_m3", eroded);
  step.summary->add("landform_deposited_m3", deposited);
  step.summary->set("pit_lakes", static_cast<double>(kept_sinks_));
}

}  // namespace minetwin::terrain
