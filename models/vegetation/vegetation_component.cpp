#include "models/vegetation/vegetation_component.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/core/summary.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/hydrology/hydrology_equations.hpp"
#include "models/vegetation/plant_types.hpp"
#include "models/vegetation/vegetation_equations.hpp"
#include "models/vegetation/vegetation_fields.hpp"
#include "models/vegetation/vegetation_passes.hpp"

namespace minetwin::vegetation {
namespace {

using namespace fields;

constexpr FieldSpec kFields[] = {
    reads_each_month(kAirTemperatureMonthly),
    reads_each_month(kPotentialEtMonthly),
    may_read(kLatitude),
    kSolarRadiationMonthlyTotal,
    reads_each_month(kEvapotranspirationMonthlyActual),
    reads(kSoilPh),
    reads(kOrganicCarbon),
    metal_content(kMetalContentFields[0], Intent::in),
    metal_content(kMetalContentFields[1], Intent::in),
    metal_content(kMetalContentFields[2], Intent::in),
    metal_content(kMetalContentFields[3], Intent::in),
    metal_content(kMetalContentFields[4], Intent::in),
    metal_content(kMetalContentFields[5], Intent::in),
    updates(kVegetationCover),
    kHerbLeaf,
    kHerbRoot,
    kWoodyLeaf,
    kWoodyStem,
    kWoodyRoot,
    kHerbType,
    kWoodyType,
    kWoodyAge,
    kPlantedCarbon,
    kNppTotal,
    kLitter,
    kLitterRatio,
    kLeafAreaIndex,
    kAnnualNpp,
};

constexpr ParameterSpec kParameters[] = {
    {"light_use_efficiency_g_c_per_mj", "g C MJ-1", 0.389, 0.05, 3.0,
     "Potter et al. 1993 (CASA maximum light-use efficiency; parameters.md section 1)",
     "NPP per unit of absorbed photosynthetically active radiation"},
    {"colonisation_distance_m", "m", 25.0, 1.0, 1000.0,
     "wind- and animal-dispersed herbs: most seed within tens of metres (assumption; sweep it)",
     "standard deviation of the Gaussian seed-dispersal kernel"},
    {"colonisation_rate", "1", 0.5, 0.0, 1.0, "MineTwin assumption; calibrate on site surveys",
     "share of a seedling stand that establishes a year where the seed rain is full"},
    {"default_latitude_deg", "degree", 40.0, -90.0, 90.0, "used only when the DEM has no CRS",
     "latitude for extraterrestrial radiation"},
};

constexpr SummaryColumn kColumns[] = {
    {"vegetation_cover_mean", "1", "mean fractional vegetation cover of the site"},
    {"npp_t_c", "t C", "net primary production of the site in the year"},
    {"biomass_aboveground_t_c", "t C", "leaves and stems at the end of the year"},
    {"biomass_belowground_t_c", "t C", "fine roots at the end of the year (coarse roots: stems)"},
};

}  // namespace

std::span<const FieldSpec> VegetationComponent::fields() const {
  return kFields;
}
std::span<const ParameterSpec> VegetationComponent::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> VegetationComponent::summary_columns() const {
  return kColumns;
}
std::string_view VegetationComponent::citation() const {
  return "CASA light-use efficiency (Potter et al. 1993); Monsi & Saeki 1953 (canopy light); "
         "IPCC 2006 (carbon fraction)";
}

const PlantType* VegetationComponent::type_of(float id) const {
  const std::int32_t index = type_index(id, types_.size());
  return index != 0 ? &types_[static_cast<std::size_t>(index - 1)] : nullptr;
}

void VegetationComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  // The plant types: the scenario's `plant_types` table when the run passes it (built-in rows
  // first, so built-in ids do not change), else the built-in types.
  types_.assign(plant_types().begin(), plant_types().end());
  const auto& all = parameters.all();
  if (const auto rows = all.find("table.plant_types.rows"); rows != all.end()) {
    types_.clear();
    const auto columns = plant_type_columns();
    for (int r = 0; r < static_cast<int>(rows->second); ++r) {
      std::vector<double> row;
      for (const auto& c : columns)
        row.push_back(
            parameters.get("table.plant_types." + std::to_string(r) + "." + std::string(c.name)));
      types_.push_back(from_row(row));
    }
  }
  // The site's initial cover as a grass sward at its own steady state: LAI from cover (inverse
  // of Beer's law), roots where their allocation balances their turnover (root / leaf =
  // (root share / root turnover) / (leaf share / leaf turnover)), so that the first years' litter
  // is the sward's lasting litter (the soil carbon calibrates its inputs on it). Cells that
  // already carry a herb type keep their state.
  const RasterGrid& grid = fields.state().grid();
  const auto cover = fields.read(kVegetationCover);
  auto herb_type = fields.write(kHerbType);
  auto leaf = fields.write(kHerbLeaf);
  auto root = fields.write(kHerbRoot);
  const PlantType& grass = types_[0];
  const double root_to_leaf =
      grass.root_turnover > 0.0 && grass.leaf_turnover > 0.0
          ? (grass.root_share / grass.root_turnover) / (grass.leaf_share / grass.leaf_turnover)
          : grass.root_share / grass.leaf_share;
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (!grid.is_valid(c) || herb_type[c] != 0.0f || cover[c] <= 0.0f) continue;
    const double lai = lai_from_cover(cover[c]);
    herb_type[c] = 1.0f;
    leaf[c] = lai / grass.specific_leaf_area;
    root[c] = leaf[c] * root_to_leaf;
  }
}

// The soil factor (pH, metal toxicity, nutrients) of each cell's herb and woody types, once a
// year after the measures: the soil changes slowly, and reading six metal contents every month
// would double the model's memory traffic.
void VegetationComponent::refresh_soil_factors(const FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const auto ph = fields.read(kSoilPh);
  const auto carbon = fields.read(kOrganicCarbon);
  std::array<std::span<const double>, 6> metals;
  for (std::size_t k = 0; k < 6; ++k) metals[k] = fields.read<double>(kMetalContentFields[k]);
  const auto herb_type = fields.read(kHerbType);
  const auto woody_type = fields.read(kWoodyType);
  herb_soil_.assign(n, 0.0f);
  woody_soil_.assign(n, 0.0f);
  for_each_cell_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      if (!grid.is_valid(c)) continue;
      SoilConditions soil{ph[c], carbon[c], {}};
      for (std::size_t k = 0; k < 6; ++k) soil.metals_mg_kg[k] = metals[k][c];
      if (const PlantType* h = type_of(herb_type[c]))
        herb_soil_[c] = static_cast<float>(soil_factor(*h, soil));
      if (const PlantType* w = type_of(woody_type[c]))
        woody_soil_[c] = static_cast<float>(soil_factor(*w, soil));
    }
  });
}

void VegetationComponent::begin_year(FieldAccess& fields, const StepContext&) {
  refresh_soil_factors(fields);  // after the year's measures
  auto annual = fields.write(kAnnualNpp);
  const RasterGrid& grid = fields.state().grid();
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    if (grid.is_valid(c)) annual[c] = 0.0f;  // invalid cells keep _FillValue
  const std::size_t n = grid.cell_count();
  npp_by_block_.assign((n + kCellBlock - 1) / kCellBlock, 0.0);
  woody_fpar_.assign(n, 0.0);  // filled in January, read in the months after
  herb_fpar_.assign(n, 0.0);
}

void VegetationComponent::end_year(FieldAccess& fields, const StepContext& step) {
  const RasterGrid& grid = fields.state().grid();
  const double area = grid.cell_area_m2();
  double npp = 0.0;
  for (double block : npp_by_block_) npp += block;  // block order: thread-count independent
  fields.write(kNppTotal)[0] = npp * area;
  colonise(fields);
  auto age = fields.write(kWoodyAge);
  const auto woody = fields.read(kWoodyType);
  for (std::size_t c = 0; c < age.size(); ++c)
    if (woody[c] != 0.0f) age[c] += 1.0f;
  const auto cover = fields.read(kVegetationCover);
  const auto hl = fields.read(kHerbLeaf), hr = fields.read(kHerbRoot);
  const auto wl = fields.read(kWoodyLeaf), ws = fields.read(kWoodyStem),
             wr = fields.read(kWoodyRoot);
  const std::size_t n = grid.cell_count();
  auto valid_sum = [&](auto&& value) {
    return deterministic_sum(n, [&](std::size_t c) { return grid.is_valid(c) ? value(c) : 0.0; });
  };
  step.summary->set("vegetation_cover_mean", valid_sum([&](std::size_t c) {
                                               return static_cast<double>(cover[c]);
                                             }) / static_cast<double>(grid.valid_cell_count()));
  step.summary->set("npp_t_c", npp * area / 1000.0);
  step.summary->set(
      "biomass_aboveground_t_c",
      valid_sum([&](std::size_t c) { return hl[c] + wl[c] + ws[c]; }) * area / 1000.0);
  step.summary->set("biomass_belowground_t_c",
                    valid_sum([&](std::size_t c) { return hr[c] + wr[c]; }) * area / 1000.0);
}

void VegetationComponent::update_cells(FieldAccess& fields, const StepContext& step,
                                       std::size_t begin, std::size_t end) {
  const State& state = fields.state();
  const RasterGrid& grid = state.grid();
  const double temperature = fields.read(kAirTemperatureMonthly)[0];
  const double latitude =
      fields.has(kLatitude) ? fields.read(kLatitude)[0] : parameters_.get("default_latitude_deg");
  static constexpr int kMidMonthDay[12] = {15, 46, 74, 105, 135, 166, 196, 227, 258, 288, 319, 349};
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const auto m = static_cast<std::size_t>(step.month - 1);
  // Global radiation: the climate's, or half the extraterrestrial (Angström with n/N = 0.5,
  // FAO-56 eq. 35); PAR is half of it (MJ m-2 month-1).
  const double global =
      fields.has(kSolarRadiationMonthlyTotal)
          ? fields.read(kSolarRadiationMonthlyTotal)[0]
          : 0.5 * hydrology::extraterrestrial_radiation(latitude, kMidMonthDay[m]) * kDays[m];
  const double par = 0.5 * global;
  const double pet_m = fields.read(kPotentialEtMonthly)[0];  // the hydrology's
  const double epsilon = parameters_.get("light_use_efficiency_g_c_per_mj") / 1000.0;  // kg C
  const auto aet = fields.read(kEvapotranspirationMonthlyActual);
  auto cover = fields.write(kVegetationCover);
  auto herb_leaf = fields.write(kHerbLeaf), herb_root = fields.write(kHerbRoot);
  auto woody_leaf = fields.write(kWoodyLeaf), woody_stem = fields.write(kWoodyStem),
       woody_root = fields.write(kWoodyRoot);
  const auto herb_type = fields.read(kHerbType);
  const auto woody_type = fields.read(kWoodyType);
  auto litter = fields.write(kLitter);
  auto litter_ratio = fields.write(kLitterRatio);
  auto lai_field = fields.write(kLeafAreaIndex);
  auto annual = fields.write(kAnnualNpp);
  std::vector<GrowthTerms> terms;  // by type id - 1
  for (const PlantType& t : types_) terms.push_back(growth_terms(t, temperature, epsilon));
  const std::uint8_t* valid = grid.valid_mask().data();
  std::array<std::int32_t, kSubBlock> woody_index, herb_index;
  std::array<double, kSubBlock> woody_lai, herb_lai, herb_light;
  std::array<double, kSubBlock> water, cell_npp, cell_litter, cell_litter_dpm;
  std::array<float, kSubBlock> cell_cover, cell_lai, cell_ratio;
  double npp_block = 0.0;
  for (std::size_t first = begin; first < end; first += kSubBlock) {
    const std::size_t count = std::min(kSubBlock, end - first);
    // A layer without a type grows nothing, and so an invalid cell is left as it is.
    type_pass(count, valid + first, woody_type.data() + first, herb_type.data() + first,
              types_.size(), woody_index.data(), herb_index.data());
    const std::span<const std::int32_t> woody_types(woody_index.data(), count),
        herb_types(herb_index.data(), count);
    const bool any_woody =
        std::any_of(woody_types.begin(), woody_types.end(), [](std::int32_t t) { return t != 0; });
    // fPAR of each layer at the start of the month: last month's closing value (the leaves have
    // not changed since), computed afresh in January after the year's measures.
    if (step.month == 1) {
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t c = first + i;
        woody_lai[i] = woody_index[i] != 0
                           ? woody_leaf[c] * types_[woody_index[i] - 1].specific_leaf_area
                           : 0.0;
        herb_lai[i] =
            herb_index[i] != 0 ? herb_leaf[c] * types_[herb_index[i] - 1].specific_leaf_area : 0.0;
      }
      cover_pass(count, any_woody, woody_lai.data(), herb_lai.data(), woody_fpar_.data() + first,
                 herb_fpar_.data() + first, cell_cover.data(), cell_lai.data());
    }
    water_pass(count, aet.data() + first, pet_m, water.data());
    // The layers grow run by run of one type (vectorised within a run; most runs are long, as
    // measures plant whole zones).
    for_each_type_run(woody_types, [&](std::int32_t type, std::size_t i, std::size_t run) {
      const std::size_t c = first + i;
      if (type == 0) {
        std::fill_n(cell_npp.data() + i, run, 0.0);
        std::fill_n(cell_litter.data() + i, run, 0.0);
        std::fill_n(cell_litter_dpm.data() + i, run, 0.0);
        std::fill_n(woody_lai.data() + i, run, 0.0);
        std::fill_n(herb_light.data() + i, run, par);
        return;
      }
      woody_growth_pass(run, terms[static_cast<std::size_t>(type - 1)], par, water.data() + i,
                        woody_soil_.data() + c, woody_fpar_.data() + c, woody_leaf.data() + c,
                        woody_stem.data() + c, woody_root.data() + c, cell_npp.data() + i,
                        cell_litter.data() + i, cell_litter_dpm.data() + i, woody_lai.data() + i,
                        herb_light.data() + i);
    });
    for_each_type_run(herb_types, [&](std::int32_t type, std::size_t i, std::size_t run) {
      const std::size_t c = first + i;
      if (type == 0) {
        std::fill_n(herb_lai.data() + i, run, 0.0);
        return;
      }
      herb_growth_pass(run, terms[static_cast<std::size_t>(type - 1)], herb_light.data() + i,
                       water.data() + i, herb_soil_.data() + c, herb_fpar_.data() + c,
                       herb_leaf.data() + c, herb_root.data() + c, cell_npp.data() + i,
                       cell_litter.data() + i, cell_litter_dpm.data() + i, herb_lai.data() + i);
    });
    // Cover and fPAR from the leaf area after the month's growth.
    cover_pass(count, any_woody, woody_lai.data(), herb_lai.data(), woody_fpar_.data() + first,
               herb_fpar_.data() + first, cell_cover.data(), cell_lai.data());
    litter_ratio_pass(count, cell_litter.data(), cell_litter_dpm.data(), cell_ratio.data());
    store_pass(count, valid + first, cell_litter.data(), cell_npp.data(), cell_cover.data(),
               cell_lai.data(), cell_ratio.data(), litter.data() + first, annual.data() + first,
               cover.data() + first, lai_field.data() + first, litter_ratio.data() + first);
    npp_block += lane_sum(cell_npp.data(), count);  // in a fixed order
  }
  npp_by_block_[begin / kCellBlock] += npp_block;
}

void VegetationComponent::colonise(FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t rows = grid.rows(), columns = grid.columns(), n = grid.cell_count();
  const auto cover = fields.read(kVegetationCover);
  auto herb_type = fields.write(kHerbType);
  auto leaf = fields.write(kHerbLeaf);
  auto root = fields.write(kHerbRoot);
  const auto ph = fields.read(kSoilPh);
  const auto carbon = fields.read(kOrganicCarbon);
  std::array<std::span<const double>, 6> metals;
  for (std::size_t k = 0; k < 6; ++k) metals[k] = fields.read<double>(kMetalContentFields[k]);
  // Seed rain: the herb cover of every cell spread by a separable Gaussian kernel (two 1-D
  // passes, truncated at 3 sigma and normalised), so the work is O(n r), not O(n r^2).
  const double sigma = parameters_.get("colonisation_distance_m") / grid.cell_size_m();
  const int radius = std::max(1, static_cast<int>(std::ceil(3.0 * sigma)));
  std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
  double total = 0.0;
  for (int k = -radius; k <= radius; ++k)
    total += kernel[static_cast<std::size_t>(k + radius)] =
        std::exp(-0.5 * k * k / (sigma * sigma));
  for (double& w : kernel) w /= total;
  std::vector<double> source(n, 0.0), across(n, 0.0), rain(n, 0.0);
  for (std::size_t c = 0; c < n; ++c)
    source[c] = grid.is_valid(c) && herb_type[c] != 0.0f ? static_cast<double>(cover[c]) : 0.0;
  // Each output row accumulates the kernel's taps in ascending order, tap by tap over the whole
  // row: every cell adds the same products in the same order as a per-cell sum would (the same
  // bits), and the inner loop runs along contiguous memory, so it vectorises.
  auto pass = [&](const std::vector<double>& in, std::vector<double>& out, bool along_rows) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows), [&](const auto& range) {
      for (std::size_t r = range.begin(); r != range.end(); ++r) {
        double* o = out.data() + r * columns;
        std::fill(o, o + columns, 0.0);
        for (int k = -radius; k <= radius; ++k) {
          const double w = kernel[static_cast<std::size_t>(k + radius)];
          if (along_rows) {
            const long rr = static_cast<long>(r) + k;
            if (rr < 0 || rr >= static_cast<long>(rows)) continue;
            const double* src = in.data() + static_cast<std::size_t>(rr) * columns;
            for (std::size_t col = 0; col < columns; ++col) o[col] += w * src[col];
          } else {
            // Columns col with 0 <= col + k < columns.
            const std::size_t first = k < 0 ? static_cast<std::size_t>(-k) : 0;
            const std::size_t last = k > 0 ? (columns > static_cast<std::size_t>(k)
                                                  ? columns - static_cast<std::size_t>(k)
                                                  : 0)
                                           : columns;
            const double* src = in.data() + r * columns;
            for (std::size_t col = first; col < last; ++col)
              o[col] += w * src[static_cast<std::size_t>(static_cast<long>(col) + k)];
          }
        }
      }
    });
  };
  pass(source, across, false);
  pass(across, rain, true);
  // Grass establishes on bare or sparse cells in proportion to the seed rain and the soil.
  const PlantType& grass = types_[0];
  const double rate = parameters_.get("colonisation_rate");
  const double area = grid.cell_area_m2();
  const double established =
      area * deterministic_sum(n, [&](std::size_t c) {
        if (!grid.is_valid(c) || rain[c] <= 0.0) return 0.0;
        if (herb_type[c] != 0.0f && herb_type[c] != 1.0f) return 0.0;  // a planted herb holds it
        if (leaf[c] >= grass.seedling_carbon * grass.leaf_share) return 0.0;
        SoilConditions soil{ph[c], carbon[c], {}};
        for (std::size_t k = 0; k < 6; ++k) soil.metals_mg_kg[k] = metals[k][c];
        const double added =
            grass.seedling_carbon * rate * std::min(1.0, rain[c]) * soil_factor(grass, soil);
        if (added <= 0.0) return 0.0;
        herb_type[c] = 1.0f;
        leaf[c] += added * grass.leaf_share;
        root[c] += added * grass.root_share;
        return added;
      });
  fields.write(kPlantedCarbon)[0] += established;
}

}  // namespace minetwin::vegetation
