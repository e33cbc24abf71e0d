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

namespace citytwin::engine::crowd {
namespace {

// A fence thinner than a navigation cell across most of a room: people walk round its end
// and never through it.
TEST(Routing, ThinFenceIsWalkedAround) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 20, 20)};
  s.barriers = {{{10.0, 0.0}, {10.0, 16.0}}};  // open only at the north end, y 16 - 20
  s.stages.push_back(test::exitStage("east", 19, 0, 20, 4));
  s.journeys.push_back({"east", {0}});
  s.sources.push_back(test::source("west", test::rect(1, 0.5, 6, 4), 30));
  s.nav_cell_m = 0.5f;
  s.duration_s = 200;
  CrowdSimulation sim(s, 2);
  while (!sim.finished()) {
    std::vector<std::pair<std::uint32_t, float>> before;
    for (std::size_t i = 0; i < sim.agentCount(); ++i)
      before.emplace_back(sim.ids()[i], sim.x()[i]);
    sim.step();
    for (std::size_t i = 0; i < sim.agentCount(); ++i)
      for (const auto& [id, x] : before)
        if (id == sim.ids()[i] && (x < 10.0f) != (sim.x()[i] < 10.0f)) {
          EXPECT_GT(sim.y()[i], 15.8f)
              << "agent " << id << " crossed the fence at y " << sim.y()[i];
        }
  }
  EXPECT_EQ(sim.summary().agents_arrived, 30u);
  EXPECT_EQ(sim.summary().agents_stuck, 0u);
}

}  // namespace
}  // namespace citytwin::engine::crowd
