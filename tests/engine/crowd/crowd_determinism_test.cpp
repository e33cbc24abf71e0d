#include <gtest/gtest.h>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

// A room of 10 x 10 m emptying through a 1 m door into a corridor: dense, many contacts.
CrowdScenario bottleneckRoom(std::uint64_t seed) {
  CrowdScenario s;
  s.walkable = {{{{0, 0}, {10, 0}, {10, 4.5}, {14, 4.5}, {14, 5.5}, {10, 5.5}, {10, 10}, {0, 10}}}};
  s.stages.push_back(test::exitStage("exit", 13, 4.5, 14, 5.5));
  s.journeys.push_back({"out", {0}});
  s.sources.push_back(test::source("room", test::rect(0.5, 0.5, 8, 9.5), 250));
  s.seed = seed;
  s.nav_cell_m = 0.2f;
  s.duration_s = 40;
  return s;
}

std::vector<std::uint64_t> hashes(const CrowdScenario& s, int threads) {
  CrowdSimulation sim(s, threads);
  std::vector<std::uint64_t> out;
  while (!sim.finished()) {
    sim.step();
    if (sim.steps() % 100 == 0) out.push_back(sim.stateHash());
  }
  out.push_back(sim.stateHash());
  return out;
}

TEST(CrowdDeterminism, SameSeedSameTrajectoriesOnOneAndTwoThreads) {
  const auto s = bottleneckRoom(42);
  const auto one = hashes(s, 1);
  const auto two = hashes(s, 2);
  ASSERT_GT(one.size(), 5u);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, hashes(s, 1));  // and the same again
}

TEST(CrowdDeterminism, AnotherSeedGivesAnotherRun) {
  EXPECT_NE(hashes(bottleneckRoom(1), 2).front(), hashes(bottleneckRoom(2), 2).front());
}

}  // namespace
}  // namespace citytwin::engine::crowd
