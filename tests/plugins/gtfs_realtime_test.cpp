// GTFS Realtime vehicle positions through the privacy stage into the city's frame.
#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/engine/mobility/track_replay.hpp"
#include "citytwin/plugins/gtfs_realtime.hpp"
#include "gtfs_realtime_subset.pb.h"

namespace gtfs_rt = citytwin::gtfs_rt;
namespace mobility = citytwin::engine::mobility;

namespace {

void addVehicle(gtfs_rt::FeedMessage& feed, const std::string& entity, const std::string& id,
                const std::string& plate, double lat, double lon, std::uint64_t time) {
  auto* e = feed.add_entity();
  e->set_id(entity);
  auto* v = e->mutable_vehicle();
  v->mutable_trip()->set_trip_id("D1-0712");
  v->mutable_trip()->set_route_id("D1");
  v->mutable_position()->set_latitude(static_cast<float>(lat));
  v->mutable_position()->set_longitude(static_cast<float>(lon));
  v->mutable_position()->set_speed(7.5f);
  v->set_timestamp(time);
  if (!id.empty()) v->mutable_vehicle()->set_id(id);
  if (!plate.empty()) v->mutable_vehicle()->set_license_plate(plate);
}

}  // namespace

TEST(GtfsRealtime, VehiclePositionsArrivePseudonymisedInTheLocalFrame) {
  gtfs_rt::FeedMessage feed;
  feed.mutable_header()->set_gtfs_realtime_version("2.0");
  feed.mutable_header()->set_timestamp(1764576000);
  // The Dam (RD about 121,390 / 487,380) and Waterlooplein, twice 20 s apart.
  addVehicle(feed, "1", "GVB-4021", "BX-123-Z", 52.37310, 4.89300, 1764576000);
  addVehicle(feed, "2", "", "BX-999-Q", 52.36720, 4.90200, 1764576000);
  addVehicle(feed, "3", "GVB-4021", "BX-123-Z", 52.37250, 4.89350, 1764576020);
  feed.add_entity()->set_id("4");  // no vehicle position: skipped
  auto* deleted = feed.add_entity();
  deleted->set_id("5");
  deleted->set_is_deleted(true);
  std::string bytes;
  ASSERT_TRUE(feed.SerializeToString(&bytes));

  const citytwin::geodata::LocalFrame frame{"EPSG:28992", {121000.0, 487000.0, 0.0}};
  mobility::PrivacyGate gate;
  std::size_t skipped = 0;
  const auto records =
      citytwin::plugins::readVehiclePositions(bytes, "feed.pb", gate, frame, &skipped);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(skipped, 2u);
  EXPECT_EQ(records[0].vehicle, records[2].vehicle) << "the same bus, one pseudonym";
  EXPECT_NE(records[0].vehicle, records[1].vehicle);
  EXPECT_EQ(records[0].trip_id, "D1-0712");
  EXPECT_EQ(records[0].route_id, "D1");
  EXPECT_NEAR(records[0].x, 390.0, 60.0);  // the Dam, about 121,390 in RD
  EXPECT_NEAR(records[0].y, 380.0, 60.0);
  EXPECT_NEAR(std::hypot(records[2].x - records[0].x, records[2].y - records[0].y), 72.0, 10.0);
  EXPECT_FLOAT_EQ(records[0].speed_m_s, 7.5f);
  for (const auto& r : records) {
    for (const std::string& text : {r.trip_id, r.route_id}) {
      EXPECT_EQ(text.find("GVB-4021"), std::string::npos);
      EXPECT_EQ(text.find("BX-"), std::string::npos);
    }
  }
  const auto tracks = citytwin::plugins::vehicleTracks(records);
  EXPECT_EQ(tracks.track_count, 2u);
  EXPECT_EQ(tracks.size(), 3u);

  EXPECT_THROW(
      citytwin::plugins::readVehiclePositions("\x0a\xff\xff garbage", "bad.pb", gate, frame),
      std::runtime_error);
}

namespace {

// Writes `text` to a file under the test's temporary folder.
std::string writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST(GtfsRealtime, RecordedSnapshotsReplayAsBusesPastTheSensors) {
  citytwin::plugins::registerGtfsRealtimeFormat();
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("citytwin_gtfsrt_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::remove_all(dir);
  // Bus 4021 drives east along the Dam at 52.3731 N, reporting every 10 s; bus 4022 stands
  // still and reports every 20 s, so the snapshots in between repeat its last position.
  // An hour or two ago, inside one hour: never across midnight, where the pseudonyms' key (and
  // so each bus's track) changes by design.
  const auto now = static_cast<std::uint64_t>(std::time(nullptr)) / 3600 * 3600 - 3600 + 60;
  for (int i = 0; i < 6; ++i) {
    gtfs_rt::FeedMessage feed;
    feed.mutable_header()->set_gtfs_realtime_version("2.0");
    feed.mutable_header()->set_timestamp(now + 10 * i);
    addVehicle(feed, "a", "GVB-4021", "BX-123-Z", 52.3731, 4.8900 + 0.0012 * i, now + 10 * i);
    addVehicle(feed, "b", "GVB-4022", "BX-456-Y", 52.3700, 4.9000, now + 20 * (i / 2));
    std::string bytes;
    ASSERT_TRUE(feed.SerializeToString(&bytes));
    writeFile(dir / "feed" / ("snapshot-" + std::to_string(i) + ".pb"), bytes);
  }
  const std::string set_path = writeFile(dir / "buses.yaml", R"(name: buses
crs: EPSG:4326
interval: 60
sensors:
  - {id: dam, line: [[4.8930, 52.3725], [4.8930, 52.3737]], forward: east, backward: west}
sources:
  - name: vehicle positions
    kind: trajectories
    format: gtfs-rt
    file: feed
    register: {controller: GVB, purpose: show buses in the replay, legal_basis: none (not personal), personal_data: false}
)");
  auto set = mobility::loadObservationSet(set_path);
  ASSERT_EQ(set.sources.size(), 1u);
  EXPECT_EQ(set.sources[0].mode, mobility::TrackMode::kBus);

  mobility::PrivacyGate gate(set.privacy);
  // Not placed in a city: WGS 84 positions have nowhere to go.
  try {
    mobility::replayObservations(set, gate, 1.0, static_cast<double>(now + 3600));
    FAIL() << "a GTFS Realtime source outside a city was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("need a city"), std::string::npos) << e.what();
  }

  mobility::sensorsToLocalFrame(set, {"EPSG:28992", {121000.0, 487000.0, 0.0}});
  const auto replay = mobility::replayObservations(set, gate, 1.0, static_cast<double>(now + 3600));
  EXPECT_EQ(replay.tracks.track_count, 2u);
  EXPECT_EQ(replay.tracks.size(), 6u + 3u) << "repeated positions of the standing bus kept once";
  ASSERT_EQ(replay.track_modes.size(), 2u);
  EXPECT_EQ(replay.track_modes[0], mobility::TrackMode::kBus);
  double east = 0.0, west = 0.0;
  for (const auto& s : replay.sensor_counts) {
    (s.direction == "east" ? east : west) += s.total();
  }
  EXPECT_EQ(east, 1.0);
  EXPECT_EQ(west, 0.0);

  // Half-way between two reports the bus is between them, moving east at about 8 m/s.
  mobility::TrackReplay player(replay.tracks);
  std::vector<mobility::ReplayedPosition> at;
  player.positionsAt(static_cast<double>(now) + 25.0, at);
  ASSERT_EQ(at.size(), 2u);
  const auto& bus = at[0].vx != 0.0f ? at[0] : at[1];
  EXPECT_NEAR(bus.vx, 0.0012 * 68000.0 / 10.0, 1.0);  // 0.0012 deg of longitude is about 82 m
  EXPECT_NEAR(bus.vy, 0.0, 0.5);

  // A snapshot that is not a FeedMessage is named.
  writeFile(dir / "feed" / "snapshot-9.pb", "not protobuf at all");
  try {
    mobility::replayObservations(set, gate, 1.0, static_cast<double>(now + 3600));
    FAIL() << "a broken snapshot was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("snapshot-9.pb"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}
