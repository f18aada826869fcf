#include "models/terrain/landform_check.hpp"

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"

namespace minetwin::terrain {
namespace {

using namespace fields;
constexpr TypedFieldSpec<double> kLandformCumulativeLowering{
    "landform__cumulative_lowering",
    "m",
    Location::cell,
    Intent::inout,
    ElementType::float64,
    false,
    "net lowering of the surface by erosion since the run started: landform evolution "
    "and the soil profile's thinning (negative where sediment has built up)"};
constexpr FieldSpec kFields[] = {
    reads(kElevationChange),
    reads(kSoilThicknessChange),
    updates(kLandformCumulativeLowering),
    kCoverThickness,
    kCoverBreached,
};

constexpr SummaryColumn kColumns[] = {
    {"deepest_gully_m", "m",
     "deepest net lowering by erosion since the start (landform evolution and soil loss)"},
    {"deepest_gully_x_m", "m", "x of the deepest lowering's cell centre in the site's CRS"},
    {"deepest_gully_y_m", "m", "y of the deepest lowering's cell centre in the site's CRS"},
    {"cover_area_ha", "ha", "area where engineered cover is left over the waste"},
    {"cover_breached_ha", "ha", "area where erosion has cut through the engineered cover"},
};

}  // namespace

std::span<const FieldSpec> LandformCheck::fields() const {
  return kFields;
}
std::span<const SummaryColumn> LandformCheck::summary_columns() const {
  return kColumns;
}
std::string_view LandformCheck::citation() const {
  return "landform check of closure criteria as with SIBERIA / CAESAR-Lisflood (Hancock et al. "
         "2000, 2016; Lowry et al. 2019)";
}

void LandformCheck::update(FieldAccess& fields, const StepContext& step) {
  const RasterGrid& grid = fields.state().grid();
  const auto elevation_change = fields.read(kElevationChange);
  const auto soil_change = fields.read(kSoilThicknessChange);
  auto lowering = fields.write(kLandformCumulativeLowering);
  auto cover = fields.write(kCoverThickness);
  auto breached = fields.write(kCoverBreached);
  double deepest = 0.0;
  std::size_t deepest_cell = grid.cell_count();
  std::size_t covered = 0, breached_cells = 0;
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (!grid.is_valid(c)) continue;
    // Landform evolution moves the elevation and RUSLE erosion the soil profile (models/soil/
    // soil_redistribution.hpp); the two are separate processes, so their lowerings add.
    const double lowered =
        -(static_cast<double>(elevation_change[c]) + static_cast<double>(soil_change[c]));
    lowering[c] += lowered;
    if (cover[c] > 0.0) {
      cover[c] -= lowered;  // sediment settling on a cover thickens it
      if (cover[c] <= 0.0) {
        cover[c] = 0.0;
        breached[c] = 1.0f;
      }
    }
    covered += cover[c] > 0.0;
    breached_cells += breached[c] != 0.0f;
    if (lowering[c] > deepest) {  // the first cell in row-major order of the deepest
      deepest = lowering[c];
      deepest_cell = c;
    }
  }
  const double hectares = grid.cell_area_m2() / 1e4;
  step.summary->set("deepest_gully_m", deepest);
  const bool found = deepest_cell < grid.cell_count();
  step.summary->set("deepest_gully_x_m",
                    found ? grid.x_center(deepest_cell % grid.columns()) : 0.0);
  step.summary->set("deepest_gully_y_m",
                    found ? grid.y_center(deepest_cell / grid.columns()) : 0.0);
  step.summary->set("cover_area_ha", static_cast<double>(covered) * hectares);
  step.summary->set("cover_breached_ha", static_cast<double>(breached_cells) * hectares);
}

}  // namespace minetwin::terrain
