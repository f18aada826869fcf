#include "models/metals/water_treatment.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/metals/species.hpp"

namespace minetwin::metals {
namespace {

// What lime treatment does to each metal: the removal efficiency's default and source, and for
// the divalent cations, which precipitate as hydroxides M(OH)2, their molar mass (kg mol-1) for
// the lime they consume (one CaCO3 per M2+) and the sludge they form. As and Sb are oxyanions,
// removed by co-precipitation with ferric iron rather than as hydroxides (no lime of their own).
struct TreatmentChemistry {
  std::string_view key;
  double removal;
  double molar_mass;  ///< 0: not a hydroxide-forming cation
  std::string_view source;
};

constexpr TreatmentChemistry kChemistry[] = {
    {"cd", 0.99, 0.11241,
     "lime to pH 9.5-10 (Aube & Zinck 2003; INAP GARD Guide ch. 7): Cd(OH)2, > 99 %"},
    {"pb", 0.99, 0.2072, "lime to pH 9-10 (Aube & Zinck 2003): Pb hydroxide/carbonate, > 99 %"},
    {"zn", 0.99, 0.06538, "lime to pH 9-10 (Aube & Zinck 2003): Zn(OH)2, > 99 %"},
    {"cu", 0.99, 0.06355, "lime to pH 8.5-9.5 (Aube & Zinck 2003): Cu(OH)2, > 99 %"},
    {"as", 0.9, 0.0,
     "co-precipitation with ferric hydroxide at Fe/As >= 4 (INAP GARD Guide ch. 7): >= 90 %"},
    {"sb", 0.5, 0.0,
     "assumption: Sb(V) is not precipitated by lime; about half co-precipitates with ferric "
     "hydroxide"},
};

// Molar masses (kg mol-1): the hydroxide's OH2 and calcite.
constexpr double kHydroxyl2 = 0.03401, kCalcite = 0.10009;

const TreatmentChemistry& chemistry(const Species& s) {
  for (const auto& c : kChemistry)
    if (c.key == s.key) return c;
  throw std::logic_error("water treatment: no chemistry for " + std::string(s.key));
}

std::string removal_name(const Species& s) {
  return std::string(s.key) + "_removal_fraction";
}
std::string treated_column(const Species& s) {
  return std::string(s.key) + "_treated_kg";
}

std::string_view keep(std::string name) {
  return lasting_name(std::move(name));
}

constexpr SummaryColumn kCost = {"measures_cost_yuan", "CNY",
                                 "cost of the measures applied in the year"};

}  // namespace

std::span<const FieldSpec> WaterTreatment::fields() const {
  static const std::vector<FieldSpec> specs = [] {
    using namespace fields;
    std::vector<FieldSpec> v{updates(kTreatmentCapture), updates(kTreatmentCapacity),
                             updates(kTreatmentCost), reads(kSoilPh)};
    v.push_back(fields::reads(fields::kSoilWaterAnnualPercolation));
    for (const Species& s : species())
      v.push_back({keep(annual_leaching_field(s)), "kg m-2", Location::cell, Intent::in,
                   ElementType::float32, true,
                   keep(std::string(s.symbol) + " leached below the profile this year")});
    return v;
  }();
  return specs;
}

std::span<const ParameterSpec> WaterTreatment::parameters() const {
  static const std::vector<ParameterSpec> specs = [] {
    std::vector<ParameterSpec> v;
    for (const Species& s : species()) {
      const TreatmentChemistry& c = chemistry(s);
      v.push_back({keep(removal_name(s)), "1", c.removal, 0.0, 1.0, c.source,
                   keep("share of the " + std::string(s.symbol) +
                        " in the treated water that the plant removes")});
    }
    v.push_back({"lime_utilisation", "1", 0.9, 0.1, 1.0,
                 "high-density-sludge plants use lime almost fully; simple lime treatment "
                 "less (Aube & Zinck 2003); assumption",
                 "share of the lime dosed that reacts; the rest leaves in the sludge"});
    return v;
  }();
  return specs;
}

std::span<const SummaryColumn> WaterTreatment::summary_columns() const {
  static const std::vector<SummaryColumn> columns = [] {
    std::vector<SummaryColumn> v{
        {"drainage_captured_m3", "m3", "water collected by the treatment plants' drains"},
        {"drainage_treated_m3", "m3", "water treated (the collected water up to the capacity)"}};
    for (const Species& s : species())
      v.push_back({keep(treated_column(s)), "kg",
                   keep(std::string(s.symbol) + " removed from the leached water by treatment")});
    v.push_back({"treatment_lime_t", "t", "lime (as CaCO3) dosed by the treatment plants"});
    v.push_back({"treatment_sludge_dry_t", "t",
                 "dry sludge: the metals' precipitates and the unreacted lime (no Fe, Al or "
                 "gypsum: a lower bound)"});
    v.push_back(kCost);
    return v;
  }();
  return columns;
}

std::string_view WaterTreatment::citation() const {
  return "Aube & Zinck 2003 (lime treatment of AMD); INAP GARD Guide ch. 7 (drainage treatment)";
}

void WaterTreatment::initialize(FieldAccess&, const ParameterValues& parameters) {
  parameters_ = parameters;
}

void WaterTreatment::update(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), bottom = state.soil_layers() - 1;
  const double area = grid.cell_area_m2();
  auto capture = fields.write(fields::kTreatmentCapture);
  auto capacity = fields.write(fields::kTreatmentCapacity);
  auto cost = fields.write(fields::kTreatmentCost);
  const auto percolation = fields.read(fields::kSoilWaterAnnualPercolation);
  const auto ph = fields.read(fields::kSoilPh);

  // The collected water (m3) and its free acidity (mol H+, at the bottom layer's pH).
  const double captured = deterministic_sum(n, [&](std::size_t c) {
    return grid.is_valid(c) ? static_cast<double>(capture[c]) * percolation[c] * area : 0.0;
  });
  const double protons = deterministic_sum(n, [&](std::size_t c) {
    if (!grid.is_valid(c) || capture[c] == 0.0f) return 0.0;
    const double litres = static_cast<double>(capture[c]) * percolation[c] * area * 1e3;
    return litres * std::pow(10.0, -static_cast<double>(ph[bottom * n + c]));
  });
  // A plant treats what it collects up to its capacity; the rest bypasses it untreated.
  const double treated_share = captured > 0.0 ? std::min(1.0, capacity[0] / captured) : 0.0;
  SummaryRow& row = *step.summary;
  double cation_mol = 0.0, precipitate_kg = 0.0;
  for (const Species& s : species()) {
    const auto leached = fields.read<float>(annual_leaching_field(s));
    const double collected = deterministic_sum(n, [&](std::size_t c) {
      return grid.is_valid(c) ? static_cast<double>(capture[c]) * leached[c] * area : 0.0;
    });
    const double removed = treated_share * parameters_.get(removal_name(s)) * collected;
    row.set(treated_column(s), removed);
    const TreatmentChemistry& c = chemistry(s);
    if (c.molar_mass > 0.0) {
      cation_mol += removed / c.molar_mass;
      precipitate_kg += removed / c.molar_mass * (c.molar_mass + kHydroxyl2);
    } else {
      precipitate_kg += removed;  // co-precipitated with iron the model does not have
    }
  }
  // Lime: one CaCO3 per divalent cation precipitated and per two H+ neutralised, over its
  // utilisation; the unreacted part joins the sludge.
  const double utilisation = parameters_.get("lime_utilisation");
  const double lime_kg = (cation_mol + 0.5 * treated_share * protons) * kCalcite / utilisation;
  row.set("drainage_captured_m3", captured);
  row.set("drainage_treated_m3", treated_share * captured);
  row.set("treatment_lime_t", lime_kg / 1e3);
  row.set("treatment_sludge_dry_t", (precipitate_kg + lime_kg * (1.0 - utilisation)) / 1e3);
  row.add(kCost.name, treated_share * captured * cost[0]);
  // The plants run in the years the measure is applied: the next year starts without them.
  std::fill(capture.begin(), capture.end(), 0.0f);
  capacity[0] = 0.0;
  cost[0] = 0.0;
}

// ---------------------------------------------------------------- the measure

namespace {

class WaterTreatmentMeasure final : public MeasureType {
 public:
  std::string_view name() const override { return "water_treatment"; }
  std::string_view doc() const override {
    return "Collect the drainage of the zone (the water percolating below its profile: toe and "
           "under-drains) and treat it in an active lime plant (neutralisation and metal "
           "precipitation) in the years given (every_years: 1 for a plant that runs): the "
           "metals removed, the lime, the sludge and the operating cost are reported; what the "
           "plant cannot take bypasses it.";
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr MeasureParameterSpec specs[] = {
        {"capacity_m3_per_day", "m3 d-1", false, false, 500.0, 0, 1e7,
         "the plant's treatment capacity"},
        {"capture_fraction", "1", false, false, 0.8, 0, 1,
         "share of the zone's drainage the drains collect (assumption; seepage bypasses "
         "drains)"},
        {"cost_yuan_per_m3", "CNY m-3", false, false, 5.0, 0, 1e4,
         "operating cost per m3 treated (assumption: about USD 0.7; lime plants report USD "
         "0.1-2, INAP GARD Guide ch. 7)"},
    };
    return specs;
  }
  std::span<const FieldSpec> fields() const override {
    using namespace fields;
    static constexpr FieldSpec specs[] = {updates(kTreatmentCapture), updates(kTreatmentCapacity),
                                          updates(kTreatmentCost)};
    return specs;
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    auto capture = fields.write(fields::kTreatmentCapture);
    const auto share = static_cast<float>(a.measure.numbers.at("capture_fraction"));
    for (std::size_t c : a.zone_cells) capture[c] = std::max(capture[c], share);
    // Several plants: their capacities add, their costs are capacity-weighted.
    auto capacity = fields.write(fields::kTreatmentCapacity);
    auto cost = fields.write(fields::kTreatmentCost);
    const double added = a.measure.numbers.at("capacity_m3_per_day") * 365.0;
    const double total = capacity[0] + added;
    if (total > 0.0)
      cost[0] = (cost[0] * capacity[0] + a.measure.numbers.at("cost_yuan_per_m3") * added) / total;
    capacity[0] = total;
  }
};

}  // namespace

std::unique_ptr<MeasureType> water_treatment_measure() {
  return std::make_unique<WaterTreatmentMeasure>();
}

}  // namespace minetwin::metals
