// Requirements (issue 21, safety net): the demo's numbers are pinned by a gold file, so that every
// change of a result is deliberate and named in its commit: the whole 50-year demo's summary.csv
// byte for byte, and a digest of every variable of its state.nc (the values of every record and
// layer, not the file's layout). A run killed and resumed at every year of a 7-year demo (the
// soil-carbon spin-up spans five of them) gives the bytes of a run that never stopped.
//
// When a change of the demo's numbers is meant, refresh the gold files and name the change in the
// commit (docs/development.md, "The gold file"):
//   MINETWIN_REFRESH_GOLD=1 build/tests/test_demo_gold --gtest_filter='DemoGold.*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <iomanip>

#include "cli.hpp"
#include "engine/io/netcdf_writer.hpp"

using namespace minetwin;
namespace fs = std::filesystem;

namespace {

const std::string kDemo = std::string(MINETWIN_SOURCE_DIR) + "/scenarios/demo.yaml";
const fs::path kGold = fs::path(MINETWIN_SOURCE_DIR) / "tests" / "data" / "golden";

bool refreshing() {
  const char* refresh = std::getenv("MINETWIN_REFRESH_GOLD");
  return refresh != nullptr && std::string(refresh) == "1";
}

// FNV-1a 64's step over the values' bit patterns (as doubles: float and double values both convert
// exactly), so the digest depends on the values and not on how HDF5 lays the file out.
std::string digest_line(const NetcdfReader& reader, const std::string& variable) {
  std::uint64_t hash = 1469598103934665603ULL;
  auto add = [&hash](const std::vector<double>& values) {
    for (const double value : values) {
      std::uint64_t bits;
      std::memcpy(&bits, &value, sizeof bits);
      hash ^= bits;
      hash *= 1099511628211ULL;
      hash ^= hash >> 29;  // fold the high bits down: a plain FNV step on words loses them
    }
  };
  const FieldInfo info = reader.info(variable);
  const std::size_t records = reader.time_varying(variable) ? reader.years().size() : 1;
  const std::size_t layers = info.location == Location::layer ? reader.layers() : 1;
  for (std::size_t record = 0; record < records; ++record)
    for (std::size_t layer = 0; layer < layers; ++layer) add(reader.read(variable, record, layer));
  std::ostringstream line;
  line << variable << ' ' << records << 'x' << layers << ' ' << std::hex << std::setw(16)
       << std::setfill('0') << hash;
  return line.str();
}

std::string state_digest(const fs::path& state_nc) {
  NetcdfReader reader(state_nc);
  std::string text;
  for (const auto& variable : reader.variables()) text += digest_line(reader, variable) + "\n";
  return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

// Where two summary.csv texts first differ: the year, the column and both values.
std::string summary_difference(const std::string& gold, const std::string& now) {
  const auto gold_lines = split(gold, '\n'), now_lines = split(now, '\n');
  if (gold_lines.empty() || now_lines.empty()) return "one of the files is empty";
  const auto header = split(gold_lines[0], ',');
  if (gold_lines[0] != now_lines[0]) return "the columns differ:\n  " + now_lines[0];
  std::string report;
  int shown = 0;
  for (std::size_t row = 1; row < std::min(gold_lines.size(), now_lines.size()); ++row) {
    const auto a = split(gold_lines[row], ','), b = split(now_lines[row], ',');
    for (std::size_t c = 0; c < std::min(a.size(), b.size()) && shown < 10; ++c) {
      if (a[c] == b[c]) continue;
      report += "  " + a[0] + " " + header[c] + ": gold " + a[c] + ", now " + b[c] + "\n";
      ++shown;
    }
  }
  if (gold_lines.size() != now_lines.size()) report += "  the number of rows differs\n";
  return report;
}

}  // namespace

TEST(DemoGold, SummaryAndStateMatchTheGoldFiles) {
  const fs::path out = test::shared_run(kDemo + " --quiet");
  const std::string summary = test::read_bytes(out / "summary.csv");
  const std::string digest = state_digest(out / "state.nc");
  if (refreshing()) {
    std::ofstream(kGold / "demo_summary.csv", std::ios::binary) << summary;
    std::ofstream(kGold / "demo_state_digest.txt", std::ios::binary) << digest;
    GTEST_SKIP() << "gold files refreshed in " << kGold << ": name the change in the commit";
  }
  const std::string gold_summary = test::read_bytes(kGold / "demo_summary.csv");
  const std::string gold_digest = test::read_bytes(kGold / "demo_state_digest.txt");
  ASSERT_FALSE(gold_summary.empty()) << "no gold file " << kGold / "demo_summary.csv";
  const char* refresh =
      "\nIf this change of the demo's numbers is meant, refresh the gold files with\n"
      "  MINETWIN_REFRESH_GOLD=1 build/tests/test_demo_gold --gtest_filter='DemoGold.*'\n"
      "and name the change and its size in the commit.";
  EXPECT_TRUE(summary == gold_summary) << "summary.csv differs from the gold file:\n"
                                       << summary_difference(gold_summary, summary) << refresh;
  if (digest != gold_digest) {
    std::string changed;
    const auto gold_lines = split(gold_digest, '\n'), now_lines = split(digest, '\n');
    for (const auto& line : now_lines)
      if (std::find(gold_lines.begin(), gold_lines.end(), line) == gold_lines.end())
        changed += "  " + line.substr(0, line.find(' ')) + "\n";
    ADD_FAILURE() << "state.nc's values differ from the gold digest in:\n" << changed << refresh;
  }
}

TEST(DemoGold, ResumedAtEveryYearGivesTheBytesOfARunThatNeverStopped) {
  if (refreshing()) GTEST_SKIP();
  const std::string args = kDemo + " --quiet --set simulation.years=7 -o ";
  const fs::path whole = test::scratch_dir("minetwin_gold_whole"),
                 resumed = test::scratch_dir("minetwin_gold_resumed");
  fs::remove_all(whole);
  fs::remove_all(resumed);
  ASSERT_EQ(test::run_cli("run " + args + whole.string()).exit_code, 0);
  // The run is resumed from the checkpoint of every year 1..6, each written by a resumed process.
  test::run_killed_after_each_year(args, resumed, 6);
  const auto last = test::run_cli("run " + args + resumed.string() + " --resume");
  ASSERT_EQ(last.exit_code, 0) << last.output;
  for (const char* file : {"summary.csv", "state.nc", "run.yaml"}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(test::first_difference(whole / file, resumed / file), "");
  }
  fs::remove_all(whole);
  fs::remove_all(resumed);
}
