#pragma once
/// @file
/// @brief The vegetation model (docs/models/vegetation.md), a cell_year component (twelve months
/// cell block by cell block): per cell a herb layer and a woody layer, each of one plant type;
/// monthly net primary production by light use efficiency (CASA:
/// PAR × fPAR × ε × temperature and water scalars), reduced by pH, metal toxicity and nutrient
/// supply, and by the layer's carrying capacity; allocation to leaves, stems and fine roots;
/// turnover to litter (the soil-carbon model's input); the woody canopy shades the herbs
/// (succession). Once a year, natural colonisation by grass seed dispersed from vegetated cells
/// (a separable Gaussian kernel over the grid).

#include <vector>

#include "engine/core/component.hpp"
#include "engine/grid/grid_memory.hpp"
#include "models/vegetation/plant_types.hpp"

namespace minetwin::vegetation {

class VegetationComponent final : public Component {
 public:
  std::string_view name() const override { return "vegetation"; }
  Cadence cadence() const override { return Cadence::cell_year; }
  std::span<const FieldSpec> fields() const override;
  std::span<const ParameterSpec> parameters() const override;
  std::span<const SummaryColumn> summary_columns() const override;
  std::string_view citation() const override;
  void initialize(FieldAccess& fields, const ParameterValues& parameters) override;
  void begin_year(FieldAccess& fields, const StepContext& step) override;
  void update_cells(FieldAccess& fields, const StepContext& step, std::size_t begin,
                    std::size_t end) override;
  void end_year(FieldAccess& fields, const StepContext& step) override;

 private:
  void colonise(FieldAccess& fields);
  void refresh_soil_factors(const FieldAccess& fields);
  const PlantType* type_of(float id) const;  ///< nullptr for 0 (none) or an unknown id
  ParameterValues parameters_;
  std::vector<PlantType> types_;              // id = index + 1
  GridVector<float> herb_soil_, woody_soil_;  // soil factor of each cell's types, yearly
  std::vector<double> npp_by_block_;          // this year's NPP per cell block, kg C m-2 summed
  // Each layer's fPAR at the end of the last month (scratch within a year: January recomputes
  // it from the leaves, so a restart needs nothing more).
  GridVector<double> woody_fpar_, herb_fpar_;
};

}  // namespace minetwin::vegetation
