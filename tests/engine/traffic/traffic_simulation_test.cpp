// The traffic simulation's guarantees: the same results on one and two threads, no two
// vehicles on crossing paths through a junction at once, no deadlock on busy junctions of
// every kind, and right of way honoured.
#include <gtest/gtest.h>

#include <set>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network_builder.hpp"
#include "citytwin/engine/traffic/sumo_net.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

struct Loaded {
  Network net;
  Demand demand;
};

Loaded load(const std::string& name) {
  Loaded l{readSumoNetwork(test::sumoData(name + ".net.xml")), {}};
  readSumoRoutes(test::sumoData(name + ".rou.xml"), l.net, l.demand);
  finishDemand(l.net, l.demand, 1);
  return l;
}

TEST(TrafficDeterminism, SameResultsOnOneAndTwoThreads) {
  const Loaded l = load("grid4");
  std::vector<std::uint64_t> hashes[2];
  std::vector<TripRecord> trips[2];
  for (int threads : {1, 2}) {
    TrafficSimulation sim(l.net, l.demand, {}, threads);
    while (!sim.finished()) {
      sim.step();
      if (static_cast<long>(sim.time()) % 60 == 0) hashes[threads - 1].push_back(sim.stateHash());
    }
    trips[threads - 1] = sim.trips();
  }
  EXPECT_EQ(hashes[0], hashes[1]);
  ASSERT_EQ(trips[0].size(), trips[1].size());
  for (std::size_t k = 0; k < trips[0].size(); ++k) {
    EXPECT_EQ(trips[0][k].trip, trips[1][k].trip);
    EXPECT_EQ(trips[0][k].arrival_s, trips[1][k].arrival_s);
    EXPECT_EQ(trips[0][k].route_length_m, trips[1][k].route_length_m);
  }
}

/// Runs to the end, checking after every step that no two crossing junction paths are in use.
void expectNoConflictsAndEveryoneArrives(const Loaded& l) {
  TrafficSimulation sim(l.net, l.demand, {}, 2);
  const auto lanes = static_cast<std::uint32_t>(l.net.lanes.size());
  std::size_t busiest = 0;
  while (!sim.finished()) {
    sim.step();
    std::set<std::uint32_t> in_junction;
    sim.forEachVehicle([&](const VehicleView& v) {
      if (v.lane >= lanes) in_junction.insert(v.lane - lanes);
    });
    busiest = std::max(busiest, in_junction.size());
    for (std::uint32_t k : in_junction) {
      const Link& link = l.net.links[k];
      for (auto f = link.foe_begin; f < link.foe_end; ++f)
        ASSERT_FALSE(in_junction.count(l.net.foes[f]))
            << "t = " << sim.time() << ": links " << k << " and " << l.net.foes[f]
            << " cross and are both in use at junction " << l.net.junctions[link.junction].id;
    }
  }
  const auto s = sim.summary();
  EXPECT_GT(busiest, 5u);
  EXPECT_EQ(s.vehicles_arrived, l.demand.trips.size()) << "no deadlock";
  EXPECT_EQ(s.vehicles_stuck, 0u);
}

TEST(TrafficJunctions, SignalisedGridHasNoConflictsAndNoDeadlock) {
  expectNoConflictsAndEveryoneArrives(load("grid4"));
}

TEST(TrafficJunctions, RightBeforeLeftGridHasNoConflictsAndNoDeadlock) {
  expectNoConflictsAndEveryoneArrives(load("rbl3"));
}

TEST(TrafficJunctions, MinorRoadWaitsForTheMainRoad) {
  // A T-junction: the main road west-east (priority 3), a side road from the south (1).
  NetworkBuilder b;
  const auto w = b.addJunction("W", {-400, 0});
  const auto m = b.addJunction("M", {0, 0});
  const auto e = b.addJunction("E", {400, 0});
  const auto s = b.addJunction("S", {0, -400});
  const auto main_in = b.addEdge("WM", w, m, 1, 13.89f, 3);
  const auto main_out = b.addEdge("ME", m, e, 1, 13.89f, 3);
  const auto side = b.addEdge("SM", s, m, 1, 13.89f, 1);
  b.connect(main_in, main_out);
  b.connect(side, main_out);  // turning right onto the main road
  const Network net = b.build();
  Demand d;
  d.types = {test::exactCar()};
  // A steady main-road stream, one car every 4 s, and one car from the side road.
  for (int k = 0; k < 40; ++k) {
    Trip t;
    t.id = "main" + std::to_string(k);
    t.depart = 4.0 * k;
    t.route = {main_in, main_out};
    d.trips.push_back(t);
  }
  Trip side_car;
  side_car.id = "side";
  side_car.depart = 10.0;
  side_car.route = {side, main_out};
  d.trips.push_back(side_car);
  finishDemand(net, d, 1);
  TrafficSimulation sim(net, d, {}, 1);
  while (!sim.finished()) sim.step();
  ASSERT_EQ(sim.summary().vehicles_arrived, 41u);
  double side_loss = 0.0, main_loss = 0.0;
  for (const auto& r : sim.trips())
    (d.trips[r.trip].id == "side" ? side_loss : main_loss) =
        std::max(d.trips[r.trip].id == "side" ? side_loss : main_loss, r.time_loss_s);
  // The side car waits for a gap of about five seconds, which a 4 s stream does not give
  // until it ends; main-road cars never brake for it beyond the turn-speed change.
  EXPECT_GT(side_loss, 100.0);
  EXPECT_LT(main_loss, 5.0);
}

TEST(TrafficInsertion, AVehicleLongerThanItsFirstLaneStillDeparts) {
  // A 7 m service road onto a main road (OSM splits roads at every stop and gate): a 6.5 m van
  // with its 2.5 m gap does not fit, as SUMO inserts it all the same, so does CityTwin.
  NetworkBuilder b;
  const auto a = b.addJunction("A", {0, 0});
  const auto m = b.addJunction("M", {7, 0});
  const auto e = b.addJunction("E", {307, 0});
  const auto stub = b.addEdge("AM", a, m, 1, 5.56f);
  const auto road = b.addEdge("ME", m, e, 1, 13.89f);
  b.connect(stub, road);
  const Network net = b.build();
  Demand d;
  VehicleType van = test::exactCar();
  van.length = 6.5f;
  d.types = {van};
  for (int k = 0; k < 3; ++k) {
    Trip t;
    t.id = "van" + std::to_string(k);
    t.depart = 0.0;
    t.route = {stub, road};
    d.trips.push_back(t);
  }
  finishDemand(net, d, 1);
  TrafficSimulation sim(net, d, {}, 1);
  while (!sim.finished() && sim.time() < 600.0) sim.step();
  EXPECT_EQ(sim.summary().vehicles_arrived, 3u) << "one after the other, none left waiting";
  EXPECT_EQ(sim.summary().vehicles_waiting, 0u);
}

TEST(TrafficGridlock, ACycleOfWaitingVehiclesIsNamedAndAQueueIsNot) {
  // A one-lane ring of four 10 m roads with an 8 m van on each, every van bound round the
  // ring: each waits for room on the road ahead, which the next van fills: a gridlock.
  const Network ring = test::ring(40.0, 4, 13.89f);
  Demand d;
  VehicleType van = test::exactCar();
  van.length = 8.0f;
  d.types = {van};
  for (std::uint32_t k = 0; k < 4; ++k) {
    Trip t;
    t.id = "van" + std::to_string(k);
    for (std::uint32_t e = 0; e < 8; ++e) t.route.push_back((k + e) % 4);
    d.trips.push_back(t);
  }
  finishDemand(ring, d, 1);
  TrafficConfig config;
  config.stuck_after_s = 60.0;
  TrafficSimulation sim(ring, d, config, 1);
  while (sim.time() < 100.0) sim.step();
  ASSERT_EQ(sim.runningCount(), 4u);
  const auto cycles = sim.gridlocks();
  ASSERT_EQ(cycles.size(), 1u) << "one gridlock round the ring";
  EXPECT_EQ(cycles[0].size(), 4u) << "all four vans are in it";
  EXPECT_EQ(cycles[0].front(), 0u) << "named from its lowest vehicle, wherever the walk began";
  // A queue at a red light that lasts longer than stuck_after is stuck but no gridlock: its
  // front waits for the signal, not for a vehicle.
  const Network corridor = test::corridor(300.0, 1, 13.89f, true);
  Demand q;
  q.types = {test::exactCar()};
  for (int k = 0; k < 10; ++k) {
    Trip t;
    t.id = "q" + std::to_string(k);
    t.depart = 2.0 * k;
    t.route = {0, 1};
    q.trips.push_back(t);
  }
  finishDemand(corridor, q, 1);
  TrafficConfig short_patience;
  short_patience.stuck_after_s = 30.0;
  TrafficSimulation queue(corridor, q, short_patience, 1);
  while (queue.time() < 110.0) queue.step();  // red for the first two minutes
  EXPECT_GT(queue.summary().vehicles_stuck, 0u);
  EXPECT_TRUE(queue.gridlocks().empty());
  // It has a head, held by the signal; the ring has none (everyone waits for someone stuck).
  const auto heads = queue.stuckQueueHeads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].first, WaitReason::kSignal);
  EXPECT_EQ(heads[0].second, 1u);
  EXPECT_TRUE(sim.stuckQueueHeads().empty());
}

TEST(TrafficStranded, ADriverInTheWrongLaneBesideAQueueTakesAnotherWayOn) {
  // A two-lane road to B: the right lane goes straight on to C, the left lane turns to D
  // (from where a road leads back to C). A red light holds a queue in the right lane for ten
  // minutes; a driver bound straight on arrives in the left lane and cannot get in.
  NetworkBuilder b;
  const auto a = b.addJunction("A", {0, 0});
  const auto m = b.addJunction("B", {200, 0});
  const auto c = b.addJunction("C", {400, 0});
  const auto dd = b.addJunction("D", {300, 150});
  const auto e = b.addJunction("E", {600, 0});
  const auto ab = b.addEdge("AB", a, m, 2, 13.89f);
  const auto bc = b.addEdge("BC", m, c, 1, 13.89f);
  const auto bd = b.addEdge("BD", m, dd, 1, 13.89f);
  const auto dc = b.addEdge("DC", dd, c, 1, 13.89f);
  const auto ce = b.addEdge("CE", c, e, 1, 13.89f);
  b.addLink(ab, 0, bc, 0);
  b.addLink(ab, 1, bd, 0);
  b.connect(bc, ce);
  b.connect(bd, dc);
  b.connect(dc, ce);
  SignalProgram red_straight;
  red_straight.id = "B";
  SignalPhase phase;
  phase.duration = 600.0f;
  phase.states = {SignalState::kRed, SignalState::kGreenMajor};
  SignalPhase then = phase;
  then.states = {SignalState::kGreenMajor, SignalState::kGreenMajor};
  red_straight.phases = {phase, then};
  b.setJunctionSignal(m, b.addSignal(red_straight));
  const Network net = b.build();
  Demand d;
  d.types = {test::exactCar()};
  for (int k = 0; k < 40; ++k) {  // the queue, more than the right lane holds
    Trip t;
    t.id = "queue" + std::to_string(k);
    t.depart = 2.0 * k;
    t.depart_lane = 0;
    t.route = {ab, bc, ce};
    d.trips.push_back(t);
  }
  Trip late;
  late.id = "late";
  late.depart = 120.0;
  late.depart_lane = 1;
  late.route = {ab, bc, ce};
  d.trips.push_back(late);
  finishDemand(net, d, 1);
  TrafficSimulation sim(net, d, {}, 1);
  while (sim.time() < 500.0) sim.step();
  EXPECT_GE(sim.summary().stranded_reroutes, 1u);
  bool arrived = false;
  for (const auto& r : sim.trips())
    if (d.trips[r.trip].id == "late") {
      arrived = true;
      EXPECT_GT(r.route_length_m,
                net.edges[ab].length + net.edges[bd].length + net.edges[dc].length)
          << "round by D";
    }
  EXPECT_TRUE(arrived) << "it does not wait out the red behind a queue it cannot join";
}

TEST(NetworkBuilding, EveryLaneOfARoadHasAWayOn) {
  // A two-lane road whose only way on is a right turn: connect() links the right lane; the
  // left lane would hold its vehicles for ever once the right one is full.
  NetworkBuilder b;
  const auto a = b.addJunction("A", {0, 0});
  const auto m = b.addJunction("B", {200, 0});
  const auto s = b.addJunction("S", {200, -200});
  const auto in = b.addEdge("AB", a, m, 2, 13.89f);
  b.addEdge("BS", m, s, 1, 13.89f);
  b.connectAll();
  const Network net = b.build();
  const Edge& road = net.edges[in];
  for (std::uint32_t l = road.first_lane; l < road.first_lane + road.lane_count; ++l)
    EXPECT_GT(net.lanes[l].link_count, 0u) << "lane " << l - road.first_lane;
}

}  // namespace
}  // namespace citytwin
