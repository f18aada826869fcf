#pragma once
/// @file
/// @brief State: every field of a run on one raster grid, by name, plus the zones.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "engine/grid/field.hpp"
#include "engine/grid/raster_grid.hpp"

namespace minetwin {

/// The value invalid (nodata) cells hold in every field and in every output.
inline constexpr double kFillValue = -9999.0;

/// The named fields of a run (Landlab's `grid.at_node[...]` idea). Components reach it only
/// through a FieldAccess that checks their declarations; the engine, site builder, recorder and
/// checkpoints use it directly.
class State {
 public:
  State(RasterGrid grid, std::size_t soil_layers);

  const RasterGrid& grid() const { return grid_; }
  std::size_t soil_layers() const { return soil_layers_; }

  /// Creates a field filled with @p initial on valid cells and kFillValue elsewhere. Adding a
  /// field that exists with the same info returns the existing one; other info is an error.
  Field& add(const FieldInfo& info, double initial = 0.0);
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  Field& at(const std::string& name);
  const Field& at(const std::string& name) const;
  /// Field names in creation order (the order of outputs and checkpoints).
  std::vector<std::string> names() const;

  /// Number of values a field at @p location holds on this grid.
  std::size_t value_count(Location location) const;

  /// Zone names; zone__id field values index this list (0 = the site's default zone).
  std::vector<std::string> zone_names;

  /// A typed structure derived from a field by the component that writes the field (the
  /// terrain's flow graph, derived from `flow__receiver`), shared with the components that read
  /// the field so that they do not each rebuild it. Not part of checkpoints: the writer publishes
  /// it again when it restarts. Components reach it through FieldAccess, which checks that they
  /// declared the field.
  template <class T>
  void publish_derived(std::string_view field, std::shared_ptr<const T> value) {
    derived_.insert_or_assign(std::string(field), Derived{typeid(T), std::move(value)});
  }
  /// The structure published for @p field, or null (none, or one of another type).
  template <class T>
  std::shared_ptr<const T> derived(std::string_view field) const {
    const auto found = derived_.find(field);
    if (found == derived_.end() || found->second.type != std::type_index(typeid(T))) return {};
    return std::static_pointer_cast<const T>(found->second.value);
  }

 private:
  struct Derived {
    std::type_index type;
    std::shared_ptr<const void> value;
  };
  std::map<std::string, Derived, std::less<>> derived_;
  RasterGrid grid_;
  std::size_t soil_layers_;
  std::vector<std::unique_ptr<Field>> fields_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace minetwin
