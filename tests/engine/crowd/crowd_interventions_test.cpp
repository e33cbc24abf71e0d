// Crowd interventions change what they should and nothing else: a barrier narrowing a
// corridor raises the density before it, and removing it lowers that density again; an extra
// entrance serves people; a gate that opens later holds them until then; scaled demand brings
// that many more people.
#include <gtest/gtest.h>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/interventions.hpp"
#include "citytwin/geodata/error.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

/// A corridor 60 m x 8 m, walked west to east by 400 people; a named fence across it at
/// x = 30 leaves a 1.2 m opening at its north end.
CrowdScenario corridor() {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 60, 8)};
  s.barriers = {{{30.0, 0.0}, {30.0, 6.8}}};
  s.barrier_names = {"fence"};
  s.stages.push_back(test::exitStage("east end", 58, 0, 60, 8));
  s.journeys.push_back({"east", {0}});
  s.sources.push_back(test::source("west", test::rect(1, 0.5, 12, 7.5), 400));
  s.zones.push_back({"before the fence", {test::rect(22, 0, 30, 8)}});
  s.zones.push_back({"after the fence", {test::rect(30, 0, 38, 8)}});
  s.nav_cell_m = 0.25f;
  s.duration_s = 900;
  s.measure_interval_s = 2;
  return s;
}

Intervention make(decltype(Intervention::what) what) {
  Intervention i;
  i.file = "variant.yaml";
  i.line = 3;
  i.what = std::move(what);
  return i;
}

CrowdSummary run(const CrowdScenario& s) {
  CrowdSimulation sim(s, 2);
  while (!sim.finished()) sim.step();
  return sim.summary();
}

TEST(CrowdInterventions, RemovingABarrierLowersTheDensityBeforeIt) {
  const CrowdScenario base = corridor();
  CrowdScenario open = base;
  applyToCrowd(open, {make(RemoveBarrier{"fence"})});
  EXPECT_TRUE(open.barriers.empty());
  const auto with = run(base), without = run(open);
  EXPECT_EQ(with.agents_arrived, 400u);
  EXPECT_EQ(without.agents_arrived, 400u) << "everyone still arrives";
  RecordProperty("density_before_fence", std::to_string(with.max_density_per_zone[0]));
  RecordProperty("density_without_fence", std::to_string(without.max_density_per_zone[0]));
  EXPECT_GT(with.max_density_per_zone[0], 1.5 * without.max_density_per_zone[0])
      << "the fence's opening is a bottleneck; without it the crowd passes freely";
  EXPECT_LT(without.mean_travel_time_s, with.mean_travel_time_s);
  // Adding the same fence back as an intervention gives the base's result exactly.
  CrowdScenario again = open;
  applyToCrowd(again, {make(AddBarrier{"fence", {{{30.0, 0.0}, {30.0, 6.8}}}})});
  const auto same = run(again);
  EXPECT_EQ(same.agents_arrived, with.agents_arrived);
  EXPECT_DOUBLE_EQ(same.mean_travel_time_s, with.mean_travel_time_s);
  EXPECT_DOUBLE_EQ(same.max_density_per_zone[0], with.max_density_per_zone[0]);
}

TEST(CrowdInterventions, GatesEntrancesAndDemandChangeWhatTheyName) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 40, 20)};
  Stage gate = test::exitStage("gate", 38, 8, 40, 12);
  gate.kind = StageKind::kGate;
  gate.service_rate = 1.0f;
  s.stages.push_back(gate);
  s.stages.push_back(test::exitStage("inside", 39, 0, 40, 20));
  s.journeys.push_back({"in", {0, 1}});
  s.sources.push_back(test::source("crowd", test::rect(1, 1, 10, 19), 60));
  s.duration_s = 600;
  s.nav_cell_m = 0.5f;
  // The gate opens at 120 s: nobody is through before.
  CrowdScenario late = s;
  applyToCrowd(late, {make(GateChange{"gate", -1.0f, 120.0})});
  {
    CrowdSimulation sim(late, 2);
    while (sim.time() < 119.0) sim.step();
    EXPECT_EQ(sim.summary().agents_arrived, 0u);
    while (!sim.finished()) sim.step();
    EXPECT_EQ(sim.summary().agents_arrived, 60u);
    EXPECT_GE(sim.summary().max_queue_per_stage[0], 55u) << "nearly everyone queued at it";
  }
  EXPECT_LT(run(s).max_queue_per_stage[0], run(late).max_queue_per_stage[0]);
  // A second entrance with its own capacity: everyone is in sooner.
  CrowdScenario two = s;
  applyToCrowd(two, {make(AddEntrance{"gate", {test::rect(38, 0, 40, 3)}, 1.0f})});
  EXPECT_FLOAT_EQ(two.stages[0].service_rate, 2.0f);
  EXPECT_LT(run(two).mean_travel_time_s, run(s).mean_travel_time_s);
  // Twice the demand over the same window.
  CrowdScenario more = s;
  applyToCrowd(more, {make(ScaleDemand{2.0, {}})});
  EXPECT_EQ(more.sources[0].agents, 120u);
  // Names that do not exist: an error naming the nearest.
  try {
    applyToCrowd(s, {make(GateChange{"gaet", 2.0f, -1.0})});
    ADD_FAILURE();
  } catch (const geodata::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'gate'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("variant.yaml: line 3"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace citytwin::engine::crowd
