#include "engine/core/component.hpp"

#include <stdexcept>
#include <utility>

#include "engine/grid/state.hpp"

namespace minetwin {

std::string_view to_string(Cadence cadence) {
  switch (cadence) {
    case Cadence::yearly:
      return "yearly";
    case Cadence::monthly:
      return "monthly";
    case Cadence::cell_year:
      return "cell_year";
    case Cadence::indices:
      return "indices";
  }
  return "?";
}

std::string_view to_string(Intent intent) {
  switch (intent) {
    case Intent::in:
      return "in";
    case Intent::out:
      return "out";
    case Intent::inout:
      return "inout";
  }
  return "?";
}

double ParameterValues::get(std::string_view name) const {
  auto found = values_.find(std::string(name));
  if (found == values_.end()) {
    throw std::logic_error("parameter '" + std::string(name) + "' was not declared");
  }
  return found->second;
}

FieldAccess::FieldAccess(State& state, std::span<const FieldSpec> declared,
                         std::string_view component)
    : state_(state), declared_(declared), component_(component) {}

FieldAccess::FieldAccess(State& state, std::span<const FieldSpec> declared,
                         std::string_view component, const MonthlySnapshots* snapshots, int month)
    : state_(state),
      declared_(declared),
      component_(component),
      snapshots_(snapshots),
      month_(month) {}

void MonthlySnapshots::keep(const Field& field, int month) {
  auto& months = fields_[field.info().name];
  if (months.empty()) months.assign(12, field);
  months[static_cast<std::size_t>(month - 1)] = field;
}

const Field* MonthlySnapshots::find(std::string_view name, int month) const {
  const auto found = fields_.find(name);
  if (found == fields_.end() || month < 1 || month > 12) return nullptr;
  return &found->second[static_cast<std::size_t>(month - 1)];
}

const FieldSpec& FieldAccess::spec(std::string_view name, bool writing) const {
  for (const auto& s : declared_) {
    if (s.name != name) continue;
    if (writing && s.intent == Intent::in) break;
    // Reading is allowed for every declared intent: a component may read back what it wrote.
    return s;
  }
  throw std::logic_error("component '" + std::string(component_) + "' " +
                         (writing ? "writes" : "reads") + " field '" + std::string(name) +
                         "' without declaring it with that intent");
}

Field& FieldAccess::field(std::string_view name) const {
  return state_.at(std::string(name));
}

bool FieldAccess::declares(std::string_view name) const {
  for (const auto& s : declared_)
    if (s.name == name) return true;
  return false;
}

bool FieldAccess::has(std::string_view name) const {
  return state_.contains(std::string(name));
}

template <class T>
std::span<const T> FieldAccess::read(std::string_view name) const {
  spec(name, false);
  if (snapshots_ != nullptr) {
    if (const Field* kept = snapshots_->find(name, month_)) return kept->template values<T>();
  }
  return std::as_const(field(name)).template values<T>();
}

template <class T>
std::span<T> FieldAccess::write(std::string_view name) {
  spec(name, true);
  return field(name).template values<T>();
}

template std::span<const float> FieldAccess::read<float>(std::string_view) const;
template std::span<const double> FieldAccess::read<double>(std::string_view) const;
template std::span<float> FieldAccess::write<float>(std::string_view);
template std::span<double> FieldAccess::write<double>(std::string_view);

}  // namespace minetwin
