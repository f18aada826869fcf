#include "models/vegetation/vegetation_measures.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/vegetation/plant_types.hpp"
#include "models/vegetation/vegetation_equations.hpp"
#include "models/vegetation/vegetation_fields.hpp"

namespace minetwin::vegetation {
namespace {

class Planting final : public MeasureType {
 public:
  std::string_view name() const override { return "planting"; }
  std::string_view doc() const override {
    return "Plant seedlings of one plant type on the zone (herbs into the herb layer, shrubs and "
           "trees into the woody layer). The share that survives is the type's soil factor (pH, "
           "metal toxicity, nutrients) times the fine-earth depth over its rooting depth (at "
           "most 1).";
  }
  std::span<const MeasureParameterSpec> parameters() const override {
    static const MeasureParameterSpec specs[] = {
        {"plant_type",
         "",
         true,
         true,
         0,
         0,
         0,
         "a plant type: built in (docs/models/vegetation.md) or the scenario's `plant_types`",
         {},
         "plant_types"},
        {"seedling_carbon_kg_m2", "kg m-2", false, false, std::numeric_limits<double>::quiet_NaN(),
         0.0001, 1.0, "carbon planted per m2 (default: the type's)"},
        {"cost_yuan_per_ha", "CNY ha-1", false, false, std::numeric_limits<double>::quiet_NaN(), 0,
         1e7, "seedlings and planting (default: herbs 3000, shrubs and trees 15000; assumption)"},
    };
    return specs;
  }
  std::span<const FieldSpec> fields() const override {
    using namespace fields;
    static constexpr FieldSpec specs[] = {reads(kSoilPh),
                                          reads(kOrganicCarbon),
                                          reads(kLayerThickness),
                                          reads(kRockFragments),
                                          metal_content(kMetalContentFields[0], Intent::in),
                                          metal_content(kMetalContentFields[1], Intent::in),
                                          metal_content(kMetalContentFields[2], Intent::in),
                                          metal_content(kMetalContentFields[3], Intent::in),
                                          metal_content(kMetalContentFields[4], Intent::in),
                                          metal_content(kMetalContentFields[5], Intent::in),
                                          kHerbLeaf,
                                          kHerbRoot,
                                          kWoodyLeaf,
                                          kWoodyStem,
                                          kWoodyRoot,
                                          kHerbType,
                                          kWoodyType,
                                          kWoodyAge,
                                          kPlantedCarbon};
    return specs;
  }
  std::span<const SummaryColumn> summary_columns() const override {
    static constexpr SummaryColumn columns[] = {
        {"measures_cost_yuan", "CNY", "cost of the measures applied in the year"},
        {"planted_area_ha", "ha", "area planted in the year"},
        {"planting_survival_mean", "1", "mean surviving share of the year's last planting"},
    };
    return columns;
  }
  void apply(FieldAccess& fields, const MeasureApplication& a) const override {
    // The type's row of the `plant_types` table travels with the measure (engine: tables).
    std::vector<double> row;
    for (const auto& c : plant_type_columns())
      row.push_back(a.measure.numbers.at("plant_type." + std::string(c.name)));
    const PlantType type = from_row(row);
    const auto id = static_cast<float>(a.measure.numbers.at("plant_type.id"));
    auto number_or = [&](const char* key, double fallback) {
      const auto found = a.measure.numbers.find(key);
      return found == a.measure.numbers.end() ? fallback : found->second;
    };
    const double seedling = number_or("seedling_carbon_kg_m2", type.seedling_carbon);
    const std::size_t n = fields.state().grid().cell_count();
    const std::size_t layers = fields.state().soil_layers();
    const auto ph = fields.read(fields::kSoilPh);
    const auto carbon = fields.read(fields::kOrganicCarbon);
    const auto thickness = fields.read(fields::kLayerThickness);
    const auto rock = fields.read(fields::kRockFragments);
    std::array<std::span<const double>, 6> metals;
    for (std::size_t k = 0; k < 6; ++k)
      metals[k] = fields.read<double>(fields::kMetalContentFields[k]);
    const bool woody = type.layer == Layer::woody;
    auto leaf = fields.write<double>(woody ? kWoodyLeaf.name : kHerbLeaf.name);
    auto root = fields.write<double>(woody ? kWoodyRoot.name : kHerbRoot.name);
    auto stem = fields.write(kWoodyStem);
    auto type_field = fields.write<float>(woody ? kWoodyType.name : kHerbType.name);
    auto age = fields.write(kWoodyAge);
    double planted = 0.0, survival_sum = 0.0;
    for (std::size_t c : a.zone_cells) {
      SoilConditions soil{ph[c], carbon[c], {}};
      for (std::size_t k = 0; k < 6; ++k) soil.metals_mg_kg[k] = metals[k][c];
      double fine_depth = 0.0;
      for (std::size_t l = 0; l < layers; ++l)
        fine_depth += thickness[l * n + c] * (1.0 - rock[l * n + c]);
      const double survival =
          soil_factor(type, soil) * std::min(1.0, fine_depth / type.rooting_depth_m);
      const double c_added = seedling * survival;
      leaf[c] += c_added * type.leaf_share;
      root[c] += c_added * type.root_share;
      if (woody) {
        stem[c] += c_added * type.stem_share;
        age[c] = 0.0f;
      } else {
        root[c] += c_added * type.stem_share;
      }
      type_field[c] = id;
      planted += c_added;
      survival_sum += survival;
    }
    const double area = fields.state().grid().cell_area_m2();
    fields.write(kPlantedCarbon)[0] += planted * area;
    const double hectares = static_cast<double>(a.zone_cells.size()) * area / 1e4;
    a.summary->add("measures_cost_yuan",
                   hectares * number_or("cost_yuan_per_ha", woody ? 15000.0 : 3000.0));
    a.summary->add("planted_area_ha", hectares);
    if (!a.zone_cells.empty())
      a.summary->set("planting_survival_mean",
                     survival_sum / static_cast<double>(a.zone_cells.size()));
  }
};

}  // namespace

std::vector<std::unique_ptr<MeasureType>> vegetation_measures() {
  std::vector<std::unique_ptr<MeasureType>> types;
  types.push_back(std::make_unique<Planting>());
  return types;
}

}  // namespace minetwin::vegetation
