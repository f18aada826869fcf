#include "models/carbon/soil_carbon_component.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/core/carry_over.hpp"
#include "engine/core/summary.hpp"
#include "engine/core/vector_checks.hpp"
#include "engine/grid/local_operations.hpp"
#include "engine/grid/state.hpp"
#include "models/carbon/carbon_fields.hpp"
#include "models/carbon/rothc.hpp"
#include "models/carbon/soil_carbon_passes.hpp"
#include "models/fields.hpp"
#include "models/soil/soil_profile.hpp"

namespace minetwin::carbon {
namespace {

using namespace fields;
constexpr std::uint32_t kNoSlot = 0xffffffffu;

constexpr FieldSpec kFields[] = {
    reads_each_month(kAirTemperatureMonthly),
    reads_each_month(kPrecipitationMonthly),
    reads_each_month(kPotentialEtMonthly),
    reads(kClay),
    reads(kLayerThickness),
    reads(kBulkDensity),
    reads(kRockFragments),
    reads_each_month(kVegetationCover),
    reads_each_month(kVegetationMonthlyLitter),
    reads_each_month(kVegetationLitterRatio),
    updates(kOrganicCarbon),
    kDpm,
    kRpm,
    kBio,
    kHum,
    kIom,
    kBiochar,
    kMoistureDeficit,
    kManureInput,
    kBiocharInput,
    kRespiredTotal,
    kMeasureChange,
    kSoilCarbonAnnualRespiration,
    kLitterInputShare,
};

constexpr ParameterSpec kParameters[] = {
    {"biochar_decay_rate", "yr-1", 1.0 / 556.0, 0.0, 0.1,
     "Wang, Xiong & Kuzyakov 2016 (GCB Bioenergy 8:512): mean residence time 556 years",
     "decay rate of the biochar pool at RothC's reference conditions"},
    {"covered_threshold", "1", 0.5, 0.0, 1.0,
     "MineTwin: RothC's plant cover is 0/1; a cell counts as covered above this cover",
     "vegetation cover above which RothC treats the soil as covered"},
    {"spin_up_years", "yr", 5.0, 1.0, 30.0,
     "MineTwin: years of the scenario's own weather that the spin-up's equilibrium averages (one "
     "year's weather moves the equilibrium by 10-20 % on the semi-arid demo site)",
     "years over which the soils under established vegetation are spun up (held at their "
     "measured carbon meanwhile, after one year that settles the moisture deficit)"},
    {"calibrate_undisturbed_inputs", "1", 1.0, 0.0, 1.0,
     "FAO 2020 GSOCseq technical manual (spin-up inputs scale the modelled NPP inputs)",
     "1: soils under established vegetation at the start are spun up to RothC's equilibrium with "
     "their measured carbon, which calibrates the share of the litter entering the modelled layer "
     "(for every soil of the site once the spin-up ends); 0: all litter enters"},
};

constexpr SummaryColumn kColumns[] = {
    {"soc_t_c", "t C", "soil organic carbon of the top layer (RothC pools and biochar)"},
    {"soc_dpm_t_c", "t C", "decomposable plant material"},
    {"soc_rpm_t_c", "t C", "resistant plant material"},
    {"soc_bio_t_c", "t C", "microbial biomass"},
    {"soc_hum_t_c", "t C", "humified organic matter"},
    {"soc_iom_t_c", "t C", "inert organic matter"},
    {"biochar_t_c", "t C", "biochar carbon"},
    {"soil_respiration_t_c", "t C", "heterotrophic respiration (CO2-C) in the year"},
};

double fine_mass(std::span<const double> thickness, std::span<const float> rock,
                 std::span<const float> density, std::size_t c) {
  return soil::fine_earth_mass(thickness[c], rock[c], density[c]);
}

}  // namespace

ActiveShares equilibrium_shares(double r, double clay) {
  // Continuous steady state of RothC with input I: DPM = I r/(1+r)/k_DPM, RPM = I/(1+r)/k_RPM;
  // every decay flux F = I (x+1)/x feeds BIO (0.46/(x+1)) and HUM (0.54/(x+1)).
  const double x = co2_to_biohum_ratio(clay);
  using namespace monthly;
  const double dpm = r / (1.0 + r) / kRateDpm, rpm = 1.0 / (1.0 + r) / kRateRpm;
  const double bio = kToBio / (x * kRateBio), hum = kToHum / (x * kRateHum);
  const double total = dpm + rpm + bio + hum;
  return {dpm / total, rpm / total, bio / total, hum / total};
}

double falloon_iom(double soc) {
  return 0.049 * std::pow(std::max(0.0, soc), 1.139);
}

std::span<const FieldSpec> SoilCarbonComponent::fields() const {
  return kFields;
}
std::span<const ParameterSpec> SoilCarbonComponent::parameters() const {
  return kParameters;
}
std::span<const SummaryColumn> SoilCarbonComponent::summary_columns() const {
  return kColumns;
}
std::string_view SoilCarbonComponent::citation() const {
  return "RothC 26.3 (Coleman & Jenkinson 2014); Falloon et al. 1998 (IOM); Wang, Xiong & "
         "Kuzyakov 2016 (biochar)";
}

namespace {

// Pools for @p soc_kg_m2 of soil carbon: IOM by Falloon, the active rest at RothC's equilibrium
// shares where vegetation grows; on bare spoil the carbon is old (coal fragments, buried
// topsoil) and is put in HUM (docs/models/carbon.md).
void initial_pools(double soc_kg_m2, double clay_percent, bool vegetated, double& dpm, double& rpm,
                   double& bio, double& hum, double& iom) {
  const double soc = soc_kg_m2 * kTonnesPerHectarePerKgPerM2;
  const double inert = std::min(soc, falloon_iom(soc));
  const double active = (soc - inert) / kTonnesPerHectarePerKgPerM2;
  iom = inert / kTonnesPerHectarePerKgPerM2;
  if (vegetated) {
    const ActiveShares s = equilibrium_shares(0.67, clay_percent);
    dpm = active * s.dpm;
    rpm = active * s.rpm;
    bio = active * s.bio;
    hum = active * s.hum;
  } else {
    dpm = rpm = bio = 0.0;
    hum = active;
  }
}

}  // namespace

void SoilCarbonComponent::initialize(FieldAccess& fields, const ParameterValues& parameters) {
  parameters_ = parameters;
  const RasterGrid& grid = fields.state().grid();
  const auto oc = fields.read(kOrganicCarbon);
  const auto clay = fields.read(kClay);
  const auto thickness = fields.read(kLayerThickness);
  const auto rock = fields.read(kRockFragments);
  const auto density = fields.read(kBulkDensity);
  const auto cover = fields.read(kVegetationCover);
  auto dpm = fields.write(kDpm), rpm = fields.write(kRpm), bio = fields.write(kBio),
       hum = fields.write(kHum), iom = fields.write(kIom);
  const bool calibrate = parameters.get("calibrate_undisturbed_inputs") > 0.5;
  auto share = fields.write(kLitterInputShare);
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (!grid.is_valid(c)) continue;
    if (dpm[c] + rpm[c] + bio[c] + hum[c] + iom[c] > 0.0) continue;  // already set
    const bool vegetated = cover[c] >= 0.3f;
    initial_pools(oc[c] * fine_mass(thickness, rock, density, c), 100.0 * clay[c], vegetated,
                  dpm[c], rpm[c], bio[c], hum[c], iom[c]);
    if (calibrate && vegetated) share[c] = 0.0f;  // held until the spin-up ends
  }
}

// Measures change the top layer's organic carbon (soil placed, removed or mixed) and book
// amendments in the input fields; here the pools follow: amendments by RothC's manure split and
// into the biochar pool, other gains at the equilibrium shares, losses in proportion. The net
// change is booked for the carbon ledger.
void SoilCarbonComponent::reconcile_with_measures(FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  const auto oc = fields.read(kOrganicCarbon);
  const auto clay = fields.read(kClay);
  const auto thickness = fields.read(kLayerThickness);
  const auto rock = fields.read(kRockFragments);
  const auto density = fields.read(kBulkDensity);
  auto dpm = fields.write(kDpm), rpm = fields.write(kRpm), bio = fields.write(kBio),
       hum = fields.write(kHum), iom = fields.write(kIom), biochar = fields.write(kBiochar);
  auto manure = fields.write(kManureInput);
  auto char_in = fields.write(kBiocharInput);
  const double change =
      grid.cell_area_m2() * deterministic_sum(n, [&](std::size_t c) {
        if (!grid.is_valid(c)) return 0.0;
        const double before = dpm[c] + rpm[c] + bio[c] + hum[c] + iom[c] + biochar[c];
        // The organic-carbon field follows the RothC pools (biochar apart); a float32 field
        // round-trips them to 1e-7, so only a larger difference is an edit by a measure.
        const double soil = before - biochar[c];
        const double difference = oc[c] * fine_mass(thickness, rock, density, c) - soil;
        if (std::abs(difference) > 1e-6 * std::max(1e-9, soil)) {
          if (difference > 0.0) {
            double d, r, b, h, i;
            initial_pools(difference, 100.0 * clay[c], true, d, r, b, h, i);
            dpm[c] += d;
            rpm[c] += r;
            bio[c] += b;
            hum[c] += h;
            iom[c] += i;
          } else {
            const double keep = std::max(0.0, 1.0 + difference / std::max(1e-12, soil));
            dpm[c] *= keep;
            rpm[c] *= keep;
            bio[c] *= keep;
            hum[c] *= keep;
            iom[c] *= keep;
          }
        }
        // Amendments: manure and compost 49 % DPM, 49 % RPM, 2 % HUM (RothC); biochar its own pool.
        // Most cells have none: they are not written (this pass would otherwise rewrite eight
        // fields of the whole grid every year).
        if (manure[c] != 0.0) {
          dpm[c] += monthly::kManureDpm * manure[c];
          rpm[c] += monthly::kManureRpm * manure[c];
          hum[c] += monthly::kManureHum * manure[c];
          manure[c] = 0.0;
        }
        if (char_in[c] != 0.0) {
          biochar[c] += char_in[c];
          char_in[c] = 0.0;
        }
        return dpm[c] + rpm[c] + bio[c] + hum[c] + iom[c] + biochar[c] - before;
      });
  fields.write(kMeasureChange)[0] += change;
}

void SoilCarbonComponent::refresh_soil_terms(const FieldAccess& fields) {
  const RasterGrid& grid = fields.state().grid();
  const auto clay = fields.read(kClay);
  const auto thickness = fields.read(kLayerThickness);
  const auto share = fields.read(kLitterInputShare);
  deficit_max_.resize(grid.cell_count());
  to_bio_.resize(grid.cell_count());
  to_hum_.resize(grid.cell_count());
  decays_.resize(grid.cell_count());
  for_each_cell_block(grid.cell_count(), [&](std::size_t begin, std::size_t end) {
    // Neighbours mostly share their soil: the previous cell's terms (an exponential and two
    // divisions) are reused for the same clay and depth.
    float previous_clay = -1.0f;
    double previous_thickness = -1.0, deficit_max = 0.0;
    monthly::BioHumShares shares{};
    for (std::size_t c = begin; c < end; ++c) {
      const RothCSoil soil{100.0 * clay[c], 100.0 * thickness[c]};
      if (clay[c] != previous_clay || thickness[c] != previous_thickness)
        deficit_max = maximum_deficit(soil);
      if (clay[c] != previous_clay)
        shares = monthly::biohum_shares(co2_to_biohum_ratio(soil.clay_percent));
      previous_clay = clay[c];
      previous_thickness = thickness[c];
      deficit_max_[c] = deficit_max;
      to_bio_[c] = shares.to_bio;
      to_hum_[c] = shares.to_hum;
      decays_[c] = grid.is_valid(c) && share[c] != 0.0f ? 1.0 : 0.0;
    }
  });
}

void SoilCarbonComponent::begin_year(FieldAccess& fields, const StepContext& step) {
  fields.write(kMeasureChange)[0] = 0.0;
  auto annual = fields.write(kSoilCarbonAnnualRespiration);
  const RasterGrid& grid = fields.state().grid();
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    if (grid.is_valid(c)) annual[c] = 0.0f;  // invalid cells keep _FillValue (state.nc's contract)
  reconcile_with_measures(fields);
  refresh_soil_terms(fields);  // measures may have changed clay or the layer's thickness
  const std::size_t n = fields.state().grid().cell_count();
  respired_by_block_.assign((n + kCellBlock - 1) / kCellBlock, 0.0);
  settle_this_year_ = false;
  if (step.year_index == 0) {
    spin_up_slot_ = {};
    spin_up_runs_ = {};
    return;  // the first year settles the moisture deficit from its initial zero
  }
  const auto share = fields.read(kLitterInputShare);
  if (spin_up_runs_.empty()) {
    // The spin-up's runs start (also after a restart): for each held cell (share 0) the runs
    // that give the linear map of the coming years. Counted first: the runs of 1024^2 cells
    // take 0.17 GB, and growing them by doubling held 0.25 GB at the peak.
    std::size_t held = 0;
    for (std::size_t c = 0; c < n; ++c)
      held += share[c] == 0.0f && fields.state().grid().is_valid(c) ? 1 : 0;
    spin_up_runs_.reserve(held);
    for (std::size_t c = 0; c < n; ++c) {
      if (share[c] != 0.0f || !fields.state().grid().is_valid(c)) continue;
      if (spin_up_slot_.empty()) spin_up_slot_.assign(n, kNoSlot);
      spin_up_slot_[c] = static_cast<std::uint32_t>(spin_up_runs_.size());
      SpinUpRuns& runs = spin_up_runs_.emplace_back();
      for (std::size_t j = 0; j < 4; ++j) runs.unit[j][j] = 1.0;
    }
    spin_up_years_run_ = 0;
  }
  if (spin_up_runs_.empty()) return;
  settle_this_year_ = ++spin_up_years_run_ >= static_cast<int>(parameters_.get("spin_up_years"));
}

// The month of a block of cells runs in passes over sub-blocks of kSubBlock cells (the scratch
// arrays stay in L1): the moisture deficit and rate modifiers, then the decay factors (a table
// lookup for the month at full moisture, else the previous cell's, else four exponentials), then
// the pools. The first, third and last passes are loops without branches over arrays, which the
// compiler vectorises (this file is compiled with -fno-trapping-math so that both sides of a
// select may be computed); they run on every cell of the sub-block, and the few invalid cells are
// put back afterwards. The step's arithmetic is RothC's (rothc.hpp, namespace monthly), the same
// as the one-site step that reproduces the official example.
namespace {

// What the passes write, kept for an invalid cell of a sub-block and put back after it.
struct InvalidCell {
  std::size_t cell;
  double deficit, dpm, rpm, bio, hum, biochar;
  float annual;
};

}  // namespace

void SoilCarbonComponent::update_cells(FieldAccess& fields, const StepContext& step,
                                       std::size_t begin, std::size_t end) {
  const RasterGrid& grid = fields.state().grid();
  const double temperature = fields.read(kAirTemperatureMonthly)[0];
  const double rain_mm = fields.read(kPrecipitationMonthly)[0] * 1000.0;
  const double pet_mm = fields.read(kPotentialEtMonthly)[0] * 1000.0;  // hydrology
  // RothC works in t C/ha; the open-pan evaporation is PET / 0.75 (the model takes 0.75 of it).
  const double open_pan_mm = pet_mm / 0.75;
  const double balance = monthly::water_balance(rain_mm, open_pan_mm);
  const double threshold = parameters_.get("covered_threshold");
  const double biochar_rate = parameters_.get("biochar_decay_rate");
  const double temperature_term = temperature_rate(temperature);
  const auto full_moisture = decay_factors_at_full_moisture(temperature_term);
  const auto thickness = fields.read(kLayerThickness);
  const auto rock = fields.read(kRockFragments);
  const auto density = fields.read(kBulkDensity);
  const auto cover = fields.read(kVegetationCover);
  const auto litter = fields.read(kVegetationMonthlyLitter);
  const auto ratio = fields.read(kVegetationLitterRatio);
  auto oc = fields.write(kOrganicCarbon);
  auto dpm = fields.write(kDpm), rpm = fields.write(kRpm), bio = fields.write(kBio),
       hum = fields.write(kHum), biochar = fields.write(kBiochar);
  const auto iom = fields.read(kIom);
  auto deficit = fields.write(kMoistureDeficit);
  auto annual = fields.write(kSoilCarbonAnnualRespiration);
  auto litter_share = fields.write(kLitterInputShare);
  const std::uint8_t* valid = grid.valid_mask().data();
  const bool spinning_up = !spin_up_slot_.empty();
  double respired = 0.0;
  DecayMemo memo;  // the spin-up runs'
  DecayCache decay_cache;
  SubBlock s;
  std::vector<InvalidCell> invalid;
  for (std::size_t first = begin; first < end; first += kSubBlock) {
    const std::size_t count = std::min(kSubBlock, end - first);
    const std::size_t last = first + count;
    invalid.clear();
    for (std::size_t c = first; c < last; ++c) {  // memchr: a vectorised search for invalid cells
      const auto* at = static_cast<const std::uint8_t*>(std::memchr(valid + c, 0, last - c));
      if (at == nullptr) break;
      c = static_cast<std::size_t>(at - valid);
      invalid.push_back({c, deficit[c], dpm[c], rpm[c], bio[c], hum[c], biochar[c], annual[c]});
    }
    moisture_pass(count, decays_.data() + first, cover.data() + first, threshold, balance,
                  temperature_term, deficit_max_.data() + first, deficit.data() + first,
                  s.deficit_before.data(), s.moisture.data(), s.rate.data(), s.covered.data());
    // Pass 2: the decay factors of each cell's rate, and biochar's loss at its own rate under the
    // same modifiers (all to CO2).
    if (all_equal(count, s.rate.data())) {  // one soil, one cover: most sub-blocks
      const std::array<double, 4>& factor = decay_cache.factors(s.rate[0]);
      for (std::size_t j = 0; j < 4; ++j) std::fill_n(s.factor[j].data(), count, factor[j]);
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const std::array<double, 4>& factor = decay_cache.factors(s.rate[i]);
        for (std::size_t j = 0; j < 4; ++j) s.factor[j][i] = factor[j];
      }
    }
    if (!any_positive(count, biochar.data() + first)) {
      std::fill_n(s.char_loss.data(), count, 0.0);
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t c = first + i;
        s.char_loss[i] =
            valid[c] != 0 && biochar[c] > 0.0
                ? biochar[c] * (1.0 - std::exp(-temperature_term * s.moisture[i] *
                                               monthly::cover_rate(s.covered[i] != 0.0) *
                                               biochar_rate / 12.0))
                : 0.0;
      }
    }
    pool_pass(count, dpm.data() + first, rpm.data() + first, bio.data() + first, hum.data() + first,
              litter.data() + first, litter_share.data() + first, ratio.data() + first,
              to_bio_.data() + first, to_hum_.data() + first, s.factor[0].data(),
              s.factor[1].data(), s.factor[2].data(), s.factor[3].data(), s.char_loss.data(),
              s.pool[0].data(), s.pool[1].data(), s.pool[2].data(), s.pool[3].data(),
              s.loss.data());
    // Pass 4, during the spin-up: the year's linear map of each held cell, run alongside (the
    // moisture deficit does not depend on the pools), and in the last December the equilibrium.
    if (spinning_up) {
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t c = first + i;
        if (valid[c] == 0 || spin_up_slot_[c] == kNoSlot) continue;
        SpinUpRuns& runs = spin_up_runs_[spin_up_slot_[c]];
        const RothCTerms terms{
            deficit_max_[c], {to_bio_[c], to_hum_[c]}, temperature_term, &full_moisture, &memo};
        auto advance = [&](std::array<double, 4>& x, double input) {
          Pools q{x[0], x[1], x[2], x[3], 0.0};
          const RothCMonth m{temperature,
                             rain_mm,
                             open_pan_mm,
                             input,
                             0.0,
                             s.covered[i] != 0.0,
                             monthly::litter_dpm_rpm_ratio(ratio[c])};
          double d = s.deficit_before[i];
          rothc_month(q, d, terms, m);
          x = {q.dpm, q.rpm, q.bio, q.hum};
        };
        for (auto& unit : runs.unit) advance(unit, 0.0);
        advance(runs.input, litter[c] * kTonnesPerHectarePerKgPerM2);
        if (step.month == 12 && settle_this_year_) {
          Pools p{s.pool[0][i], s.pool[1][i], s.pool[2][i], s.pool[3][i], 0.0};
          settle_at_equilibrium(p, runs, litter_share[c]);
          s.pool[0][i] = p.dpm;
          s.pool[1][i] = p.rpm;
          s.pool[2][i] = p.bio;
          s.pool[3][i] = p.hum;
        }
      }
    }
    store_pass(count, s.pool[0].data(), s.pool[1].data(), s.pool[2].data(), s.pool[3].data(),
               s.char_loss.data(), s.loss.data(), dpm.data() + first, rpm.data() + first,
               bio.data() + first, hum.data() + first, biochar.data() + first,
               annual.data() + first);
    for (const InvalidCell& kept : invalid) {
      const std::size_t c = kept.cell;
      deficit[c] = kept.deficit;
      dpm[c] = kept.dpm;
      rpm[c] = kept.rpm;
      bio[c] = kept.bio;
      hum[c] = kept.hum;
      biochar[c] = kept.biochar;
      annual[c] = kept.annual;
      s.loss[c - first] = 0.0;
    }
    respired += lane_sum(s.loss.data(), count);  // in a fixed order
    // The organic-carbon field follows the pools; its readers (hydrology, vegetation, metals,
    // erosion, indices) read it once a year, after these months, so December writes it.
    if (step.month == 12) {
      for (std::size_t c = first; c < last; ++c) {
        if (valid[c] == 0) continue;
        const double mass = fine_mass(thickness, rock, density, c);
        if (mass > 0)
          oc[c] = static_cast<float>((dpm[c] + rpm[c] + bio[c] + hum[c] + iom[c]) / mass);
      }
    }
  }
  respired_by_block_[begin / kCellBlock] += respired;
}

// The processes that keep litter out of the modelled layer (decomposition at the surface, roots
// below it) act on every soil of the site, so once the spin-up has calibrated the soils under
// established vegetation, the other soils (rebuilt, spoil) take their mean share from then on
// (until then they receive all of their litter). Without calibrated soils nothing changes.
void SoilCarbonComponent::share_site_calibration(FieldAccess& fields) const {
  const RasterGrid& grid = fields.state().grid();
  auto share = fields.write(kLitterInputShare);
  double sum = 0.0;
  std::size_t calibrated = 0;
  for (std::size_t c = 0; c < grid.cell_count(); ++c) {
    if (spin_up_slot_[c] == kNoSlot) continue;
    sum += share[c];
    ++calibrated;
  }
  if (calibrated == 0) return;
  const auto site = static_cast<float>(sum / static_cast<double>(calibrated));
  for (std::size_t c = 0; c < grid.cell_count(); ++c)
    if (grid.is_valid(c) && spin_up_slot_[c] == kNoSlot) share[c] = site;
}

// The end of the spin-up: its runs cover `spin_up_years` of the scenario's weather, after a first
// year that settles the moisture deficit (a soil starting wet decays too fast). Q = (I − M)⁻¹ B
// is the equilibrium of those years' forcing, repeated, with all the litter; with a share f of the
// litter it is f·Q, so f = measured active carbon / ΣQ puts the soil at the equilibrium that holds
// its measured carbon (RothC's inverse mode; the GSOCseq spin-up scales modelled inputs the same
// way, FAO 2020). The held pools are the measured carbon (plus what measures changed meanwhile),
// so the pools become f·Q with the same total, in RothC's seasonal composition; later
// years put f of the litter into the layer. Where the litter cannot sustain the measured carbon
// (f > 1) all of it enters from now on and the soil declines as RothC says.
void SoilCarbonComponent::settle_at_equilibrium(Pools& pools, const SpinUpRuns& runs,
                                                float& share) const {
  const std::array<double, 4> q = seasonal_equilibrium(runs.unit, runs.input);
  const double sustained = q[0] + q[1] + q[2] + q[3];
  const double held = pools.active();
  if (!(sustained > 0.0) || held >= sustained) {
    share = 1.0f;
    return;
  }
  const double f = held / sustained;
  pools.dpm = f * q[0];
  pools.rpm = f * q[1];
  pools.bio = f * q[2];
  pools.hum = f * q[3];
  // The share marks the spin-up by 0; a real share is never 0 (the smallest float above it).
  share = std::max(static_cast<float>(f), std::numeric_limits<float>::min());
}

void SoilCarbonComponent::save_carry_over(CarryOverWriter& out) const {
  if (spin_up_runs_.empty()) return;  // no spin-up under way: nothing to carry
  out.put_vector(spin_up_slot_);
  out.put_vector(spin_up_runs_);
  out.put<std::int32_t>(spin_up_years_run_);
}

void SoilCarbonComponent::load_carry_over(CarryOverReader& in) {
  spin_up_slot_ = in.get_vector<std::uint32_t>();
  spin_up_runs_ = in.get_vector<SpinUpRuns>();
  spin_up_years_run_ = in.get<std::int32_t>();
}

void SoilCarbonComponent::end_year(FieldAccess& fields, const StepContext& step) {
  if (settle_this_year_) {
    share_site_calibration(fields);
    spin_up_slot_ = {};
    spin_up_runs_ = {};
  }
  const RasterGrid& grid = fields.state().grid();
  const std::size_t n = grid.cell_count();
  double respired = 0.0;
  for (double block : respired_by_block_) respired += block;  // block order
  fields.write(kRespiredTotal)[0] = respired * grid.cell_area_m2();
  const double area = grid.cell_area_m2() / 1000.0;  // kg m-2 -> t per cell
  auto total = [&](std::string_view name) {
    const auto pool = fields.read<double>(name);
    return area *
           deterministic_sum(n, [&](std::size_t c) { return grid.is_valid(c) ? pool[c] : 0.0; });
  };
  const double d = total(kDpm.name), r = total(kRpm.name), b = total(kBio.name),
               h = total(kHum.name), i = total(kIom.name), ch = total(kBiochar.name);
  step.summary->set("soc_t_c", d + r + b + h + i + ch);
  step.summary->set("soc_dpm_t_c", d);
  step.summary->set("soc_rpm_t_c", r);
  step.summary->set("soc_bio_t_c", b);
  step.summary->set("soc_hum_t_c", h);
  step.summary->set("soc_iom_t_c", i);
  step.summary->set("biochar_t_c", ch);
  step.summary->set("soil_respiration_t_c", respired * grid.cell_area_m2() / 1000);
}

}  // namespace minetwin::carbon
