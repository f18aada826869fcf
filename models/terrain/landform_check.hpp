#pragma once
/// @file
/// @brief The long-term landform check of mine closure (issue 23): how deep erosion cuts and
/// where it cuts through the engineered cover, as SIBERIA and CAESAR-Lisflood are used to judge
/// rehabilitated landforms over hundreds to a thousand years (Hancock et al. 2000, 2016;
/// Lowry et al. 2019).
///
/// Once a year, after the erosion and the soil redistribution, each cell's surface lowering of
/// the year is the landform evolution's lowering (`topographic__elevation_change`, stream power
/// and hillslope diffusion, which change the elevation) plus the soil profile's thinning by
/// RUSLE erosion (`soil__thickness_change`, which changes the profile, not the elevation); both
/// negative where sediment builds up. It accumulates as `landform__cumulative_lowering` and
/// wears the engineered cover (`cover__thickness`, from `site.cover_thickness_m` and cover
/// measures) down; where the cover is worn through, `cover__breached` is 1. The summary gives
/// the deepest cut since the start (the deepest gully, with where it is) and the area where the
/// cover is breached. `simulation.models: landform` runs this with the terrain and erosion models
/// only, for up to 1000 years. Documented in docs/models/terrain.md, "Landform check".

#include "engine/core/component.hpp"

namespace minetwin::terrain {

class LandformCheck final : public Component {
 public:
  std::string_view name() const override { return "landform_check"; }
  Cadence cadence() const override { return Cadence::indices; }
  std::span<const FieldSpec> fields() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void update(FieldAccess& fields, const StepContext& step) override;
};

}  // namespace minetwin::terrain
