// Requirement (style.md recommendation 3): every registered component and measure type declares
// complete metadata: named fields with units and a doc line, parameters whose default lies in
// their range and that cite a source, summary columns with units; one field name has one
// meaning (units, location, type) across all declarations.
#include <gtest/gtest.h>

#include <cmath>

#include <map>

#include "engine/site/climate_forcing.hpp"
#include "models/registry/register_models.hpp"

using namespace minetwin;

namespace {

struct Declared {
  std::string owner;
  FieldSpec spec;
};

// CSDMS-style names: lower case, digits and underscores, starting with a letter, at most one
// "__" between the object and the quantity. (No std::regex: GCC 12 warns inside it under ASan.)
bool is_field_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z' || name.back() == '_') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  const auto first = name.find("__");
  return first == std::string_view::npos || name.find("__", first + 2) == std::string_view::npos;
}

void check_fields(const std::string& owner, std::span<const FieldSpec> fields,
                  std::map<std::string, Declared>& seen) {
  for (const auto& f : fields) {
    SCOPED_TRACE(owner + " field " + std::string(f.name));
    EXPECT_TRUE(is_field_name(f.name));
    EXPECT_FALSE(f.units.empty());
    EXPECT_FALSE(f.doc.empty());
    auto [it, inserted] = seen.emplace(std::string(f.name), Declared{owner, f});
    if (!inserted) {
      EXPECT_EQ(it->second.spec.units, f.units) << "also declared by " << it->second.owner;
      EXPECT_EQ(it->second.spec.location, f.location);
      EXPECT_EQ(it->second.spec.type, f.type);
    }
  }
}

}  // namespace

TEST(Registry, EveryComponentAndMeasureDeclaresCompleteMetadata) {
  ModelRegistry registry;
  register_models(registry);
  ClimateSeries climate(2025, std::vector<MonthlyClimate>(12));
  std::vector<std::unique_ptr<Component>> components;
  components.push_back(std::make_unique<ClimateForcing>(climate));
  for (auto& c : registry.make_components()) components.push_back(std::move(c));

  std::map<std::string, Declared> seen;
  for (const auto& c : components) {
    const std::string owner = "component " + std::string(c->name());
    SCOPED_TRACE(owner);
    check_fields(owner, c->fields(), seen);
    for (const auto& p : c->parameters()) {
      SCOPED_TRACE(std::string(p.name));
      EXPECT_FALSE(p.units.empty());
      EXPECT_FALSE(p.source.empty());
      EXPECT_LE(p.minimum, p.default_value);
      EXPECT_LE(p.default_value, p.maximum);
    }
    for (const auto& column : c->summary_columns()) {
      EXPECT_FALSE(column.units.empty()) << column.name;
      EXPECT_FALSE(column.doc.empty()) << column.name;
    }
  }
  for (const auto* type : registry.measures()) {
    const std::string owner = "measure " + std::string(type->name());
    SCOPED_TRACE(owner);
    EXPECT_FALSE(type->doc().empty());
    check_fields(owner, type->fields(), seen);
    for (const auto& p : type->parameters()) {
      if (p.is_text || p.required) continue;      // a required parameter has no default
      if (std::isnan(p.default_value)) continue;  // no default: the measure works it out
      EXPECT_LE(p.minimum, p.default_value) << p.name;
      EXPECT_LE(p.default_value, p.maximum) << p.name;
    }
  }
  EXPECT_GE(components.size(), 1u);
}
