// The recorder (issue 22): which years are recorded, the stored types, the state.nc writer and
// its thread, including a resumed run's state.nc rebuilt from the raw record file.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/run/recorder.hpp"

namespace minetwin {
namespace {

namespace fs = std::filesystem;

TEST(RecordInterval, GivenIntervalIsKept) {
  EXPECT_EQ(record_interval_years(3, 50, std::size_t{1} << 40), 3);
  EXPECT_EQ(record_interval_years(1, 50, 1), 1);
}

TEST(RecordInterval, AutoRecordsEveryYearUnlessTheRecordsGrowPastTheBudget) {
  // The demo: 256^2 cells, 75 fields, 28 MB a record: 51 records are 1.4 GB.
  EXPECT_EQ(record_interval_years(0, 50, 28'000'000), 1);
  // 1024^2 cells: 455 MB a record. Every year (51) is 23 GB, every 2 years (26) 11.8 GB, every
  // 5 years (11 records) 5.0 GB: within 6 GB.
  EXPECT_EQ(record_interval_years(0, 50, 455'000'000), 5);
  EXPECT_EQ(record_interval_years(0, 50, 545'000'000), 5);   // 11 x 545 MB = 5.995 GB
  EXPECT_EQ(record_interval_years(0, 50, 546'000'000), 10);  // 11 x 546 MB = 6.006 GB
  // Nothing fits: every 25 years, or the run's length when it is shorter.
  EXPECT_EQ(record_interval_years(0, 50, 10'000'000'000), 25);
  EXPECT_EQ(record_interval_years(0, 3, 10'000'000'000), 3);
}

TEST(RecordInterval, RecordsAreTheStartEachIntervalAndTheLastYear) {
  EXPECT_EQ(recorded_years(1, 50), 51u);
  EXPECT_EQ(recorded_years(5, 50), 11u);
  EXPECT_EQ(recorded_years(7, 50), 9u);  // 0, 7, ..., 49 and 50
  EXPECT_EQ(recorded_years(2, 5), 4u);   // 0, 2, 4, 5
  EXPECT_EQ(recorded_years(25, 50), 3u);
}

TEST(RecordInterval, SizesReadAsPeopleWriteThem) {
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(4.84e9), "4.8 GB");
  EXPECT_EQ(format_bytes(455e6), "455 MB");
}

State small_state() {
  GridGeometry geometry{3, 2, 10.0, 500000.0, 4000000.0, ""};
  State state(RasterGrid(geometry, {1, 1, 1, 1, 0, 1}), 2);
  state.add({"elevation", "m", "elevation", Location::cell, ElementType::float64}, 100.0);
  state.add({"cover", "1", "cover", Location::cell, ElementType::float32}, 0.5);
  state.add({"metal", "mg kg-1", "metal", Location::layer, ElementType::float64}, 1.0);
  state.add({"zone", "1", "zone", Location::cell, ElementType::float32}, 2.0);
  return state;
}

// Changes every value of the state in a way that float32 cannot hold exactly.
void advance(State& state, int year) {
  for (const char* name : {"elevation", "metal"}) {
    auto values = state.at(name).values<double>();
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i] != kFillValue) values[i] += 0.1 * year + 1e-9 * static_cast<double>(i);
  }
  auto cover = state.at("cover").values<float>();
  for (float& c : cover)
    if (c != static_cast<float>(kFillValue)) c = std::fmod(c + 0.137f, 1.0f);
}

TEST(Recorder, StoresFloat64FieldsAsNetcdfWould) {
  const State state = small_state();
  const Recorder single(state, {"elevation", "cover", "metal"}, {"zone"}, true);
  // On 6 cells elevation 6, cover 6 and metal 2 x 6 values, all float32: four chunks.
  EXPECT_EQ(single.value_bytes(), (6 + 6 + 12) * sizeof(float));
  EXPECT_EQ(single.chunks_per_record(), 4u);
  const Recorder twice(state, {"elevation", "cover", "metal"}, {"zone"}, false);
  EXPECT_EQ(twice.value_bytes(), 6 * sizeof(double) + 6 * sizeof(float) + 12 * sizeof(double));

  // Each chunk is what the writer's own compression of the stored values gives: the elevation
  // rounded to float32 as netCDF rounds, the second metal layer's values only.
  State changed = small_state();
  advance(changed, 3);
  const Record record = single.take(changed, 2028);
  EXPECT_EQ(record.year, 2028);
  ASSERT_EQ(record.chunks.size(), 4u);
  ChunkDeflater deflater;
  std::vector<std::byte> expected;
  const auto exact = changed.at("elevation").values<double>();
  std::vector<float> elevation(6);
  for (std::size_t i = 0; i < 6; ++i) elevation[i] = static_cast<float>(exact[i]);
  deflater.compress(std::as_bytes(std::span(elevation)), sizeof(float), expected);
  EXPECT_EQ(record.chunks[0], expected);
  const auto metal = changed.at("metal").values<double>();
  std::vector<float> second_layer(6);
  for (std::size_t i = 0; i < 6; ++i) second_layer[i] = static_cast<float>(metal[6 + i]);
  expected.clear();
  deflater.compress(std::as_bytes(std::span(second_layer)), sizeof(float), expected);
  EXPECT_EQ(record.chunks[3], expected);
  // A record taken into the memory of another holds the same bytes.
  const Record again = single.take(changed, 2028, single.take(state, 2025));
  EXPECT_EQ(again.chunks, record.chunks);
}

std::vector<char> bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Writes records of years 2025..2025+years through a stream; the first @p existing come from
// the raw file a killed run left behind.
void write_run(const fs::path& folder, int years, std::size_t existing) {
  State state = small_state();
  const Recorder recorder(state, {"elevation", "cover", "metal"}, {"zone"}, true);
  NetcdfLayout layout;
  layout.geometry = state.grid().geometry();
  layout.layer_bottoms_m = {0.2, 0.5};
  layout.start_year = 2025;
  layout.title = "recorder test";
  NetcdfStream stream(recorder, folder / "records.bin", existing, folder / "state.nc", layout,
                      state);
  for (int k = 0; k <= years; ++k) {
    if (k > 0) advance(state, k);
    if (static_cast<std::size_t>(k) < existing) continue;  // already in the raw file
    stream.wait_until_idle();
    stream.push(recorder.take(state, 2025 + k, stream.spare()));
  }
  stream.wait_until_saved();
  EXPECT_EQ(stream.records(), static_cast<std::size_t>(years + 1));
  stream.finish();
}

TEST(NetcdfStream, WritesEveryRecordAndTheStaticFields) {
  const fs::path folder = fs::temp_directory_path() / "minetwin_recorder_written";
  fs::remove_all(folder);
  fs::create_directories(folder);
  write_run(folder, 4, 0);
  const NetcdfReader reader(folder / "state.nc");
  EXPECT_EQ(reader.years(), (std::vector<int>{2025, 2026, 2027, 2028, 2029}));
  EXPECT_FALSE(reader.time_varying("zone"));
  EXPECT_EQ(reader.read("zone", 0)[0], 2.0);
  State expected = small_state();
  for (int k = 1; k <= 4; ++k) advance(expected, k);
  const auto metal = reader.read("metal", 4, 1);
  const auto exact = expected.at("metal").values<double>();
  for (std::size_t c = 0; c < 6; ++c)
    EXPECT_EQ(metal[c], static_cast<double>(static_cast<float>(exact[6 + c]))) << c;
  // The raw file: five records of state.nc's chunks (elevation, cover, two metal layers), each
  // the year, then each chunk's size and bytes; nothing after the last.
  std::ifstream raw(folder / "records.bin", std::ios::binary);
  for (int k = 0; k <= 4; ++k) {
    std::int32_t year = 0;
    raw.read(reinterpret_cast<char*>(&year), sizeof year);
    EXPECT_EQ(year, 2025 + k);
    for (int chunk = 0; chunk < 4; ++chunk) {
      std::uint64_t size = 0;
      raw.read(reinterpret_cast<char*>(&size), sizeof size);
      EXPECT_GT(size, 0u);
      raw.seekg(static_cast<std::streamoff>(size), std::ios::cur);
    }
  }
  ASSERT_TRUE(raw.good());
  EXPECT_EQ(static_cast<std::uintmax_t>(raw.tellg()), fs::file_size(folder / "records.bin"));
}

// The records go into state.nc as chunks compressed by the run (shuffle + deflate, written with
// H5Dwrite_chunk): netCDF reads every value back exactly, float32 and float64 alike, on a grid
// whose values compress, and the file is smaller than its values.
TEST(NetcdfWriter, ChunksCompressedByTheRunReadBackExactly) {
  const fs::path folder = fs::temp_directory_path() / "minetwin_writer_chunks";
  fs::remove_all(folder);
  fs::create_directories(folder);
  NetcdfLayout layout;
  layout.geometry.columns = 120;
  layout.geometry.rows = 90;
  layout.geometry.cell_size_m = 5;
  layout.layer_bottoms_m = {0.2, 0.5, 1.0};
  layout.start_year = 2025;
  layout.single_precision = false;
  layout.variables.push_back(
      {"height", "m", "a smooth surface", Location::cell, ElementType::float64});
  layout.variables.push_back({"cover", "1", "cover", Location::cell, ElementType::float32});
  layout.variables.push_back(
      {"metal", "mg kg-1", "per layer", Location::layer, ElementType::float64});
  const std::size_t n = 120 * 90;
  auto height = [&](int record) {
    std::vector<double> values(n);
    for (std::size_t c = 0; c < n; ++c)
      values[c] = 400.0 + 0.01 * static_cast<double>(c % 120) * (record + 1) -
                  0.02 * static_cast<double>(c / 120) + std::sin(0.1 * static_cast<double>(c));
    return values;
  };
  auto cover = [&](int record) {
    std::vector<float> values(n);
    for (std::size_t c = 0; c < n; ++c) values[c] = static_cast<float>((c + record) % 17) / 16.0f;
    return values;
  };
  auto metal = [&](int record) {
    std::vector<double> values(3 * n);
    for (std::size_t i = 0; i < values.size(); ++i)
      values[i] = 1.0 + 1e-3 * static_cast<double>(i % 997) + record;
    return values;
  };
  {
    NetcdfWriter writer(folder / "state.nc", layout);
    for (int record = 0; record < 3; ++record) {
      const auto h = height(record);
      const auto c = cover(record);
      const auto m = metal(record);
      writer.append(2025 + 5 * record, {std::as_bytes(std::span(h)), std::as_bytes(std::span(c)),
                                        std::as_bytes(std::span(m))});
    }
    writer.close();
  }
  EXPECT_LT(fs::file_size(folder / "state.nc"), 3 * n * (8 + 4 + 3 * 8));
  // netCDF's own tool sees the three records the chunks were written for (the unlimited
  // dimension's length comes from the datasets HDF5 extended), and reads every value.
  const std::string dump = (folder / "dump.txt").string();
  ASSERT_EQ(std::system(("ncdump " + (folder / "state.nc").string() + " > " + dump).c_str()), 0);
  std::ifstream dumped(dump);
  const std::string text((std::istreambuf_iterator<char>(dumped)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("time = UNLIMITED ; // (3 currently)"), std::string::npos);
  EXPECT_NE(text.find("year = 2025, 2030, 2035 ;"), std::string::npos);
  const NetcdfReader reader(folder / "state.nc");
  EXPECT_EQ(reader.years(), (std::vector<int>{2025, 2030, 2035}));
  for (int record = 0; record < 3; ++record) {
    EXPECT_EQ(reader.read("height", record), height(record)) << record;
    const auto c = cover(record);
    EXPECT_EQ(reader.read("cover", record), std::vector<double>(c.begin(), c.end())) << record;
    const auto m = metal(record);
    for (std::size_t layer = 0; layer < 3; ++layer)
      EXPECT_EQ(reader.read("metal", record, layer),
                std::vector<double>(m.begin() + static_cast<std::ptrdiff_t>(layer * n),
                                    m.begin() + static_cast<std::ptrdiff_t>((layer + 1) * n)))
          << record << " " << layer;
  }
}

TEST(NetcdfStream, AResumedRunRebuildsTheSameFileFromTheRawRecords) {
  const fs::path whole = fs::temp_directory_path() / "minetwin_recorder_whole";
  const fs::path resumed = fs::temp_directory_path() / "minetwin_recorder_resumed";
  for (const auto& f : {whole, resumed}) {
    fs::remove_all(f);
    fs::create_directories(f);
  }
  write_run(whole, 5, 0);
  // A killed run: four records in its raw file (a checkpoint names three), its state.nc lost.
  write_run(resumed, 3, 0);
  fs::remove(resumed / "state.nc");
  write_run(resumed, 5, 3);
  EXPECT_EQ(bytes_of(resumed / "state.nc"), bytes_of(whole / "state.nc"));
  EXPECT_EQ(bytes_of(resumed / "records.bin"), bytes_of(whole / "records.bin"));
}

TEST(NetcdfStream, ARawFileShorterThanTheCheckpointIsRefused) {
  const fs::path folder = fs::temp_directory_path() / "minetwin_recorder_short";
  fs::remove_all(folder);
  fs::create_directories(folder);
  write_run(folder, 1, 0);  // two records
  State state = small_state();
  const Recorder recorder(state, {"elevation", "cover", "metal"}, {"zone"}, true);
  NetcdfLayout layout;
  layout.geometry = state.grid().geometry();
  layout.layer_bottoms_m = {0.2, 0.5};
  EXPECT_THROW(
      NetcdfStream(recorder, folder / "records.bin", 3, folder / "again.nc", layout, state),
      std::runtime_error);
}

}  // namespace
}  // namespace minetwin
