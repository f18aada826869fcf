#include "models/carbon/rothc_file.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/core/errors.hpp"
#include "engine/core/summary.hpp"
#include "engine/io/atomic_file.hpp"

namespace minetwin::carbon {
namespace {

struct Token {
  std::string text;
  int column;  // 1-based
};

std::vector<Token> split(const std::string& line) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) tokens.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return tokens;
}

class Reader {
 public:
  explicit Reader(const std::filesystem::path& file) : name_(file.string()) {
    std::ifstream in(file);
    if (!in) throw InputError(name_, 0, 0, "cannot read the RothC input file");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(line);
    }
  }
  std::size_t line_count() const { return lines_.size(); }
  std::vector<Token> tokens(std::size_t line) const {
    if (line > lines_.size()) fail(line, 1, "the file ends early");
    return split(lines_[line - 1]);
  }
  // A token as a finite number; @p what names it in the error.
  double number(std::size_t line, const std::vector<Token>& t, std::size_t k,
                const std::string& what) const {
    if (k >= t.size())
      fail(line, t.empty() ? 1 : t.back().column + static_cast<int>(t.back().text.size()),
           "missing " + what + " (value " + std::to_string(k + 1) + " on the line)");
    double v = 0;
    const auto& s = t[k].text;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (error != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
      fail(line, t[k].column, what + " is '" + s + "', expected a number");
    return v;
  }
  int integer(std::size_t line, const std::vector<Token>& t, std::size_t k,
              const std::string& what) const {
    const double v = number(line, t, k, what);
    if (v != std::floor(v))
      fail(line, t[k].column, what + " is '" + t[k].text + "', expected an integer");
    return static_cast<int>(v);
  }
  [[noreturn]] void fail(std::size_t line, int column, const std::string& message) const {
    throw InputError(name_, static_cast<int>(line), column, message);
  }

 private:
  std::string name_;
  std::vector<std::string> lines_;
};

bool names_soil_columns(const std::vector<Token>& t) {
  bool clay = false, nsteps = false;
  for (const auto& token : t) {
    clay = clay || token.text == "clay";
    nsteps = nsteps || token.text == "nsteps";
  }
  return clay && nsteps;
}

}  // namespace

RothCInput read_rothc_input(const std::filesystem::path& file) {
  const Reader r(file);
  // Version 1.0.0: three free lines, the names `clay depth iom nsteps` on line 4, values on 5,
  // two free lines, rows from line 8. Version 2.0.0: four free lines, the options on line 5,
  // two free lines, the soil on line 8, two free lines, rows from line 11.
  const bool old_layout = names_soil_columns(r.tokens(4));
  std::size_t soil_line = 5, first_row = 8;
  if (!old_layout) {
    const auto options = r.tokens(5);
    const int moisture = r.integer(5, options, 0, "opt_RMmoist");
    const int bare = r.integer(5, options, 1, "opt_SMDbare");
    if (moisture != 1 || bare != 1)
      r.fail(5, options[0].column,
             "moisture options " + std::to_string(moisture) + " " + std::to_string(bare) +
                 " are the dryland options of RothC 2.0.0; MineTwin implements RothC 26.3 "
                 "(options 1 1)");
    soil_line = 8;
    first_row = 11;
  }
  RothCInput input;
  const auto soil = r.tokens(soil_line);
  input.soil.clay_percent = r.number(soil_line, soil, 0, "clay");
  input.soil.depth_cm = r.number(soil_line, soil, 1, "depth");
  input.iom = r.number(soil_line, soil, 2, "iom");
  const int nsteps = r.integer(soil_line, soil, 3, "nsteps");
  if (input.soil.clay_percent < 0 || input.soil.clay_percent > 100)
    r.fail(soil_line, soil[0].column, "clay is " + soil[0].text + " %, expected 0 to 100");
  if (input.soil.depth_cm <= 0) r.fail(soil_line, soil[1].column, "depth must be positive");
  if (input.iom < 0) r.fail(soil_line, soil[2].column, "iom must not be negative");
  if (nsteps < 12)
    r.fail(soil_line, soil[3].column,
           "nsteps is " + soil[3].text + ", expected at least 12 (the spin-up year)");
  const char* names[] = {"year", "month", "modern", "Tmp", "Rain",
                         "Evap", "C_inp", "FYM",    "PC",  "DPM_RPM"};
  for (int k = 0; k < nsteps; ++k) {
    const std::size_t line = first_row + static_cast<std::size_t>(k);
    if (line > r.line_count())
      r.fail(r.line_count(), 1,
             "nsteps is " + std::to_string(nsteps) + " but the file has " + std::to_string(k) +
                 " monthly rows");
    const auto t = r.tokens(line);
    double v[10];
    for (std::size_t c = 0; c < 10; ++c) v[c] = r.number(line, t, c, names[c]);
    RothCInputRow row;
    row.year = static_cast<int>(v[0]);
    row.month = static_cast<int>(v[1]);
    row.forcing.temperature_c = v[3];
    row.forcing.rain_mm = v[4];
    row.forcing.open_pan_evaporation_mm = v[5];
    row.forcing.plant_carbon = v[6];
    row.forcing.manure_carbon = v[7];
    if (v[8] != 0 && v[8] != 1)
      r.fail(line, t[8].column, "PC is " + t[8].text + ", expected 0 or 1");
    row.forcing.covered = v[8] == 1;
    row.forcing.dpm_rpm_ratio = v[9];
    // Open-pan evaporation may be slightly negative (dew); the official example has -0.5 mm.
    for (std::size_t c : {4, 6, 7}) {
      if (v[c] < 0) r.fail(line, t[c].column, std::string(names[c]) + " must not be negative");
    }
    if (v[9] <= 0) r.fail(line, t[9].column, "DPM_RPM must be positive");
    input.rows.push_back(row);
  }
  return input;
}

std::vector<RothCOutputRow> run_rothc(const RothCInput& input) {
  std::vector<RothCMonth> year;
  for (std::size_t k = 0; k < 12; ++k) year.push_back(input.rows[k].forcing);
  Pools pools;
  pools.iom = input.iom;
  double deficit = 0.0;
  spin_up(pools, deficit, input.soil, year);
  std::vector<RothCOutputRow> out;
  for (std::size_t k = 12; k < input.rows.size(); ++k) {
    rothc_month(pools, deficit, input.soil, input.rows[k].forcing);
    out.push_back({input.rows[k].year, input.rows[k].month, pools});
  }
  return out;
}

void write_rothc_csv(const std::filesystem::path& file, const std::vector<RothCOutputRow>& rows) {
  std::ostringstream s;
  s << "year,month,dpm,rpm,bio,hum,iom,soc\n";
  for (const auto& r : rows) {
    const Pools& p = r.pools;
    s << r.year << ',' << r.month << ',' << format_number(p.dpm) << ',' << format_number(p.rpm)
      << ',' << format_number(p.bio) << ',' << format_number(p.hum) << ',' << format_number(p.iom)
      << ',' << format_number(p.total()) << '\n';
  }
  write_file_atomically(file, s.str());
}

}  // namespace minetwin::carbon
