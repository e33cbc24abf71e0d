// Traffic on the real Amsterdam centre: the network built from OpenStreetMap keeps its one-way
// streets, signals and turn restrictions, and the bundled morning-peak scenario runs through
// with no deadlock and nobody stuck, the same on one and two threads.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

TEST(CityNetwork, AmsterdamKeepsOneWaysSignalsAndTurnRestrictions) {
  const auto& city = test::amsterdam();
  std::vector<std::uint32_t> edge_of_link;
  const Network net = buildCityNetwork(city, {}, &edge_of_link);
  const auto car = static_cast<geodata::ModeMask>(geodata::Mode::kCar);
  std::size_t car_links = 0;
  for (std::size_t k = 0; k < city.links.size(); ++k) {
    const auto& l = city.links[k];
    if (!(l.modes & car) || l.from == l.to) continue;  // loops back to their node: no edge
    ++car_links;
    ASSERT_NE(edge_of_link[k], UINT32_MAX);
    const Edge& e = net.edges[edge_of_link[k]];
    EXPECT_EQ(e.lane_count, std::max<std::uint32_t>(1, l.lanes));
    EXPECT_FLOAT_EQ(e.speed, l.speed_limit_mps);
    // A one-way street has no edge the other way (for cars).
    bool reverse_model = false;
    for (const auto& o : city.links)
      reverse_model |= o.from == l.to && o.to == l.from && (o.modes & car);
    if (!reverse_model) {
      for (const auto& o : net.edges) {
        if (o.from == e.to && o.to == e.from) {
          EXPECT_FALSE(net.lanes[o.first_lane].allow & kClassCar) << e.id;
        }
      }
    }
  }
  EXPECT_GT(car_links, 500u);
  // Signals: one program per signalised junction of the model (not on the map's edge).
  std::size_t signal_nodes = 0;
  for (const auto& n : city.nodes) signal_nodes += n.traffic_signals && !n.boundary;
  EXPECT_GT(signal_nodes, 0u);
  EXPECT_LE(net.signals.size(), signal_nodes);
  EXPECT_GE(net.signals.size(), signal_nodes / 2);
  // Turn restrictions: no link where OSM bans the turn.
  ASSERT_FALSE(city.turn_restrictions.empty());
  for (const auto& r : city.turn_restrictions) {
    const auto from = edge_of_link[r.from_link], to = edge_of_link[r.to_link];
    if (from == UINT32_MAX || to == UINT32_MAX) continue;
    const bool linked = net.edgesConnected(from, to);
    EXPECT_EQ(linked, r.only) << r.kind << " from " << net.edges[from].id << " to "
                              << net.edges[to].id;
  }
}

nlohmann::json runTrafficScenario(const std::filesystem::path& out, int threads) {
  const std::string scenario =
      std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-traffic/base.yaml";
  const auto r = test::runCli("run -q " + test::quote(scenario) + " --out " + test::quote(out) +
                              " -j " + std::to_string(threads));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(out / "summary.json");
  return nlohmann::json::parse(in);
}

TEST(CityTraffic, MorningPeakRunsThroughWithNobodyStuck) {
  const auto dir = test::freshTempDir();
  const auto one = runTrafficScenario(dir / "one", 1);
  for (const char* key : {"vehicles_inserted", "vehicles_arrived", "vehicles_stuck",
                          "mean_trip_duration_s", "mean_time_loss_s", "mean_route_length_m",
                          "vehicle_updates_per_second", "wall_time_s", "threads", "seed"})
    EXPECT_TRUE(one.contains(key)) << key;
  EXPECT_GT(one["vehicles_total"].get<int>(), 1500);
  EXPECT_EQ(one["trips_unroutable"], 0);
  EXPECT_EQ(one["vehicles_inserted"], one["vehicles_total"]);
  EXPECT_EQ(one["vehicles_arrived"], one["vehicles_total"]) << "no deadlock";
  EXPECT_EQ(one["vehicles_stuck"], 0) << "nobody stood still for 5 minutes";
  EXPECT_TRUE(one["stuck_now"].empty());
  EXPECT_EQ(one["stuck_now_crs"], "EPSG:28992") << "places are reported in the model's CRS";
  EXPECT_GT(one["co2_kg"].get<double>(), 0.0);
  EXPECT_GT(one["mean_route_length_m"].get<double>(), 300.0);
  // The demonstration bus line (GTFS): 24 trips, every one at all five stops.
  EXPECT_EQ(one["bus_trips"], 24);
  EXPECT_EQ(one["bus_stop_calls"], 24 * 5);
  EXPECT_EQ(one["bus_stops_skipped"], 0);
  EXPECT_GT(one["bus_on_time_share"].get<double>(), 0.9);
  const auto two = runTrafficScenario(dir / "two", 2);
  EXPECT_EQ(one["traffic_state_hash"], two["traffic_state_hash"]);
  std::ifstream a(dir / "one" / "tripinfo.csv"), b(dir / "two" / "tripinfo.csv");
  const std::string ta((std::istreambuf_iterator<char>(a)), {}),
      tb((std::istreambuf_iterator<char>(b)), {});
  EXPECT_EQ(ta, tb) << "the same trips, to the centisecond, on one and two threads";
  std::ifstream c(dir / "one" / "bus_stops.csv"), e(dir / "two" / "bus_stops.csv");
  const std::string tc((std::istreambuf_iterator<char>(c)), {}),
      te((std::istreambuf_iterator<char>(e)), {});
  EXPECT_FALSE(tc.empty());
  EXPECT_EQ(tc, te) << "the same bus stop calls on one and two threads";
}

TEST(OdMatrix, MistakesNameTheLineAndTheNearestZone) {
  const auto dir = test::freshTempDir();
  std::vector<TrafficZone> zones(2);
  zones[0].name = "outside";
  zones[1].name = "dam";
  auto expectError = [&](const std::string& text, const std::string& where,
                         const std::string& what) {
    const auto path = (dir / "od.csv").string();
    std::ofstream(path) << text;
    try {
      readOdMatrix(path, zones);
      FAIL() << text;
    } catch (const geodata::InputError& e) {
      EXPECT_NE(e.where().find(where), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  expectError("from,to,begin,end,trips\noutside,damm,0,3600,10\n", "line 2", "did you mean 'dam'");
  expectError("from,to,start,end,trips\n", "line 1", "header");
  expectError("from,to,begin,end,trips\noutside,dam,08:00,07:00,10\n", "line 2", "ends before");
  expectError("from,to,begin,end,trips\n\noutside,dam,0,60,-3\n", "line 3", "number of trips");
  expectError("from,to,begin,end,trips\noutside,dam,0,60\n", "line 2", "4 columns");
  expectError("from,to,begin,end,trips\noutside,dam,soon,60,1\n", "line 2", "not a time");
  std::ofstream(dir / "ok.csv")
      << "from,to,begin,end,trips\n# comment\noutside,dam,07:30,3:00:00,2.5\n";
  EXPECT_THROW(readOdMatrix((dir / "ok.csv").string(), zones), geodata::InputError)
      << "3:00:00 is not HH:MM";
  std::ofstream(dir / "ok2.csv")
      << "from,to,begin,end,trips\n# comment\noutside,dam,07:30,08:15,2.5\n";
  const auto od = readOdMatrix((dir / "ok2.csv").string(), zones);
  ASSERT_EQ(od.size(), 1u);
  EXPECT_EQ(od[0].to, 1u);
  EXPECT_DOUBLE_EQ(od[0].begin_s, 27000.0);
  EXPECT_DOUBLE_EQ(od[0].end_s, 29700.0);
  EXPECT_DOUBLE_EQ(od[0].trips, 2.5);
}

}  // namespace
}  // namespace citytwin

namespace citytwin {
namespace {

TEST(SumoRun, WritesTripinfoAggregatesAndFcdThatAgree) {
  const auto dir = test::freshTempDir();
  const auto r = test::runCli("run -q --sumo-net " + test::quote(test::sumoData("grid4.net.xml")) +
                              " --sumo-routes " + test::quote(test::sumoData("grid4.rou.xml")) +
                              " --fcd --out " + test::quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "out" / "summary.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["vehicles_arrived"], 900);
  // One FCD record per vehicle and step after it moved: the updates, less each vehicle's last
  // (it arrives in that step and is gone from the next snapshot).
  std::ifstream fcd(dir / "out" / "fcd.xml");
  std::size_t records = 0, steps = 0;
  for (std::string line; std::getline(fcd, line);) {
    records += line.find("<vehicle id=") != std::string::npos;
    steps += line.find("<timestep ") != std::string::npos;
  }
  EXPECT_EQ(records + 900, j["vehicle_updates"].get<std::size_t>());
  EXPECT_EQ(steps, j["traffic_steps"].get<std::size_t>());
  // One tripinfo row per arrival.
  std::ifstream trips(dir / "out" / "tripinfo.csv");
  std::size_t rows = 0;
  for (std::string line; std::getline(trips, line);) ++rows;
  EXPECT_EQ(rows, 901u);
  // Nothing left half-written.
  for (const auto& e : std::filesystem::directory_iterator(dir / "out"))
    EXPECT_NE(e.path().extension(), ".partial");
  // A second run into the same folder is refused without --force.
  const auto again = test::runCli(
      "run -q --sumo-net " + test::quote(test::sumoData("grid4.net.xml")) + " --sumo-routes " +
      test::quote(test::sumoData("grid4.rou.xml")) + " --out " + test::quote(dir / "out"));
  EXPECT_EQ(again.exit_code, 2) << again.out;
}

}  // namespace
}  // namespace citytwin

namespace citytwin {
namespace {

// A SUMO configuration as published scenarios ship them: net, routes and additional files
// relative to the .sumocfg, times, step length and seed; what is not supported is named.
TEST(SumoRun, AConfigurationRunsAsSumoWouldRunIt) {
  const auto dir = test::freshTempDir();
  std::filesystem::copy_file(test::sumoData("grid4.net.xml"), dir / "grid.net.xml");
  std::ofstream(dir / "types.add.xml") << R"(<additional>
  <vTypeDistribution id="private">
    <vType id="car" vClass="passenger" probability="4"/>
    <vType id="van" vClass="delivery" length="6.5" probability="1"/>
  </vTypeDistribution>
  <vType id="s-bahn" vClass="rail_urban"/>
</additional>)";
  std::ofstream(dir / "stops.add.xml") << R"(<additional>
  <busStop id="s1" lane="A0B0_0" startPos="10" endPos="30"/>
  <inductionLoop id="d1" lane="B1C1_0" pos="20" period="60" file="det.xml"/>
</additional>)";
  std::ofstream(dir / "demand.rou.xml") << R"(<routes>
  <flow id="f" begin="0" end="300" period="5" from="A0B0" to="D3C3" type="private"/>
  <trip id="train" depart="10" from="A0B0" to="D3C3" type="s-bahn"/>
</routes>)";
  std::ofstream(dir / "run.sumocfg") << R"(<configuration>
  <input>
    <net-file value="grid.net.xml"/>
    <route-files value="demand.rou.xml"/>
    <additional-files value="types.add.xml,stops.add.xml"/>
  </input>
  <time><begin value="0"/><end value="1200"/><step-length value="0.5"/></time>
  <processing><time-to-teleport value="120"/><lateral-resolution value="0.8"/></processing>
  <random_number><seed value="7"/></random_number>
  <output><tripinfo-output value="results/tripinfo.xml"/><summary-output value="sum.xml"/></output>
</configuration>)";
  const auto r = test::runCli("run --sumo-config " + test::quote(dir / "run.sumocfg") + " --out " +
                              test::quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "out" / "summary.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["vehicles_inserted"], 60) << "the flow's 60 vehicles; the train is left out";
  EXPECT_EQ(j["vehicles_arrived"], 60);
  EXPECT_EQ(j["seed"], 7);
  EXPECT_DOUBLE_EQ(j["traffic_model"]["time_step_s"].get<double>(), 0.5);
  EXPECT_NE(r.out.find("1 vehicles of vClass rail_urban left out"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("<busStop>"), std::string::npos) << "bus stops are read: " << r.out;
  // The outputs it names, in SUMO's formats, in the output folder under their own names.
  const auto slurp = [](const std::filesystem::path& p) {
    std::ifstream f(p);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  const std::string tripinfo = slurp(dir / "out" / "tripinfo.xml");
  std::size_t tripinfos = 0;
  for (auto at = tripinfo.find("<tripinfo id="); at != std::string::npos;
       at = tripinfo.find("<tripinfo id=", at + 1))
    ++tripinfos;
  EXPECT_EQ(tripinfos, 60u);
  EXPECT_NE(slurp(dir / "out" / "sum.xml").find("arrived=\"60\""), std::string::npos);
  const std::string loops = slurp(dir / "out" / "det.xml");
  EXPECT_NE(loops.find("<interval begin=\"0.00\" end=\"60.00\" id=\"d1\""), std::string::npos)
      << loops;
  EXPECT_FALSE(std::filesystem::exists(dir / "results")) << "nothing written outside --out";
  EXPECT_NE(r.out.find("lateral-resolution"), std::string::npos) << r.out;
  // --end on the command line wins over the file's.
  const auto shorter =
      test::runCli("run -q --end 100 --sumo-config " + test::quote(dir / "run.sumocfg") +
                   " --out " + test::quote(dir / "short"));
  ASSERT_EQ(shorter.exit_code, 0) << shorter.out;
  std::ifstream in2(dir / "short" / "summary.json");
  EXPECT_LT(nlohmann::json::parse(in2)["vehicles_inserted"].get<int>(), 60);
  // A configuration that names a missing file is refused, naming it, and writes nothing.
  std::ofstream(dir / "bad.sumocfg")
      << "<configuration>\n<input>\n<net-file value=\"grid.net.xml\"/>\n"
         "<route-files value=\"nowhere.rou.xml\"/>\n</input>\n</configuration>\n";
  const auto bad = test::runCli("run --sumo-config " + test::quote(dir / "bad.sumocfg") +
                                " --out " + test::quote(dir / "bad-out"));
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("line 4"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("nowhere.rou.xml"), std::string::npos) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad-out"));
}

}  // namespace
}  // namespace citytwin
