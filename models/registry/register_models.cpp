#include "models/registry/register_models.hpp"

#include "models/carbon/carbon_accounting.hpp"
#include "models/carbon/soil_carbon_component.hpp"
#include "models/hazards/hazard_measures.hpp"
#include "models/hazards/rockfall_component.hpp"
#include "models/hydrology/hydrology_component.hpp"
#include "models/indices/indices_component.hpp"
#include "models/metals/metals_component.hpp"
#include "models/metals/water_treatment.hpp"
#include "models/soil/acid_generation.hpp"
#include "models/soil/soil_measures.hpp"
#include "models/soil/soil_redistribution.hpp"
#include "models/terrain/erosion_component.hpp"
#include "models/terrain/erosivity_component.hpp"
#include "models/terrain/landform_check.hpp"
#include "models/terrain/terrain_component.hpp"
#include "models/terrain/terrain_measures.hpp"
#include "models/vegetation/plant_types.hpp"
#include "models/vegetation/vegetation_component.hpp"
#include "models/vegetation/vegetation_measures.hpp"

namespace minetwin {

void register_models(ModelRegistry& registry) {
  // Coupling order within each cadence (design brief): terrain (yearly); hydrology, metals,
  // vegetation, soil carbon (monthly); indices. Later models register here as they land. Those
  // marked `true` run in a long-term landform check too (simulation.models: landform).
  registry.add_component(
      {"terrain", [] { return std::make_unique<terrain::TerrainComponent>(); }, true});
  // Rockfall on the year's terrain (after regrading and subsidence) and last year's cover.
  registry.add_component(
      {"hazards", [] { return std::make_unique<hazards::RockfallComponent>(); }});
  registry.add_component(
      {"hydrology", [] { return std::make_unique<hydrology::HydrologyComponent>(); }});
  // Sulfide oxidation on the month's soil water, before the metals read the pH.
  registry.add_component(
      {"acid_generation", [] { return std::make_unique<soil::AcidGeneration>(); }});
  // The year's erosivity from its storms (monthly), for the erosion after the months.
  registry.add_component(
      {"erosivity", [] { return std::make_unique<terrain::ErosivityComponent>(); }, true});
  registry.add_component(
      {"erosion", [] { return std::make_unique<terrain::ErosionComponent>(); }, true});
  // After the erosion (both once a year after the months): the soil moves with the sediment.
  registry.add_component(
      {"soil_redistribution", [] { return std::make_unique<soil::SoilRedistribution>(); }, true});
  // How deep erosion cuts and where it wears through the cover (closure criteria).
  registry.add_component(
      {"landform_check", [] { return std::make_unique<terrain::LandformCheck>(); }, true});
  registry.add_component({"metals", [] { return std::make_unique<metals::MetalsComponent>(); }});
  // After the months: the drainage the metals leached, collected and treated where a plant runs.
  registry.add_component(
      {"water_treatment", [] { return std::make_unique<metals::WaterTreatment>(); }});
  registry.add_component(
      {"vegetation", [] { return std::make_unique<vegetation::VegetationComponent>(); }});
  registry.add_component(
      {"soil_carbon", [] { return std::make_unique<carbon::SoilCarbonComponent>(); }});
  registry.add_component(
      {"carbon_accounting", [] { return std::make_unique<carbon::CarbonAccounting>(); }});
  registry.add_component({"indices", [] { return std::make_unique<indices::IndicesComponent>(); }});
  for (auto& type : terrain::terrain_measures()) registry.add_measure(std::move(type));
  for (auto& type : soil::soil_measures()) registry.add_measure(std::move(type));
  registry.add_measure(metals::water_treatment_measure());
  for (auto& type : vegetation::vegetation_measures()) registry.add_measure(std::move(type));
  for (auto& type : hazards::hazard_measures()) registry.add_measure(std::move(type));
  // Plant types a scenario may add to (`plant_types:`), read by the vegetation model.
  TableSpec plant_types{"plant_types",
                        "Plant types, built in (docs/models/vegetation.md) and the scenario's: "
                        "each row starts from another (`based_on: robinia`) and changes some "
                        "properties. The `planting` measure names them.",
                        {},
                        {{"leaf_share", "stem_share", "root_share"}},
                        {},
                        "vegetation"};
  const auto columns = vegetation::plant_type_columns();
  plant_types.columns.assign(columns.begin(), columns.end());
  for (const auto& type : vegetation::plant_types())
    plant_types.builtin.emplace_back(std::string(type.name), vegetation::to_row(type));
  registry.add_table(std::move(plant_types));
}

}  // namespace minetwin
