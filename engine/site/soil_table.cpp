#include "engine/site/soil_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/grid/state.hpp"
#include "engine/io/csv.hpp"

namespace minetwin {

void apply_soil_table(const std::filesystem::path& file, const std::vector<double>& layer_bottoms_m,
                      State& state) {
  const CsvTable table = CsvTable::read(file);
  const std::string name = file.string();
  const std::size_t zone_column = table.require_column("zone");
  const std::size_t layer_column = table.require_column("layer");
  std::vector<std::pair<const SoilColumn*, std::size_t>> present;
  for (const auto& c : soil_columns()) {
    const int index = table.column(c.column);
    if (index >= 0)
      present.push_back({&c, static_cast<std::size_t>(index)});
    else if (c.required)
      table.require_column(c.column);  // throws with a "did you mean"
  }
  std::vector<std::string> known_columns{"zone", "layer"};
  for (const auto& c : soil_columns()) known_columns.emplace_back(c.column);
  std::vector<Diagnostic> problems;
  for (const auto& header : table.header()) {
    if (std::find(known_columns.begin(), known_columns.end(), header) == known_columns.end()) {
      const std::string hint = closest_match(header, known_columns);
      const std::string suffix = "_mg_kg";
      if (header.size() > suffix.size() && header.ends_with(suffix)) {
        std::string species;
        for (const auto& c : soil_columns()) {
          const std::string column = c.column;
          if (column.ends_with(suffix))
            species += (species.empty() ? "" : ", ") + column.substr(0, column.size() - 6);
        }
        problems.push_back({name, 1, 1,
                            "unknown column '" + header +
                                "': " + header.substr(0, header.size() - suffix.size()) +
                                " is not a species of the metals model (" + species + ")"});
        continue;
      }
      problems.push_back({name, 1, 1,
                          "unknown column '" + header + "'" +
                              (hint.empty() ? "" : "; did you mean '" + hint + "'?")});
    }
  }
  const std::size_t layers = layer_bottoms_m.size();
  const std::size_t zones = state.zone_names.size();
  // values[zone][layer][column]; NaN marks "not given".
  std::vector<double> values(zones * layers * present.size(), std::nan(""));
  std::vector<int> seen(zones * layers, 0);
  for (const auto& row : table.rows()) {
    const std::string zone = row.cells[zone_column].text;
    const auto found = std::find(state.zone_names.begin(), state.zone_names.end(), zone);
    if (found == state.zone_names.end()) {
      const std::string hint = closest_match(zone, state.zone_names);
      problems.push_back({name, row.line, row.cells[zone_column].column,
                          "zone '" + zone + "' is not a zone of the site" +
                              (hint.empty() ? "" : "; did you mean '" + hint + "'?")});
      continue;
    }
    const double layer = table.number(row, layer_column, "layer number, 1 = top");
    if (layer < 1 || layer > static_cast<double>(layers) || std::floor(layer) != layer) {
      problems.push_back({name, row.line, row.cells[layer_column].column,
                          "layer must be 1 to " + std::to_string(layers) +
                              " (site.layer_bottoms_m has " + std::to_string(layers) + " layers)"});
      continue;
    }
    const std::size_t z = static_cast<std::size_t>(found - state.zone_names.begin());
    const std::size_t l = static_cast<std::size_t>(layer) - 1;
    if (seen[z * layers + l]++) {
      problems.push_back({name, row.line, 1,
                          "a second row for zone '" + zone + "' layer " + std::to_string(l + 1)});
    }
    double texture = 0.0;
    for (std::size_t p = 0; p < present.size(); ++p) {
      const auto& [column, index] = present[p];
      const double v = table.number(row, index, column->units);
      if (v < column->minimum || v > column->maximum) {
        problems.push_back({name, row.line, row.cells[index].column,
                            std::string("'") + column->column + "' is " + row.cells[index].text +
                                ", expected " + format_number(column->minimum) + " to " +
                                format_number(column->maximum)});
      }
      if (column->texture) texture += v;
      values[(z * layers + l) * present.size() + p] = v * column->to_field;
    }
    if (std::abs(texture - 100.0) > 2.0) {
      problems.push_back(
          {name, row.line, 1,
           "sand + silt + clay is " + format_number(texture) + " %, expected 100 (within 2)"});
    }
  }
  // Every zone that has cells needs every layer.
  std::vector<int> used(zones, 0);
  const auto ids = state.at("zone__id").values<float>();
  for (std::size_t c = 0; c < ids.size(); ++c) {
    if (state.grid().is_valid(c)) used[static_cast<std::size_t>(ids[c])] = 1;
  }
  for (std::size_t z = 0; z < zones; ++z) {
    for (std::size_t l = 0; l < layers && used[z]; ++l) {
      if (!seen[z * layers + l]) {
        problems.push_back(
            {name, 0, 0,
             "no row for zone '" + state.zone_names[z] + "' layer " + std::to_string(l + 1)});
      }
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));

  const std::size_t cells = state.grid().cell_count();
  auto& thickness = state.add({"soil__layer_thickness", "m", "thickness of the soil layer",
                               Location::layer, ElementType::float64});
  for (std::size_t l = 0; l < layers; ++l) {
    const double t = layer_bottoms_m[l] - (l == 0 ? 0.0 : layer_bottoms_m[l - 1]);
    for (std::size_t c = 0; c < cells; ++c) {
      if (state.grid().is_valid(c)) thickness.set(l * cells + c, t);
    }
  }
  for (std::size_t p = 0; p < present.size(); ++p) {
    const SoilColumn& column = *present[p].first;
    Field& field =
        state.add({column.field, column.units, column.long_name, Location::layer, column.type});
    for (std::size_t l = 0; l < layers; ++l) {
      for (std::size_t c = 0; c < cells; ++c) {
        if (!state.grid().is_valid(c)) continue;
        const auto z = static_cast<std::size_t>(ids[c]);
        field.set(l * cells + c, values[(z * layers + l) * present.size() + p]);
      }
    }
  }
}

}  // namespace minetwin
