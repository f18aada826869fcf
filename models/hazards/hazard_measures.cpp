#include "models/hazards/hazard_measures.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "models/hazards/hazard_fields.hpp"

namespace minetwin::hazards {

std::string_view Barrier::name() const {
  return kind_ == Kind::barrier ? "barrier" : "catch_bench";
}

std::string_view Barrier::doc() const {
  return kind_ == Kind::barrier
             ? "A flexible rockfall barrier (net) along the zone (draw it as a narrow polygon): "
               "stops blocks up to its capacity, slows stronger ones by that much "
               "(docs/models/hazards.md)."
             : "A catch bench cut into the slope along the zone: a berm that holds blocks up to "
               "its capacity (docs/models/hazards.md).";
}

std::span<const MeasureParameterSpec> Barrier::parameters() const {
  // Capacities: flexible barriers are certified from 100 to 8000 kJ (ETAG 027 energy classes);
  // a catch bench's capacity is MineTwin's assumption (calibrate with the bench width).
  // Costs per metre are assumptions (docs/models/hazards.md).
  static constexpr MeasureParameterSpec barrier[] = {
      {"capacity_kj", "kJ", false, false, 1000.0, 1.0, 1e5,
       "energy the barrier absorbs (ETAG 027 class)"},
      {"cost_yuan_per_m", "CNY m-1", false, false, 2500.0, 0.0, 1e6, "unit cost (assumption)"},
  };
  static constexpr MeasureParameterSpec bench[] = {
      {"capacity_kj", "kJ", false, false, 300.0, 1.0, 1e5, "energy the bench holds (assumption)"},
      {"cost_yuan_per_m", "CNY m-1", false, false, 400.0, 0.0, 1e6, "unit cost (assumption)"},
  };
  return kind_ == Kind::barrier ? std::span<const MeasureParameterSpec>(barrier)
                                : std::span<const MeasureParameterSpec>(bench);
}

std::span<const FieldSpec> Barrier::fields() const {
  static constexpr FieldSpec specs[] = {fields::updates(kBarrierCapacity)};
  return specs;
}

std::span<const SummaryColumn> Barrier::summary_columns() const {
  static constexpr SummaryColumn columns[] = {
      {"measures_cost_yuan", "CNY", "cost of the measures applied in the year"}};
  return columns;
}

void Barrier::apply(FieldAccess& fields, const MeasureApplication& application) const {
  auto capacity = fields.write(hazards::kBarrierCapacity);
  const auto kj = static_cast<float>(application.measure.numbers.at("capacity_kj"));
  for (std::size_t c : application.zone_cells) capacity[c] = std::max(capacity[c], kj);
  // Length of a strip one cell wide: cells x cell size.
  const double metres = static_cast<double>(application.zone_cells.size()) *
                        fields.state().grid().geometry().cell_size_m;
  application.summary->add("measures_cost_yuan",
                           metres * application.measure.numbers.at("cost_yuan_per_m"));
}

std::string_view ProtectedZone::doc() const {
  return "Mark the zone as protected (a road, buildings): summary.csv counts the rockfall blocks "
         "that reach it (rockfall_blocks_reaching_protected).";
}

std::span<const MeasureParameterSpec> ProtectedZone::parameters() const {
  return {};
}

std::span<const FieldSpec> ProtectedZone::fields() const {
  static constexpr FieldSpec specs[] = {fields::updates(kProtected)};
  return specs;
}

void ProtectedZone::apply(FieldAccess& fields, const MeasureApplication& application) const {
  auto flag = fields.write(hazards::kProtected);
  for (std::size_t c : application.zone_cells) flag[c] = 1.0f;
}

std::vector<std::unique_ptr<MeasureType>> hazard_measures() {
  std::vector<std::unique_ptr<MeasureType>> types;
  types.push_back(std::make_unique<Barrier>(Barrier::Kind::barrier));
  types.push_back(std::make_unique<Barrier>(Barrier::Kind::catch_bench));
  types.push_back(std::make_unique<ProtectedZone>());
  return types;
}

}  // namespace minetwin::hazards
