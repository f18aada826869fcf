#pragma once
/// @file
/// @brief The component contract (design brief; Landlab components; CSDMS BMI vocabulary).
///
/// A component is one process. It declares, in static tables, the fields it reads and writes
/// (name, units, location, intent, type) and its parameters (units, default, range, source).
/// The engine checks the wiring before the first step, allocates declared outputs, and then
/// calls initialize / update (once per month or year, by cadence) / finalize. Components never
/// call each other: they meet only in State, through a FieldAccess that refuses undeclared names.
/// What a component must carry from one year into the next outside State (a spin-up in progress)
/// it declares as its carry-over, which checkpoints store: a resumed run gives the bytes of one
/// that never stopped.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/grid/field.hpp"
#include "engine/grid/state.hpp"

namespace minetwin {

class State;
class SummaryRow;
class CarryOverWriter;
class CarryOverReader;

/// How a component uses a field.
enum class Intent : unsigned char { in, out, inout };

/// When the scheduler calls a component's update (design brief, "each year").
enum class Cadence : unsigned char {
  yearly,   ///< once a year, after the measures and before the months (terrain, hazards)
  monthly,  ///< twelve times a year (climate, hydrology, metals)
  /// Cell-local models (vegetation, soil carbon), after the monthly ones: the twelve months are
  /// run cell block by cell block, so that a block's state stays in cache through the year
  /// (design brief, Performance). They read the fields of monthly components as they were at the
  /// end of each month (declared `each_month`).
  cell_year,
  indices,  ///< once a year after the months (indices, ledgers)
};
std::string_view to_string(Cadence cadence);
std::string_view to_string(Intent intent);

/// One declared field of a component (style.md recommendation 1).
struct FieldSpec {
  std::string_view name;
  std::string_view units;
  Location location;
  Intent intent;
  ElementType type;
  bool required;  ///< an `in` field that must exist; optional inputs may be absent
  std::string_view doc;
  /// Derived bookkeeping (flow topology, fill levels): not recorded in state.nc unless
  /// `outputs.fields` names it.
  bool internal = false;
  /// Value of valid cells when the engine creates the field (e.g. 1 for a factor).
  double initial = 0.0;
  /// For cell_year components: read the field as it was at the end of each month when a monthly
  /// component writes it (the engine keeps the twelve values of the year).
  bool each_month = false;
};

/// The element type of a C++ value type (float: float32, double: float64).
template <class T>
constexpr ElementType element_type_of() {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                "fields hold float or double");
  return std::is_same_v<T, float> ? ElementType::float32 : ElementType::float64;
}

/// A field declared once with its element type in its C++ type: the handle by which components
/// read and write it (`fields.read(kSoilPh)` is a span of float), so that no name is spelled
/// twice and no access can name another type. Declared like a FieldSpec; a declaration whose
/// ElementType is not T's does not compile (a throw in a constant expression).
template <class T>
struct TypedFieldSpec : FieldSpec {
  using value_type = T;
  template <class... Args>
  explicit constexpr TypedFieldSpec(Args&&... args) : FieldSpec{std::forward<Args>(args)...} {
    check();
  }
  /// From a FieldSpec made by a helper (or with another intent: reads(kX) keeps the handle).
  constexpr TypedFieldSpec(const FieldSpec& spec) : FieldSpec(spec) { check(); }  // NOLINT

 private:
  constexpr void check() const {
    if (type != element_type_of<T>())
      throw std::logic_error("a typed field declared with another element type");
  }
};

/// The month-end values of the fields that cell_year components read `each_month`.
class MonthlySnapshots {
 public:
  void keep(const Field& field, int month);
  /// The field at the end of @p month (1..12), or nullptr when it is not kept.
  const Field* find(std::string_view name, int month) const;
  void clear() { fields_.clear(); }

 private:
  std::map<std::string, std::vector<Field>, std::less<>> fields_;
};

/// One declared parameter: a number with units, a default, a valid range and a source.
struct ParameterSpec {
  std::string_view name;
  std::string_view units;
  double default_value;
  double minimum;
  double maximum;
  std::string_view source;
  std::string_view doc;
};

/// One column a component adds to summary.csv.
struct SummaryColumn {
  std::string_view name;  ///< e.g. "soc_total_t"; units belong in the name where planners read it
  std::string_view units;
  std::string_view doc;
};

/// Parameter values after scenario overrides, by name.
class ParameterValues {
 public:
  ParameterValues() = default;
  explicit ParameterValues(std::map<std::string, double> values) : values_(std::move(values)) {}
  double get(std::string_view name) const;
  const std::map<std::string, double>& all() const { return values_; }

 private:
  std::map<std::string, double> values_;
};

/// A component's view of State: only the fields it declared, with the declared intent.
class FieldAccess {
 public:
  FieldAccess(State& state, std::span<const FieldSpec> declared, std::string_view component);
  /// A view for one month of a cell_year component: fields kept in @p snapshots read as they were
  /// at the end of @p month.
  FieldAccess(State& state, std::span<const FieldSpec> declared, std::string_view component,
              const MonthlySnapshots* snapshots, int month);

  /// Read access to a declared in/inout field.
  template <class T>
  std::span<const T> read(std::string_view name) const;
  /// Write access to a declared out/inout field.
  template <class T>
  std::span<T> write(std::string_view name);
  /// The same by the field's declaration: the element type is the handle's.
  template <class T>
  std::span<const T> read(const TypedFieldSpec<T>& field) const {
    return read<T>(field.name);
  }
  template <class T>
  std::span<T> write(const TypedFieldSpec<T>& field) {
    return write<T>(field.name);
  }
  /// The typed structure derived from a declared out/inout field, published for the components
  /// that read the field (State::publish_derived).
  template <class T>
  void publish_derived(const FieldSpec& field, std::shared_ptr<const T> value) {
    spec(field.name, true);  // throws unless declared out or inout
    state_.publish_derived(field.name, std::move(value));
  }
  /// The structure published for a declared in/inout field, or null where none was published.
  template <class T>
  std::shared_ptr<const T> derived(const FieldSpec& field) const {
    spec(field.name, false);  // throws unless declared in or inout
    return state_.derived<T>(field.name);
  }
  /// Whether an optional input is present in this run.
  bool has(std::string_view name) const;
  /// Whether the component declared the field (any intent).
  bool declares(std::string_view name) const;
  bool has(const FieldSpec& field) const { return has(field.name); }
  const State& state() const { return state_; }

 private:
  const FieldSpec& spec(std::string_view name, bool writing) const;
  Field& field(std::string_view name) const;

  State& state_;
  std::span<const FieldSpec> declared_;
  std::string_view component_;
  const MonthlySnapshots* snapshots_ = nullptr;
  int month_ = 0;
};

/// What a component gets at each update.
struct StepContext {
  int year = 0;        ///< calendar year being simulated
  int month = 0;       ///< 1..12 for monthly components, 0 otherwise
  int year_index = 0;  ///< years since the start (0 for the first simulated year)
  std::uint64_t seed = 0;
  SummaryRow* summary = nullptr;  ///< where the component reports its declared columns
};

/// Base class of every process model.
class Component {
 public:
  virtual ~Component() = default;
  virtual std::string_view name() const = 0;
  virtual Cadence cadence() const = 0;
  virtual std::span<const FieldSpec> fields() const = 0;
  virtual std::span<const ParameterSpec> parameters() const { return {}; }
  virtual std::span<const SummaryColumn> summary_columns() const { return {}; }
  /// The equation's source, logged when a run starts.
  virtual std::string_view citation() const { return {}; }

  virtual void initialize(FieldAccess& /*fields*/, const ParameterValues& /*parameters*/) {}
  /// yearly, monthly and indices components: one step.
  virtual void update(FieldAccess& /*fields*/, const StepContext& /*step*/) {}
  /// cell_year components: before the blocks (serial): yearly refreshes, resets.
  virtual void begin_year(FieldAccess& /*fields*/, const StepContext& /*step*/) {}
  /// cell_year components: month step.month of the cells [begin, end) (blocks run in parallel;
  /// touch only these cells, and keep per-block partial sums for end_year).
  virtual void update_cells(FieldAccess& /*fields*/, const StepContext& /*step*/,
                            std::size_t /*begin*/, std::size_t /*end*/) {}
  /// cell_year components: after the blocks (serial): site-wide work, sums, summary.
  virtual void end_year(FieldAccess& /*fields*/, const StepContext& /*step*/) {}
  virtual void finalize(FieldAccess& /*fields*/) {}
  /// After a checkpoint has been restored: rebuild the internal fields the component derives
  /// from State (checkpoints do not store internal fields).
  virtual void restart(FieldAccess& /*fields*/) {}
  /// The state this component carries from one year into the next outside State, written after
  /// every completed year into the checkpoint (the default: none).
  virtual void save_carry_over(CarryOverWriter& /*out*/) const {}
  /// Restores what save_carry_over wrote, on resume, before restart().
  virtual void load_carry_over(CarryOverReader& /*in*/) {}
  /// Whether work of this year's months still waits outside State when the year has ended (a
  /// month's result meant for the next month). The engine asserts that none does at each year's
  /// end: a checkpoint written then would lose it.
  virtual bool holds_monthly_carry_over() const { return false; }
};

}  // namespace minetwin
