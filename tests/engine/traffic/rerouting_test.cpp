// Re-routing: a closed road carries no new traffic (vehicles go round it), and periodic
// re-routing on observed travel times moves traffic off a blocked route; both the same on one
// and two threads.
#include <gtest/gtest.h>

#include "citytwin/engine/traffic/network_builder.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

struct Fork {
  Network net;
  std::uint32_t in, short1, short2, long1, long2, out;
};

/// From Z to C through A and B: a short way (A - M1 - B, 400 m) and a long one (A - M2 - B,
/// about 720 m). `blocked_short`: a signal on the short way, red for ten minutes.
Fork fork(bool blocked_short) {
  NetworkBuilder b;
  test::addFork(b);
  Fork f;
  f.in = 0, f.short1 = 1, f.short2 = 2, f.long1 = 3, f.long2 = 4, f.out = 5;
  b.connectAll();
  if (blocked_short)
    b.setJunctionSignal(2, b.addSignal(test::redThenGreen("M1", 1, 600.0f, 600.0f)));
  f.net = b.build();
  return f;
}

Demand stream(const Fork& f, int vehicles, double every) {
  Demand d;
  d.types = {test::exactCar()};
  for (int k = 0; k < vehicles; ++k) {
    Trip t;
    t.id = "v" + std::to_string(k);
    t.depart = k * every;
    t.from = f.in;
    t.to = f.out;
    d.trips.push_back(t);
  }
  finishDemand(f.net, d, 1);
  return d;
}

TEST(Rerouting, AClosedRoadCarriesNoNewTraffic) {
  const Fork f = fork(false);
  const Demand d = stream(f, 60, 5.0);
  ASSERT_EQ(d.trips[0].route, (std::vector<std::uint32_t>{f.in, f.short1, f.short2, f.out}));
  std::uint64_t hash[2] = {0, 0};
  for (int threads : {1, 2}) {
    TrafficConfig c;
    c.aggregate_interval_s = 100.0;
    TrafficSimulation sim(f.net, d, c, threads);
    while (sim.time() < 100.0) sim.step();
    sim.closeEdge(f.short1);
    while (!sim.finished()) sim.step();
    const auto s = sim.summary();
    EXPECT_EQ(s.vehicles_arrived, 60u);
    EXPECT_GT(s.reroutes, 30u);
    std::uint32_t entered_short_late = 0, entered_long = 0;
    for (const auto& a : sim.edgeAggregates()) {
      if (a.edge == f.short1 && a.begin_s >= 200.0) entered_short_late += a.entered;
      if (a.edge == f.long1) entered_long += a.entered;
    }
    EXPECT_EQ(entered_short_late, 0u) << "nobody takes the closed road";
    EXPECT_GT(entered_long, 30u) << "traffic goes round it";
    hash[threads - 1] = sim.stateHash();
  }
  EXPECT_EQ(hash[0], hash[1]);
}

TEST(Rerouting, ObservedTravelTimesMoveTrafficOffABlockedRoute) {
  const Fork f = fork(true);
  const Demand d = stream(f, 40, 6.0);
  double mean[2] = {0, 0};
  for (int periodic : {0, 1}) {
    TrafficConfig c;
    c.reroute_interval_s = periodic ? 30.0 : 0.0;
    TrafficSimulation sim(f.net, d, c, 2);
    while (!sim.finished()) sim.step();
    const auto s = sim.summary();
    EXPECT_EQ(s.vehicles_arrived, 40u);
    mean[periodic] = s.mean_trip_duration_s;
    if (periodic) {
      EXPECT_GT(s.reroutes, 10u);
    }
  }
  // Without re-routing everyone waits at the ten-minute red; with it, most drive round.
  EXPECT_LT(mean[1], 0.5 * mean[0]);
}

}  // namespace
}  // namespace citytwin
