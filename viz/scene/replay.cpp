#include "viz/scene/replay.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/errors.hpp"
#include "engine/grid/state.hpp"
#include "viz/colormap.hpp"

namespace minetwin::viz {

Replay::Replay(const std::filesystem::path& output) : outputs_(report::load_run_outputs(output)) {
  state_ = std::make_unique<NetcdfReader>(output / "state.nc");
  if (state_->years().empty())
    throw InputError((output / "state.nc").string(), 0, 0, "no recorded year to replay");
  variables_ = state_->variables();
  if (!has("topographic__elevation"))
    throw InputError((output / "state.nc").string(), 0, 0,
                     "no topographic__elevation: the viewer draws the terrain from it (a run "
                     "with the terrain component writes it)");
  base_elevation_ = 1e300;
  highest_elevation_ = -1e300;
  for (double v : state_->read("topographic__elevation", 0))
    if (v != kFillValue && std::isfinite(v)) {
      base_elevation_ = std::min(base_elevation_, v);
      highest_elevation_ = std::max(highest_elevation_, v);
    }
  if (base_elevation_ == 1e300)
    throw InputError((output / "state.nc").string(), 0, 0,
                     "topographic__elevation has no valid cell in the first recorded year");
  // Zones and where their names go, once (the run's zone names, report::zone_label_cells).
  zones_ = read_or_empty("zone__id", 0);
  zone_label_cells_ =
      report::zone_label_cells(zones_, state_->geometry().columns, zone_names().size());
}

bool Replay::has(const std::string& variable) const {
  return std::find(variables_.begin(), variables_.end(), variable) != variables_.end();
}

std::vector<double> Replay::read_or_empty(const std::string& variable, std::size_t record,
                                          std::size_t layer) const {
  return has(variable) ? state_->read(variable, record, layer) : std::vector<double>{};
}

std::size_t Replay::record_of(int year) const {
  const auto& all = years();
  std::size_t best = 0;
  for (std::size_t k = 0; k < all.size(); ++k)
    if (std::abs(all[k] - year) < std::abs(all[best] - year)) best = k;
  return best;
}

void fit_drape(const Replay& replay, DrapeSpec& drape) {
  if (drape.field.empty()) return;
  if (!replay.has(drape.field)) {
    std::vector<std::string> names = replay.state().variables();
    const std::string hint = closest_match(drape.field, names);
    throw InputError("--field", 0, 0,
                     "no field '" + drape.field + "' in state.nc" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  if (drape.categorical) return;
  const auto& years = replay.years();
  const auto first = replay.state().read(drape.field, 0, drape.layer);
  std::vector<double> values;
  for (std::size_t record : {std::size_t{0}, years.size() - 1}) {
    const auto now = record == 0 ? first : replay.state().read(drape.field, record, drape.layer);
    for (std::size_t c = 0; c < now.size(); ++c) {
      if (now[c] == kFillValue || !std::isfinite(now[c])) continue;
      values.push_back(drape.change ? now[c] - first[c] : now[c]);
    }
  }
  if (values.empty()) return;
  const ColourRange range = robust_range(std::move(values));
  drape.low = range.low;
  drape.high = range.high;
  if (drape.change) {  // symmetric about no change
    const double m = std::max({std::abs(drape.low), std::abs(drape.high), 1e-12});
    drape.low = -m;
    drape.high = m;
  }
}

void site_bounds(const Replay& replay, double exaggeration, osg::Vec3d& centre, double& radius) {
  const GridGeometry& g = replay.state().geometry();
  const double high = replay.highest_elevation();
  const double w = static_cast<double>(g.columns) * g.cell_size_m,
               h = static_cast<double>(g.rows) * g.cell_size_m;
  centre.set(w / 2, -h / 2, (high - replay.base_elevation()) * exaggeration / 2);
  radius = 0.5 * std::sqrt(w * w + h * h);
}

}  // namespace minetwin::viz
