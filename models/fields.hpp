#pragma once
/// @file
/// @brief The fields that several models share, declared once (name, units, location, type,
/// doc). A component lists them with the intent it needs: `reads(kSoilSand)`,
/// `writes(kFlowReceiver)`, `updates(kElevation)`. The registry test checks that every
/// declaration of a name agrees, including those of the engine's site builder.

#include "engine/core/component.hpp"

namespace minetwin::fields {

constexpr FieldSpec with_intent(FieldSpec spec, Intent intent, bool required) {
  spec.intent = intent;
  spec.required = required;
  return spec;
}
/// A required input.
constexpr FieldSpec reads(FieldSpec spec) {
  return with_intent(spec, Intent::in, true);
}
/// An input the component can do without (it checks `has()`).
constexpr FieldSpec may_read(FieldSpec spec) {
  return with_intent(spec, Intent::in, false);
}
constexpr FieldSpec writes(FieldSpec spec) {
  return with_intent(spec, Intent::out, true);
}
/// For cell_year components: read as it was at the end of each month (FieldSpec::each_month).
constexpr FieldSpec reads_each_month(FieldSpec spec) {
  spec = reads(spec);
  spec.each_month = true;
  return spec;
}
constexpr FieldSpec may_read_each_month(FieldSpec spec) {
  spec = may_read(spec);
  spec.each_month = true;
  return spec;
}
/// Read and written; the component (or the engine, at the declared initial value) creates it.
constexpr FieldSpec updates(FieldSpec spec) {
  return with_intent(spec, Intent::inout, false);
}

// Climate (written by the engine's climate forcing).
constexpr TypedFieldSpec<double> kPrecipitationMonthly{
    "precipitation__monthly_depth",
    "m",
    Location::site,
    Intent::in,
    ElementType::float64,
    true,
    "precipitation of the month, as water depth"};
constexpr TypedFieldSpec<double> kPrecipitationDaily{
    "precipitation__daily_depth",
    "m",
    Location::day,
    Intent::in,
    ElementType::float64,
    true,
    "precipitation of each day of the month (31 values)"};
constexpr TypedFieldSpec<double> kPrecipitationAnnual{
    "precipitation__annual_depth",
    "m",
    Location::site,
    Intent::in,
    ElementType::float64,
    true,
    "precipitation of the calendar year so far (the whole year once December is done)"};
constexpr TypedFieldSpec<double> kAirTemperatureMonthly{"air_temperature__monthly_mean",
                                                        "degC",
                                                        Location::site,
                                                        Intent::in,
                                                        ElementType::float64,
                                                        true,
                                                        "mean air temperature of the month"};
constexpr TypedFieldSpec<double> kPetMonthly{
    "potential_evapotranspiration__monthly_depth",
    "m",
    Location::site,
    Intent::in,
    ElementType::float64,
    true,
    "potential evapotranspiration of the month (from the climate CSV)"};
constexpr TypedFieldSpec<double> kPotentialEtMonthly{
    "evapotranspiration__monthly_potential",
    "m",
    Location::site,
    Intent::in,
    ElementType::float64,
    true,
    "potential evapotranspiration of the month as the water balance uses it (the climate's, or "
    "Hargreaves)"};
constexpr TypedFieldSpec<double> kLatitude{"site__latitude",
                                           "degree",
                                           Location::site,
                                           Intent::in,
                                           ElementType::float64,
                                           true,
                                           "latitude of the grid centre"};

// Terrain and flow (written by the terrain component).
constexpr TypedFieldSpec<double> kElevation{
    "topographic__elevation", "m",  Location::cell,          Intent::in,
    ElementType::float64,     true, "land surface elevation"};
constexpr TypedFieldSpec<float> kSlope{
    "topographic__slope", "degree", Location::cell,     Intent::in,
    ElementType::float32, true,     "slope (Horn 1981)"};
constexpr TypedFieldSpec<float> kSlopeGradient{
    "topographic__slope_gradient",
    "m m-1",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "slope as the gradient |grad z| (Horn 1981), the tangent of the slope angle",
    true};
constexpr TypedFieldSpec<double> kFlowReceiver{
    "flow__receiver",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float64,
    true,
    "index of the cell each cell drains to (D8; itself at outlets)",
    true};
constexpr TypedFieldSpec<double> kFlowStackPosition{
    "flow__stack_position",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float64,
    true,
    "position in the flow stack (receivers before donors)",
    true};
constexpr TypedFieldSpec<double> kFlowReceiverDistance{
    "flow__receiver_distance",  "m", Location::cell, Intent::in, ElementType::float64, true,
    "distance to the receiver", true};
constexpr TypedFieldSpec<float> kDrainageArea{
    "flow__drainage_area",
    "m2",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "area draining through the cell, the cell included (D8)"};
constexpr TypedFieldSpec<double> kSpillElevation{
    "pit_lake__spill_elevation",
    "m",
    Location::cell,
    Intent::in,
    ElementType::float64,
    true,
    "at kept closed-basin sinks, the level at which the basin spills; fill value elsewhere",
    true};
// Pit lakes: the hydrology writes them, the metals' lake pools read them.
constexpr TypedFieldSpec<double> kPitLakeVolume{
    "pit_lake__volume",
    "m3",
    Location::cell,
    Intent::inout,
    ElementType::float64,
    false,
    "water stored in the pit lake of a kept closed basin (at its sink cell)"};
constexpr TypedFieldSpec<float> kSurfaceWaterDepth{"surface_water__depth",
                                                   "m",
                                                   Location::cell,
                                                   Intent::out,
                                                   ElementType::float32,
                                                   true,
                                                   "depth of standing water (pit lakes)"};
constexpr TypedFieldSpec<double> kPitLakeSpillFraction{
    "pit_lake__monthly_spill_fraction",
    "1",
    Location::cell,
    Intent::out,
    ElementType::float64,
    true,
    "share of the pit lake's water that spilled over its rim in the month (at its sink cell)",
    true};

// Soil (supplied by the site's soil table; the soil model takes them over).
/// Fine-earth mass per m2 of a layer (kg), computed one way everywhere so that a metal content
/// written by a measure reads back as the same mass in the metals model.
inline double fine_earth_mass(double thickness, float rock_fraction, float bulk_density) {
  return thickness * (1.0 - static_cast<double>(rock_fraction)) * static_cast<double>(bulk_density);
}

constexpr TypedFieldSpec<float> kSand{"soil__sand_fraction",
                                      "1",
                                      Location::layer,
                                      Intent::in,
                                      ElementType::float32,
                                      true,
                                      "sand mass fraction of the fine earth"};
constexpr TypedFieldSpec<float> kSilt{"soil__silt_fraction",
                                      "1",
                                      Location::layer,
                                      Intent::in,
                                      ElementType::float32,
                                      true,
                                      "silt mass fraction of the fine earth"};
constexpr TypedFieldSpec<float> kClay{"soil__clay_fraction",
                                      "1",
                                      Location::layer,
                                      Intent::in,
                                      ElementType::float32,
                                      true,
                                      "clay mass fraction of the fine earth"};
constexpr TypedFieldSpec<float> kOrganicCarbon{"soil__organic_carbon_fraction",
                                               "kg kg-1",
                                               Location::layer,
                                               Intent::in,
                                               ElementType::float32,
                                               true,
                                               "organic carbon mass fraction"};
constexpr TypedFieldSpec<float> kBulkDensity{
    "soil__bulk_density", "kg m-3", Location::layer,   Intent::in,
    ElementType::float32, true,     "dry bulk density"};
constexpr TypedFieldSpec<float> kRockFragments{"soil__rock_fragment_fraction",
                                               "1",
                                               Location::layer,
                                               Intent::in,
                                               ElementType::float32,
                                               true,
                                               "rock fragments (>2 mm), volume fraction"};
constexpr TypedFieldSpec<double> kLayerThickness{
    "soil__layer_thickness",      "m", Location::layer, Intent::in, ElementType::float64, true,
    "thickness of the soil layer"};

constexpr TypedFieldSpec<float> kSoilPh{"soil__ph",           "1",  Location::layer,  Intent::in,
                                        ElementType::float32, true, "soil pH (water)"};
constexpr TypedFieldSpec<float> kCationExchangeCapacity{"soil__cation_exchange_capacity",
                                                        "mol kg-1",
                                                        Location::layer,
                                                        Intent::in,
                                                        ElementType::float32,
                                                        true,
                                                        "cation exchange capacity"};
constexpr TypedFieldSpec<float> kPbImmobilisedFraction{
    "soil_pb__immobilised_fraction",
    "1",
    Location::layer,
    Intent::in,
    ElementType::float32,
    true,
    "share of the lead held as phosphate minerals (pyromorphite): neither leached nor taken up"};

/// The total contents of the metals model's species, per soil layer (mg/kg, float64 for the
/// metal ledger), written by the metals model and by measures that edit the soil.
inline constexpr std::string_view kMetalContentFields[6] = {
    "soil_cd__total_concentration", "soil_pb__total_concentration", "soil_zn__total_concentration",
    "soil_cu__total_concentration", "soil_as__total_concentration", "soil_sb__total_concentration"};
constexpr FieldSpec metal_content(std::string_view name, Intent intent) {
  return {name,
          "mg kg-1",
          Location::layer,
          intent,
          ElementType::float64,
          intent == Intent::in,
          "total metal content"};
}

// Organic amendments booked by the soil measure, taken into its pools by the soil-carbon model.
// The RothC pools of the top layer (models/carbon), moved with eroded soil by the soil
// redistribution (models/soil/soil_redistribution.hpp).
constexpr TypedFieldSpec<double> soil_pool(std::string_view name, std::string_view doc) {
  return TypedFieldSpec<double>{
      name, "kg m-2", Location::cell, Intent::inout, ElementType::float64, false, doc};
}
inline constexpr TypedFieldSpec<double> kDpm =
    soil_pool("soil_carbon__dpm", "RothC decomposable plant material (top layer)");
inline constexpr TypedFieldSpec<double> kRpm =
    soil_pool("soil_carbon__rpm", "RothC resistant plant material (top layer)");
inline constexpr TypedFieldSpec<double> kBio =
    soil_pool("soil_carbon__bio", "RothC microbial biomass");
inline constexpr TypedFieldSpec<double> kHum =
    soil_pool("soil_carbon__hum", "RothC humified organic matter");
inline constexpr TypedFieldSpec<double> kIom =
    soil_pool("soil_carbon__iom", "RothC inert organic matter");
inline constexpr TypedFieldSpec<double> kBiochar =
    soil_pool("soil_carbon__biochar", "biochar carbon");
inline constexpr TypedFieldSpec<double> kSoilCarbonMovedByErosion{
    "soil_carbon__moved_by_erosion",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "net change of the top layer's soil carbon by erosion this year: brought up from the "
    "subsoil as the surface lowers, less what sediment carried off the site or into pit lakes "
    "(carbon ledger)"};

constexpr TypedFieldSpec<double> kManureInput{
    "soil_carbon__manure_input",
    "kg m-2",
    Location::cell,
    Intent::inout,
    ElementType::float64,
    false,
    "manure, compost and sludge carbon applied, not yet in the pools",
    true};
constexpr TypedFieldSpec<double> kBiocharInput{"soil_carbon__biochar_input",
                                               "kg m-2",
                                               Location::cell,
                                               Intent::inout,
                                               ElementType::float64,
                                               false,
                                               "biochar carbon applied, not yet in the pools",
                                               true};

// Set by pollution-control measures, read by hydrology and metals.
constexpr TypedFieldSpec<float> kCoverPercolationFactor{
    "soil__cover_percolation_factor",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "share of the percolation that passes a low-permeability cap (1 without a cap)",
    false,
    1.0};
constexpr TypedFieldSpec<float> kUptakeFactorCdAs{
    "plant__cd_as_uptake_factor",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "multiplies plant uptake of Cd and As (silicon fertiliser: below 1)",
    false,
    1.0};
constexpr TypedFieldSpec<float> kWetlandRemoval{
    "wetland__removal_fraction",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "share of the dissolved metals in water passing the cell that a constructed wetland retains"};

// Written by the site builder (engine/site): the zone of each cell, an index into the zone names.
constexpr TypedFieldSpec<float> kZoneId{"zone__id",
                                        "1",
                                        Location::cell,
                                        Intent::in,
                                        ElementType::float32,
                                        true,
                                        "zone index (see the zone names in run.yaml)"};

// Set by the `water_treatment` measure in the years the plant runs, read and emptied each year by
// the water treatment model (models/metals/water_treatment.hpp).
constexpr TypedFieldSpec<float> kTreatmentCapture{
    "water_treatment__capture_fraction",
    "1",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "share of the water percolating below the cell's profile that drains collect for treatment "
    "this year",
    true};
constexpr TypedFieldSpec<double> kTreatmentCapacity{
    "water_treatment__capacity",
    "m3",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "water the treatment plants can treat this year",
    true};
constexpr TypedFieldSpec<double> kTreatmentCost{
    "water_treatment__cost_per_m3",
    "CNY m-3",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "operating cost per m3 treated this year (capacity-weighted)",
    true};

// Booked by measures, read (and emptied each year) by the carbon accounting.
constexpr TypedFieldSpec<double> kRestorationEmissions{
    "restoration__emissions_co2",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "CO2 emitted by the restoration works this year (diesel, transport, liming)"};

// The herb layer's shoots (leaf carbon), grown by the vegetation model and cut by the
// phytoextraction harvest; the carbon harvested is booked for the carbon ledger.
constexpr TypedFieldSpec<float> kHerbPlantType{"vegetation__herb_type",
                                               "1",
                                               Location::cell,
                                               Intent::inout,
                                               ElementType::float32,
                                               false,
                                               "plant type of the herb layer (1-based id; 0 none)"};
constexpr TypedFieldSpec<double> kHerbLeafCarbon{"vegetation__herb_leaf_carbon",
                                                 "kg m-2",
                                                 Location::cell,
                                                 Intent::inout,
                                                 ElementType::float64,
                                                 false,
                                                 "carbon in the leaves of the herb layer"};
constexpr TypedFieldSpec<double> kHarvestedCarbon{
    "vegetation__harvested_carbon",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "plant carbon harvested and taken off the site this year (carbon ledger output)"};

/// kg CO2 per litre of diesel: IPCC 2006 Vol. 2 Table 3.2.1 (74 100 kg CO2/TJ) with 43 TJ/Gg and
/// 0.84 kg/L.
inline constexpr double kDieselCo2PerLitre = 2.68;

// Cover and surface practices (site or vegetation model; measures).
constexpr TypedFieldSpec<float> kVegetationCover{"vegetation__cover_fraction",
                                                 "1",
                                                 Location::cell,
                                                 Intent::in,
                                                 ElementType::float32,
                                                 true,
                                                 "fraction of the cell covered by vegetation"};
constexpr TypedFieldSpec<float> kSupportPractice{
    "erosion__support_practice_factor",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "RUSLE P factor set by measures (contour ripping, terraces); 1 without",
    false,
    1.0};
constexpr TypedFieldSpec<float> kCurveNumberOffset{
    "soil_surface__curve_number_offset",
    "1",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "change of the SCS curve number by measures (ripping, terraces: negative)"};

constexpr TypedFieldSpec<float> kElevationChange{
    "topographic__elevation_change",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "elevation change by landform evolution in the year (negative: erosion)"};
// Acid-base accounting (soil table's sulfide_s_pct and carbonate_pct; acid_generation.hpp).
constexpr TypedFieldSpec<double> kSulfideSulfur{"soil__sulfide_sulfur_fraction",
                                                "kg kg-1",
                                                Location::layer,
                                                Intent::inout,
                                                ElementType::float64,
                                                false,
                                                "sulfide sulfur mass fraction of the fine earth"};
constexpr TypedFieldSpec<double> kCarbonate{
    "soil__carbonate_fraction",
    "kg kg-1",
    Location::layer,
    Intent::inout,
    ElementType::float64,
    false,
    "carbonate (neutralisation potential) as CaCO3 mass fraction of the fine earth"};

// The books of sulfide S and carbonate (CaCO3 equivalent) moved into or out of the soil
// profiles since the acid generation's last ledger: kg, site totals, written by the measures and
// the soil redistribution, taken each December by acid_generation (its sulfur and carbonate
// ledgers).
constexpr TypedFieldSpec<double> mineral_book(std::string_view name, std::string_view doc) {
  return TypedFieldSpec<double>{name,  "kg", Location::site, Intent::inout, ElementType::float64,
                                false, doc};
}
constexpr TypedFieldSpec<double> kSulfideAddedBook =
    mineral_book("sulfide_sulfur__added_by_measures", "sulfide S placed with materials");
constexpr TypedFieldSpec<double> kSulfideExcavatedBook =
    mineral_book("sulfide_sulfur__excavated", "sulfide S excavated and disposed of off site");
constexpr TypedFieldSpec<double> kSulfideExportedBook = mineral_book(
    "sulfide_sulfur__sediment_exported", "sulfide S carried off the site by eroded sediment");
constexpr TypedFieldSpec<double> kSulfideTrappedBook =
    mineral_book("sulfide_sulfur__to_pit_lakes", "sulfide S carried into pit lakes by sediment");
constexpr TypedFieldSpec<double> kCarbonateAddedBook = mineral_book(
    "carbonate__added_by_measures", "carbonate placed with materials or left over by lime");
constexpr TypedFieldSpec<double> kCarbonateExcavatedBook =
    mineral_book("carbonate__excavated", "carbonate excavated and disposed of off site");
constexpr TypedFieldSpec<double> kCarbonateExportedBook = mineral_book(
    "carbonate__sediment_exported", "carbonate carried off the site by eroded sediment");
constexpr TypedFieldSpec<double> kCarbonateTrappedBook =
    mineral_book("carbonate__to_pit_lakes", "carbonate carried into pit lakes by sediment");

// The engineered cover over the waste and what erosion has done to it (site.cover_thickness_m,
// cover measures; the landform check, models/terrain/landform_check.hpp).
constexpr TypedFieldSpec<double> kCoverThickness{
    "cover__thickness",
    "m",
    Location::cell,
    Intent::inout,
    ElementType::float64,
    false,
    "thickness of the engineered cover left over the waste (site.cover_thickness_m and cover "
    "measures, less the net lowering by erosion since it was placed)"};
constexpr TypedFieldSpec<float> kCoverBreached{
    "cover__breached",
    "1",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "1 where erosion has cut through the engineered cover since it was placed"};
constexpr TypedFieldSpec<float> kSoilThicknessChange{
    "soil__thickness_change",
    "m",
    Location::cell,
    Intent::in,
    ElementType::float32,
    true,
    "change of the soil profile's thickness in the year by erosion (negative) and deposition"};

// Declared once for the models that share them (the writer's declaration; readers take
// reads(...) of it): the hydrology's water, the erosion's soil and sediment, the soil carbon's
// respiration, and the climate forcing's radiation and erosive-rain means (the engine writes them).
constexpr TypedFieldSpec<float> kSoilCarbonAnnualRespiration{
    "soil_carbon__annual_respiration",
    "kg m-2",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "heterotrophic respiration (CO2-C) in the calendar year so far"};
constexpr TypedFieldSpec<double> kSoilWaterDepth{"soil_water__depth",
                                                 "m",
                                                 Location::layer,
                                                 Intent::inout,
                                                 ElementType::float64,
                                                 false,
                                                 "water stored in the soil layer, as depth"};
constexpr TypedFieldSpec<float> kSurfaceWaterMonthlyDischarge{
    "surface_water__monthly_discharge",
    "m3",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "surface runoff leaving the cell in the month (routed)",
    true};
constexpr TypedFieldSpec<float> kSoilWaterMonthlyPercolation{
    "soil_water__monthly_percolation",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "water leaving the bottom of the soil profile in the month",
    true};
constexpr TypedFieldSpec<float> kEvapotranspirationMonthlyActual{
    "evapotranspiration__monthly_actual",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "actual evapotranspiration of the month",
    true};
constexpr TypedFieldSpec<float> kSoilWaterAnnualPercolation{
    "soil_water__annual_percolation",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "water leaving the bottom of the soil profile in the calendar year so far"};
constexpr TypedFieldSpec<float> kErosionSoilLoss{"erosion__soil_loss",
                                                 "kg m-2",
                                                 Location::cell,
                                                 Intent::out,
                                                 ElementType::float32,
                                                 true,
                                                 "soil detached in the year (RUSLE A)"};
constexpr TypedFieldSpec<float> kSedimentDeposition{
    "sediment__deposition",
    "kg m-2",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "sediment deposited in the year where transport capacity drops"};
constexpr TypedFieldSpec<double> kRainfallAnnualErosivity{
    "rainfall__annual_erosivity",
    "MJ mm ha-1 h-1",
    Location::site,
    Intent::out,
    ElementType::float64,
    true,
    "rainfall erosivity of the calendar year so far (RUSLE R, from the year's storms)"};
constexpr TypedFieldSpec<double> kPrecipitationErosiveDayMean{
    "precipitation__erosive_day_mean",
    "m",
    Location::site,
    Intent::in,
    ElementType::float64,
    true,
    "mean depth of the days with at least 12 mm, over the run's climate"};
constexpr TypedFieldSpec<double> kPrecipitationErosiveAnnualMean{
    "precipitation__erosive_annual_mean",
    "m",
    Location::site,
    Intent::in,
    ElementType::float64,
    true,
    "mean annual precipitation of the days with at least 12 mm, over the run's climate"};
constexpr TypedFieldSpec<double> kSolarRadiationMonthlyTotal{
    "solar_radiation__monthly_total",
    "MJ m-2",
    Location::site,
    Intent::in,
    ElementType::float64,
    false,
    "global radiation of the month (from the climate CSV)",
    false,
    0.0,
    true};

// The metals' risk screening (GB 15618-2018), read by the indices.
constexpr TypedFieldSpec<float> kSoilRiskClass{
    "soil__risk_class",
    "1",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "GB 15618-2018 class of the top layer, worst metal: 0 at or below screening, 1 above "
    "screening, 2 above intervention"};

// The vegetation's month and year, read by the soil carbon, the metals and the carbon accounting.
constexpr TypedFieldSpec<double> kVegetationMonthlyLitter{
    "vegetation__monthly_litter_carbon",
    "kg m-2",
    Location::cell,
    Intent::out,
    ElementType::float64,
    true,
    "litter and root litter carbon of the month",
    true};
constexpr TypedFieldSpec<float> kVegetationLitterRatio{
    "vegetation__litter_dpm_rpm_ratio",
    "1",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "DPM/RPM ratio of the month's litter (RothC)",
    true};
constexpr TypedFieldSpec<float> kVegetationAnnualNpp{
    "vegetation__annual_npp",
    "kg m-2",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "net primary production in the calendar year so far (C)"};

}  // namespace minetwin::fields
