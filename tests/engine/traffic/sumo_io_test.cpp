// Reading SUMO networks and demand: counts against the file, the right-of-way matrix, and
// clear errors (file, line, element) for broken input.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/sumo_net.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

TEST(SumoNetwork, CountsMatchTheFile) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  const std::string xml = slurp(test::sumoData("grid4.net.xml"));
  // Normal edges (internal ones start with ':'), vehicle connections, signal programs.
  EXPECT_EQ(net.edges.size(), count(xml, "<edge id=\"[^:][^\"]*\" from="));
  EXPECT_EQ(net.links.size(), count(xml, "<connection from=\"[^:]"));
  EXPECT_EQ(net.signals.size(), count(xml, "<tlLogic "));
  EXPECT_EQ(net.junctions.size(), count(xml, "<junction id=\"[^:]"));
  std::size_t lanes = 0;
  for (const auto& e : net.edges) lanes += e.lane_count;
  EXPECT_EQ(net.lanes.size(), lanes);
  EXPECT_EQ(lanes, 96u);
  // Every link belongs to exactly one junction's request list.
  std::vector<int> seen(net.links.size(), 0);
  for (const auto& j : net.junctions)
    for (auto k : j.links) ++seen[k];
  for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k], 1) << "link " << k;
}

TEST(SumoNetwork, LeftTurnsOnGreenYieldToOncomingTraffic) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  std::size_t signalled_left = 0;
  for (std::uint32_t k = 0; k < net.links.size(); ++k) {
    const Link& l = net.links[k];
    if (l.signal < 0 || l.direction != 'l') continue;
    ++signalled_left;
    EXPECT_GT(l.yield_end, l.yield_begin) << "a left turn at a signal gives way";
    bool yields_to_straight = false;
    for (auto y = l.yield_begin; y < l.yield_end; ++y) {
      const Link& f = net.links[net.yields[y]];
      EXPECT_EQ(f.junction, l.junction);
      yields_to_straight |= f.direction == 's';
    }
    EXPECT_TRUE(yields_to_straight) << "link " << k << " gives way to oncoming traffic";
    // Yields are among the foes.
    for (auto y = l.yield_begin; y < l.yield_end; ++y) {
      bool found = false;
      for (auto f = l.foe_begin; f < l.foe_end; ++f) found |= net.foes[f] == net.yields[y];
      EXPECT_TRUE(found);
    }
  }
  EXPECT_GT(signalled_left, 0u);
  // Signal states in the program match SUMO's strings.
  const auto& prog = net.signals.front();
  EXPECT_GE(prog.phases.size(), 2u);
  EXPECT_GT(prog.cycle(), 0.0f);
}

TEST(SumoRoutes, VehiclesAndRoutesAreRead) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  Demand d;
  readSumoRoutes(test::sumoData("grid4.rou.xml"), net, d);
  finishDemand(net, d, 1);
  EXPECT_EQ(d.trips.size(), count(slurp(test::sumoData("grid4.rou.xml")), "<vehicle "));
  for (std::size_t k = 1; k < d.trips.size(); ++k)
    EXPECT_LE(d.trips[k - 1].depart, d.trips[k].depart);
  for (const auto& t : d.trips)
    for (std::size_t e = 1; e < t.route.size(); ++e)
      EXPECT_TRUE(net.edgesConnected(t.route[e - 1], t.route[e]));
}

TEST(SumoRoutes, TripsAndFlowsAreRouted) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "t.rou.xml") << R"(<routes>
  <vType id="slow" accel="1.0" decel="2.0" length="7.5" maxSpeed="10" vClass="truck"/>
  <trip id="a" depart="3" from="A0B0" to="D3C3"/>
  <flow id="f" begin="0" end="60" period="20" from="B1C1" to="A0A1" type="slow"/>
  <person id="p" depart="0"><walk edges="A0B0"/></person>
</routes>)";
  Demand d;
  readSumoRoutes((dir / "t.rou.xml").string(), net, d);
  finishDemand(net, d, 2);
  ASSERT_EQ(d.trips.size(), 4u);  // the trip and three vehicles of the flow
  EXPECT_EQ(d.trips[0].id, "f.0");
  EXPECT_EQ(net.edges[d.trips[0].route.front()].id, "B1C1");
  EXPECT_EQ(net.edges[d.trips[0].route.back()].id, "A0A1");
  EXPECT_EQ(d.types[d.trips[0].type].id, "slow");
  EXPECT_FLOAT_EQ(d.types[d.trips[0].type].length, 7.5f);
  EXPECT_EQ(d.trips[1].id, "a");
  EXPECT_FALSE(d.warnings.empty()) << "the person is reported as skipped";
}

// Published scenarios type their vehicles through distributions and use every SUMO class.
TEST(SumoRoutes, TypeDistributionsAndEverySumoClassAreRead) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "types.rou.xml") << R"(<routes>
  <vType id="car" vClass="passenger" probability="3"/>
  <vType id="van" vClass="delivery" length="6.5"/>
  <vType id="cab" vClass="taxi"/>
  <vType id="ambulance" vClass="emergency"/>
  <vType id="any" vClass="ignoring"/>
  <vType id="s-bahn" vClass="rail_urban"/>
  <vTypeDistribution id="private" vTypes="car van" probabilities="0.75 0.25"/>
  <vTypeDistribution id="commercial">
    <vType id="lorry" vClass="truck" probability="1"/>
    <vType id="pickup" vClass="delivery" probability="3"/>
  </vTypeDistribution>
  <vTypeDistribution id="by-own-weight" vTypes="car cab"/>
  <flow id="p" begin="0" end="4000" period="1" from="A0B0" to="D3C3" type="private"/>
  <flow id="c" begin="0" end="400" period="1" from="A0B0" to="D3C3" type="commercial"/>
  <flow id="w" begin="0" end="400" period="1" from="A0B0" to="D3C3" type="by-own-weight"/>
  <trip id="e" depart="1" from="A0B0" to="D3C3" type="ambulance"/>
  <trip id="i" depart="2" from="A0B0" to="D3C3" type="any"/>
  <trip id="r" depart="3" from="A0B0" to="D3C3" type="s-bahn"/>
</routes>)";
  Demand d;
  readSumoRoutes((dir / "types.rou.xml").string(), net, d, 7);
  finishDemand(net, d, 2);
  std::map<std::string, int> by_type;
  for (const auto& t : d.trips) ++by_type[d.types[t.type].id];
  // 4000 draws of 3:1, 400 of 1:3, 400 of 3:1 (the vTypes' own probabilities).
  EXPECT_NEAR(by_type["car"], 3000 + 300, 120);
  EXPECT_NEAR(by_type["van"], 1000, 90);
  EXPECT_NEAR(by_type["pickup"], 300, 40);
  EXPECT_NEAR(by_type["lorry"], 100, 40);
  EXPECT_NEAR(by_type["cab"], 100, 40);
  EXPECT_EQ(by_type["ambulance"], 1);
  EXPECT_EQ(by_type["any"], 1);
  EXPECT_EQ(by_type["s-bahn"], 0) << "rail vehicles are left out";
  bool named = false;
  for (const auto& w : d.warnings)
    named |= w.find("1 vehicles of vClass rail_urban") != std::string::npos;
  EXPECT_TRUE(named) << "and the warning says so";
  EXPECT_EQ(d.trips.size(), 4802u);
  // The same seed draws the same types.
  Demand again;
  readSumoRoutes((dir / "types.rou.xml").string(), net, again, 7);
  finishDemand(net, again, 1);
  ASSERT_EQ(again.trips.size(), d.trips.size());
  for (std::size_t k = 0; k < d.trips.size(); ++k) ASSERT_EQ(again.trips[k].type, d.trips[k].type);
}

TEST(SumoNetwork, LanePermissionsHoldPerSumoClass) {
  // grid4 with three lanes restricted as real networks restrict them.
  std::string xml = slurp(test::sumoData("grid4.net.xml"));
  const auto restrict = [&](const std::string& lane, const std::string& attributes) {
    const std::string key = "<lane id=\"" + lane + "\" ";
    const auto at = xml.find(key);
    ASSERT_NE(at, std::string::npos) << lane;
    xml.insert(at + key.size(), attributes + " ");
  };
  restrict("A0A1_0", "disallow=\"tram rail rail_urban ship\"");  // a street with no tram track
  restrict("A0B0_0", "allow=\"bus taxi\"");                      // a bus lane taxis may use
  restrict("A0B0_1", "allow=\"delivery pedestrian\"");           // a square for deliveries
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "restricted.net.xml") << xml;
  const Network net = readSumoNetwork((dir / "restricted.net.xml").string());
  const auto lane = [&](const std::string& edge, std::uint32_t index) {
    return net.lanes[net.edges[*net.findEdge(edge)].first_lane + index].allow;
  };
  EXPECT_TRUE(lane("A0A1", 0) & kClassBus) << "disallowing trams keeps buses";
  EXPECT_TRUE(lane("A0A1", 0) & kClassCar);
  EXPECT_FALSE(lane("A0A1", 0) & kClassTram);
  EXPECT_TRUE(lane("A0B0", 0) & kClassTaxi);
  EXPECT_TRUE(lane("A0B0", 0) & kClassBus);
  EXPECT_FALSE(lane("A0B0", 0) & kClassCar) << "a bus lane is not a car lane";
  EXPECT_FALSE(lane("A0B0", 0) & kClassDelivery);
  EXPECT_EQ(lane("A0B0", 1), kClassDelivery | kClassPedestrian);
  EXPECT_EQ(lane("A0A1", 1), kClassAllVehicles | kClassPedestrian) << "no list: everything";
  // A type's class is its own bit: a taxi finds the bus lane, a car does not.
  EXPECT_EQ(classFromSumo("taxi"), kClassTaxi);
  EXPECT_EQ(classFromSumo("tram"), kClassTram);
  EXPECT_EQ(classFromSumo("ignoring"), kClassAllVehicles);
  EXPECT_EQ(classFromSumo("hovercraft"), 0u);
}

TEST(SumoRoutes, BusStopsAndStopsAreReadAsSumoRunsThem) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "stops.add.xml") << R"(<additional>
  <busStop id="s1" name="Town hall" lane="A0B0_0" startPos="40" endPos="60"/>
  <busStop id="s2" lane="B0C0_0" startPos="-30" endPos="-10"/>
</additional>)";
  std::ofstream(dir / "buses.rou.xml") << R"(<routes>
  <vType id="bus" vClass="bus"/>
  <route id="line1" edges="A0B0 B0C0 C0D0">
    <stop busStop="s1" duration="20" until="60"/>
    <stop busStop="s2" duration="15"/>
  </route>
  <flow id="b" type="bus" route="line1" begin="100" end="700" period="300" line="1"/>
  <vehicle id="v" depart="5" type="bus">
    <route edges="A0B0 B0C0"/>
    <stop lane="B0C0_0" endPos="50" duration="30" until="400"/>
  </vehicle>
</routes>)";
  Demand d;
  readSumoRoutes((dir / "stops.add.xml").string(), net, d);
  readSumoRoutes((dir / "buses.rou.xml").string(), net, d);
  finishDemand(net, d, 1);
  ASSERT_EQ(d.stopping_places.size(), 2u);
  EXPECT_FLOAT_EQ(d.stopping_places[1].end_pos, net.edges[*net.findEdge("B0C0")].length - 10.0f)
      << "negative positions count from the lane's end";
  ASSERT_EQ(d.trips.size(), 3u);
  const Trip& v = d.trips[0];
  ASSERT_EQ(v.stops.size(), 1u);
  EXPECT_EQ(v.stops[0].route_index, 1u);
  EXPECT_FLOAT_EQ(v.stops[0].pos, 50.0f);
  EXPECT_DOUBLE_EQ(v.stops[0].departure_s, 400.0) << "a vehicle's own stop keeps its time";
  for (int k = 0; k < 2; ++k) {
    const Trip& b = d.trips[static_cast<std::size_t>(k) + 1];
    EXPECT_EQ(b.line, "1");
    ASSERT_EQ(b.stops.size(), 2u);
    EXPECT_EQ(b.stops[0].name, "Town hall");
    EXPECT_FLOAT_EQ(b.stops[0].pos, 60.0f) << "the bus stands with its front at endPos";
    EXPECT_DOUBLE_EQ(b.stops[0].departure_s, b.depart + 60.0)
        << "a line's route stops keep times from each bus's departure";
    EXPECT_DOUBLE_EQ(b.stops[1].departure_s, 0.0) << "no until: it only dwells";
    EXPECT_FLOAT_EQ(b.stops[1].min_dwell_s, 15.0f);
  }
  // Every stop is served, none shorter than its duration or before its time.
  TrafficSimulation sim(net, d, {}, 1);
  while (!sim.finished() && sim.time() < 2000.0) sim.step();
  ASSERT_EQ(sim.stops().size(), 5u);
  for (const auto& r : sim.stops()) {
    const TripStop& st = d.trips[r.trip].stops[r.stop];
    EXPECT_GE(r.departure_s - r.arrival_s, st.min_dwell_s - 1e-9);
    EXPECT_GE(r.departure_s, st.departure_s - 1e-9);
  }
  // A stop off the route, or at a place nobody defined, is refused by name.
  std::ofstream(dir / "bad.rou.xml") << R"(<routes>
  <vehicle id="w" depart="0"><route edges="A0B0"/><stop busStop="s2" duration="5"/></vehicle>
</routes>)";
  Demand bad = d;
  EXPECT_THROW(readSumoRoutes((dir / "bad.rou.xml").string(), net, bad), geodata::InputError);
  std::ofstream(dir / "unknown.rou.xml") << R"(<routes>
  <vehicle id="w" depart="0"><route edges="A0B0"/><stop busStop="nowhere" duration="5"/></vehicle>
</routes>)";
  Demand unknown;
  try {
    readSumoRoutes((dir / "unknown.rou.xml").string(), net, unknown);
    FAIL() << "an undefined bus stop is refused";
  } catch (const geodata::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("busStop \"nowhere\" is not defined"), std::string::npos)
        << e.what();
  }
}

TEST(SumoSignals, AProgramInAnAdditionalFileRunsInsteadOfTheNetworks) {
  Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  const auto a1 = std::find_if(net.signals.begin(), net.signals.end(),
                               [](const SignalProgram& p) { return p.id == "A1"; }) -
                  net.signals.begin();
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "signals.add.xml") << R"(<additional>
  <tlLogic id="A1" type="static" programID="evening" offset="7">
    <phase duration="30" state="GGggrrrrGGGg"/>
    <phase duration="4" state="yyyyrrrryyyy"/>
    <phase duration="30" state="rrrrGGGgrrrr"/>
    <phase duration="4" state="rrrryyyyrrrr"/>
  </tlLogic>
  <WAUT startProg="0" refTime="0" id="w"><wautSwitch time="3600" to="evening"/></WAUT>
</additional>)";
  const auto read = readSumoSignalPrograms((dir / "signals.add.xml").string(), net);
  EXPECT_EQ(read.programs, 1u);
  const SignalProgram& p = net.signals[static_cast<std::size_t>(a1)];
  EXPECT_EQ(p.program_id, "evening");
  EXPECT_FLOAT_EQ(p.offset, 7.0f);
  EXPECT_FLOAT_EQ(p.cycle(), 68.0f);
  ASSERT_EQ(read.warnings.size(), 2u) << "WAUT and its switch are named, not dropped";
  EXPECT_NE(read.warnings[0].find("WAUT"), std::string::npos);
  // A signal the network does not have, or too few states for its links: refused by name.
  std::ofstream(dir / "other.add.xml")
      << R"(<additional><tlLogic id="Z9" programID="x"><phase duration="5" state="G"/>)"
      << "</tlLogic></additional>";
  EXPECT_THROW(readSumoSignalPrograms((dir / "other.add.xml").string(), net), geodata::InputError);
  std::ofstream(dir / "short.add.xml")
      << R"(<additional><tlLogic id="A1" programID="x"><phase duration="5" state="GGr"/>)"
      << "</tlLogic></additional>";
  try {
    readSumoSignalPrograms((dir / "short.add.xml").string(), net);
    FAIL() << "a program with too few states is refused";
  } catch (const geodata::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("controls 12 links"), std::string::npos) << e.what();
    EXPECT_NE(e.where().find("line 1"), std::string::npos);
  }
}

TEST(SumoRoutes, AttributesNotActedOnAreNamed) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "pos.rou.xml") << R"(<routes>
  <trip id="a" depart="0" from="A0B0" to="D3C3" departPos="random" arrivalPos="max"/>
  <trip id="b" depart="1" from="A0B0" to="D3C3" departLane="random" departSpeed="avg"/>
  <trip id="c" depart="2" from="A0B0" to="D3C3" departPos="base" departLane="best"/>
</routes>)";
  Demand d;
  readSumoRoutes((dir / "pos.rou.xml").string(), net, d);
  std::string all;
  for (const auto& w : d.warnings) all += w + "\n";
  EXPECT_NE(all.find("1 x departPos (ignored"), std::string::npos) << all;
  EXPECT_NE(all.find("1 x arrivalPos (ignored"), std::string::npos) << all;
  EXPECT_NE(all.find("1 x departLane=\"random\" (departs on the best lane)"), std::string::npos)
      << all;
  EXPECT_NE(all.find("1 x departSpeed=\"avg\" (departs standing)"), std::string::npos) << all;
  EXPECT_EQ(d.warnings.size(), 4u) << "the defaults (base, best) are what CityTwin does: " << all;
}

/// Writes `text` to a file and expects reading it to fail naming `where` and `what`.
void expectRouteError(const Network& net, const std::string& text, const std::string& where,
                      const std::string& what) {
  const auto dir = test::freshTempDir();
  const auto path = (dir / "bad.rou.xml").string();
  std::ofstream(path) << text;
  Demand d;
  try {
    readSumoRoutes(path, net, d);
    FAIL() << "no error for: " << text;
  } catch (const geodata::InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(e.where().find(where), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(SumoRoutes, BrokenFilesGetClearErrors) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  expectRouteError(net,
                   "<routes>\n<vehicle id=\"x\" depart=\"0\">\n<route edges=\"A0B0 "
                   "nowhere\"/>\n</vehicle>\n</routes>",
                   "line 3", "edge \"nowhere\" is not in the network");
  expectRouteError(
      net,
      "<routes>\n<vehicle id=\"x\" depart=\"0\"><route edges=\"A0B0 D3C3\"/></vehicle>\n</routes>",
      "line 2", "does not lead to edge");
  expectRouteError(
      net,
      "<routes>\n\n<vehicle id=\"x\" depart=\"soon\"><route edges=\"A0B0\"/></vehicle></routes>",
      "line 3", "is not a number");
  expectRouteError(net,
                   "<routes>\n<vehicle id=\"x\" depart=\"0\" type=\"lorry\"><route "
                   "edges=\"A0B0\"/></vehicle></routes>",
                   "line 2", "vehicle type \"lorry\" is not defined");
  expectRouteError(net, "<routes>\n<vehicle id=\"x\" depart=\"0\"/></routes>", "line 2",
                   "has no route");
  expectRouteError(net, "<routes>\n<vType id=\"x\" vClass=\"hovercraft\"/></routes>", "line 2",
                   "vClass \"hovercraft\" is not known");
  expectRouteError(net, "<routes>\n<vTypeDistribution id=\"d\" vTypes=\"nope\"/></routes>",
                   "line 2", "vehicle type \"nope\" is not defined");
  expectRouteError(net,
                   "<routes>\n<vType id=\"a\"/>\n<vTypeDistribution id=\"d\" vTypes=\"a\" "
                   "probabilities=\"0.5 0.5\"/></routes>",
                   "line 3", "probabilities has 2 values for 1 vTypes");
  expectRouteError(net, "<routes>\n<vTypeDistribution id=\"d\">\n</vTypeDistribution></routes>",
                   "line 2", "has no vType to draw from");
  expectRouteError(net, "<routes>\n<vehicle id=\"x\" depart=\"0\">\n<route edges=\"A0B0\"/>\n",
                   "line", "not well-formed");
}

TEST(SumoNetwork, BrokenNetworksGetClearErrors) {
  const auto dir = test::freshTempDir();
  const std::string xml = slurp(test::sumoData("grid4.net.xml"));
  // Cut in half: malformed XML, reported with a line.
  const auto cut = (dir / "cut.net.xml").string();
  std::ofstream(cut) << xml.substr(0, xml.size() / 2);
  EXPECT_THROW(
      {
        try {
          readSumoNetwork(cut);
        } catch (const geodata::InputError& e) {
          EXPECT_NE(e.where().find("line"), std::string::npos);
          throw;
        }
      },
      geodata::InputError);
  // A connection to an edge that does not exist.
  std::string bad = xml;
  const auto at = bad.find("<connection from=\"A0B0\"");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 23, "<connection from=\"ZZZZ\"");
  const auto unknown = (dir / "unknown.net.xml").string();
  std::ofstream(unknown) << bad;
  try {
    readSumoNetwork(unknown);
    FAIL();
  } catch (const geodata::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ZZZZ"), std::string::npos) << e.what();
    EXPECT_NE(e.where().find("line"), std::string::npos);
  }
  // Not a network at all.
  const auto routes = test::sumoData("grid4.rou.xml");
  EXPECT_THROW(readSumoNetwork(routes), geodata::InputError);
  EXPECT_THROW(readSumoNetwork((dir / "missing.net.xml").string()), geodata::InputError);
}

}  // namespace
}  // namespace citytwin
