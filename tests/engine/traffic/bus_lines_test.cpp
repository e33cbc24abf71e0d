// Bus lines: GTFS feeds are read (and their mistakes named), stops are placed on the road on
// the right side of travel, buses stop at each one, never leave before the timetable, divert
// round a closed road leaving out its stop, and run the same on one and two threads.
#include <gtest/gtest.h>

#include <fstream>

#include "citytwin/engine/traffic/gtfs.hpp"
#include "citytwin/engine/traffic/network_builder.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

/// From Z to C: a short way through M1 and a long one through M2 (as in the re-routing test).
Network fork() {
  NetworkBuilder b;
  test::addFork(b);
  const std::uint32_t z = 0, a = 1, m1 = 2, bb = 4, c = 5;
  // The same roads back, so that every stop has a road on either side.
  b.addEdge("out-back", c, bb, 1, 13.89f);
  b.addEdge("s2-back", bb, m1, 1, 13.89f);
  b.addEdge("s1-back", m1, a, 1, 13.89f);
  b.addEdge("in-back", a, z, 1, 13.89f);
  b.connectAll();
  return b.build();
}

/// One line with three stops, x/y given directly as network coordinates.
GtfsFeed line(double first_departure, double second_departure) {
  GtfsFeed f;
  f.stops = {{"s1", "West", -3.0, -150.0},
             {"s2", "Middle", -3.0, 100.0},
             {"s3", "East", -3.0, 550.0}};  // lat = y, lon = x: 3 m right of eastbound roads
  GtfsTrip t;
  t.id = "t1";
  t.route_id = "r1";
  t.route_name = "1";
  t.stop_times = {{0, first_departure, first_departure},
                  {1, second_departure - 20.0, second_departure},
                  {2, second_departure + 60.0, second_departure + 60.0}};
  f.trips = {t};
  return f;
}

geodata::Vec2 direct(double lon, double lat) {
  return {lon, lat};
}

TEST(BusLines, StopsLieOnTheRightSideAndBusesKeepToTheTimetable) {
  const Network net = fork();
  Demand d;
  const auto report = addGtfsBuses(net, line(30.0, 300.0), direct, {}, d);
  ASSERT_EQ(report.trips_added, 1u);
  EXPECT_EQ(report.stops_served, 3u);
  const Trip& bus = d.trips.at(0);
  ASSERT_EQ(bus.stops.size(), 3u);
  EXPECT_EQ(net.edges[bus.route[bus.stops[0].route_index]].id, "in") << "eastbound, not back";
  EXPECT_EQ(net.edges[bus.route[bus.stops[1].route_index]].id, "s1");
  EXPECT_EQ(net.edges[bus.route[bus.stops[2].route_index]].id, "out");
  finishDemand(net, d, 1);
  std::vector<StopRecord> runs[2];
  for (int threads : {1, 2}) {
    TrafficSimulation sim(net, d, {}, threads);
    while (!sim.finished()) {
      sim.step();
      // Where it dwells, it stands at the stop.
      sim.forEachVehicle([&](const VehicleView& v) {
        if (v.speed < 0.1f && v.lane < net.lanes.size() &&
            net.edges[net.lanes[v.lane].edge].id == "s1") {
          EXPECT_NEAR(v.pos, bus.stops[1].pos, 3.0f);
        }
      });
    }
    const auto s = sim.summary();
    EXPECT_EQ(s.vehicles_arrived, 1u);
    EXPECT_EQ(s.bus_stop_calls, 3u);
    const auto& calls = sim.stops();
    ASSERT_EQ(calls.size(), 3u);
    // Early at the middle stop (it is 250 m on): it waits for the timetable's departure.
    EXPECT_LT(calls[1].arrival_s, 280.0);
    EXPECT_DOUBLE_EQ(calls[1].departure_s, 300.0);
    // Late at the first (the timetable gives no time to get there): the minimum dwell.
    for (const auto& c : calls) EXPECT_GE(c.departure_s - c.arrival_s, 15.0);
    runs[threads - 1] = calls;
  }
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(runs[0][k].arrival_s, runs[1][k].arrival_s);
    EXPECT_EQ(runs[0][k].departure_s, runs[1][k].departure_s);
  }
}

TEST(BusLines, ABusDivertsRoundAClosedRoadAndLeavesOutItsStop) {
  const Network net = fork();
  Demand d;
  addGtfsBuses(net, line(30.0, 300.0), direct, {}, d);
  finishDemand(net, d, 1);
  TrafficSimulation sim(net, d, {}, 1);
  sim.step();
  sim.closeEdge(*net.findEdge("s1"));
  while (!sim.finished()) sim.step();
  const auto s = sim.summary();
  EXPECT_EQ(s.vehicles_arrived, 1u);
  EXPECT_EQ(s.bus_stops_skipped, 1u);
  ASSERT_EQ(sim.stops().size(), 2u);
  EXPECT_EQ(sim.stops()[1].stop, 2u) << "the stop after the closure is still served";
  EXPECT_GT(sim.trips().at(0).route_length_m, 1000.0) << "the long way round";
}

TEST(BusLines, OnlyBusRoutesInTheWindowAndOnTheMapRun) {
  const Network net = fork();
  GtfsFeed feed = line(30.0, 300.0);
  feed.trips.push_back(feed.trips[0]);
  feed.trips[1].id = "tram";
  feed.trips[1].route_type = 0;  // a tram: not a bus
  feed.trips.push_back(feed.trips[0]);
  feed.trips[2].id = "late";
  for (auto& st : feed.trips[2].stop_times) st.arrival_s += 7200, st.departure_s += 7200;
  feed.stops.push_back({"far", "Far away", 5000.0, 5000.0});
  feed.trips.push_back(feed.trips[0]);
  feed.trips[3].id = "beyond";
  feed.trips[3].stop_times.push_back({3, 500.0, 500.0});  // runs off the map at the end
  BusLineOptions o;
  o.end_s = 3600.0;
  Demand d;
  const auto report = addGtfsBuses(net, feed, direct, o, d);
  EXPECT_EQ(report.trips_added, 2u) << "t1 and the part of 'beyond' on the map";
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("1 bus stops"), std::string::npos) << report.warnings[0];
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

std::filesystem::path validFeed() {
  const auto dir = test::freshTempDir();
  write(dir / "stops.txt",
        "\xEF\xBB\xBFstop_id,stop_name,stop_lat,stop_lon\r\n"
        "a,\"Dam, north side\",52.373,4.893\r\nb,Rokin,52.370,4.893\r\n");
  write(dir / "routes.txt", "route_id,route_short_name,route_type\nr,22,3\n");
  write(dir / "trips.txt", "route_id,service_id,trip_id\nr,wk,t1\n");
  write(dir / "stop_times.txt",
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "t1,25:10:00,25:10:00,b,3\nt1,,,b,2\nt1,7:50:00,7:50:30,a,1\n");
  return dir;
}

TEST(Gtfs, ReadsQuotedFieldsTimesPastMidnightAndSequenceOrder) {
  const auto feed = readGtfs(validFeed().string());
  ASSERT_EQ(feed.stops.size(), 2u);
  EXPECT_EQ(feed.stops[0].id, "a") << "byte-order mark dropped";
  EXPECT_EQ(feed.stops[0].name, "Dam, north side");
  ASSERT_EQ(feed.trips.size(), 1u);
  EXPECT_EQ(feed.trips[0].route_name, "22");
  const auto& times = feed.trips[0].stop_times;
  ASSERT_EQ(times.size(), 3u);
  // Sorted by stop_sequence; an untimed stop takes the time the bus left the one before.
  EXPECT_EQ(times[0].stop, 0u);
  EXPECT_DOUBLE_EQ(times[0].arrival_s, 7 * 3600.0 + 50 * 60.0);
  EXPECT_DOUBLE_EQ(times[1].arrival_s, 7 * 3600.0 + 50 * 60.0 + 30.0);
  EXPECT_DOUBLE_EQ(times[2].arrival_s, 25 * 3600.0 + 600.0);
}

TEST(Gtfs, MistakesNameTheFileAndLine) {
  struct Case {
    std::string file, text, expect_file, expect_where, expect_what;
  };
  const std::vector<Case> cases = {
      {"stops.txt", "stop_id,stop_name,stop_lon\na,A,4.9\n", "stops.txt", "line 1", "stop_lat"},
      {"stops.txt", "stop_id,stop_lat,stop_lon\na,95,4.9\n", "stops.txt", "line 2", "globe"},
      {"stops.txt", "stop_id,stop_lat,stop_lon\na,52.3;4.9\n", "stops.txt", "line 2",
       "not a number"},
      {"trips.txt", "route_id,service_id,trip_id\nx,wk,t1\n", "trips.txt", "line 2",
       "route_id 'x'"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,7:00,7:00,a,1\n",
       "stop_times.txt", "line 2", "not a GTFS time"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,7:00:00,7:00:00,zz,1\n",
       "stop_times.txt", "line 2", "stop_id 'zz'"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,7:05:00,7:00:00,a,1\n",
       "stop_times.txt", "line 2", "before arrival_time"},
      {"stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,,,a,1\n",
       "stop_times.txt", "trip 't1'", "first stop has no time"},
  };
  for (const auto& c : cases) {
    const auto dir = validFeed();
    write(dir / c.file, c.text);
    try {
      readGtfs(dir.string());
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const geodata::InputError& e) {
      EXPECT_NE(e.file().find(c.expect_file), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.expect_where), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.expect_what), std::string::npos) << e.what();
    }
  }
  const auto dir = validFeed();
  std::filesystem::remove(dir / "routes.txt");
  try {
    readGtfs(dir.string());
    ADD_FAILURE();
  } catch (const geodata::InputError& e) {
    EXPECT_NE(e.file().find("routes.txt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace citytwin
