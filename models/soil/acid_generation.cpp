#include "models/soil/acid_generation.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/core/calendar.hpp"
#include "engine/core/ledger.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/soil/soil_measures.hpp"

namespace minetwin::soil {
namespace {

// Oxygen in air and water (Aachib et al. 2004, Water Air Soil Pollut. 156:163): free-air
// diffusion coefficient Da, in water Dw, dimensionless Henry's constant H (about 0.03 at 20 °C).
constexpr double kAirDiffusivity = 1.8e-5;    // m2 s-1
constexpr double kWaterDiffusivity = 2.5e-9;  // m2 s-1
constexpr double kHenry = 0.03;               // 1
constexpr double kOxygenInAir = 8.7;          // mol m-3: 20.9 % at 101.3 kPa, 20 °C (0.28 kg m-3)
constexpr double kParticleDensity = 2650.0;   // kg m-3 of the mineral grains
constexpr double kPyritePerSulfur = 119.98 / 64.13;            // kg FeS2 per kg S
constexpr double kSulfurMolarMass = 0.03206;                   // kg mol-1
constexpr double kCarbonatePerCharge = kCalciteMolarMass / 2;  // kg CaCO3 per mol(+)
// 2 mol H+ per mol S, neutralised by 1 mol CaCO3: 100.09 / 32.06 = 3.122 kg CaCO3 per kg S, the
// maximum potential acidity of acid-base accounting (Sobek et al. 1978 round it to 31.25 kg
// CaCO3 per t and % S; the exact ratio keeps the charge balance).
constexpr double kCarbonatePerSulfur = kCalciteMolarMass / kSulfurMolarMass;

using namespace fields;
constexpr TypedFieldSpec<float> kSoilAcidGenerated{
    "soil__acid_generated",
    "kg m-2",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "acidity made by sulfide oxidation in the year, as the CaCO3 that neutralises it"};
constexpr TypedFieldSpec<float> kSoilNetNeutralisationPotential{
    "soil__net_neutralisation_potential",
    "kg t-1",
    Location::layer,
    Intent::out,
    ElementType::float32,
    true,
    "NNP = NP - MPA of the fine earth, kg CaCO3 per t (acid-base accounting, Sobek et al. "
    "1978): negative is potentially acid forming"};
constexpr TypedFieldSpec<float> kSoilLimeRequirement{
    "soil__lime_requirement",
    "t ha-1",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "CaCO3 to neutralise the profile's potential acidity that its carbonate does not cover and "
    "to bring every layer to the target pH"};
constexpr TypedFieldSpec<double> kSulfideSulfurLedgerStock{
    "sulfide_sulfur__ledger_stock",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "sulfide S in the soil profiles at the last close of the sulfur ledger"};
constexpr TypedFieldSpec<double> kCarbonateLedgerStock{
    "carbonate__ledger_stock",
    "kg",
    Location::site,
    Intent::inout,
    ElementType::float64,
    false,
    "carbonate in the soil profiles at the last close of the carbonate ledger"};
constexpr FieldSpec kFields[] = {
    reads(kLayerThickness),
    reads(kBulkDensity),
    reads(kRockFragments),
    reads(kOrganicCarbon),
    reads(kClay),
    reads(kZoneId),
    reads(kSoilWaterDepth),
    updates(kSoilPh),
    kSulfideSulfur,
    kCarbonate,
    kSoilAcidGenerated,
    kSoilNetNeutralisationPotential,
    kSoilLimeRequirement,
    kSulfideSulfurLedgerStock,
    kCarbonateLedgerStock,
    kSulfideAddedBook,
    kSulfideExcavatedBook,
    kSulfideExportedBook,
    kSulfideTrappedBook,
    kCarbonateAddedBook,
    kCarbonateExcavatedBook,
    kCarbonateExportedBook,
    kCarbonateTrappedBook,
};

constexpr ParameterSpec kParameters[] = {
    {"pyrite_reactivity", "m3 m-2 s-1", 5e-10, 1e-12, 1e-7,
     "Collin 1987; Mbonimpa et al. 2003 (K' of the Collin model, 5e-10 for tailings)",
     "oxygen consumed per unit of pyrite surface area and time (K')"},
    {"grain_diameter_m", "m", 5e-5, 1e-6, 0.1,
     "Mbonimpa et al. 2003: D_H of silt-sized tailings (tens of micrometres)",
     "equivalent grain diameter D_H of the sulfidic material"},
    {"acid_floor_ph", "1", 2.5, 1.5, 5.0,
     "ferric iron hydrolysis buffers acid mine soils near pH 2.5-3 (Blowes et al. 2003)",
     "lowest pH that sulfide acidity takes a layer to"},
    {"target_ph", "1", 6.5, 4.0, 8.3, "MineTwin default: neutral soil for revegetation",
     "the pH the lime requirement brings every layer to"},
};

constexpr SummaryColumn kColumns[] = {
    {"sulfide_oxidised_t", "t", "sulfide sulfur oxidised in the year"},
    {"sulfate_produced_t", "t", "sulfate made by sulfide oxidation in the year"},
    {"acidity_generated_t_caco3", "t", "acidity made in the year, as CaCO3 equivalent"},
    {"carbonate_consumed_t", "t", "carbonate (CaCO3 equivalent) dissolved by that acidity"},
    {"lime_requirement_t", "t",
     "CaCO3 the site needs at the year's end to neutralise its potential acidity and reach the "
     "target pH (soil__lime_requirement summed)"},
    {"acid_drainage_acidity_t_caco3", "t",
     "acidity that neither carbonate nor the soil's pH buffer took (the layer at the acid floor "
     "pH): it leaves with the drainage, as CaCO3 equivalent"},
    {"acid_drainage_sulfate_t", "t",
     "sulfate leaving with the drainage: all that oxidation made in the year (no gypsum "
     "precipitation or storage: an upper bound)"},
    {"sulfide_sulfur_stock_t", "t", "sulfide S in the site's soil profiles at the year's end"},
    {"carbonate_stock_t", "t",
     "carbonate (CaCO3 equivalent) in the site's soil profiles at the year's end"},
    {"sulfur_ledger_relative_residual", "1",
     "|residual| of the year's sulfide-S ledger (profiles + added - excavated - eroded off site "
     "or into pit lakes - oxidised), relative to its largest term"},
    {"carbonate_ledger_relative_residual", "1",
     "|residual| of the year's carbonate ledger (profiles + added by materials and lime - "
     "excavated - eroded - dissolved by acidity), relative to its largest term"},
};

// The site's sulfide-S and carbonate in the soil profiles (kg).
std::pair<double, double> mineral_stocks(const FieldAccess& fields) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = state.soil_layers();
  const auto thickness = fields.read(kLayerThickness);
  const auto density = fields.read(kBulkDensity);
  const auto rock = fields.read(kRockFragments);
  const auto sulfide = fields.read(kSulfideSulfur);
  const auto carbonate = fields.read(kCarbonate);
  double s = 0.0, c = 0.0;
  for (std::size_t l = 0; l < layers; ++l)
    for (std::size_t cell = 0; cell < n; ++cell) {
      if (!grid.is_valid(cell)) continue;
      const std::size_t i = l * n + cell;
      const double mass = fine_earth_mass(thickness[i], rock[i], density[i]);
      s += sulfide[i] * mass;
      c += carbonate[i] * mass;
    }
  return {s * grid.cell_area_m2(), c * grid.cell_area_m2()};
}

// The layer properties both passes read: fine-earth mass, porosity, buffer capacity.
struct LayerProperties {
  std::span<const double> thickness;
  std::span<const float> density, rock, carbon, clay;
  explicit LayerProperties(const FieldAccess& fields)
      : thickness(fields.read(kLayerThickness)),
        density(fields.read(kBulkDensity)),
        rock(fields.read(kRockFragments)),
        carbon(fields.read(kOrganicCarbon)),
        clay(fields.read(kClay)) {}
  double fine_mass(std::size_t i) const {  // kg m-2
    return fine_earth_mass(thickness[i], rock[i], density[i]);
  }
  double porosity(std::size_t i) const {
    return std::max(0.0, (1.0 - rock[i]) * (1.0 - density[i] / kParticleDensity));
  }
  double buffer(std::size_t i) const { return ph_buffer_capacity(carbon[i], clay[i]); }
};

}  // namespace

double oxygen_diffusivity(double porosity, double water) {
  if (porosity <= 0.0) return 0.0;
  const double wet = std::clamp(water, 0.0, porosity), air = porosity - wet;
  return (kAirDiffusivity * std::pow(air, 10.0 / 3.0) +
          kHenry * kWaterDiffusivity * std::pow(wet, 10.0 / 3.0)) /
         (porosity * porosity);
}

void oxygen_consumption(std::span<const double> thickness, std::span<const double> diffusivity,
                        std::span<const double> rate, std::span<double> consumed) {
  const std::size_t layers = thickness.size();
  // Bottom up: each layer's admittance (flux into its top per unit concentration there), from
  // the admittance below it (0: no flux into the rock).
  thread_local std::vector<double> top, below;  // a cell's layers: no allocation per cell
  top.resize(layers);
  below.resize(layers);
  double admittance = 0.0;
  for (std::size_t l = layers; l-- > 0;) {
    below[l] = admittance;
    const double d = diffusivity[l], length = thickness[l], k = rate[l];
    if (d <= 0.0 || length <= 0.0) {
      admittance = length <= 0.0 ? admittance : 0.0;  // an empty layer passes, a sealed one not
    } else if (k <= 0.0) {
      admittance = admittance / (1.0 + admittance * length / d);  // resistances in series
    } else {
      const double lambda = std::sqrt(k / d), z = d * lambda, t = std::tanh(lambda * length);
      admittance = z * (admittance + z * t) / (z + admittance * t);
    }
    top[l] = admittance;
  }
  // Top down: the concentration at each layer's top, and what the layer keeps of the flux.
  double concentration = kOxygenInAir;
  for (std::size_t l = 0; l < layers; ++l) {
    const double d = diffusivity[l], length = thickness[l], k = rate[l];
    const double in = top[l] * concentration;
    double bottom = 0.0;
    if (length <= 0.0) {
      bottom = concentration;
    } else if (d > 0.0 && k <= 0.0) {
      bottom = concentration / (1.0 + below[l] * length / d);
    } else if (d > 0.0) {
      // C(L) = C(0) sech(λL) / (1 + (G_below / (De λ)) tanh(λL)), stable for large λL.
      const double lambda = std::sqrt(k / d), x = lambda * length;
      bottom = concentration / (std::cosh(x) * (1.0 + below[l] / (d * lambda) * std::tanh(x)));
    }
    consumed[l] = std::max(0.0, in - below[l] * bottom);
    concentration = bottom;
  }
}

std::span<const FieldSpec> AcidGeneration::fields() const {
  return kFields;
}
std::span<const ParameterSpec> AcidGeneration::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> AcidGeneration::summary_columns() const {
  if (columns_.empty()) return kColumns;  // before initialize(): the site-wide ones
  return columns_;
}
std::string_view AcidGeneration::citation() const {
  return "Nicholson et al. 1989, Mbonimpa et al. 2003 (oxygen flux into reactive tailings); "
         "Collin 1987 (Kr); Aachib et al. 2004 (De); Sobek et al. 1978 (acid-base accounting)";
}

void AcidGeneration::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  // Per zone, for the planner's table (the report's "Acid drainage and lime by zone"): the lime a
  // zone still needs and the pH of the water leaving its profile.
  const auto& zones = fields.state().zone_names;
  zone_column_names_.clear();
  zone_column_docs_.clear();
  for (const auto& zone : zones) {
    zone_column_names_.push_back("lime_requirement_" + zone + "_t_per_ha");
    zone_column_docs_.push_back("mean lime requirement of zone " + zone + " at the year's end");
    zone_column_names_.push_back("drainage_ph_" + zone);
    zone_column_docs_.push_back("mean pH of the bottom layer of zone " + zone +
                                " (the water leaving its profile) in December");
  }
  columns_.assign(std::begin(kColumns), std::end(kColumns));
  for (std::size_t k = 0; k < zone_column_names_.size(); ++k)
    columns_.push_back({zone_column_names_[k], k % 2 == 0 ? "t ha-1" : "1", zone_column_docs_[k]});
  account(fields, StepContext{});
  // The ledgers' first opening stocks: the site as built, before the first year's measures.
  const auto [sulfide, carbonate] = mineral_stocks(fields);
  fields.write(kSulfideSulfurLedgerStock)[0] = sulfide;
  fields.write(kCarbonateLedgerStock)[0] = carbonate;
}

void AcidGeneration::update(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = state.soil_layers();
  const LayerProperties layer(fields);
  const auto thickness = layer.thickness;
  const auto water = fields.read(kSoilWaterDepth);
  auto ph = fields.write(kSoilPh);
  auto sulfide = fields.write(kSulfideSulfur);
  auto carbonate = fields.write(kCarbonate);
  auto generated = fields.write(kSoilAcidGenerated);
  if (step.month == 1) std::fill(generated.begin(), generated.end(), 0.0f);
  const double seconds = kDaysInMonth[step.month - 1] * 86400.0;
  const double surface_rate = parameters_.get("pyrite_reactivity") * 6.0 /
                              parameters_.get("grain_diameter_m");  // Kr per (1 - n) Cp, s-1
  const double floor = parameters_.get("acid_floor_ph");
  if (step.month == 1) open_ledgers(fields);
  // Each cell's layers are independent of the other cells': blocks of cells run in parallel and
  // note what each reacting layer adds to the month's totals, which are then summed in cell and
  // layer order (the same bits with any number of threads, and as one serial pass).
  struct Reaction {
    double oxidised, acidity, dissolved, drained;  // kg m-2 (drained: mol(+) m-2)
    bool drains;                                   // drained is added to the total
  };
  const std::size_t blocks = (n + kCellBlock - 1) / kCellBlock;
  std::vector<std::vector<Reaction>> reactions(blocks);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    std::vector<Reaction>& noted = reactions[begin / kCellBlock];
    std::vector<double> depth(layers), diffusivity(layers), rate(layers), consumed(layers);
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      // Most cells hold no sulfide: nothing to compute.
      bool sulfidic = false;
      for (std::size_t l = 0; l < layers && !sulfidic; ++l) sulfidic = sulfide[l * n + c] > 0.0;
      if (!sulfidic) continue;
      for (std::size_t l = 0; l < layers; ++l) {
        const std::size_t i = l * n + c;
        depth[l] = std::max(0.0, thickness[i]);
        diffusivity[l] =
            depth[l] > 0.0 ? oxygen_diffusivity(layer.porosity(i), water[i] / depth[l]) : 0.0;
        rate[l] = surface_rate * (1.0 - layer.porosity(i)) * sulfide[i] * kPyritePerSulfur;
      }
      oxygen_consumption(depth, diffusivity, rate, consumed);
      for (std::size_t l = 0; l < layers; ++l) {
        const std::size_t i = l * n + c;
        const double mass = layer.fine_mass(i);  // kg m-2
        if (mass <= 0.0 || consumed[l] <= 0.0) continue;
        const double sulfur = sulfide[i] * mass;  // kg S m-2
        // 15/4 mol O2 per mol FeS2, 2 mol S per FeS2: 15/8 mol O2 per mol S.
        const double taken = std::min(sulfur, consumed[l] * seconds / 1.875 * kSulfurMolarMass);
        sulfide[i] = (sulfur - taken) / mass;
        // Acidity as the CaCO3 that neutralises it; the layer's carbonate goes first.
        const double need = taken * kCarbonatePerSulfur;  // kg CaCO3 m-2
        const double available = carbonate[i] * mass;
        const double neutralised = std::min(need, available);
        carbonate[i] = (available - neutralised) / mass;
        const double left = (need - neutralised) / kCarbonatePerCharge;  // mol(+) m-2
        Reaction reaction{taken, need, neutralised, 0.0, false};
        if (left > 0.0 && ph[i] > floor) {
          const double drop = left / (mass * layer.buffer(i));
          const double before = ph[i];
          ph[i] = static_cast<float>(std::max(floor, ph[i] - drop));
          // What the buffer could not take at the floor leaves with the drainage.
          if (before - drop < floor) {
            reaction.drained = left - (before - floor) * mass * layer.buffer(i);
            reaction.drains = true;
          }
        } else if (left > 0.0) {
          reaction.drained = left;
          reaction.drains = true;
        }
        generated[c] += static_cast<float>(need);
        noted.push_back(reaction);
      }
    }
  });
  double oxidised = 0.0, acidity = 0.0, dissolved = 0.0;  // kg m-2 summed over cells
  double drained = 0.0;                                   // mol(+) m-2 summed over cells
  for (const auto& block : reactions)
    for (const Reaction& reaction : block) {
      if (reaction.drains) drained += reaction.drained;
      oxidised += reaction.oxidised;
      acidity += reaction.acidity;
      dissolved += reaction.dissolved;
    }
  const double area = grid.cell_area_m2() / 1000.0;  // kg m-2 summed -> t
  step.summary->add("sulfide_oxidised_t", oxidised * area);
  step.summary->add("sulfate_produced_t", oxidised * area * 96.06 / 32.06);
  step.summary->add("acidity_generated_t_caco3", acidity * area);
  step.summary->add("carbonate_consumed_t", dissolved * area);
  step.summary->add("acid_drainage_acidity_t_caco3", drained * kCarbonatePerCharge * area);
  step.summary->add("acid_drainage_sulfate_t", oxidised * area * 96.06 / 32.06);
  oxidised_kg_ += oxidised * grid.cell_area_m2();
  dissolved_kg_ += dissolved * grid.cell_area_m2();
  if (step.month == 12) {
    account(fields, step);
    close_ledgers(fields, step);
  }
}

// The year's ledgers open with the stocks of the last close, kept in State (a resumed run opens
// with the same bits): what moved sulfide or carbonate since then, last year's soil
// redistribution (after the close) and this year's measures (before January), must be in the
// books for the ledgers to close.
void AcidGeneration::open_ledgers(FieldAccess& fields) {
  sulfide_open_ = fields.read(kSulfideSulfurLedgerStock)[0];
  carbonate_open_ = fields.read(kCarbonateLedgerStock)[0];
  oxidised_kg_ = dissolved_kg_ = 0.0;
}

void AcidGeneration::close_ledgers(FieldAccess& fields, const StepContext& step) {
  auto take = [&](const FieldSpec& f) {
    auto field = fields.write<double>(f.name);
    const double value = field[0];
    field[0] = 0.0;  // the books start empty each year
    return value;
  };
  // One ledger: the opening stock, the books (taken), what the acid consumed, the closing stock.
  auto close = [&](const char* quantity, double open, const FieldSpec& added,
                   const FieldSpec& excavated, const FieldSpec& exported, const FieldSpec& trapped,
                   const char* consumed_by, double consumed, double stock) {
    Ledger ledger(quantity, "kg");
    ledger.open(open);
    ledger.add_input("added_by_measures", take(added));
    ledger.add_output("excavated", take(excavated));
    ledger.add_output("sediment_exported", take(exported));
    ledger.add_output("to_pit_lakes", take(trapped));
    ledger.add_output(consumed_by, consumed);
    ledger.close(stock);
    return ledger.relative_residual();
  };
  const auto [sulfide, carbonate] = mineral_stocks(fields);
  const double sulfur_residual =
      close("sulfide S", sulfide_open_, kSulfideAddedBook, kSulfideExcavatedBook,
            kSulfideExportedBook, kSulfideTrappedBook, "oxidised", oxidised_kg_, sulfide);
  const double carbonate_residual =
      close("carbonate", carbonate_open_, kCarbonateAddedBook, kCarbonateExcavatedBook,
            kCarbonateExportedBook, kCarbonateTrappedBook, "dissolved_by_acidity", dissolved_kg_,
            carbonate);
  fields.write(kSulfideSulfurLedgerStock)[0] = sulfide;
  fields.write(kCarbonateLedgerStock)[0] = carbonate;
  step.summary->set("sulfide_sulfur_stock_t", sulfide / 1000.0);
  step.summary->set("carbonate_stock_t", carbonate / 1000.0);
  step.summary->set("sulfur_ledger_relative_residual", sulfur_residual);
  step.summary->set("carbonate_ledger_relative_residual", carbonate_residual);
}

void AcidGeneration::account(FieldAccess& fields, const StepContext& step) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const std::size_t n = grid.cell_count(), layers = state.soil_layers();
  const LayerProperties layer(fields);
  const auto ph = fields.read(kSoilPh);
  const auto sulfide = fields.read(kSulfideSulfur);
  const auto carbonate = fields.read(kCarbonate);
  auto net = fields.write(kSoilNetNeutralisationPotential);
  auto requirement = fields.write(kSoilLimeRequirement);
  const double target = parameters_.get("target_ph");
  // The cells in parallel blocks; their requirements summed in cell order afterwards (the same
  // bits as one serial pass).
  std::vector<double> cell_lime(n, 0.0);  // kg CaCO3 m-2
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      double lime = 0.0;
      for (std::size_t l = 0; l < layers; ++l) {
        const std::size_t i = l * n + c;
        const double potential_acidity = sulfide[i] * kCarbonatePerSulfur;  // kg CaCO3 kg-1
        net[i] = static_cast<float>((carbonate[i] - potential_acidity) * 1000.0);
        const double mass = layer.fine_mass(i);
        if (mass <= 0.0) continue;
        lime += std::max(0.0, potential_acidity - carbonate[i]) * mass;
        if (ph[i] < target) lime += (target - ph[i]) * layer.buffer(i) * mass * kCarbonatePerCharge;
      }
      requirement[c] = static_cast<float>(lime * 10.0);  // kg m-2 -> t ha-1
      cell_lime[c] = lime;
    }
  });
  double total = 0.0;
  for (std::size_t c = 0; c < n; ++c)
    if (grid.is_valid(c)) total += cell_lime[c];
  if (step.summary == nullptr) return;
  step.summary->set("lime_requirement_t", total * grid.cell_area_m2() / 1000.0);
  const auto zone = fields.read(kZoneId);
  const std::size_t zones = state.zone_names.size();
  std::vector<double> cells(zones, 0.0), lime_sum(zones, 0.0), ph_sum(zones, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    if (!grid.is_valid(c)) continue;
    const auto z = static_cast<std::size_t>(zone[c]);
    if (z >= zones) continue;  // a state without zone names (a unit test's cell)
    cells[z] += 1.0;
    lime_sum[z] += requirement[c];
    ph_sum[z] += ph[(layers - 1) * n + c];
  }
  for (std::size_t z = 0; z < zones; ++z) {
    const double count = std::max(cells[z], 1.0);
    step.summary->set(zone_column_names_[2 * z], lime_sum[z] / count);
    step.summary->set(zone_column_names_[2 * z + 1], ph_sum[z] / count);
  }
}

}  // namespace minetwin::soil
