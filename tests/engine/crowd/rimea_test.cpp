// RiMEA guideline tests (RiMEA e.V., version 4.1.1), each with its pass criterion.
#include <gtest/gtest.h>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

// RiMEA 1: one person walks a 40 m x 2 m corridor at 1.33 m/s; it must take 26 - 34 s.
TEST(Rimea, Test1CorridorTravelTime) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 42, 2)};
  s.stages.push_back(test::exitStage("end", 41, 0, 42, 2));
  s.journeys.push_back({"walk", {0}});
  s.groups[0].speed = {1.33f, 0.0f, 1.33f, 1.33f};
  s.sources.push_back(test::source("start", test::rect(0.7, 0.8, 1.3, 1.2), 1));
  s.duration_s = 60;
  CrowdSimulation sim(s, 1);
  sim.run();
  ASSERT_EQ(sim.summary().agents_arrived, 1u);
  // From x = 1 to the exit area at x = 41: 40 m.
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
