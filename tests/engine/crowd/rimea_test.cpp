// RiMEA guideline tests (RiMEA e.V., version 4.1.1), each with its pass criterion.
#include <gtest/gtest.h>

#include <iostream>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

// RiMEA 1: one person walks a 40 m x 2 m corridor at 1.33 m/s; it must take 26 - 34 s.
TEST(Rimea, Test1CorridorTravelTime) {
  CrowdScenario s = test::rimea1Corridor();
  CrowdSimulation sim(s, 1);
  sim.run();
  ASSERT_EQ(sim.summary().agents_arrived, 1u);
  // From x = 1 to the exit area at x = 41: 40 m.
  std::cout << "RiMEA 1: " << sim.travelTimes()[0] << " s\n";
  EXPECT_GE(sim.travelTimes()[0], 26.0f);
  EXPECT_LE(sim.travelTimes()[0], 34.0f);
}

// RiMEA 6: 20 people walk around a left-hand corner without passing through its walls.
TEST(Rimea, Test6CornerNoWallCrossed) {
  CrowdScenario s;
  // 12 m along x, then 12 m up; corridors 2 m wide.
  s.walkable = {{{{0, 0}, {12, 0}, {12, 12}, {10, 12}, {10, 2}, {0, 2}}}};
  s.stages.push_back(test::exitStage("end", 10, 11, 12, 12));
  s.journeys.push_back({"corner", {0}});
  s.sources.push_back(test::source("start", test::rect(0.2, 0.2, 6, 1.8), 20));
  s.duration_s = 120;
  s.nav_cell_m = 0.1f;
  CrowdSimulation sim(s, 2);
  while (!sim.finished()) {
    sim.step();
    for (std::size_t i = 0; i < sim.agentCount(); ++i) {
      const float x = sim.x()[i], y = sim.y()[i];
      const bool in_first = x >= 0 && x <= 12 && y >= 0 && y <= 2;
      const bool in_second = x >= 10 && x <= 12 && y >= 0 && y <= 12;
      ASSERT_TRUE(in_first || in_second)
          << "agent " << sim.ids()[i] << " at " << x << ", " << y << " t=" << sim.time();
    }
  }
  EXPECT_EQ(sim.summary().agents_arrived, 20u);
  EXPECT_EQ(sim.summary().agents_stuck, 0u);
}

}  // namespace
}  // namespace citytwin::engine::crowd

namespace citytwin::engine::crowd {
namespace {

// RiMEA 7: desired speeds follow the population's distribution.
TEST(Rimea, Test7DemographicSpeedDistribution) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 60, 60)};
  s.stages.push_back(test::exitStage("far", 58, 0, 60, 60));
  s.journeys.push_back({"go", {0}});
  // Two groups as RiMEA's age table: adults 1.34 +- 0.26, elderly 0.9 +- 0.15 (m/s).
  s.groups = {PopulationGroup{"adults", {1.34f, 0.26f, 0.5f, 2.2f}, 0.18f},
              PopulationGroup{"elderly", {0.9f, 0.15f, 0.4f, 1.4f}, 0.18f}};
  Source src = test::source("crowd", test::rect(1, 1, 50, 59), 1500);
  src.group_shares = {0.6f, 0.4f};
  s.sources.push_back(src);
  s.duration_s = 0.05;
  CrowdSimulation sim(s, 2);
  sim.step();
  ASSERT_EQ(sim.agentCount(), 1500u);
  std::vector<float> adults, elderly;
  for (float v : sim.desiredSpeed())
    (v > 1.4f || (v > 1.12f && adults.size() < 10000) ? adults : elderly).push_back(v);
  double mean = 0;
  for (float v : sim.desiredSpeed()) {
    EXPECT_GE(v, 0.4f);
    EXPECT_LE(v, 2.2f);
    mean += v;
  }
  mean /= 1500.0;
  // Expected mean of the mixture: 0.6 * 1.34 + 0.4 * 0.9 = 1.164 (clipping moves it little).
  EXPECT_NEAR(mean, 1.164, 0.03);
  std::size_t slow = 0;
  for (float v : sim.desiredSpeed()) slow += v < 1.0f;
  // P(v < 1.0): adults 0.6 * Phi(-1.31) = 0.057, elderly 0.4 * Phi(0.67) = 0.299: 0.356.
  EXPECT_NEAR(static_cast<double>(slow) / 1500.0, 0.356, 0.04);
}

CrowdScenario largeRoom(bool four_exits) {
  // RiMEA 9: a 30 x 20 m room, 1000 people spread evenly, four doors of 1 m at the ends of
  // its short walls, each opening into a 1 m deep passage whose far end is the exit.
  CrowdScenario s;
  s.walkable = {{{{0, 0},   {30, 0},  {30, 1},  {31, 1},  {31, 2}, {30, 2}, {30, 18},
                  {31, 18}, {31, 19}, {30, 19}, {30, 20}, {0, 20}, {0, 19}, {-1, 19},
                  {-1, 18}, {0, 18},  {0, 2},   {-1, 2},  {-1, 1}, {0, 1}}}};
  s.stages.push_back(test::exitStage("west-south", -1, 1, -0.7, 2));
  s.stages.push_back(test::exitStage("west-north", -1, 18, -0.7, 19));
  s.stages.push_back(test::exitStage("east-south", 30.7, 1, 31, 2));
  s.stages.push_back(test::exitStage("east-north", 30.7, 18, 31, 19));
  s.journeys.push_back({"start", {0}});
  s.sources.push_back(test::source("room", test::rect(2, 2, 28, 18), 1000));
  s.evacuation.start_s = 0.0;
  s.evacuation.exits =
      four_exits ? std::vector<std::uint32_t>{0, 1, 2, 3} : std::vector<std::uint32_t>{0, 1};
  s.duration_s = 1500;
  s.nav_cell_m = 0.25f;
  return s;
}

TEST(Rimea, Test9HalfTheExitsRoughlyDoublesTheTime) {
  CrowdSimulation four(largeRoom(true), 2), two(largeRoom(false), 2);
  four.run();
  two.run();
  const auto a = four.summary(), b = two.summary();
  ASSERT_EQ(a.agents_arrived, 1000u);
  ASSERT_EQ(b.agents_arrived, 1000u);
  ASSERT_GT(a.evacuation_time_s, 0.0);
  const double ratio = b.evacuation_time_s / a.evacuation_time_s;
  std::cout << "RiMEA 9: " << a.evacuation_time_s << " s with four exits, " << b.evacuation_time_s
            << " s with two (ratio " << ratio << "); " << a.agents_stuck << " and "
            << b.agents_stuck << " waited over 60 s in the jams\n";
  EXPECT_GT(ratio, 1.6) << a.evacuation_time_s << " s with four exits, " << b.evacuation_time_s
                        << " s with two";
  EXPECT_LT(ratio, 2.4) << a.evacuation_time_s << " s with four exits, " << b.evacuation_time_s
                        << " s with two";
}

// RiMEA 10: people keep to the exits assigned to them, even where another one is nearer.
TEST(Rimea, Test10AssignedExitsAreHonoured) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 20, 10)};
  s.stages.push_back(test::exitStage("west", 0, 4, 0.5, 6));
  s.stages.push_back(test::exitStage("east", 19.5, 4, 20, 6));
  s.journeys.push_back({"start", {0}});
  s.sources.push_back(test::source("near-west", test::rect(1, 1, 6, 9), 40));    // sent east
  s.sources.push_back(test::source("near-east", test::rect(14, 1, 19, 9), 25));  // sent west
  s.evacuation.start_s = 0.0;
  s.evacuation.exits = {0, 1};
  s.evacuation.assigned_exit_per_source = {1, 0};
  s.duration_s = 300;
  CrowdSimulation sim(s, 2);
  sim.run();
  EXPECT_EQ(sim.summary().agents_arrived, 65u);
  EXPECT_EQ(sim.exitCounts()[1], 40u);
  EXPECT_EQ(sim.exitCounts()[0], 25u);
}

// RiMEA 12: a crowd passes a 1 m bottleneck between two rooms: the jam forms in front of it
// only, never behind it.
TEST(Rimea, Test12JamOnlyBeforeTheBottleneck) {
  CrowdScenario s;
  s.walkable = {{{{0, 0},
                  {10, 0},
                  {10, 4.5},
                  {12, 4.5},
                  {12, 0},
                  {22, 0},
                  {22, 10},
                  {12, 10},
                  {12, 5.5},
                  {10, 5.5},
                  {10, 10},
                  {0, 10}}}};
  s.stages.push_back(test::exitStage("far wall", 21.5, 0, 22, 10));
  s.journeys.push_back({"through", {0}});
  s.sources.push_back(test::source("first room", test::rect(0.5, 0.5, 8, 9.5), 150));
  s.zones.push_back({"before", {test::rect(8, 3, 10, 7)}});
  s.zones.push_back({"after", {test::rect(12, 3, 14, 7)}});
  s.duration_s = 400;
  s.measure_interval_s = 5;
  CrowdSimulation sim(s, 2);
  sim.run();
  const auto sum = sim.summary();
  EXPECT_EQ(sum.agents_arrived, 150u);
  // People pressed against the wall beside the door can wait over a minute while the middle
  // of the crowd goes first (as in real bottlenecks); they must all get through.
  EXPECT_LE(sum.agents_stuck, 10u);
  std::cout << "RiMEA 12: max density " << sum.max_density_per_zone[0] << " /m2 before, "
            << sum.max_density_per_zone[1] << " /m2 behind; " << sum.agents_stuck
            << " waited over 60 s\n";
  EXPECT_GT(sum.max_density_per_zone[0], 2.0) << "a jam in front of the bottleneck";
  EXPECT_LT(sum.max_density_per_zone[1], 1.5) << "no jam behind it";
}

// RiMEA 15: a large crowd walks around a corner: all arrive, nobody passes a wall or sticks.
TEST(Rimea, Test15LargeCrowdAroundACorner) {
  CrowdScenario s;
  s.walkable = {{{{0, 0}, {14, 0}, {14, 14}, {10, 14}, {10, 4}, {0, 4}}}};
  s.stages.push_back(test::exitStage("end", 10, 13, 14, 14));
  s.journeys.push_back({"corner", {0}});
  s.sources.push_back(test::source("start", test::rect(0.3, 0.3, 8, 3.7), 150));
  s.duration_s = 300;
  s.nav_cell_m = 0.2f;
  CrowdSimulation sim(s, 2);
  while (!sim.finished()) {
    sim.step();
    for (std::size_t i = 0; i < sim.agentCount(); ++i) {
      const float x = sim.x()[i], y = sim.y()[i];
      ASSERT_TRUE(test::insideLCorner(x, y, 4)) << x << ", " << y;
    }
  }
  EXPECT_EQ(sim.summary().agents_arrived, 150u);
  EXPECT_EQ(sim.summary().agents_stuck, 0u);
}

}  // namespace
}  // namespace citytwin::engine::crowd

namespace citytwin::engine::crowd {
namespace {

// A gate passes people at its service rate, also when that is more than one per step.
TEST(Gates, ServiceRateLimitsThroughput) {
  for (float rate : {2.0f, 40.0f}) {
    CrowdScenario s;
    s.walkable = {test::rect(0, 0, 30, 30)};
    Stage gate;
    gate.name = "gate";
    gate.kind = StageKind::kGate;
    gate.service_rate = rate;
    gate.area = {test::rect(25, 0, 30, 30)};
    s.stages.push_back(gate);
    s.journeys.push_back({"in", {0}});
    s.sources.push_back(test::source("queue", test::rect(20, 1, 25, 29), 200));
    s.time_step_s = 0.1;
    s.duration_s = 300;
    CrowdSimulation sim(s, 2);
    sim.run();
    ASSERT_EQ(sim.summary().agents_arrived, 200u) << rate;
    // The crowd starts next to the gate: the time is set by the gate, 200 / rate.
    const double expected = 200.0 / rate;
    EXPECT_GT(sim.time(), 0.9 * expected) << rate;
    EXPECT_LT(sim.time(), 1.5 * expected + 5.0) << rate;
  }
}

}  // namespace
}  // namespace citytwin::engine::crowd
