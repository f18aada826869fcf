#pragma once
/// @file
/// @brief The preprocess and initialize phases of a run (site, components, wiring), shared by
/// `minetwin run` and the members of a sweep.

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/registry.hpp"
#include "engine/core/simulation.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/site/site_builder.hpp"

namespace minetwin {

/// A run ready to simulate its first year: the site's State and the wired Simulation on it.
struct PreparedRun {
  Site site;
  std::unique_ptr<Simulation> simulation;
  State& state() { return *site.state; }
};

/// Builds the site, makes the registry's components (climate forcing first), hands them the
/// scenario's parameters and tables and initializes the simulation (wiring checked). Input
/// problems throw InputError. Notices and model citations go to @p log when it is not null.
PreparedRun prepare_run(const Scenario& scenario, const ModelRegistry& registry, std::ostream* log);

/// The fields a checkpoint holds: those that can change, less the internal ones (the components
/// rebuild those from State on restart, Component::restart, which keeps checkpoints small).
std::vector<std::string> checkpointed_fields(PreparedRun& run);

}  // namespace minetwin
