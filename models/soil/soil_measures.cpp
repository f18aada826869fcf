#include "models/soil/soil_measures.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/fields.hpp"
#include "models/soil/soil_profile.hpp"

namespace minetwin::soil {
namespace {

constexpr double kNoDefault = std::numeric_limits<double>::quiet_NaN();
constexpr SummaryColumn kCost = {"measures_cost_yuan", "CNY",
                                 "cost of the measures applied in the year"};
// Emission factors of the works (docs/models/carbon.md): diesel per m3 of earthworks and per ha
// of ripping, loose-soil density and a heavy truck's CO2 per tonne-km (assumptions within
// typical ranges).
constexpr double kEarthworksDieselPerM3 = 0.4, kRippingDieselPerHa = 30.0;
constexpr double kLooseSoilTonnesPerM3 = 1.5, kTruckCo2PerTonneKm = 0.1;

double number(const MeasureApplication& a, const char* name) {
  return a.measure.numbers.at(name);
}
double hectares(const FieldAccess& fields, const MeasureApplication& a) {
  return static_cast<double>(a.zone_cells.size()) * fields.state().grid().cell_area_m2() / 1e4;
}

void book(FieldAccess& fields, const char* kind, const std::array<double, kMetalCount>& kg) {
  for (std::size_t m = 0; m < kMetalCount; ++m) {
    const std::string name = std::string("metal_") + kMetalKeys[m] + "__" + kind;
    fields.write<double>(name)[0] += kg[m];
  }
}

// Sulfide S and carbonate (kg) placed or removed, for acid_generation's ledgers.
struct MineralMoves {
  double sulfide = 0, carbonate = 0;
  void add(const Slab& slab, double area) {
    sulfide += slab.sulfide_sulfur * area;
    carbonate += slab.carbonate * area;
  }
};
void book(FieldAccess& fields, const FieldSpec& sulfide_book, const FieldSpec& carbonate_book,
          const MineralMoves& kg) {
  fields.write<double>(sulfide_book.name)[0] += kg.sulfide;
  fields.write<double>(carbonate_book.name)[0] += kg.carbonate;
}

// Fields of measures that edit the soil profile, plus the metal books and the elevation.
std::vector<FieldSpec> profile_measure_fields(bool elevation) {
  std::vector<FieldSpec> specs(profile_fields().begin(), profile_fields().end());
  for (const FieldSpec& f : {MINETWIN_METAL_BOOKS("added_by_measures"),
                             MINETWIN_METAL_BOOKS("excavated"), MINETWIN_METAL_BOOKS("harvested")})
    specs.push_back(f);
  for (const FieldSpec& f : {fields::kSulfideAddedBook, fields::kSulfideExcavatedBook,
                             fields::kCarbonateAddedBook, fields::kCarbonateExcavatedBook})
    specs.push_back(f);
  if (elevation) specs.push_back(fields::updates(fields::kElevation));
  specs.push_back(fields::updates(fields::kRestorationEmissions));
  return specs;
}

// ---------------------------------------------------------------- placing and mixing soil
class SoilPlacement final : public MeasureType {
 public:
  enum class Kind { topsoil_cover, soil_replacement, deep_tillage };
  explicit SoilPlacement(Kind kind) : kind_(kind), fields_(profile_measure_fields(true)) {
    if (kind_ != Kind::deep_tillage) {
      fields_.push_back(fields::kCoverThickness);
      fields_.push_back(fields::kCoverBreached);
    }
  }
  std::string_view name() const override {
    return kind_ == Kind::topsoil_cover      ? "topsoil_cover"
           : kind_ == Kind::soil_replacement ? "soil_replacement"
                                             : "deep_tillage";
  }
  std::string_view doc() const override {
    switch (kind_) {
      case Kind::topsoil_cover:
        return "Spread a material (topsoil, clean fill) over the zone: the surface rises by the "
               "depth, the old profile moves down into the lower layers (the bottom layer "
               "thickens), and the material's metals enter the metal ledger as added.";
      case Kind::soil_replacement:
        return "Excavate the contaminated top of the profile to a depth, dispose of it off site "
               "(its metals leave the metal ledger as excavated) and replace it with a material.";
      default:
        return "Deep tillage (ripping and mixing): homogenise the profile down to a depth, "
               "conserving every amount (docs/models/soil.md).";
    }
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr MeasureParameterSpec cover[] = {
        {"depth_m", "m", false, true, 0, 0.01, 3.0, "thickness of material placed"},
        {"material", "", true, true, 0, 0, 0, "material name (`materials:`; built in: topsoil)"},
        {"cost_yuan_per_m3", "CNY m-3", false, false, 45.0, 0, 1e4,
         "haul and spread (assumption; parameters.md section 9)"},
        {"haul_km", "km", false, false, 5.0, 0, 500, "distance the material is hauled"},
    };
    static constexpr MeasureParameterSpec replace[] = {
        {"depth_m", "m", false, true, 0, 0.01, 3.0, "depth excavated and replaced"},
        {"material", "", true, true, 0, 0, 0, "replacement material (`materials:`)"},
        {"cost_yuan_per_m3", "CNY m-3", false, false, 180.0, 0, 1e5,
         "excavation, disposal as hazardous waste and replacement (assumption)"},
        {"haul_km", "km", false, false, 20.0, 0, 500,
         "distance to the disposal site and from the borrow pit (each way)"},
    };
    static constexpr MeasureParameterSpec tillage[] = {
        {"depth_m", "m", false, false, 0.5, 0.05, 2.0, "depth mixed"},
        {"cost_yuan_per_ha", "CNY ha-1", false, false, 1500.0, 0, 1e6, "unit cost (assumption)"},
    };
    switch (kind_) {
      case Kind::topsoil_cover:
        return cover;
      case Kind::soil_replacement:
        return replace;
      default:
        return tillage;
    }
  }
  std::span<const FieldSpec> fields() const override { return fields_; }
  std::span<const SummaryColumn> summary_columns() const override {
    static constexpr SummaryColumn columns[] = {
        kCost,
        {"soil_placed_m3", "m3", "soil material placed by topsoil cover and replacement"},
        {"soil_excavated_m3", "m3", "contaminated soil excavated and disposed of"},
    };
    return columns;
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    SoilProfiles profiles(fields);
    const double depth = number(a, "depth_m");
    const double area = fields.state().grid().cell_area_m2();
    auto z = fields.write(fields::kElevation);
    std::array<double, kMetalCount> added{}, removed{};
    MineralMoves minerals_added, minerals_removed;
    // The placed material is an engineered cover over the waste (landform_check.hpp): a cover
    // adds its depth, a replacement leaves at least its depth of clean material on top.
    std::span<double> cover;
    std::span<float> breached;
    if (kind_ != Kind::deep_tillage && fields.has(fields::kCoverThickness)) {
      cover = fields.write(fields::kCoverThickness);
      breached = fields.write(fields::kCoverBreached);
    }
    for (std::size_t c : a.zone_cells) {
      if (!cover.empty()) {
        cover[c] = kind_ == Kind::soil_replacement ? std::max(cover[c], depth) : cover[c] + depth;
        breached[c] = 0.0f;
      }
      std::vector<Slab> slabs = profiles.read(c);
      if (kind_ == Kind::deep_tillage) {
        mix_top(slabs, depth);
      } else {
        if (kind_ == Kind::soil_replacement) {
          const Slab gone = take_top(slabs, depth);
          for (std::size_t m = 0; m < kMetalCount; ++m) removed[m] += gone.metal[m] * area;
          minerals_removed.add(gone, area);
        } else {
          z[c] += depth;
        }
        const Slab placed = material_slab(a.measure.numbers, depth);
        for (std::size_t m = 0; m < kMetalCount; ++m) added[m] += placed.metal[m] * area;
        minerals_added.add(placed, area);
        slabs.insert(slabs.begin(), placed);
      }
      profiles.write(c, slabs);
    }
    book(fields, "added_by_measures", added);
    book(fields, "excavated", removed);
    book(fields, fields::kSulfideAddedBook, fields::kCarbonateAddedBook, minerals_added);
    book(fields, fields::kSulfideExcavatedBook, fields::kCarbonateExcavatedBook, minerals_removed);
    const double volume = depth * area * static_cast<double>(a.zone_cells.size());
    auto emissions = fields.write(fields::kRestorationEmissions);
    if (kind_ == Kind::deep_tillage) {
      a.summary->add(kCost.name, hectares(fields, a) * number(a, "cost_yuan_per_ha"));
      emissions[0] += hectares(fields, a) * kRippingDieselPerHa * fields::kDieselCo2PerLitre;
      return;
    }
    // Diesel to dig and spread (twice for replacement: out and in), and haulage by truck.
    const double moves = kind_ == Kind::soil_replacement ? 2.0 : 1.0;
    emissions[0] +=
        moves * volume * kEarthworksDieselPerM3 * fields::kDieselCo2PerLitre +
        moves * volume * kLooseSoilTonnesPerM3 * number(a, "haul_km") * kTruckCo2PerTonneKm;
    a.summary->add("soil_placed_m3", volume);
    if (kind_ == Kind::soil_replacement) a.summary->add("soil_excavated_m3", volume);
    a.summary->add(kCost.name, volume * number(a, "cost_yuan_per_m3"));
  }

 private:
  Kind kind_;
  std::vector<FieldSpec> fields_;
};

// ---------------------------------------------------------------- pH amendments
class PhAmendment final : public MeasureType {
 public:
  enum class Kind { lime, gypsum, ferrous_sulfate };
  explicit PhAmendment(Kind kind) : kind_(kind) {}
  std::string_view name() const override {
    return kind_ == Kind::lime ? "lime" : kind_ == Kind::gypsum ? "gypsum" : "ferrous_sulfate";
  }
  std::string_view doc() const override {
    switch (kind_) {
      case Kind::lime:
        return "Lime acid spoil: the carbonate neutralises acidity in the incorporation depth and "
               "the pH rises by the acidity neutralised over the soil's pH buffer capacity, up to "
               "8.3 (calcite in equilibrium with air). CO2 is released per IPCC 2006 (0.12 t C per "
               "t limestone, 0.13 per t dolomite).";
      case Kind::gypsum:
        return "Gypsum on alkaline (sodic) spoil: Ca2+ precipitates carbonate alkalinity as "
               "calcite, lowering the pH by the alkalinity removed over the buffer capacity, down "
               "to no lower than 7.8.";
      default:
        return "Ferrous sulfate on alkaline spoil: oxidation and hydrolysis of Fe2+ release 2 mol "
               "H+ per mol FeSO4·7H2O, lowering the pH by the acidity over the buffer capacity.";
    }
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr std::string_view products[] = {"limestone", "dolomite"};
    static constexpr MeasureParameterSpec lime[] = {
        // Sulfidic tailings need hundreds of t/ha (acid-base accounting: about 500 t CaCO3/ha
        // per % sulfide S and metre), so the bound is 2000.
        {"rate_t_per_ha", "t ha-1", false, true, 0, 0, 2000,
         "product applied (size it with soil__lime_requirement)"},
        {"product", "", true, false, 0, 0, 0, "limestone (CaCO3) or dolomite (CaMg(CO3)2)",
         products},
        {"incorporation_depth_m", "m", false, false, 0.2, 0.05, 1.0,
         "depth the lime is mixed into"},
        {"cost_yuan_per_t", "CNY t-1", false, false, 350.0, 0, 1e5,
         "product and spreading (assumption)"},
    };
    static constexpr MeasureParameterSpec gypsum[] = {
        {"rate_t_per_ha", "t ha-1", false, true, 0, 0, 200, "gypsum (CaSO4·2H2O) applied"},
        {"incorporation_depth_m", "m", false, false, 0.2, 0.05, 1.0, "depth mixed into"},
        {"cost_yuan_per_t", "CNY t-1", false, false, 300.0, 0, 1e5, "unit cost (assumption)"},
    };
    static constexpr MeasureParameterSpec ferrous[] = {
        {"rate_t_per_ha", "t ha-1", false, true, 0, 0, 100, "FeSO4·7H2O applied"},
        {"incorporation_depth_m", "m", false, false, 0.2, 0.05, 1.0, "depth mixed into"},
        {"cost_yuan_per_t", "CNY t-1", false, false, 800.0, 0, 1e5, "unit cost (assumption)"},
    };
    switch (kind_) {
      case Kind::lime:
        return lime;
      case Kind::gypsum:
        return gypsum;
      default:
        return ferrous;
    }
  }
  std::span<const FieldSpec> fields() const override {
    using namespace fields;
    static constexpr FieldSpec specs[] = {
        updates(kSoilPh),    reads(kOrganicCarbon),          reads(kClay),
        reads(kBulkDensity), reads(kRockFragments),          reads(kLayerThickness),
        kCarbonate,          updates(kRestorationEmissions), kCarbonateAddedBook};
    return specs;
  }
  std::span<const SummaryColumn> summary_columns() const override {
    static constexpr SummaryColumn lime[] = {
        kCost,
        {"lime_applied_t", "t", "liming product applied"},
        {"liming_co2_t", "t CO2", "CO2 released by the lime (IPCC 2006 eq. 11.12)"},
    };
    static constexpr SummaryColumn other[] = {kCost};
    return kind_ == Kind::lime ? std::span<const SummaryColumn>(lime)
                               : std::span<const SummaryColumn>(other);
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    const double rate_kg_m2 = number(a, "rate_t_per_ha") * 0.1;  // t/ha -> kg/m2
    const double depth = number(a, "incorporation_depth_m");
    const bool dolomite = kind_ == Kind::lime && a.measure.texts.count("product") &&
                          a.measure.texts.at("product") == "dolomite";
    // mol(+) per kg of product: CaCO3 100.09 g/mol, 2 mol(+); CaMg(CO3)2 184.4 g/mol, 4 mol(+);
    // gypsum 172.2 g/mol, 2 mol(+) of alkalinity precipitated; FeSO4·7H2O 278.0 g/mol, 2 H+.
    const double charge_per_kg = kind_ == Kind::lime
                                     ? (dolomite ? 4.0 / 0.1844 : 2.0 / kCalciteMolarMass)
                                 : kind_ == Kind::gypsum ? 2.0 / 0.1722
                                                         : 2.0 / 0.2780;
    const double direction = kind_ == Kind::lime ? 1.0 : -1.0;
    const double limit = kind_ == Kind::lime ? 8.3 : kind_ == Kind::gypsum ? 7.8 : 3.5;
    auto ph = fields.write(fields::kSoilPh);
    auto carbonate = fields.write(fields::kCarbonate);
    const auto carbon = fields.read(fields::kOrganicCarbon);
    const auto clay = fields.read(fields::kClay);
    const auto density = fields.read(fields::kBulkDensity);
    const auto rock = fields.read(fields::kRockFragments);
    const auto thickness = fields.read(fields::kLayerThickness);
    const std::size_t cells = fields.state().grid().cell_count();
    const std::size_t layers = fields.state().soil_layers();
    double carbonate_left = 0.0;  // kg m-2 summed over the cells
    for (std::size_t c : a.zone_cells) {
      // The product spreads evenly through the fine earth of the incorporation depth.
      double top = 0.0, mass_in_depth = 0.0;
      std::vector<double> share(layers, 0.0);
      for (std::size_t l = 0; l < layers; ++l) {
        const std::size_t i = l * cells + c;
        const double overlap = std::clamp(depth - top, 0.0, thickness[i]);
        share[l] = fine_earth_mass(overlap, rock[i], density[i]);
        mass_in_depth += share[l];
        top += thickness[i];
      }
      if (mass_in_depth <= 0) continue;
      const double charge_per_kg_soil = rate_kg_m2 * charge_per_kg / mass_in_depth;
      for (std::size_t l = 0; l < layers; ++l) {
        if (share[l] <= 0) continue;
        const std::size_t i = l * cells + c;
        const double buffer = ph_buffer_capacity(carbon[i], clay[i]);
        const double change = charge_per_kg_soil / buffer * direction;
        const double next = ph[i] + change;
        // Lime beyond what takes the layer to pH 8.3 stays as carbonate: neutralisation potential
        // that later acidity (sulfide oxidation, acid_generation.hpp) consumes first. Counted as
        // CaCO3 (100.09 g per 2 mol(+)), dolomite by its charge.
        if (kind_ == Kind::lime) {
          const double rise = ph[i] < limit ? std::min(next, limit) - ph[i] : 0.0;  // pH units
          const double spare = std::max(0.0, (charge_per_kg_soil - rise * buffer) * share[l]);
          const double layer_mass = fine_earth_mass(thickness[i], rock[i], density[i]);
          if (layer_mass > 0) {
            carbonate[i] += spare * (kCalciteMolarMass / 2) / layer_mass;
            carbonate_left += spare * (kCalciteMolarMass / 2);
          }
        }
        // The product stops changing pH at its limit; the rest stays unreacted.
        if (direction > 0 ? ph[i] < limit : ph[i] > limit)
          ph[i] = static_cast<float>(direction > 0 ? std::min(next, limit) : std::max(next, limit));
      }
    }
    if (carbonate_left > 0)
      fields.write(fields::kCarbonateAddedBook)[0] +=
          carbonate_left * fields.state().grid().cell_area_m2();
    const double tonnes = number(a, "rate_t_per_ha") * hectares(fields, a);
    a.summary->add(kCost.name, tonnes * number(a, "cost_yuan_per_t"));
    if (kind_ == Kind::lime) {
      a.summary->add("lime_applied_t", tonnes);
      const double co2_t = tonnes * (dolomite ? 0.13 : 0.12) * 44.0 / 12.0;
      a.summary->add("liming_co2_t", co2_t);
      fields.write(fields::kRestorationEmissions)[0] += co2_t * 1000.0;
    }
  }

 private:
  Kind kind_;
};

// ---------------------------------------------------------------- organic amendments
struct AmendmentKind {
  std::string_view name;
  double carbon_fraction;  // kg C per kg dry matter
  double stable_fraction;  // share of the carbon that resists decomposition (biochar)
  double cost_yuan_per_t;
  std::array<double, kMetalCount> metals_mg_kg;  // Cd Pb Zn Cu As Sb, dry matter
};
// Typical dry-matter compositions (docs/models/soil.md gives the sources and ranges): compost and
// manure carbon after IPCC/FAO compilations; municipal sewage sludge metals as reported for
// Chinese sludge (below the GB 4284-2018 class A limits); biochar 70 % C, 97 % stable (Wang,
// Xiong & Kuzyakov 2016, GCB Bioenergy 8:512: a labile 3 % with a mean residence time of 108
// days, the rest 556 years).
constexpr AmendmentKind kAmendments[] = {
    {"compost", 0.25, 0.0, 400.0, {0.6, 30, 250, 70, 6, 0.5}},
    {"manure", 0.35, 0.0, 150.0, {0.5, 6, 400, 150, 5, 0.2}},
    {"sewage_sludge", 0.30, 0.0, 80.0, {2.0, 60, 1000, 300, 15, 2.0}},
    {"biochar", 0.70, 0.97, 2500.0, {0.1, 5, 50, 20, 2, 0.2}},
};

class OrganicAmendment final : public MeasureType {
 public:
  OrganicAmendment() {
    fields_ = profile_measure_fields(false);
    fields_.push_back(fields::kManureInput);
    fields_.push_back(fields::kBiocharInput);
  }
  std::string_view name() const override { return "organic_amendment"; }
  std::string_view doc() const override {
    return "Compost, manure, sewage sludge or biochar mixed into the incorporation depth: organic "
           "carbon rises (biochar mostly stable), metal sorption rises with organic matter "
           "(Kd), and the amendment's own metals are added (sludge carries Cd and Zn).";
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr std::string_view kinds[] = {"compost", "manure", "sewage_sludge", "biochar"};
    static constexpr MeasureParameterSpec specs[] = {
        {"kind", "", true, true, 0, 0, 0, "the amendment", kinds},
        {"rate_t_per_ha", "t ha-1", false, true, 0, 0, 500, "dry matter applied"},
        {"carbon_fraction", "kg kg-1", false, false, kNoDefault, 0.01, 0.95,
         "carbon content of the dry matter"},
        {"incorporation_depth_m", "m", false, false, 0.2, 0.05, 1.0, "depth mixed into"},
        {"cd_mg_kg", "mg kg-1", false, false, kNoDefault, 0, 1e4, "Cd in the dry matter"},
        {"zn_mg_kg", "mg kg-1", false, false, kNoDefault, 0, 1e5, "Zn in the dry matter"},
        {"cost_yuan_per_t", "CNY t-1", false, false, kNoDefault, 0, 1e5, "unit cost"},
    };
    return specs;
  }
  std::span<const FieldSpec> fields() const override { return fields_; }
  std::span<const SummaryColumn> summary_columns() const override {
    static constexpr SummaryColumn columns[] = {
        kCost,
        {"amendment_carbon_t", "t C", "organic carbon added with amendments"},
        {"amendment_stable_carbon_t", "t C", "of which resistant (biochar)"},
    };
    return columns;
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    const AmendmentKind* kind = &kAmendments[0];
    for (const auto& k : kAmendments)
      if (k.name == a.measure.texts.at("kind")) kind = &k;
    auto value_or = [&](const char* key, double fallback) {
      const auto found = a.measure.numbers.find(key);
      return found == a.measure.numbers.end() ? fallback : found->second;
    };
    const double dry_kg_m2 = number(a, "rate_t_per_ha") * 0.1;
    const double carbon = dry_kg_m2 * value_or("carbon_fraction", kind->carbon_fraction);
    std::array<double, kMetalCount> metals_mg_kg = kind->metals_mg_kg;
    metals_mg_kg[0] = value_or("cd_mg_kg", metals_mg_kg[0]);
    metals_mg_kg[2] = value_or("zn_mg_kg", metals_mg_kg[2]);
    const double depth = number(a, "incorporation_depth_m");
    const double area = fields.state().grid().cell_area_m2();
    SoilProfiles profiles(fields);
    auto manure_input = fields.write(fields::kManureInput);
    auto biochar_input = fields.write(fields::kBiocharInput);
    std::array<double, kMetalCount> added{};
    for (std::size_t c : a.zone_cells) {
      std::vector<Slab> slabs = profiles.read(c);
      mix_top(slabs, depth);
      // The amendment's mass is small against the soil's and is counted as carbon and metals
      // only; the layer's fine-earth mass and thickness are unchanged.
      // The carbon goes to the soil-carbon model's inputs (manure split, biochar pool), which
      // put it into the pools and the organic-carbon field.
      Slab& top = slabs.front();
      manure_input[c] += carbon * (1.0 - kind->stable_fraction);
      biochar_input[c] += carbon * kind->stable_fraction;
      for (std::size_t m = 0; m < kMetalCount; ++m) {
        const double kg = dry_kg_m2 * metals_mg_kg[m] * 1e-6;
        top.metal[m] += kg;
        added[m] += kg * area;
      }
      profiles.write(c, slabs);
    }
    book(fields, "added_by_measures", added);
    const double total_area = area * static_cast<double>(a.zone_cells.size());
    a.summary->add("amendment_carbon_t", carbon * total_area / 1000.0);
    a.summary->add("amendment_stable_carbon_t",
                   carbon * kind->stable_fraction * total_area / 1000.0);
    a.summary->add(kCost.name, number(a, "rate_t_per_ha") * hectares(fields, a) *
                                   value_or("cost_yuan_per_t", kind->cost_yuan_per_t));
  }

 private:
  std::vector<FieldSpec> fields_;
};

// ---------------------------------------------------------------- cell-factor measures
// Phosphate, silicon, wetlands and caps set a per-cell (or top-layer) factor that the metals or
// hydrology model reads.
class FactorMeasure final : public MeasureType {
 public:
  enum class Kind { phosphate, silicon, constructed_wetland, capping };
  explicit FactorMeasure(Kind kind) : kind_(kind) {}
  std::string_view name() const override {
    switch (kind_) {
      case Kind::phosphate:
        return "phosphate";
      case Kind::silicon:
        return "silicon";
      case Kind::constructed_wetland:
        return "constructed_wetland";
      default:
        return "capping";
    }
  }
  std::string_view doc() const override {
    switch (kind_) {
      case Kind::phosphate:
        return "Phosphate (rock phosphate, hydroxyapatite) immobilises lead as pyromorphite: a "
               "share of the Pb in the incorporation depth becomes non-labile (neither leached nor "
               "taken up).";
      case Kind::silicon:
        return "Silicon fertiliser lowers the uptake of Cd and As by plants on the zone.";
      case Kind::constructed_wetland:
        return "Turn the zone into a constructed wetland: dissolved metals in water passing "
               "through are removed with a first-order rate over the residence time, 1 - "
               "exp(-k t), and stored in the wetland sediment.";
      default:
        return "Cap the zone with a low-permeability cover (compacted clay, geomembrane): only a "
               "share of the percolation passes; the rest drains laterally off the cap.";
    }
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr MeasureParameterSpec phosphate[] = {
        {"rate_t_per_ha", "t ha-1", false, false, 5.0, 0, 100, "phosphate product applied"},
        {"immobilised_fraction", "1", false, false, 0.5, 0, 0.95,
         "share of the Pb made non-labile (30-70 % reported; docs/models/metals.md)"},
        {"incorporation_depth_m", "m", false, false, 0.2, 0.05, 1.0, "depth mixed into"},
        {"cost_yuan_per_t", "CNY t-1", false, false, 1200.0, 0, 1e5, "unit cost (assumption)"},
    };
    static constexpr MeasureParameterSpec silicon[] = {
        {"uptake_reduction", "1", false, false, 0.4, 0, 0.95,
         "share by which Cd and As uptake falls (30-50 % reported in rice)"},
        {"rate_t_per_ha", "t ha-1", false, false, 1.0, 0, 50, "silicon fertiliser applied"},
        {"cost_yuan_per_t", "CNY t-1", false, false, 1500.0, 0, 1e5, "unit cost (assumption)"},
    };
    static constexpr MeasureParameterSpec wetland[] = {
        {"removal_rate_per_day", "d-1", false, false, 0.15, 0.001, 10,
         "first-order removal rate k of dissolved metals"},
        {"residence_time_days", "d", false, false, 5.0, 0.1, 100, "hydraulic residence time"},
        {"cost_yuan_per_ha", "CNY ha-1", false, false, 1.0e6, 0, 1e8, "construction (assumption)"},
    };
    static constexpr MeasureParameterSpec capping[] = {
        {"percolation_factor", "1", false, false, 0.1, 0, 1,
         "share of the percolation that passes the cap"},
        {"cost_yuan_per_ha", "CNY ha-1", false, false, 3.0e5, 0, 1e8, "unit cost (assumption)"},
    };
    switch (kind_) {
      case Kind::phosphate:
        return phosphate;
      case Kind::silicon:
        return silicon;
      case Kind::constructed_wetland:
        return wetland;
      default:
        return capping;
    }
  }
  std::span<const FieldSpec> fields() const override {
    using namespace fields;
    static constexpr FieldSpec phosphate[] = {updates(kPbImmobilisedFraction),
                                              reads(kLayerThickness)};
    static constexpr FieldSpec silicon[] = {updates(kUptakeFactorCdAs)};
    static constexpr FieldSpec wetland[] = {updates(kWetlandRemoval)};
    static constexpr FieldSpec capping[] = {updates(kCoverPercolationFactor)};
    switch (kind_) {
      case Kind::phosphate:
        return phosphate;
      case Kind::silicon:
        return silicon;
      case Kind::constructed_wetland:
        return wetland;
      default:
        return capping;
    }
  }
  std::span<const SummaryColumn> summary_columns() const override {
    static constexpr SummaryColumn columns[] = {kCost};
    return columns;
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    const double ha = hectares(fields, a);
    switch (kind_) {
      case Kind::phosphate: {
        auto fraction = fields.write(fields::kPbImmobilisedFraction);
        const auto thickness = fields.read(fields::kLayerThickness);
        const std::size_t cells = fields.state().grid().cell_count();
        const auto target = static_cast<float>(number(a, "immobilised_fraction"));
        const double depth = number(a, "incorporation_depth_m");
        for (std::size_t c : a.zone_cells) {
          double top = 0.0;
          for (std::size_t l = 0; l < fields.state().soil_layers() && top < depth; ++l) {
            const std::size_t i = l * cells + c;
            // A layer partly inside the depth is immobilised in proportion.
            const double inside = std::min(1.0, (depth - top) / thickness[i]);
            fraction[i] = std::max(fraction[i], static_cast<float>(inside) * target);
            top += thickness[i];
          }
        }
        a.summary->add(kCost.name, number(a, "rate_t_per_ha") * ha * number(a, "cost_yuan_per_t"));
        break;
      }
      case Kind::silicon: {
        auto factor = fields.write(fields::kUptakeFactorCdAs);
        const auto value = static_cast<float>(1.0 - number(a, "uptake_reduction"));
        for (std::size_t c : a.zone_cells) factor[c] = std::min(factor[c], value);
        a.summary->add(kCost.name, number(a, "rate_t_per_ha") * ha * number(a, "cost_yuan_per_t"));
        break;
      }
      case Kind::constructed_wetland: {
        auto removal = fields.write(fields::kWetlandRemoval);
        const auto value = static_cast<float>(
            1.0 - std::exp(-number(a, "removal_rate_per_day") * number(a, "residence_time_days")));
        for (std::size_t c : a.zone_cells) removal[c] = std::max(removal[c], value);
        a.summary->add(kCost.name, ha * number(a, "cost_yuan_per_ha"));
        break;
      }
      default: {
        auto factor = fields.write(fields::kCoverPercolationFactor);
        const auto value = static_cast<float>(number(a, "percolation_factor"));
        for (std::size_t c : a.zone_cells) factor[c] = std::min(factor[c], value);
        a.summary->add(kCost.name, ha * number(a, "cost_yuan_per_ha"));
      }
    }
  }

 private:
  Kind kind_;
};

// ---------------------------------------------------------------- phytoextraction
class Phytoextraction final : public MeasureType {
 public:
  Phytoextraction() {
    fields_ = profile_measure_fields(false);
    fields_.push_back(fields::kHerbLeafCarbon);
    fields_.push_back(fields::kHarvestedCarbon);
    // Declared as the planting measure and the vegetation model declare it (inout), so a run
    // without the vegetation model (landform only) still wires: there no herb grows and nothing
    // is harvested. The harvest only reads it.
    fields_.push_back(fields::kHerbPlantType);
  }
  std::string_view name() const override { return "phytoextraction"; }
  std::string_view doc() const override {
    return "Harvest a phytoextraction plant on the zone (grow it there with `planting`): where "
           "the herb layer is `plant_type`, the shoots standing at the start of the year, up to "
           "the yield, are cut; they took up the type's BCF (shoot/soil ratio, a column of "
           "`plant_types`) x the root-zone content x their dry matter, which leaves the site "
           "(metal ledger: harvested; carbon ledger: harvested biomass).";
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static constexpr MeasureParameterSpec specs[] = {
        {"plant_type",
         "",
         true,
         true,
         0,
         0,
         0,
         "the plant harvested: a type with BCFs (built in: pteris_vittata for As, sedum_alfredii "
         "for Cd and Zn; or a row of the scenario's `plant_types` with cd_bcf ... sb_bcf)",
         {},
         "plant_types"},
        {"yield_t_per_ha", "t ha-1", false, false, 3.0, 0, 50,
         "the most shoot dry matter harvested a year (what grew, up to this)"},
        {"harvest_fraction", "1", false, false, 0.6, 0, 1,
         "share of the standing shoots cut (the rest regrows; assumption)"},
        {"root_depth_m", "m", false, false, 0.3, 0.05, 2.0, "depth the roots take metal from"},
        {"cost_yuan_per_ha", "CNY ha-1", false, false, 15000.0, 0, 1e7,
         "planting, care, harvest and disposal of the biomass, per year (assumption)"},
    };
    return specs;
  }
  std::string check_on_grid(const Measure& measure, const RasterGrid&) const override {
    for (std::size_t m = 0; m < kMetalCount; ++m)
      if (measure.numbers.at(bcf_column(m)) > 0) return {};
    return "plant_type: '" + measure.texts.at("plant_type") +
           "' has no phytoextraction BCFs (its cd_bcf ... sb_bcf in plant_types are all 0); "
           "harvest a plant type that has them (pteris_vittata, sedum_alfredii) or give them in "
           "the scenario's plant_types table";
  }
  std::span<const FieldSpec> fields() const override { return fields_; }
  std::span<const SummaryColumn> summary_columns() const override {
    static constexpr SummaryColumn columns[] = {
        kCost, {"phytoextraction_harvest_t", "t", "shoot dry matter harvested this year"}};
    return columns;
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    std::array<double, kMetalCount> bcf{};
    for (std::size_t m = 0; m < kMetalCount; ++m) bcf[m] = a.measure.numbers.at(bcf_column(m));
    const double type_id = a.measure.numbers.at("plant_type.id");
    const auto herb_type = fields.read(fields::kHerbPlantType);
    // Shoots are 47 % carbon by dry mass (IPCC 2006 Vol. 4 Table 4.3).
    constexpr double kCarbonPerDryMatter = 0.47;
    const double most_kg_m2 = number(a, "yield_t_per_ha") * 0.1;
    const double cut = number(a, "harvest_fraction");
    const double depth = number(a, "root_depth_m");
    const double area = fields.state().grid().cell_area_m2();
    auto shoots = fields.write(fields::kHerbLeafCarbon);
    SoilProfiles profiles(fields);
    std::array<double, kMetalCount> harvested{};
    double harvested_dry_matter = 0.0, harvested_carbon = 0.0;
    for (std::size_t c : a.zone_cells) {
      // Only the plant harvested: where it died out or another herb took its place, nothing.
      if (static_cast<double>(herb_type[c]) != type_id) continue;
      const double yield_kg_m2 =
          std::min(most_kg_m2, cut * std::max(0.0, shoots[c]) / kCarbonPerDryMatter);
      if (yield_kg_m2 <= 0.0) continue;
      shoots[c] -= yield_kg_m2 * kCarbonPerDryMatter;
      harvested_dry_matter += yield_kg_m2 * area;
      harvested_carbon += yield_kg_m2 * kCarbonPerDryMatter * area;
      std::vector<Slab> slabs = profiles.read(c);
      // The share of each layer inside the root zone; the layers are not mixed.
      std::vector<double> inside(slabs.size(), 0.0);
      double top = 0.0, root_mass = 0.0;
      for (std::size_t l = 0; l < slabs.size(); ++l) {
        const double overlap = std::clamp(depth - top, 0.0, slabs[l].thickness);
        inside[l] = slabs[l].thickness > 0 ? overlap / slabs[l].thickness : 0.0;
        root_mass += inside[l] * slabs[l].fine_mass;
        top += slabs[l].thickness;
      }
      if (root_mass <= 0) continue;
      for (std::size_t m = 0; m < kMetalCount; ++m) {
        auto labile = [&](std::size_t l) {
          const Slab& s = slabs[l];
          return std::max(0.0, s.metal[m] - (m == 1 ? s.pb_immobilised : 0.0));
        };
        double root_labile = 0.0;
        for (std::size_t l = 0; l < slabs.size(); ++l) root_labile += inside[l] * labile(l);
        if (root_labile <= 0) continue;
        const double content_mg_kg = root_labile / root_mass * 1e6;
        // At most half the labile root-zone metal in one year (uptake saturates).
        const double uptake =
            std::min(bcf[m] * content_mg_kg * 1e-6 * yield_kg_m2, 0.5 * root_labile);
        for (std::size_t l = 0; l < slabs.size(); ++l)
          slabs[l].metal[m] -= uptake * inside[l] * labile(l) / root_labile;
        harvested[m] += uptake * area;
      }
      profiles.write(c, slabs);
    }
    book(fields, "harvested", harvested);
    fields.write(fields::kHarvestedCarbon)[0] += harvested_carbon;
    a.summary->add("phytoextraction_harvest_t", harvested_dry_matter / 1000.0);
    a.summary->add(kCost.name, hectares(fields, a) * number(a, "cost_yuan_per_ha"));
  }

 private:
  // The plant type's BCF of metal m, as the measure's number (plant_types column `<metal>_bcf`).
  static std::string bcf_column(std::size_t m) {
    return std::string("plant_type.") + kMetalKeys[m] + "_bcf";
  }
  std::vector<FieldSpec> fields_;
};

}  // namespace

double ph_buffer_capacity(double organic_carbon_fraction, double clay_fraction) {
  // mol(+) kg-1 pH-1 = (0.2 + 0.8 OC% + 0.03 clay%) / 100: buffering by organic matter and clay
  // (Curtin & Trolove 2013 find soil C the dominant predictor, clay secondary); coefficients are
  // MineTwin defaults giving 0.5-2 cmol(+)/kg/pH for mine spoil to loam, the typical range.
  return (0.2 + 80.0 * organic_carbon_fraction + 3.0 * clay_fraction) / 100.0;
}

std::vector<std::unique_ptr<MeasureType>> soil_measures() {
  std::vector<std::unique_ptr<MeasureType>> types;
  using P = SoilPlacement::Kind;
  using A = PhAmendment::Kind;
  using F = FactorMeasure::Kind;
  for (P k : {P::topsoil_cover, P::soil_replacement, P::deep_tillage})
    types.push_back(std::make_unique<SoilPlacement>(k));
  for (A k : {A::lime, A::gypsum, A::ferrous_sulfate})
    types.push_back(std::make_unique<PhAmendment>(k));
  types.push_back(std::make_unique<OrganicAmendment>());
  for (F k : {F::phosphate, F::silicon, F::constructed_wetland, F::capping})
    types.push_back(std::make_unique<FactorMeasure>(k));
  types.push_back(std::make_unique<Phytoextraction>());
  return types;
}

}  // namespace minetwin::soil
