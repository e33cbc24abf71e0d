// Interventions on the real Amsterdam network: a street closed to cars carries no car while
// closed and changes nothing before the closure; speed limits and signal plans change exactly
// the roads and signals named; mistakes in variant files are named with file, line and the
// nearest valid name.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "citytwin/engine/interventions.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;
using namespace engine;
using namespace engine::traffic;

std::string scenario(const std::string& name) {
  return std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-traffic/" + name;
}

struct RunResult {
  Network net;
  std::vector<EdgeAggregate> aggregates;
  TrafficSummary summary;
  std::vector<std::string> interventions;
};

RunResult runTraffic(const std::string& path) {
  geodata::CityModel city;
  const ScenarioFile f = loadScenarioFile(path, &city);
  RunResult out;
  applyToCityRoads(city, f.interventions);
  out.net = buildCityNetwork(city, f.traffic.network);
  const auto& c = f.traffic.config;
  applyToNetwork(out.net, f.interventions, c.begin_s, c.end_s);
  ClosureSchedule closures(out.net, f.interventions, c.begin_s, c.end_s);
  const Demand d = scenarioDemand(out.net, f.traffic, city.frame, 2);
  TrafficSimulation sim(out.net, d, c, 2);
  while (!sim.finished()) {
    closures.update(sim);
    sim.step();
  }
  out.aggregates = sim.edgeAggregates();
  out.summary = sim.summary();
  for (const auto& i : f.interventions) out.interventions.push_back(i.description);
  return out;
}

TEST(Interventions, AClosedStreetCarriesNoCarsWhileClosedAndNothingChangesBefore) {
  const RunResult base = runTraffic(scenario("base.yaml"));
  const RunResult closed = runTraffic(scenario("closed-street.yaml"));
  ASSERT_EQ(closed.interventions.size(), 1u);
  EXPECT_EQ(closed.interventions[0],
            "close Kloveniersburgwal to car, truck from 07:30 until 09:00");
  const auto street = selectEdges(closed.net, {"Kloveniersburgwal", 0, {}});
  ASSERT_GT(street.size(), 5u);
  auto onStreet = [&](std::uint32_t e) {
    return std::find(street.begin(), street.end(), e) != street.end();
  };
  std::uint32_t before = 0, during = 0, after = 0;
  for (const auto& a : closed.aggregates) {
    if (!onStreet(a.edge)) continue;
    if (a.end_s <= 7.5 * 3600) before += a.entered;
    // From a quarter of an hour after it closes (those on it then drive off) until it opens.
    if (a.begin_s >= 7.75 * 3600 && a.end_s <= 9 * 3600) during += a.entered;
    if (a.begin_s >= 9 * 3600) after += a.entered;
  }
  EXPECT_GT(before, 100u) << "a busy street before";
  EXPECT_EQ(during, 0u) << "no vehicle enters while it is closed";
  // Before the closure, every road carries exactly what it carries in the base scenario.
  std::map<std::pair<double, std::uint32_t>, std::uint32_t> base_before;
  for (const auto& a : base.aggregates)
    if (a.end_s <= 7.5 * 3600) base_before[{a.begin_s, a.edge}] = a.entered;
  std::size_t compared = 0;
  for (const auto& a : closed.aggregates)
    if (a.end_s <= 7.5 * 3600) {
      EXPECT_EQ(a.entered, (base_before[{a.begin_s, a.edge}])) << closed.net.edges[a.edge].id;
      ++compared;
    }
  EXPECT_EQ(compared, base_before.size());
  // Traffic went round, nobody got stuck, everybody arrived; trips got longer.
  EXPECT_EQ(closed.summary.vehicles_arrived, base.summary.vehicles_arrived);
  EXPECT_EQ(closed.summary.vehicles_stuck, 0u);
  EXPECT_GT(closed.summary.reroutes, base.summary.reroutes);
  EXPECT_GT(closed.summary.mean_route_length_m, base.summary.mean_route_length_m);
  (void)after;
}

TEST(Interventions, SpeedLimitsAndSignalPlansChangeOnlyWhatTheyName) {
  const auto& city = test::amsterdam();
  const Network before = buildCityNetwork(city, {});
  Network after = before;
  Intervention slow;
  slow.what = SpeedLimit{{"Kloveniersburgwal", 0, {}}, 30.0f / 3.6f};
  Intervention plan;
  SignalPlan p;
  p.near = city.frame.toLocal(122050, 486785);
  p.cluster = true;
  p.radius_m = 25.0;
  p.green_s = {15.0f, 60.0f};
  plan.what = p;
  applyToNetwork(after, {slow, plan}, 0.0, 3600.0);
  const auto street = selectEdges(after, {"Kloveniersburgwal", 0, {}});
  std::size_t changed_edges = 0;
  for (std::uint32_t e = 0; e < after.edges.size(); ++e) {
    const bool named = std::find(street.begin(), street.end(), e) != street.end();
    if (named) {
      EXPECT_FLOAT_EQ(after.edges[e].speed, 30.0f / 3.6f);
    }
    changed_edges += after.edges[e].speed != before.edges[e].speed;
  }
  EXPECT_EQ(changed_edges, street.size()) << "only the named street";
  std::size_t changed_signals = 0;
  for (std::size_t s = 0; s < after.signals.size(); ++s) {
    if (after.signals[s].cycle() == before.signals[s].cycle()) continue;
    ++changed_signals;
    EXPECT_FLOAT_EQ(after.signals[s].phases[0].duration, 15.0f);
    EXPECT_FLOAT_EQ(after.signals[s].phases[3].duration, 60.0f);
  }
  EXPECT_GE(changed_signals, 3u);
  EXPECT_LT(changed_signals, after.signals.size());
}

TEST(Interventions, LanesOneWayAndPedestrianisedStreetsChangeTheCity) {
  geodata::CityModel city = test::amsterdam();
  const RoadSelection amstel{"Amstel", 0, {}};
  const auto links = selectLinks(city, amstel);
  ASSERT_GT(links.size(), 4u);
  const auto motor = static_cast<geodata::ModeMask>(geodata::Mode::kCar);
  std::size_t car_links_before = 0;
  for (auto k : links) car_links_before += (city.links[k].modes & motor) != 0;
  // One-way away from the Blauwbrug end: only the links heading away keep cars.
  Intervention one;
  one.what = OneWay{amstel, city.frame.toLocal(121850, 486600)};
  geodata::CityModel one_way = city;
  applyToCityRoads(one_way, {one});
  std::size_t car_links_after = 0;
  for (auto k : links) car_links_after += (one_way.links[k].modes & motor) != 0;
  EXPECT_LT(car_links_after, car_links_before);
  EXPECT_GT(car_links_after, 0u);
  // Two lanes: the network's Amstel edges get two lanes.
  Intervention lanes;
  lanes.what = LaneChange{amstel, 2};
  geodata::CityModel wide = city;
  applyToCityRoads(wide, {lanes});
  const Network net = buildCityNetwork(wide, {});
  std::size_t widened = 0;
  for (auto e : selectEdges(net, amstel))
    if (net.lanes[net.edges[e].first_lane].allow & kClassCar) {
      EXPECT_EQ(net.edges[e].lane_count, 2u) << net.edges[e].id;
      ++widened;
    }
  EXPECT_GT(widened, 2u);
  // Pedestrianised: no vehicle edge left on it, and more walkable space for the crowd.
  Intervention walk;
  walk.what = Pedestrianise{amstel, 8.0};
  geodata::CityModel car_free = city;
  applyToCityRoads(car_free, {walk});
  const Network car_free_net = buildCityNetwork(car_free, {});
  for (auto e : selectEdges(car_free_net, amstel))
    EXPECT_FALSE(car_free_net.lanes[car_free_net.edges[e].first_lane].allow & kClassCar);
  crowd::CrowdScenario crowd;
  crowd.walkable = city.walkable;
  applyToWalkable(crowd, city, {walk});
  EXPECT_GT(geodata::area(crowd.walkable), geodata::area(city.walkable) + 500.0);
}

/// Writes a variant of the bundled base scenario with `body` after its header.
std::string variant(const fs::path& dir, const std::string& body, const std::string& name = "v") {
  const fs::path p = dir / (name + ".yaml");
  std::ofstream(p) << "name: test variant\nbase: " << scenario("base.yaml") << "\ncrs: EPSG:28992\n"
                   << body;
  return p.string();
}

TEST(Interventions, MistakesNameTheFileLineAndNearestName) {
  const auto dir = test::freshTempDir();
  struct Case {
    std::string body, where, what;
  };
  const std::vector<Case> cases = {
      {"interventions:\n  - close_rod: {name: Rokin}\n", "line 5", "did you mean 'close_road'"},
      {"interventions:\n  - close_road: {name: Kloveniersburgwall}\n", "line 5",
       "did you mean 'Kloveniersburgwal'"},
      {"interventions:\n  - close_road: {name: Rokin, modes: [tram]}\n", "line 5",
       "unknown mode 'tram'"},
      {"interventions:\n  - close_road: {name: Rokin, from: '09:00', until: '08:00'}\n", "line 5",
       "until must be after from"},
      {"interventions:\n  - close_road: {modes: [car]}\n", "line 5", "needs the road's 'name'"},
      {"interventions:\n  - speed_limit: {name: Rokin, kmh: 300}\n", "line 5", "5 - 130"},
      {"interventions:\n  - signal_plan: {near: [121000, 486000], green: [20, 40]}\n", "line 5",
       "no signalised junction"},
      {"interventions:\n  - signal_plan: {near: [122050, 486785], green: [20]}\n", "line 5",
       "phases, the plan gives 1"},
      {"interventions:\n  - close_road: {name: Rokin}\n    speed_limit: {name: Rokin, kmh: 30}\n",
       "line 5", "one intervention per list item"},
      {"interventions: {close_road: {name: Rokin}}\n", "line 4", "is a list"},
      {"", "", "needs 'interventions'"},
      {"traffic: {seed: 3}\ninterventions: []\n", "line 4", "unknown key 'traffic' in a variant"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    const auto path = variant(dir, c.body, "case" + std::to_string(k));
    try {
      runTraffic(path);
      ADD_FAILURE() << "accepted: " << c.body;
    } catch (const geodata::InputError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("case" + std::to_string(k) + ".yaml"), std::string::npos) << m;
      EXPECT_NE(m.find(c.where), std::string::npos) << m;
      EXPECT_NE(m.find(c.what), std::string::npos) << m;
    }
  }
  // A base that does not exist, and a variant that is its own base.
  const fs::path missing = dir / "missing.yaml";
  std::ofstream(missing) << "base: nowhere.yaml\ninterventions: []\n";
  EXPECT_THROW(loadScenarioFile(missing.string()), geodata::InputError);
  const fs::path self = dir / "self.yaml";
  std::ofstream(self) << "base: self.yaml\ninterventions: []\n";
  try {
    loadScenarioFile(self.string());
    ADD_FAILURE();
  } catch (const geodata::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("refer back to themselves"), std::string::npos);
  }
}

}  // namespace
}  // namespace citytwin
