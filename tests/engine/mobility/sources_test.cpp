// More inputs through the door: SensorThings Observation histories (JSON) and SUMO floating
// car data, with identifiers pseudonymised.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <zlib.h>
#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/live_observation.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/mobility/tracks.hpp"

namespace mobility = citytwin::engine::mobility;
namespace fs = std::filesystem;

namespace {

fs::path writeFile(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / "citytwin-source-tests";
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

}  // namespace

TEST(SensorThingsHistory, ReadsAnApiAnswerIntoCountsPerDatastream) {
  const auto path = writeFile("observations.json", R"({
    "@iot.count": 4,
    "value": [
      {"@iot.id": 1, "phenomenonTime": "2024-06-01T12:00:00Z/2024-06-01T12:15:00Z", "result": 40,
       "Datastream": {"@iot.id": 7}},
      {"@iot.id": 2, "phenomenonTime": "2024-06-01T12:15:00Z/2024-06-01T12:30:00Z", "result": 52,
       "Datastream": {"@iot.id": 7}},
      {"@iot.id": 3, "phenomenonTime": "2024-06-01T12:45:00Z/2024-06-01T13:00:00Z", "result": 8,
       "Datastream": {"@iot.id": 7}},
      {"@iot.id": 4, "phenomenonTime": "2024-06-01T12:00:00Z/2024-06-01T12:15:00Z", "result": 3,
       "Datastream": {"@iot.id": "gate-2"}}
    ],
    "@iot.nextLink": "https://example.org/v1.1/Observations?$skip=4"})");
  const auto series = mobility::readSensorThingsObservations(path.string());
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].sensor, "7");
  EXPECT_DOUBLE_EQ(series[0].interval_s, 900);
  ASSERT_EQ(series[0].counts.size(), 4u);
  EXPECT_EQ(series[0].counts[1], 52);
  EXPECT_TRUE(std::isnan(series[0].counts[2]));
  EXPECT_EQ(series[1].sensor, "gate-2");

  const auto bad =
      writeFile("bad.json", R"([{"@iot.id": 1, "phenomenonTime": "2024-06-01T12:00:00Z",
    "result": 4, "Datastream": {"@iot.id": 7}}, {"@iot.id": 981, "result": 2,
    "Datastream": {"@iot.id": 7}}])");
  try {
    mobility::readSensorThingsObservations(bad.string());
    FAIL() << "an Observation without a time was accepted";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("bad.json: Observation 1 (@iot.id 981): 'phenomenonTime'"), std::string::npos)
        << m;
  }
  EXPECT_THROW(
      mobility::readSensorThingsObservations(writeFile("t.json", "{\"value\": 3}").string()),
      std::runtime_error);
  EXPECT_THROW(mobility::readSensorThingsObservations(writeFile("n.json", "[1,").string()),
               std::runtime_error);
}

TEST(SumoFcd, VehicleIdsArePseudonymisedAndSamplesKept) {
  const auto path = writeFile("fcd.xml", R"(<?xml version="1.0"?>
<fcd-export>
  <timestep time="0.00">
    <vehicle id="NL-12-ABC-3" x="10.0" y="5.0" angle="90" type="car" speed="10" lane="e_0"/>
  </timestep>
  <timestep time="1.00">
    <vehicle id="NL-12-ABC-3" x="20.0" y="5.0" angle="90" type="car" speed="10" lane="e_0"/>
    <person id="walker.7" x="3.0" y="4.0" angle="0" speed="1.2"/>
  </timestep>
</fcd-export>
)");
  mobility::PrivacyGate gate;
  const auto table = mobility::readSumoFcd(path.string(), gate, 25200.0);
  EXPECT_EQ(table.track_count, 2u);
  ASSERT_EQ(table.size(), 3u);
  EXPECT_DOUBLE_EQ(table.time[1], 25201.0);
  EXPECT_FLOAT_EQ(table.x[1], 20.0f);
  EXPECT_EQ(table.track[2], 1u);

  const auto broken =
      writeFile("broken.xml", "<fcd-export><timestep time=\"0\"><vehicle id=\"a\" x=\"1\"/>");
  EXPECT_ANY_THROW(mobility::readSumoFcd(broken.string(), gate));
}

TEST(CompressedTables, GzipCountAndTrajectoryTablesReadAsPlainOnesAndACutOneIsAnError) {
  const std::string counts = "time,sensor,direction,count\n0,a,in,5\n60,a,in,7\n120,a,in,9";
  const std::string tracks = "id,time,x,y\nmac-1,0,0,0\nmac-1,1,1,0\nmac-2,0,5,5\n";
  const auto gzip = [](const std::string& name, const std::string& text) {
    const auto path = fs::temp_directory_path() / "citytwin-source-tests" / name;
    fs::create_directories(path.parent_path());
    gzFile f = gzopen(path.string().c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return path;
  };
  const auto series = mobility::readCountCsv(gzip("counts.csv.gz", counts).string());
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].counts.size(), 3u);
  EXPECT_EQ(series[0].counts[2], 9) << "a last line without a line break is read";
  mobility::PrivacyGate gate;
  const auto table = mobility::readTrackCsv(gzip("tracks.csv.gz", tracks).string(), {}, gate);
  EXPECT_EQ(table.track_count, 2u);
  EXPECT_EQ(table.size(), 3u);

  // Cut in the middle: an error naming the file, not a short table.
  std::string big = "time,sensor,direction,count\n";
  for (int i = 0; i < 20000; ++i)
    big += std::to_string(i * 60) + ",a,in," + std::to_string(i % 50) + "\n";
  const auto whole = gzip("big.csv.gz", big);
  const auto size = fs::file_size(whole);
  fs::resize_file(whole, size / 2);
  try {
    mobility::readCountCsv(whole.string());
    FAIL() << "a cut gzip file was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("big.csv.gz"), std::string::npos) << e.what();
  }
}
