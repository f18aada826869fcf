#include "models/terrain/erosion_component.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/terrain/erosion_passes.hpp"
#include "models/terrain/flow_graph.hpp"
#include "models/terrain/rusle.hpp"

namespace minetwin::terrain {
namespace {

using namespace fields;
constexpr TypedFieldSpec<float> kSedimentFlux{"sediment__flux",
                                              "kg",
                                              Location::cell,
                                              Intent::out,
                                              ElementType::float32,
                                              true,
                                              "sediment leaving the cell in the year"};
constexpr FieldSpec kFields[] = {
    reads(kPrecipitationAnnual),
    reads(kSlopeGradient),
    reads(kDrainageArea),
    reads(kFlowReceiver),
    reads(kFlowStackPosition),
    reads(kSpillElevation),
    reads(kSand),
    reads(kSilt),
    reads(kClay),
    reads(kOrganicCarbon),
    reads(kRockFragments),
    reads(kBulkDensity),
    reads(kLayerThickness),
    may_read(kVegetationCover),
    may_read(kSupportPractice),
    may_read(kRainfallAnnualErosivity),
    kErosionSoilLoss,
    kSedimentDeposition,
    kSedimentFlux,
};

constexpr ParameterSpec kParameters[] = {
    {"transport_capacity_ktc", "m", 250.0, 0.0, 5000.0,
     "Van Oost et al. 2000; Van Rompaey et al. 2001 (ktc 75-250 m): calibrate",
     "transport-capacity coefficient of WaTEM/SEDEM"},
    {"max_specific_area_m", "m", 300.0, 10.0, 10000.0,
     "MineTwin convention (docs/models/terrain.md): RUSLE applies to hillslopes",
     "cap on the unit contributing area in LS"},
};

constexpr SummaryColumn kColumns[] = {
    {"soil_loss_t", "t", "soil detached on the site in the year (RUSLE)"},
    {"sediment_deposited_t", "t", "sediment deposited on the site"},
    {"sediment_exported_t", "t", "sediment leaving the site at its outlets"},
    {"sediment_trapped_in_pit_lakes_t", "t", "sediment reaching pit lakes"},
    {"sediment_balance_residual_t", "t", "|detached - deposited - exported - trapped|"},
};

// The thinnest the bottom layer of a profile erodes to (m): the modelled profile ends there, on
// rock (docs/models/erosion.md, "Erosion moves the soil").
constexpr double kThinnestBottomLayerM = 0.05;

}  // namespace

std::span<const FieldSpec> ErosionComponent::fields() const {
  return kFields;
}
std::span<const ParameterSpec> ErosionComponent::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> ErosionComponent::summary_columns() const {
  return kColumns;
}
std::string_view ErosionComponent::citation() const {
  return "RUSLE (Renard et al. 1997); Renard & Freimund 1994 (R); Williams 1995 (K); Moore & "
         "Burch 1986 (LS); Van Oost et al. 2000 (WaTEM/SEDEM transport capacity)";
}

void ErosionComponent::initialize(FieldAccess&, const ParameterValues& parameters) {
  parameters_ = parameters;
}

void ErosionComponent::update(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count();
  const double area = grid.cell_area_m2();
  // R from the year's storms when the erosivity model runs, else from its total.
  const double erosivity =
      fields.has(kRainfallAnnualErosivity)
          ? fields.read(kRainfallAnnualErosivity)[0]
          : rainfall_erosivity(fields.read(fields::kPrecipitationAnnual)[0] * 1000.0);
  const SiteTerms site{erosivity, area, grid.cell_size_m(),
                       parameters_.get("transport_capacity_ktc"),
                       parameters_.get("max_specific_area_m")};
  const auto gradient = fields.read(fields::kSlopeGradient);
  const auto drainage = fields.read(fields::kDrainageArea);
  const auto sand = fields.read(fields::kSand);
  const auto silt = fields.read(fields::kSilt);
  const auto clay = fields.read(fields::kClay);
  const auto carbon = fields.read(fields::kOrganicCarbon);
  const auto rock = fields.read(kRockFragments);  // layer 1's: the surface's
  const auto density = fields.read(kBulkDensity);
  const auto thickness = fields.read(kLayerThickness);
  const std::size_t layers = state.soil_layers();
  const bool has_cover = fields.has(fields::kVegetationCover);
  const bool has_p = fields.has(fields::kSupportPractice);
  const auto cover = has_cover ? fields.read(fields::kVegetationCover) : std::span<const float>();
  const auto practice = has_p ? fields.read(fields::kSupportPractice) : std::span<const float>();

  // Detachment and capacity per cell (layer 1 is the surface soil), in kg per year; invalid
  // cells stay 0.
  std::vector<double> detached(n, 0.0), capacity(n, 0.0);
  const std::uint8_t* valid = grid.valid_mask().data();
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    // K and C P of the block's cells first. K depends on the texture and carbon alone, which
    // zones share: a cell that repeats its neighbour's takes its K (four exp and a pow fewer).
    std::array<double, kCellBlock> erodibility, cover_practice;
    std::array<float, 4> last_soil{-1.0f, -1.0f, -1.0f, -1.0f};
    double k = 0.0;
    for (std::size_t c = begin; c < end; ++c) {
      if (!valid[c]) continue;
      const std::array<float, 4> soil{sand[c], silt[c], clay[c], carbon[c]};
      if (soil != last_soil) {
        k = soil_erodibility(100.0 * soil[0], 100.0 * soil[1], 100.0 * soil[2], 100.0 * soil[3]);
        last_soil = soil;
      }
      erodibility[c - begin] = k;
    }
    for (std::size_t c = begin; c < end; ++c)
      cover_practice[c - begin] = cover_factor(has_cover ? cover[c] : 0.0, rock[c]) *
                                  (has_p ? static_cast<double>(practice[c]) : 1.0);
    for_each_valid_run(valid, begin, end, [&](std::size_t first, std::size_t count) {
      detach_cells(count, site, &erodibility[first - begin], &gradient[first], &drainage[first],
                   &cover_practice[first - begin], &detached[first], &capacity[first]);
    });
    // No more fine earth detaches than the modelled profile can give while it keeps its upper
    // layers and 5 cm of its bottom one (the rock fragments of what leaves stay, so the profile
    // thins by the fine earth's volume): below the profile lies rock, which does not detach.
    for (std::size_t c = begin; c < end; ++c) {
      if (!valid[c]) continue;
      double total = 0.0, upper = 0.0;
      for (std::size_t l = 0; l < layers; ++l) {
        total += thickness[l * n + c];
        if (l + 1 < layers) upper += thickness[l * n + c];
      }
      double volume = std::max(0.0, total - upper - kThinnestBottomLayerM), soil = 0.0;
      for (std::size_t l = 0; l < layers && volume > 0.0; ++l) {
        const std::size_t i = l * n + c;
        const double fine = thickness[i] * (1.0 - static_cast<double>(rock[i]));
        const double taken = std::min(volume, fine);
        soil += taken * static_cast<double>(density[i]);
        volume -= taken;
      }
      detached[c] = std::min(detached[c], soil * area);
    }
  });

  // Route along the stack, upstream first.
  const auto receiver = fields.read(fields::kFlowReceiver);
  const auto spill = fields.read(fields::kSpillElevation);
  const std::shared_ptr<const FlowGraph> graph = shared_flow_graph(fields);  // the year's one
  const auto& stack = graph->stack();
  const DrainageChunks& chunks = graph->chunks();
  std::vector<double> incoming(n, 0.0), deposited(n, 0.0);
  auto flux = fields.write(kSedimentFlux);
  // Each drainage tree from its sources down; trees in parallel (drainage_chunks.hpp), with
  // their own sums of what leaves the site and what settles in pit lakes (added in chunk order).
  std::vector<std::array<double, 2>> sinks(chunks.size(), {0.0, 0.0});
  chunks.for_each([&](std::size_t chunk, std::size_t first, std::size_t last) {
    double exported_here = 0.0, trapped_here = 0.0;
    for (std::size_t k = last; k-- > first;) {
      const std::uint32_t c = stack[k];
      const double available = incoming[c] + detached[c];
      const double out = std::min(available, capacity[c]);
      deposited[c] = available - out;
      flux[c] = static_cast<float>(out);
      const auto to = static_cast<std::uint32_t>(receiver[c]);
      if (to != c) {
        incoming[to] += out;
      } else if (spill[c] != kFillValue) {
        trapped_here += out;
      } else {
        exported_here += out;
      }
    }
    sinks[chunk] = {exported_here, trapped_here};
  });
  double exported = 0.0, trapped = 0.0;
  for (const auto& [e, t] : sinks) {
    exported += e;
    trapped += t;
  }
  auto loss = fields.write(kErosionSoilLoss);
  auto deposition = fields.write(kSedimentDeposition);
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) continue;
    loss[c] = static_cast<float>(detached[c] / area);
    deposition[c] = static_cast<float>(deposited[c] / area);
  }
  const double total_detached = deterministic_sum(n, [&](std::size_t c) { return detached[c]; });
  const double total_deposited = deterministic_sum(n, [&](std::size_t c) { return deposited[c]; });
  ledger_.open(0.0);  // sediment in transit starts and ends each year at zero
  ledger_.add_input("detached", total_detached);
  ledger_.add_output("deposited", total_deposited);
  ledger_.add_output("exported", exported);
  ledger_.add_output("trapped_in_pit_lakes", trapped);
  const double residual = ledger_.close(0.0);
  step.summary->set("soil_loss_t", total_detached / 1000.0);
  step.summary->set("sediment_deposited_t", total_deposited / 1000.0);
  step.summary->set("sediment_exported_t", exported / 1000.0);
  step.summary->set("sediment_trapped_in_pit_lakes_t", trapped / 1000.0);
  step.summary->set("sediment_balance_residual_t", std::abs(residual) / 1000.0);
}

}  // namespace minetwin::terrain
