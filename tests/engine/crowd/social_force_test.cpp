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
  CrowdScenario s = test::rimea1Corridor();
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
      ASSERT_TRUE(test::insideLCorner(x, y, 4)) << x << ", " << y;
    }
  }
  EXPECT_EQ(one.summary().agents_arrived, 80u);
}

}  // namespace
}  // namespace citytwin::engine::crowd
