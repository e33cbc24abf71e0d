// Traffic model against references: HCM saturation flow at a signal, free-flow speed at the
// limit, and the Intelligent Driver Model's analytic equilibrium on a ring road.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

Trip tripOn(const std::vector<std::uint32_t>& route, double depart, const std::string& id) {
  Trip t;
  t.id = id;
  t.depart = depart;
  t.route = route;
  return t;
}

TEST(TrafficValidation, SignalDischargesAtHcmSaturationFlow) {
  // A queue builds during two minutes of red; at green it discharges. HCM: 1800 - 2000
  // vehicles per hour of green per lane, measured from the fifth vehicle on.
  const Network net = test::corridor(800.0, 1, 13.89f, true);
  Demand d;
  d.types = {test::exactCar()};
  for (int k = 0; k < 60; ++k) d.trips.push_back(tripOn({0, 1}, k * 2.0, "v" + std::to_string(k)));
  TrafficConfig c;
  c.end_s = 600.0;
  TrafficSimulation sim(net, d, c, 1);
  std::map<std::uint32_t, double> crossed;  // vehicle -> time its front passed the stop line
  while (!sim.finished()) {
    sim.step();
    sim.forEachVehicle([&](const VehicleView& v) {
      if (v.lane != 0 && !crossed.count(v.trip)) crossed[v.trip] = sim.time();
    });
  }
  ASSERT_EQ(sim.summary().vehicles_arrived, 60u);
  std::vector<double> times;
  for (const auto& [v, t] : crossed) times.push_back(t);
  std::sort(times.begin(), times.end());
  ASSERT_GE(times.size(), 30u);
  EXPECT_GE(times.front(), 120.0) << "nobody crosses on red";
  const double headway = (times[29] - times[4]) / 25.0;
  const double flow = 3600.0 / headway;
  RecordProperty("saturation_flow_veh_per_h", std::to_string(flow));
  EXPECT_GE(flow, 1800.0);
  EXPECT_LE(flow, 2000.0);
}

TEST(TrafficValidation, FreeFlowSpeedIsTheSpeedLimit) {
  const Network net = test::corridor(3000.0, 1, 13.89f);
  Demand d;
  d.types = {test::exactCar()};
  d.trips.push_back(tripOn({0, 1}, 0.0, "alone"));
  TrafficSimulation sim(net, d, {}, 1);
  float top = 0.0f;
  while (!sim.finished()) {
    sim.step();
    sim.forEachVehicle([&](const VehicleView& v) { top = std::max(top, v.speed); });
  }
  const auto& r = sim.trips().at(0);
  EXPECT_LE(top, 13.89f * 1.0001f);
  EXPECT_GT(top, 13.89f * 0.98f);
  // The loss is the start from standstill only: a few seconds on a 3.3 km trip.
  EXPECT_LT(r.time_loss_s, 12.0);
  EXPECT_NEAR(r.route_length_m / (r.arrival_s - r.depart_s), 13.89, 0.7);
}

/// IDM's equilibrium speed for a bumper gap `s`: solves s = (s0 + vT) / sqrt(1 - (v/v0)^delta).
double idmEquilibriumSpeed(const VehicleType& t, double v0, double s) {
  double lo = 0.0, hi = v0;
  for (int k = 0; k < 100; ++k) {
    const double v = 0.5 * (lo + hi);
    const double se = (t.min_gap + v * t.time_headway) / std::sqrt(1.0 - std::pow(v / v0, t.delta));
    (se < s ? lo : hi) = v;
  }
  return 0.5 * (lo + hi);
}

TEST(TrafficValidation, RingRoadReproducesIdmEquilibrium) {
  const int edges = 24;
  const Network net = test::ring(1200.0, edges, 13.89f);
  double circumference = 0.0;
  for (const auto& l : net.lanes) circumference += l.length;
  for (const auto& k : net.links) circumference += std::max(k.length, 1.0f);
  for (const int vehicles : {24, 48, 72, 96}) {
    Demand d;
    d.types = {test::exactCar()};
    for (int k = 0; k < vehicles; ++k) {
      // Start spread round the ring and drive round it for long enough.
      std::vector<std::uint32_t> route;
      const int start = k * edges / vehicles;
      for (int e = 0; e < edges * 100; ++e)
        route.push_back(static_cast<std::uint32_t>((start + e) % edges));
      d.trips.push_back(tripOn(route, 0.0, "c" + std::to_string(k)));
    }
    TrafficConfig c;
    c.end_s = 7200.0;
    TrafficSimulation sim(net, d, c, 2);
    while (!sim.finished()) sim.step();
    std::vector<double> speeds;
    sim.forEachVehicle([&](const VehicleView& v) { speeds.push_back(v.speed); });
    ASSERT_EQ(speeds.size(), static_cast<std::size_t>(vehicles));
    const double mean = std::accumulate(speeds.begin(), speeds.end(), 0.0) / vehicles;
    const auto [mn, mx] = std::minmax_element(speeds.begin(), speeds.end());
    const VehicleType t = test::exactCar();
    const double gap = circumference / vehicles - t.length;
    const double expected = idmEquilibriumSpeed(t, 13.89, gap);
    const double density = 1000.0 * vehicles / circumference;
    RecordProperty("ring_" + std::to_string(vehicles), std::to_string(density) +
                                                           " veh/km: " + std::to_string(mean) +
                                                           " m/s vs " + std::to_string(expected));
    EXPECT_NEAR(mean, expected, 0.02 * expected + 0.05) << density << " veh/km";
    EXPECT_LT(*mx - *mn, 0.1) << "a homogeneous flow, not stop-and-go, at " << density
                              << " veh/km, mean " << mean;
    // Flow from the model and from the formula: q = density * v.
    EXPECT_NEAR(density * mean * 3.6, density * expected * 3.6,
                0.02 * density * expected * 3.6 + 1.0);
  }
}

}  // namespace
}  // namespace citytwin
