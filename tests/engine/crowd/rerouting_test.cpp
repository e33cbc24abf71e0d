// Quickest-path routing: a crowd spreads over a longer parallel street when the short one jams.
#include <gtest/gtest.h>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

// Two squares joined by a 1 m wide short street (y 9.5 - 10.5) and by a 2 m wide detour
// 20 m further north (up, across at y 28 - 30, down); the crowd starts in the west square.
CrowdScenario twoStreets(double reroute) {
  CrowdScenario s;
  s.walkable = {{{{0, 0},
                  {20, 0},
                  {20, 9.5},
                  {30, 9.5},
                  {30, 0},
                  {40, 0},
                  {40, 20},
                  {32, 20},
                  {32, 30},
                  {18, 30},
                  {18, 20},
                  {0, 20}},
                 {{20, 10.5}, {20, 28}, {30, 28}, {30, 10.5}}}};
  s.stages.push_back(test::exitStage("far side", 39, 0, 40, 20));
  s.journeys.push_back({"across", {0}});
  s.sources.push_back(test::source("crowd", test::rect(1, 1, 15, 19), 300));
  s.lines.push_back({"short street", {25, 9.5}, {25, 10.5}});
  s.lines.push_back({"detour", {25, 28}, {25, 30}});
  s.reroute_interval_s = reroute;
  s.duration_s = 600;
  s.measure_interval_s = 5;
  s.nav_cell_m = 0.25f;
  return s;
}

std::pair<std::int64_t, std::int64_t> streetUse(double reroute) {
  CrowdSimulation sim(twoStreets(reroute), 2);
  std::int64_t short_street = 0, detour = 0;
  while (!sim.finished()) sim.step();
  for (const auto& row : sim.samples())
    short_street += std::abs(row.line_flow[0]), detour += std::abs(row.line_flow[1]);
  EXPECT_EQ(sim.summary().agents_arrived, 300u);
  return {short_street, detour};
}

TEST(Rerouting, CrowdUsesTheDetourWhenTheShortStreetJams) {
  const auto shortest = streetUse(0.0);
  EXPECT_EQ(shortest.second, 0) << "without rerouting nobody takes the detour";
  const auto quickest = streetUse(10.0);
  EXPECT_GT(quickest.second, 30) << "with rerouting part of the crowd takes the detour";
  EXPECT_GT(quickest.first, 100);
}

}  // namespace
}  // namespace citytwin::engine::crowd
