// GTFS Realtime vehicle positions through the privacy stage into the city's frame.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

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
