#include "models/terrain/terrain_measures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <queue>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/site/synthetic_site.hpp"
#include "models/fields.hpp"
#include "models/terrain/neighbours.hpp"

namespace minetwin::terrain {
namespace {

constexpr double kDegree = std::numbers::pi / 180.0;

constexpr SummaryColumn kCost = {"measures_cost_yuan", "CNY",
                                 "cost of the measures applied in the year"};

constexpr FieldSpec kElevation = fields::updates(fields::kElevation);

}  // namespace

// ---------------------------------------------------------------- regrade
std::string_view Regrade::doc() const {
  return "Reshape the zone to a maximum slope against the surrounding ground: material above the "
         "slope envelope is cut and placed as fill on the lowest ground of the zone (volume "
         "balanced; any imbalance is reported); earthworks volume and cost go to the summary.";
}

std::span<const MeasureParameterSpec> Regrade::parameters() const {
  static constexpr MeasureParameterSpec specs[] = {
      {"max_slope_deg", "degree", false, false, 18.0, 1.0, 45.0,
       "target maximum slope (18 degrees: a common batter design for revegetation)"},
      {"cost_yuan_per_m3", "CNY m-3", false, false, 15.0, 0.0, 1000.0,
       "earthworks unit cost (parameters.md section 9: a scenario parameter; assumption)"},
      {"diesel_l_per_m3", "L m-3", false, false, 0.4, 0.0, 10.0,
       "fuel of dozers and excavators per m3 moved (0.3-1.0 typical; assumption)"},
  };
  return specs;
}

std::span<const FieldSpec> Regrade::fields() const {
  static constexpr FieldSpec specs[] = {kElevation, fields::updates(fields::kRestorationEmissions)};
  return specs;
}

std::span<const SummaryColumn> Regrade::summary_columns() const {
  static constexpr SummaryColumn columns[] = {
      {"earthworks_m3", "m3", "volume cut by regrading in the year"},
      {"regrade_imbalance_m3", "m3", "fill minus cut (round-off when balanced)"},
      kCost,
  };
  return columns;
}

void Regrade::apply(FieldAccess& fields, const MeasureApplication& application) const {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  auto z = fields.write(fields::kElevation);
  std::vector<std::uint8_t> in_zone(n, 0);
  for (std::size_t c : application.zone_cells) in_zone[c] = 1;
  const double tan_max = std::tan(application.measure.numbers.at("max_slope_deg") * kDegree);
  const double area = grid.cell_area_m2();
  const Neighbourhood hood(grid);  // the valid neighbours and their distances
  // 1. The envelope: the highest surface over the zone that rises from the surrounding ground
  //    at no more than the target slope (multi-source Dijkstra from the zone's outside
  //    neighbours, 8-neighbour distances).
  std::vector<double> envelope(n, std::numeric_limits<double>::infinity());
  using Entry = std::pair<double, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  for (std::size_t c : application.zone_cells) {
    hood.for_each(c, [&](std::size_t other, double distance) {
      if (!in_zone[other]) envelope[c] = std::min(envelope[c], z[other] + tan_max * distance);
    });
    if (std::isfinite(envelope[c])) queue.emplace(envelope[c], c);
  }
  while (!queue.empty()) {
    const double level = queue.top().first;  // not a structured binding: lambdas capture it
    const std::size_t c = queue.top().second;
    queue.pop();
    if (level > envelope[c]) continue;
    hood.for_each(c, [&](std::size_t other, double distance) {
      if (in_zone[other] && level + tan_max * distance < envelope[other]) {
        envelope[other] = level + tan_max * distance;
        queue.emplace(envelope[other], other);
      }
    });
  }
  // 2. The regraded surface is min(U, h): batters at the target slope rising from the ground
  //    around the zone, and a level top at h, with h chosen so that fill equals cut (bisection;
  //    the volume change grows with h).
  auto change_at = [&](double level) {
    double change = 0.0;
    for (std::size_t c : application.zone_cells)
      change += (std::min(envelope[c], level) - z[c]) * area;
    return change;
  };
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (std::size_t c : application.zone_cells) {
    low = std::min(low, z[c]);
    if (std::isfinite(envelope[c])) high = std::max(high, envelope[c]);
  }
  if (!std::isfinite(high)) return;  // the zone has no surrounding ground to grade against
  double h = high;
  if (change_at(high) > 0.0) {
    for (int iteration = 0; iteration < 100; ++iteration) {
      h = 0.5 * (low + high);
      (change_at(h) < 0.0 ? low : high) = h;
    }
  }
  double cut = 0.0, filled = 0.0;
  for (std::size_t c : application.zone_cells) {
    const double target = std::min(envelope[c], h);
    (target < z[c] ? cut : filled) += std::abs(target - z[c]) * area;
    z[c] = target;
  }
  application.summary->add("earthworks_m3", cut);
  // Negative when the zone cannot hold its material below the envelope (haul the rest away).
  application.summary->add("regrade_imbalance_m3", filled - cut);
  application.summary->add("measures_cost_yuan",
                           cut * application.measure.numbers.at("cost_yuan_per_m3"));
  fields.write(fields::kRestorationEmissions)[0] +=
      cut * application.measure.numbers.at("diesel_l_per_m3") * fields::kDieselCo2PerLitre;
}

// ---------------------------------------------------------------- ripping and terraces
std::string_view SupportPractice::name() const {
  return kind_ == Kind::contour_ripping ? "contour_ripping" : "terraces";
}

std::string_view SupportPractice::doc() const {
  return kind_ == Kind::contour_ripping
             ? "Rip along the contour: RUSLE P factor and a lower curve number (more infiltration)."
             : "Build bench terraces: a low RUSLE P factor and a lower curve number.";
}

std::span<const MeasureParameterSpec> SupportPractice::parameters() const {
  // Handbook 703 ch. 6: contouring P 0.5-0.9 by slope; terraces with contouring 0.1-0.3 (typical
  // ranges; calibrate). Curve-number reductions are MineTwin assumptions
  // (docs/models/hydrology.md).
  static constexpr MeasureParameterSpec ripping[] = {
      {"p_factor", "1", false, false, 0.6, 0.01, 1.0, "RUSLE support-practice factor P"},
      {"curve_number_reduction", "1", false, false, 5.0, 0.0, 40.0, "lowers the SCS curve number"},
      {"cost_yuan_per_ha", "CNY ha-1", false, false, 1500.0, 0.0, 1e6, "unit cost (assumption)"},
  };
  static constexpr MeasureParameterSpec terraces[] = {
      {"p_factor", "1", false, false, 0.2, 0.01, 1.0, "RUSLE support-practice factor P"},
      {"curve_number_reduction", "1", false, false, 8.0, 0.0, 40.0, "lowers the SCS curve number"},
      {"cost_yuan_per_ha", "CNY ha-1", false, false, 12000.0, 0.0, 1e7, "unit cost (assumption)"},
  };
  return kind_ == Kind::contour_ripping ? std::span<const MeasureParameterSpec>(ripping)
                                        : std::span<const MeasureParameterSpec>(terraces);
}

std::span<const FieldSpec> SupportPractice::fields() const {
  static constexpr FieldSpec specs[] = {fields::updates(fields::kSupportPractice),
                                        fields::updates(fields::kCurveNumberOffset)};
  return specs;
}

std::span<const SummaryColumn> SupportPractice::summary_columns() const {
  static constexpr SummaryColumn columns[] = {kCost};
  return columns;
}

void SupportPractice::apply(FieldAccess& fields, const MeasureApplication& application) const {
  auto p = fields.write(fields::kSupportPractice);
  auto offset = fields.write(fields::kCurveNumberOffset);
  const auto p_factor = static_cast<float>(application.measure.numbers.at("p_factor"));
  const auto reduction =
      static_cast<float>(application.measure.numbers.at("curve_number_reduction"));
  for (std::size_t c : application.zone_cells) {
    p[c] = std::min(p[c], p_factor);
    offset[c] = std::min(offset[c], -reduction);
  }
  const double hectares = static_cast<double>(application.zone_cells.size()) *
                          fields.state().grid().cell_area_m2() / 1e4;
  application.summary->add("measures_cost_yuan",
                           hectares * application.measure.numbers.at("cost_yuan_per_ha"));
}

// ---------------------------------------------------------------- longwall subsidence
std::string_view LongwallSubsidence::doc() const {
  return "Extract a rectangular longwall panel: surface subsidence by the probability integral "
         "method (parameters.md section 5), added to the elevation in the measure's year.";
}

std::span<const MeasureParameterSpec> LongwallSubsidence::parameters() const {
  static constexpr MeasureParameterSpec specs[] = {
      {"panel_x_min_m", "m", false, true, 0.0, -1e8, 1e8, "panel west edge (DEM CRS)"},
      {"panel_y_min_m", "m", false, true, 0.0, -1e8, 1e8, "panel south edge (DEM CRS)"},
      {"panel_x_max_m", "m", false, true, 0.0, -1e8, 1e8, "panel east edge (DEM CRS)"},
      {"panel_y_max_m", "m", false, true, 0.0, -1e8, 1e8, "panel north edge (DEM CRS)"},
      {"thickness_m", "m", false, true, 0.0, 0.1, 30.0, "extracted seam thickness m"},
      {"depth_m", "m", false, true, 0.0, 10.0, 3000.0, "mining depth H"},
      {"q", "1", false, false, 0.75, 0.1, 1.1, "subsidence factor (0.6-0.9 in Chinese coalfields)"},
      {"tan_beta", "1", false, false, 2.0, 0.5, 5.0,
       "tangent of the major influence angle (1.5-2.5)"},
      {"offset_fraction", "1", false, false, 0.1, 0.0, 0.5,
       "inflection-point offset s as a fraction of H (0-0.3)"},
      {"dip_deg", "degree", false, false, 0.0, 0.0, 60.0, "seam dip alpha"},
  };
  return specs;
}

// The longwall measure's own record of the ground it lowered.
constexpr TypedFieldSpec<float> kCumulativeSubsidence{
    "subsidence__cumulative",
    "m",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "surface subsidence since the start of the run (positive down)"};

std::span<const FieldSpec> LongwallSubsidence::fields() const {
  static constexpr FieldSpec specs[] = {
      kElevation,
      kCumulativeSubsidence,
  };
  return specs;
}

std::span<const SummaryColumn> LongwallSubsidence::summary_columns() const {
  static constexpr SummaryColumn columns[] = {
      {"subsidence_volume_m3", "m3", "volume of the subsidence basins formed in the year"}};
  return columns;
}

void LongwallSubsidence::apply(FieldAccess& fields, const MeasureApplication& application) const {
  const auto& v = application.measure.numbers;
  const RasterGrid& grid = fields.state().grid();
  const double x_min = v.at("panel_x_min_m"), x_max = v.at("panel_x_max_m");
  const double y_min = v.at("panel_y_min_m"), y_max = v.at("panel_y_max_m");
  const double depth = v.at("depth_m");
  auto z = fields.write(fields::kElevation);
  auto cumulative = fields.write(kCumulativeSubsidence);
  double volume = 0.0;
  for (std::size_t c : application.zone_cells) {
    const double x = grid.x_center(c % grid.columns()) - 0.5 * (x_min + x_max);
    const double y = grid.y_center(c / grid.columns()) - 0.5 * (y_min + y_max);
    const double w = probability_integral_subsidence(
        x, y, 0.5 * std::abs(x_max - x_min), 0.5 * std::abs(y_max - y_min), v.at("thickness_m"),
        depth, v.at("q"), v.at("tan_beta"), v.at("offset_fraction") * depth,
        v.at("dip_deg") * kDegree);
    z[c] -= w;
    cumulative[c] += static_cast<float>(w);
    volume += w * grid.cell_area_m2();
  }
  application.summary->add("subsidence_volume_m3", volume);
}

std::string LongwallSubsidence::check_on_grid(const Measure& measure,
                                              const RasterGrid& grid) const {
  const auto& v = measure.numbers;
  const double x_min = v.at("panel_x_min_m"), x_max = v.at("panel_x_max_m");
  const double y_min = v.at("panel_y_min_m"), y_max = v.at("panel_y_max_m");
  auto metres = [](double value) { return std::to_string(std::lround(value)); };
  if (x_min >= x_max || y_min >= y_max)
    return "the panel needs panel_x_min_m < panel_x_max_m and panel_y_min_m < panel_y_max_m";
  const double west = grid.x_center(0) - 0.5 * grid.cell_size_m();
  const double east = west + grid.cell_size_m() * static_cast<double>(grid.columns());
  const double north = grid.y_center(0) + 0.5 * grid.cell_size_m();
  const double south = north - grid.cell_size_m() * static_cast<double>(grid.rows());
  if (x_max <= west || x_min >= east || y_max <= south || y_min >= north)
    return "the panel (x " + metres(x_min) + " to " + metres(x_max) + ", y " + metres(y_min) +
           " to " + metres(y_max) + ") lies outside the DEM (x " + metres(west) + " to " +
           metres(east) + ", y " + metres(south) + " to " + metres(north) +
           "); panel coordinates are in the DEM's CRS";
  return {};
}

std::vector<std::unique_ptr<MeasureType>> terrain_measures() {
  std::vector<std::unique_ptr<MeasureType>> types;
  types.push_back(std::make_unique<Regrade>());
  types.push_back(std::make_unique<SupportPractice>(SupportPractice::Kind::contour_ripping));
  types.push_back(std::make_unique<SupportPractice>(SupportPractice::Kind::terraces));
  types.push_back(std::make_unique<LongwallSubsidence>());
  return types;
}

}  // namespace minetwin::terrain
