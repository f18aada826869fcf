#pragma once
/// @file
/// @brief Restoration measures: typed, scheduled edits of State (lime, topsoil, planting...).
///
/// A model library registers each measure type it implements with its parameter schema and the
/// fields it edits. The scenario loader validates measures against the registered schemas, so a
/// new model adds measures without touching the loader, and a measure type that no model
/// implements is a validation error rather than something silently ignored.

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/component.hpp"

namespace minetwin {

class RasterGrid;

/// One parameter of a measure type: a number with units and range, or a text choice.
struct MeasureParameterSpec {
  std::string_view name;   ///< with units where planners type them: "rate_t_per_ha", "depth_m"
  std::string_view units;  ///< "" for text parameters
  bool is_text;
  bool required;
  /// Used when not required and absent (numbers only). NaN: no default; the measure works it
  /// out (e.g. from its `kind`) and the number is absent from Measure::numbers.
  double default_value;
  double minimum;
  double maximum;
  std::string_view doc;
  /// For text parameters: the allowed values (empty: any text, e.g. a material name).
  std::span<const std::string_view> choices = {};
  /// For text parameters: the name of a registered table (TableSpec) whose rows it names.
  std::string_view table = {};
};

/// A measure as written in the scenario, validated and resolved.
struct Measure {
  std::string type;
  std::vector<int> years;  ///< every year in which it applies, sorted
  std::string zone;        ///< zone name ("all" = every valid cell)
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> texts;
  std::size_t index = 0;  ///< position in the scenario's measures list
};

/// What apply() gets: the measure, the year, and the valid cells of its zone.
struct MeasureApplication {
  const Measure& measure;
  int year;
  std::span<const std::size_t> zone_cells;
  SummaryRow* summary;
};

/// A kind of measure, implemented by a model library.
class MeasureType {
 public:
  virtual ~MeasureType() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view doc() const = 0;
  virtual std::span<const MeasureParameterSpec> parameters() const = 0;
  /// Fields the measure edits (and reads), declared as for components.
  virtual std::span<const FieldSpec> fields() const = 0;
  /// Summary columns the measure reports to (costs, amounts applied).
  virtual std::span<const SummaryColumn> summary_columns() const { return {}; }
  virtual void apply(FieldAccess& fields, const MeasureApplication& application) const = 0;
  /// What is wrong with @p measure on this site's grid (a panel outside the DEM), or "" when
  /// nothing is; checked with the site, before the run starts.
  virtual std::string check_on_grid(const Measure& /*measure*/, const RasterGrid& /*grid*/) const {
    return {};
  }
};

}  // namespace minetwin
