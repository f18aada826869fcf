#pragma once
// Runs the real `minetwin` program and captures its exit code and output.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include <vector>
#include "engine/io/netcdf_writer.hpp"

namespace minetwin::test {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

/// A scratch directory of this test process under the system's temporary directory: tests of
/// one file run as parallel processes, and several build trees may test at once.
inline std::filesystem::path scratch_dir(const std::string& name) {
  return std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
}

inline std::string binary() {
  return std::string(MINETWIN_BINARY_DIR) + "/bin/minetwin";
}

inline Result run_cli(const std::string& arguments, const std::string& environment = "") {
  const std::string command = environment + " " + binary() + " " + arguments + " 2>&1";
  Result result;
  FILE* pipe = ::popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (pipe != nullptr && std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
    result.output += buffer.data();
  }
  const int status = pipe != nullptr ? ::pclose(pipe) : -1;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

/// The standard output of a shell command (another program than minetwin: ncdump, gdalinfo).
inline std::string run_cli_text(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  std::array<char, 4096> buffer{};
  while (pipe != nullptr && std::fgets(buffer.data(), buffer.size(), pipe) != nullptr)
    output += buffer.data();
  if (pipe != nullptr) ::pclose(pipe);
  return output;
}

/// The output of `minetwin run ARGUMENTS -o DIR`, run once and shared by the test processes of
/// this build (ctest runs each test as its own process): the first process runs it under a lock,
/// the others wait and reuse it. The folder is keyed by the program's path, its modification
/// time, the arguments and the modification times of every file under scenarios/ and assets/
/// (the inputs a run of the demo reads), so a rebuilt program, an edited scenario or site, or
/// another build tree never reuses it. Tests must not write into it.
inline std::filesystem::path shared_run(const std::string& arguments) {
  namespace fs = std::filesystem;
  const auto stamp = fs::last_write_time(binary()).time_since_epoch().count();
  std::string inputs;
  for (const char* folder : {"scenarios", "assets"}) {
    std::vector<std::string> stamps;
    std::error_code ec;
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(MINETWIN_SOURCE_DIR) / folder, ec))
      if (entry.is_regular_file())
        stamps.push_back(entry.path().string() + "@" +
                         std::to_string(entry.last_write_time().time_since_epoch().count()));
    std::sort(stamps.begin(), stamps.end());  // directory order is not defined
    for (const auto& s : stamps) inputs += s + "|";
  }
  const std::size_t key = std::hash<std::string>{}(binary() + "|" + std::to_string(stamp) + "|" +
                                                   arguments + "|" + inputs);
  const fs::path dir = fs::temp_directory_path() / ("minetwin_shared_run_" + std::to_string(key));
  const std::string lock_file = dir.string() + ".lock";
  const int lock = ::open(lock_file.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lock_file);
  if (!fs::exists(dir / ".complete")) {
    fs::remove_all(dir);
    const Result run = run_cli("run " + arguments + " -o " + dir.string());
    if (run.exit_code != 0) {
      ::close(lock);
      throw std::runtime_error("minetwin run " + arguments + " failed:\n" + run.output);
    }
    std::ofstream(dir / ".complete") << arguments << "\n";
  }
  ::close(lock);  // releases the lock
  return dir;
}

/// Runs `minetwin run ARGUMENTS OUT` killed after year 1, then resumed and killed after each
/// next year up to @p last_killed: each invocation checkpoints after its first year, so the run
/// is resumed from the checkpoint of every year 1..last_killed, each written by a resumed
/// process. Each kill must leave no finished-looking output (no summary.csv, no state.nc) and a
/// checkpoint. The caller resumes the run to its end.
inline void run_killed_after_each_year(const std::string& arguments,
                                       const std::filesystem::path& out, int last_killed) {
  for (int year = 1; year <= last_killed; ++year) {
    SCOPED_TRACE("killed after year " + std::to_string(year));
    const auto killed = run_cli("run " + arguments + out.string() + (year > 1 ? " --resume" : ""),
                                "MINETWIN_KILL_AFTER_YEARS=" + std::to_string(year));
    ASSERT_EQ(killed.exit_code, 137) << killed.output;
    EXPECT_FALSE(std::filesystem::exists(out / "summary.csv"));
    EXPECT_FALSE(std::filesystem::exists(out / "state.nc"));
    EXPECT_TRUE(std::filesystem::exists(out / ".minetwin-work" / "checkpoint.bin"));
  }
}

/// Whether mpirun is installed (Debian's openmpi-bin): tests of MPI ranks skip without it.
inline bool have_mpirun() {
  return std::system("command -v mpirun > /dev/null 2>&1") == 0;
}

/// Runs `minetwin ARGUMENTS` under `mpirun -np 2` (as root where the CI runs so; ASan's leak
/// check off: Open MPI keeps its allocations to the end). Returns the exit status.
inline int run_cli_under_mpirun(const std::string& arguments) {
  const std::string command =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "mpirun --oversubscribe -x ASAN_OPTIONS=detect_leaks=0 -np 2 " +
      binary() + " " + arguments + " > /dev/null 2>&1";
  return std::system(command.c_str());
}

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Empty when the two files hold the same bytes; otherwise where they first differ, so that a
/// determinism failure says what differs: for NetCDF files the first differing line of their
/// `ncdump` (variable and values), for text files the first differing line.
inline std::string first_difference(const std::filesystem::path& a,
                                    const std::filesystem::path& b) {
  const std::string bytes_a = read_bytes(a), bytes_b = read_bytes(b);
  if (bytes_a == bytes_b) return "";
  const bool netcdf = a.extension() == ".nc";
  const std::string text_a = netcdf ? run_cli_text("ncdump " + a.string()) : bytes_a;
  const std::string text_b = netcdf ? run_cli_text("ncdump " + b.string()) : bytes_b;
  std::istringstream in_a(text_a), in_b(text_b);
  std::string line_a, line_b, last_variable;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(in_a, line_a));
    const bool more_b = static_cast<bool>(std::getline(in_b, line_b));
    if (!more_a && !more_b) break;
    if (line_a.find(" = ") != std::string::npos && line_a.find(':') == std::string::npos)
      last_variable = line_a.substr(line_a.find_first_not_of(" \t"),
                                    line_a.find(" = ") - line_a.find_first_not_of(" \t"));
    if (line_a != line_b || more_a != more_b)
      return a.filename().string() + " differs at line " + std::to_string(line) +
             (last_variable.empty() ? "" : " (in " + last_variable + ")") + ":\n  " +
             line_a.substr(0, 300) + "\n  " + line_b.substr(0, 300);
  }
  return a.filename().string() + ": the bytes differ but the " +
         (netcdf ? "ncdump texts are the same (file layout, not values)" : "lines are the same");
}

// Column @p name of summary.csv, by year.
inline std::map<int, double> summary_column(const std::filesystem::path& summary,
                                            const std::string& name) {
  std::istringstream in(test::read_bytes(summary));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream h(line);
  for (std::string cell; std::getline(h, cell, ',');) header.push_back(cell);
  const auto index = std::find(header.begin(), header.end(), name) - header.begin();
  std::map<int, double> values;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::vector<std::string> cells;
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    values[std::stoi(cells[0])] = std::stod(cells.at(static_cast<std::size_t>(index)));
  }
  return values;
}

/// Sum and cell count of a variable of state.nc over the cells of a zone, in the record of
/// @p year (the state on 1 January of that year).
struct ZoneTotal {
  double sum = 0.0, cells = 0.0;
  double mean() const { return cells > 0 ? sum / cells : 0.0; }
};
/// @p max_slope_deg: only the zone's cells at most this steep in that record.
inline ZoneTotal zone_total(const std::filesystem::path& state_nc, const std::string& variable,
                            int year, double zone, double max_slope_deg = 90.0) {
  NetcdfReader reader(state_nc);
  const auto& years = reader.years();
  const auto record =
      static_cast<std::size_t>(std::find(years.begin(), years.end(), year) - years.begin());
  if (record >= years.size()) throw std::runtime_error("no record of " + std::to_string(year));
  const auto values = reader.read(variable, record);
  const auto zones = reader.read("zone__id", 0);
  const auto slope = reader.read("topographic__slope", record);
  ZoneTotal total;
  for (std::size_t c = 0; c < values.size(); ++c) {
    if (zones[c] != zone || slope[c] > max_slope_deg) continue;
    total.sum += values[c];
    total.cells += 1.0;
  }
  return total;
}

}  // namespace minetwin::test
