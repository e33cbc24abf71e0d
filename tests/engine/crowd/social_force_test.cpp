// The social force model (Helbing & Molnar 1995), the alternative operational model.
#include <gtest/gtest.h>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

CrowdScenario socialForce(CrowdScenario s) {
  s.operational_model = OperationalModel::kSocialForce;
  return s;
}

TEST(SocialForce, Rimea1CorridorTravelTime) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 42, 2)};
  s.stages.push_back(test::exitStage("end", 41, 0, 42, 2));
  s.journeys.push_back({"walk", {0}});
  s.groups[0].speed = {1.33f, 0.0f, 1.33f, 1.33f};
  s.sources.push_back(test::source("start", test::rect(0.7, 0.8, 1.3, 1.2), 1));
  s.duration_s = 60;
  CrowdSimulation sim(socialForce(s), 1);
  sim.run();
  ASSERT_EQ(sim.summary().agents_arrived, 1u);
  EXPECT_GE(sim.travelTimes()[0], 26.0f);
  EXPECT_LE(sim.travelTimes()[0], 34.0f);
}

TEST(SocialForce, CrowdRoundACornerStaysInsideAndIsDeterministic) {
  CrowdScenario s;
  s.walkable = {{{{0, 0}, {14, 0}, {14, 14}, {10, 14}, {10, 4}, {0, 4}}}};
  s.stages.push_back(test::exitStage("end", 10, 13, 14, 14));
  s.journeys.push_back({"corner", {0}});
  s.sources.push_back(test::source("start", test::rect(0.3, 0.3, 8, 3.7), 80));
  s.duration_s = 200;
  s.nav_cell_m = 0.2f;
  s = socialForce(s);
  CrowdSimulation one(s, 1), two(s, 2);
  while (!one.finished()) {
    one.step();
    two.step();
    ASSERT_EQ(one.stateHash(), two.stateHash()) << "t = " << one.time();
    for (std::size_t i = 0; i < one.agentCount(); ++i) {
      const float x = one.x()[i], y = one.y()[i];
      ASSERT_TRUE((x >= 0 && x <= 14 && y >= 0 && y <= 4) ||
                  (x >= 10 && x <= 14 && y >= 0 && y <= 14))
          << x << ", " << y;
    }
  }
  EXPECT_EQ(one.summary().agents_arrived, 80u);
}

}  // namespace
}  // namespace citytwin::engine::crowd
