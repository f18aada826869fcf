#include "models/carbon/carbon_accounting.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/carbon/carbon_fields.hpp"
#include "models/fields.hpp"
#include "models/vegetation/vegetation_fields.hpp"

namespace minetwin::carbon {
namespace {

constexpr double kCo2PerC = 44.0 / 12.0;

constexpr FieldSpec pool_in(std::string_view name) {
  return {name, "kg m-2", Location::cell, Intent::in, ElementType::float64, true, "carbon pool"};
}
constexpr TypedFieldSpec<double> site_book(std::string_view name, std::string_view doc,
                                           std::string_view units = "kg") {
  return TypedFieldSpec<double>{name,  units, Location::site, Intent::inout, ElementType::float64,
                                false, doc};
}
constexpr std::string_view kPools[] = {"vegetation__herb_leaf_carbon",
                                       "vegetation__herb_root_carbon",
                                       "vegetation__woody_leaf_carbon",
                                       "vegetation__woody_stem_carbon",
                                       "vegetation__woody_root_carbon",
                                       "soil_carbon__dpm",
                                       "soil_carbon__rpm",
                                       "soil_carbon__bio",
                                       "soil_carbon__hum",
                                       "soil_carbon__iom",
                                       "soil_carbon__biochar"};

constexpr TypedFieldSpec<double> kCarbonSourceToSinkYear =
    site_book("carbon__source_to_sink_year",
              "year the project last turned from a net source into a net sink (0: a source "
              "now; -1: never a source)",
              "year");
constexpr TypedFieldSpec<double> kCarbonPaybackYear =
    site_book("carbon__payback_year",
              "first year the cumulative balance paid back the restoration's emissions", "year");
constexpr TypedFieldSpec<double> kCarbonCumulativeBalanceCo2e = site_book(
    "carbon__cumulative_balance_co2e", "sequestration minus emissions since the start", "t");
constexpr TypedFieldSpec<double> kCarbonCumulativeCost =
    site_book("carbon__cumulative_cost", "cost of the measures since the start", "CNY");
constexpr TypedFieldSpec<double> kCarbonProjectSoilCarbonAtStart =
    site_book("carbon__project_soil_carbon_at_start",
              "soil carbon of the project area at the start of the run");
constexpr TypedFieldSpec<double> kCarbonProjectSoilCarbonLast =
    site_book("carbon__project_soil_carbon_last", "soil carbon of the project area a year ago");
constexpr TypedFieldSpec<double> kCarbonProjectSoilCarbon030AtStart =
    site_book("carbon__project_soil_carbon_0_30_at_start",
              "soil carbon of the project area to 30 cm at the start (IPCC reference depth)");
constexpr TypedFieldSpec<double> kCarbonBalanceTrend =
    site_book("carbon__balance_trend",
              "moving average (about 5 years) of the annual net balance (CO2e)", "t");
constexpr FieldSpec kFields[] = {
    pool_in(kPools[0]),
    pool_in(kPools[1]),
    pool_in(kPools[2]),
    pool_in(kPools[3]),
    pool_in(kPools[4]),
    pool_in(kPools[5]),
    pool_in(kPools[6]),
    pool_in(kPools[7]),
    pool_in(kPools[8]),
    pool_in(kPools[9]),
    pool_in(kPools[10]),
    site_book("vegetation__npp_total", "net primary production of the site this year"),
    site_book("vegetation__planted_carbon",
              "carbon planted or established this year (carbon ledger input)"),
    fields::kHarvestedCarbon,
    kRespiredTotal,
    kMeasureChange,
    fields::kSoilCarbonMovedByErosion,
    fields::kRestorationEmissions,
    kCarbonSourceToSinkYear,
    kCarbonPaybackYear,
    kCarbonCumulativeBalanceCo2e,
    kCarbonCumulativeCost,
    kCarbonProjectSoilCarbonAtStart,
    kCarbonProjectSoilCarbonLast,
    kCarbonProjectSoilCarbon030AtStart,
    fields::reads(fields::kOrganicCarbon),
    fields::reads(fields::kLayerThickness),
    fields::reads(fields::kBulkDensity),
    fields::reads(fields::kRockFragments),
    kCarbonBalanceTrend,
    fields::kZoneId,
    fields::reads(fields::kVegetationAnnualNpp),
    fields::reads(fields::kSoilCarbonAnnualRespiration),
};

constexpr SummaryColumn kColumns[] = {
    {"ecosystem_carbon_t_c", "t C", "biomass, top-layer soil carbon and biochar (whole site)"},
    {"project_carbon_t_c", "t C",
     "the same over the project area (every zone but the site's default, undisturbed zone)"},
    {"nep_t_c", "t C", "net ecosystem production of the project area: NPP - soil respiration"},
    {"restoration_emissions_t_co2e", "t CO2e", "diesel, haulage and liming of the year"},
    {"net_balance_t_co2e", "t CO2e", "sequestration (NEP as CO2) minus emissions; > 0: a sink"},
    {"cumulative_net_balance_t_co2e", "t CO2e", "net balance since the start"},
    {"source_to_sink_year", "year",
     "year the trend of the project's balance last turned from a source into a sink (0: a "
     "source now; -1: never a source so far)"},
    {"carbon_payback_year", "year",
     "first year the cumulative balance became positive (0: not yet)"},
    {"cost_per_t_co2e_yuan", "CNY t-1",
     "cumulative cost over cumulative net sequestration (0 while not positive)"},
    {"carbon_ledger_relative_residual", "1", "|residual| of the year's carbon ledger, relative"},
    {"project_soc_change_t_c", "t C", "simulated change of the project area's soil carbon"},
    {"tier1_soc_change_t_c", "t C",
     "IPCC Tier 1 stock-difference estimate of the same: (SOC_REF F A - SOC_start) / 20 during "
     "the first 20 years"},
};

}  // namespace

std::span<const FieldSpec> CarbonAccounting::fields() const {
  return kFields;
}
namespace {
constexpr ParameterSpec kParameters[] = {
    {"tier1_soc_ref_t_per_ha", "t C ha-1", 38.0, 1.0, 300.0,
     "IPCC 2006 Vol. 4 Table 2.3: warm temperate dry climate, high-activity clay soils",
     "IPCC Tier 1 reference soil carbon stock (0-30 cm) of the reclaimed land"},
    {"tier1_stock_change_factor", "1", 1.0, 0.1, 2.0,
     "IPCC 2006 Vol. 4 Table 6.2: nominally managed grassland, F_LU F_MG F_I = 1",
     "product of the land-use, management and input factors"},
};
}  // namespace

std::span<const ParameterSpec> CarbonAccounting::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> CarbonAccounting::summary_columns() const {
  return kColumns;
}
std::string_view CarbonAccounting::citation() const {
  return "IPCC 2006 Guidelines (44/12, emission factors); stock accounting";
}

double CarbonAccounting::project_soil_carbon(const FieldAccess& fields) const {
  const RasterGrid& grid = fields.state().grid();
  const auto zone = fields.read(fields::kZoneId);
  double total = 0.0;
  for (std::size_t k = 5; k < std::size(kPools); ++k) {  // the soil pools and biochar
    const auto pool = fields.read<double>(kPools[k]);
    total += deterministic_sum(grid.cell_count(), [&](std::size_t c) {
      return grid.is_valid(c) && zone[c] != 0.0f ? pool[c] : 0.0;
    });
  }
  return total * grid.cell_area_m2();
}

double CarbonAccounting::stock(const FieldAccess& fields) const {
  const RasterGrid& grid = fields.state().grid();
  double total = 0.0;
  for (std::string_view name : kPools) {
    const auto pool = fields.read<double>(name);
    total += deterministic_sum(grid.cell_count(),
                               [&](std::size_t c) { return grid.is_valid(c) ? pool[c] : 0.0; });
  }
  return total * grid.cell_area_m2();
}

void CarbonAccounting::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  restart(fields);
  // The project's soil carbon at the start, for the Tier 1 stock difference.
  auto start = fields.write(kCarbonProjectSoilCarbonAtStart);
  if (start[0] == 0.0) start[0] = project_soil_carbon(fields);
  // IPCC's SOC_REF is a stock to 30 cm (IPCC 2006 Vol. 4 sec. 2.3.3.1; Batjes 2011): the
  // modelled pools hold the top layer (0-20 cm in the demo), the layers below it to 30 cm add
  // their organic carbon, so that Tier 1 compares stocks of the same depth.
  auto start_0_30 = fields.write(kCarbonProjectSoilCarbon030AtStart);
  if (start_0_30[0] == 0.0) start_0_30[0] = start[0] + project_subsoil_carbon(fields, 0.3);
}

double CarbonAccounting::project_subsoil_carbon(const FieldAccess& fields, double depth) const {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = state.soil_layers();
  const auto zone = fields.read(fields::kZoneId);
  const auto carbon = fields.read(fields::kOrganicCarbon);
  const auto thickness = fields.read(fields::kLayerThickness);
  const auto density = fields.read(fields::kBulkDensity);
  const auto rock = fields.read(fields::kRockFragments);
  const double total = deterministic_sum(n, [&](std::size_t c) {
    if (!grid.is_valid(c) || zone[c] == 0.0f) return 0.0;
    double top = thickness[c], kg = 0.0;  // below the top layer, whose carbon the pools hold
    for (std::size_t l = 1; l < layers && top < depth; ++l) {
      const std::size_t i = l * n + c;
      const double slice = std::min(thickness[i], depth - top);
      kg += carbon[i] * fields::fine_earth_mass(slice, rock[i], density[i]);
      top += thickness[i];
    }
    return kg;
  });
  return total * grid.cell_area_m2();
}

void CarbonAccounting::restart(FieldAccess& fields) {
  stock_open_ = stock(fields);
}

void CarbonAccounting::update(FieldAccess& fields, const StepContext& step) {
  auto take = [&](std::string_view name) {
    auto f = fields.write<double>(name);
    const double v = f[0];
    f[0] = 0.0;
    return v;
  };
  const double npp = fields.read(vegetation::kNppTotal)[0];
  const double respired = fields.read(kRespiredTotal)[0];
  const double measured = fields.read(kMeasureChange)[0];
  const double planted = take("vegetation__planted_carbon");
  const double harvested = take(fields::kHarvestedCarbon.name);
  const double eroded = take(fields::kSoilCarbonMovedByErosion.name);
  const double emissions_co2 = take(fields::kRestorationEmissions.name);
  const double stock_end = stock(fields);
  ledger_.open(stock_open_);
  ledger_.add_input("net_primary_production", npp);
  ledger_.add_input("planted_and_established", planted);
  (measured >= 0 ? ledger_.add_input("soil_carbon_placed_by_measures", measured)
                 : ledger_.add_output("soil_carbon_removed_by_measures", -measured));
  ledger_.add_output("heterotrophic_respiration", respired);
  ledger_.add_output("harvested_biomass", harvested);
  // Erosion's net change of the top layer's carbon: carried off and into pit lakes, less what
  // the lowering surface brought up from the subsoil (soil_redistribution).
  (eroded >= 0 ? ledger_.add_input("soil_carbon_brought_up_by_erosion", eroded)
               : ledger_.add_output("soil_carbon_carried_off_by_erosion", -eroded));
  ledger_.close(stock_end);
  stock_open_ = stock_end;

  // The balance is the project's: the disturbed zones, where the restoration acts (the default
  // zone is the undisturbed reference; docs/models/carbon.md).
  const RasterGrid& grid = fields.state().grid();
  const auto zone = fields.read(fields::kZoneId);
  const auto npp_cell = fields.read(fields::kVegetationAnnualNpp);
  const auto rh_cell = fields.read(fields::kSoilCarbonAnnualRespiration);
  auto in_project = [&](std::size_t c) { return grid.is_valid(c) && zone[c] != 0.0f; };
  const double nep_t =
      grid.cell_area_m2() / 1000.0 * deterministic_sum(grid.cell_count(), [&](std::size_t c) {
        return in_project(c) ? static_cast<double>(npp_cell[c]) - rh_cell[c] : 0.0;
      });
  double project = 0.0;
  for (std::string_view name : kPools) {
    const auto pool = fields.read<double>(name);
    project += deterministic_sum(grid.cell_count(),
                                 [&](std::size_t c) { return in_project(c) ? pool[c] : 0.0; });
  }
  project *= grid.cell_area_m2();

  const double emissions_t = emissions_co2 / 1000.0;
  const double balance = nep_t * kCo2PerC - emissions_t;
  auto cumulative = fields.write(kCarbonCumulativeBalanceCo2e);
  cumulative[0] += balance;
  auto cost = fields.write(kCarbonCumulativeCost);
  cost[0] += step.summary->get("measures_cost_yuan");
  // The year the project turned from a net source into a net sink, judged on the trend of the
  // annual balance (an exponential moving average over about five years, so that one wet or dry
  // year does not flip it): set when the trend turns positive after having been negative,
  // cleared if it turns negative again; -1 while it has never been a source.
  auto trend = fields.write(kCarbonBalanceTrend);
  trend[0] = step.year_index == 0 ? balance : trend[0] + (balance - trend[0]) / 5.0;
  auto sink_year = fields.write(kCarbonSourceToSinkYear);
  if (trend[0] < 0.0) {
    sink_year[0] = 0.0;
  } else if (step.year_index == 0) {
    sink_year[0] = -1.0;
  } else if (sink_year[0] == 0.0) {
    sink_year[0] = step.year;
  }
  auto payback = fields.write(kCarbonPaybackYear);
  if (payback[0] == 0.0 && cumulative[0] > 0.0 && step.year_index > 0) payback[0] = step.year;

  SummaryRow& row = *step.summary;
  row.set("ecosystem_carbon_t_c", stock_end / 1000.0);
  row.set("project_carbon_t_c", project / 1000.0);
  row.set("nep_t_c", nep_t);
  row.set("restoration_emissions_t_co2e", emissions_t);
  row.set("net_balance_t_co2e", balance);
  row.set("cumulative_net_balance_t_co2e", cumulative[0]);
  row.set("source_to_sink_year", sink_year[0]);
  row.set("carbon_payback_year", payback[0]);
  row.set("cost_per_t_co2e_yuan", cumulative[0] > 0.0 ? cost[0] / cumulative[0] : 0.0);
  row.set("carbon_ledger_relative_residual", ledger_.relative_residual());
  // IPCC 2006 Vol. 4 eq. 2.25: the stock moves linearly to SOC_REF F over D = 20 years.
  double project_area_ha = 0.0;
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    project_area_ha += in_project(c) ? grid.cell_area_m2() / 1e4 : 0.0;
  const double start_t = fields.read(kCarbonProjectSoilCarbonAtStart)[0] / 1000.0;
  const double start_0_30_t = fields.read(kCarbonProjectSoilCarbon030AtStart)[0] / 1000.0;
  const double target_t = parameters_.get("tier1_soc_ref_t_per_ha") *
                          parameters_.get("tier1_stock_change_factor") * project_area_ha;
  row.set("tier1_soc_change_t_c", step.year_index < 20 ? (target_t - start_0_30_t) / 20.0 : 0.0);
  const double soil_now = project_soil_carbon(fields);
  auto last = fields.write(kCarbonProjectSoilCarbonLast);
  const double before = step.year_index == 0 ? start_t * 1000.0 : last[0];
  row.set("project_soc_change_t_c", (soil_now - before) / 1000.0);
  last[0] = soil_now;
}

}  // namespace minetwin::carbon
