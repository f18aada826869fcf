#include "models/hazards/rockfall_component.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/hazards/hazard_fields.hpp"
#include "models/vegetation/vegetation_fields.hpp"

namespace minetwin::hazards {

std::span<const FieldSpec> RockfallComponent::fields() const {
  static constexpr FieldSpec specs[] = {
      fields::reads(fields::kElevation),
      fields::reads(fields::kSlope),
      fields::reads(fields::kRockFragments),
      fields::may_read(fields::kVegetationCover),
      fields::may_read(vegetation::kWoodyStem),
      fields::may_read(kBarrierCapacity),
      fields::may_read(kProtected),
      fields::writes(kReachProbability),
      fields::writes(kMaxEnergy),
      fields::writes(kMaxHeight),
      fields::writes(kHazardClass),
      fields::writes(kSource),
  };
  return specs;
}

std::span<const ParameterSpec> RockfallComponent::parameters() const {
  static constexpr ParameterSpec specs[] = {
      {"every_years", "yr", 5, 0, 100, "MineTwin default (issue 8)",
       "the hazard is simulated in the first year and then every this many years (0: never)"},
      {"source_slope_rock_deg", "degree", 40, 10, 90,
       "issue 8 default; Rockyfor3D sources on rock faces are typically > 40-50 degrees",
       "bare rock steeper than this releases blocks"},
      {"source_slope_spoil_deg", "degree", 33, 10, 90,
       "angle of repose of coarse mine spoil 34-37 degrees (assumption: faces at repose ravel)",
       "loose spoil and bare soil steeper than this release blocks"},
      {"blocks_per_source", "1", 4, 1, 1000, "MineTwin default; sweep it",
       "blocks released on each source cell"},
      {"max_blocks", "1", 20000, 1, 1e7, "run-time budget (docs/models/hazards.md)",
       "more sources than this allows release fewer blocks per cell, then every k-th source"},
      {"block_volume_min_m3", "m3", 0.05, 0.001, 100, "typical pit-wall block sizes (assumption)",
       "smallest block"},
      {"block_volume_max_m3", "m3", 1.0, 0.001, 100, "typical pit-wall block sizes (assumption)",
       "largest block (volumes uniform in between)"},
      {"rock_density_kg_m3", "kg m-3", 2650, 1000, 5000, "granite, limestone 2600-2700",
       "block density"},
      {"box_blocks", "1", 0, 0, 1, "MineTwin default: spheres (as Rockyfor3D)",
       "1: box-shaped blocks (1 : 0.8 : 0.6) instead of spheres"},
  };
  return specs;
}

std::span<const SummaryColumn> RockfallComponent::summary_columns() const {
  static constexpr SummaryColumn columns[] = {
      {"rockfall_source_cells", "1", "cells that released blocks (hazard years)"},
      {"rockfall_blocks", "1", "blocks simulated this year (0 outside the hazard years)"},
      {"rockfall_area_low_ha", "ha", "area of low rockfall hazard (current map)"},
      {"rockfall_area_medium_ha", "ha", "area of medium rockfall hazard (current map)"},
      {"rockfall_area_high_ha", "ha", "area of high rockfall hazard (current map)"},
      {"rockfall_blocks_reaching_protected", "1",
       "blocks that reached a protected cell (hazard years)"},
      {"rockfall_runout_p95_m", "m", "95th percentile of the blocks' runout (hazard years)"},
  };
  return columns;
}

std::string_view RockfallComponent::citation() const {
  return "Bullet Physics rigid bodies; Dorren 2016 (Rockyfor3D restitution); Azzoni et al. 1995 "
         "(rolling friction); Dorren & Berger 2006 (stem energy); Raetzo et al. 2002 (hazard "
         "matrix)";
}

void RockfallComponent::initialize(FieldAccess&, const ParameterValues& parameters) {
  parameters_ = parameters;
}

std::vector<std::size_t> rockfall_sources(const RockfallTerrain& terrain,
                                          const std::vector<float>& slope_deg, double rock_deg,
                                          double spoil_deg) {
  std::vector<std::size_t> sources;
  for (std::size_t c = 0; c < terrain.cell_count(); ++c) {
    if (std::isnan(terrain.elevation[c]) || std::isnan(slope_deg[c])) continue;
    const Surface s = terrain.surface[c];
    const bool bare_rock = s == Surface::bare_rock;
    const bool loose = s == Surface::loose_spoil || s == Surface::soil;
    if ((bare_rock && slope_deg[c] >= rock_deg) || (loose && slope_deg[c] >= spoil_deg))
      sources.push_back(c);
  }
  return sources;
}

void RockfallComponent::update(FieldAccess& fields, const StepContext& step) {
  const auto every = static_cast<int>(parameters_.get("every_years"));
  if (every == 0 || step.year_index % every != 0) {
    step.summary->set("rockfall_blocks", 0.0);
    report_areas(fields, step);
    return;
  }
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t cells = grid.cell_count();
  const auto elevation = fields.read(fields::kElevation);
  const auto slope = fields.read(fields::kSlope);
  const auto rock = fields.read(fields::kRockFragments);  // layer 0 first
  const bool has_cover = fields.has(fields::kVegetationCover);
  const bool has_wood = fields.has(vegetation::kWoodyStem);

  RockfallTerrain terrain = terrain_on_grid(grid, elevation);
  std::vector<float> slope_deg(cells);
  const auto cover = has_cover ? fields.read(fields::kVegetationCover) : std::span<const float>{};
  const auto wood = has_wood ? fields.read(vegetation::kWoodyStem) : std::span<const double>{};
  for (std::size_t c = 0; c < cells; ++c) {
    const bool valid = grid.is_valid(c);
    slope_deg[c] = valid ? slope[c] : NAN;
    const double cover_c = has_cover && valid ? cover[c] : 0.0;
    const double wood_c = has_wood && valid ? wood[c] : 0.0;
    terrain.surface[c] = classify_surface(cover_c, wood_c, valid ? rock[c] : 0.0);
    if (terrain.surface[c] == Surface::shrub || terrain.surface[c] == Surface::forest)
      terrain.cover[c] = static_cast<float>(std::clamp(cover_c, 0.0, 1.0));
  }
  if (fields.has(hazards::kProtected)) {
    const auto protected_cells = fields.read(hazards::kProtected);
    terrain.watched.resize(cells);
    for (std::size_t c = 0; c < cells; ++c) terrain.watched[c] = protected_cells[c] > 0.5f;
  }
  if (fields.has(hazards::kBarrierCapacity)) {
    const auto barrier = fields.read(hazards::kBarrierCapacity);
    terrain.barrier_capacity_kj.assign(barrier.begin(), barrier.end());
  }

  std::vector<std::size_t> sources =
      rockfall_sources(terrain, slope_deg, parameters_.get("source_slope_rock_deg"),
                       parameters_.get("source_slope_spoil_deg"));
  // Budget: fewer blocks per source first, then every k-th source (in cell order).
  const auto budget = static_cast<std::size_t>(parameters_.get("max_blocks"));
  auto per_source = static_cast<std::size_t>(parameters_.get("blocks_per_source"));
  if (!sources.empty() && sources.size() * per_source > budget) {
    per_source = std::max<std::size_t>(1, budget / sources.size());
    if (sources.size() * per_source > budget) {
      const std::size_t stride = (sources.size() + budget - 1) / budget;
      std::vector<std::size_t> kept;
      for (std::size_t k = 0; k < sources.size(); k += stride) kept.push_back(sources[k]);
      sources.swap(kept);
    }
  }
  const auto shape = parameters_.get("box_blocks") > 0.5 ? BlockShape::box : BlockShape::sphere;
  const std::vector<BlockStart> blocks = release_blocks(
      terrain, sources, per_source, parameters_.get("block_volume_min_m3"),
      std::max(parameters_.get("block_volume_min_m3"), parameters_.get("block_volume_max_m3")),
      shape, step.seed ^ (0x5EEDULL + static_cast<std::uint64_t>(step.year)));
  RockfallOptions options;
  options.density_kg_m3 = parameters_.get("rock_density_kg_m3");
  const RockfallResult result = simulate_blocks(terrain, blocks, options);

  auto reach = fields.write(hazards::kReachProbability);
  auto energy = fields.write(hazards::kMaxEnergy);
  auto height = fields.write(hazards::kMaxHeight);
  auto hazard = fields.write(hazards::kHazardClass);
  auto source = fields.write(hazards::kSource);
  const double total = static_cast<double>(std::max<std::size_t>(1, result.blocks));
  for (std::size_t c = 0; c < cells; ++c) {
    if (!grid.is_valid(c)) continue;
    const double p = result.blocks ? result.passes[c] / total : 0.0;
    reach[c] = static_cast<float>(p);
    energy[c] = result.max_energy_kj[c];
    height[c] = result.max_height_m[c];
    hazard[c] = static_cast<float>(hazard_class(p, result.max_energy_kj[c]));
    source[c] = 0.0f;
  }
  for (std::size_t c : sources) source[c] = 1.0f;

  double reaching_protected = 0;
  for (const auto& outcome : result.outcomes) reaching_protected += outcome.reached_watched;
  std::vector<double> runouts;
  for (const auto& outcome : result.outcomes) runouts.push_back(outcome.runout_m);
  std::sort(runouts.begin(), runouts.end());
  const double p95 =
      runouts.empty()
          ? 0.0
          : runouts[std::min(runouts.size() - 1,
                             static_cast<std::size_t>(0.95 * static_cast<double>(runouts.size())))];
  step.summary->set("rockfall_source_cells", static_cast<double>(sources.size()));
  step.summary->set("rockfall_blocks", static_cast<double>(result.blocks));
  step.summary->set("rockfall_blocks_reaching_protected", reaching_protected);
  step.summary->set("rockfall_runout_p95_m", p95);
  report_areas(fields, step);
}

void RockfallComponent::report_areas(FieldAccess& fields, const StepContext& step) const {
  const auto hazard = fields.write(hazards::kHazardClass);  // this component's output
  const RasterGrid& grid = fields.state().grid();
  double area[4] = {0, 0, 0, 0};
  const double hectares = grid.cell_area_m2() / 1e4;
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    if (grid.is_valid(c)) area[std::clamp(static_cast<int>(hazard[c]), 0, 3)] += hectares;
  step.summary->set("rockfall_area_low_ha", area[1]);
  step.summary->set("rockfall_area_medium_ha", area[2]);
  step.summary->set("rockfall_area_high_ha", area[3]);
}

}  // namespace minetwin::hazards
