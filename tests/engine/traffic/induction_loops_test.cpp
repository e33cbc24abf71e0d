// Induction loops as a device fed by the step: every vehicle counted once where its front
// passes, per interval, with its speed and length; SUMO's output format; clear errors.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "citytwin/engine/traffic/induction_loops.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

TEST(InductionLoops, EveryVehicleIsCountedOnceWhereItsFrontPasses) {
  const Network net = test::corridor(500.0, 2, 13.89f);
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "loops.add.xml") << R"(<additional>
  <inductionLoop id="mid_0" lane="AB_0" pos="250" period="120" file="loops.out.xml"/>
  <inductionLoop id="mid_1" lane="AB_1" pos="250" period="120" file="loops.out.xml"/>
  <inductionLoop id="end" lane="BC_0" pos="-1" freq="600" file="end.out.xml" friendlyPos="1"/>
  <inductionLoop id="end_1" lane="BC_1" pos="-1" freq="600" file="end.out.xml"/>
  <laneAreaDetector id="jam" lane="AB_0" pos="0" length="100" file="e2.xml"/>
</additional>)";
  auto read = readSumoInductionLoops((dir / "loops.add.xml").string(), net);
  ASSERT_EQ(read.loops.size(), 4u);
  EXPECT_FLOAT_EQ(read.loops[2].pos, net.lanes[read.loops[2].lane].length - 1.0f);
  ASSERT_EQ(read.warnings.size(), 1u) << "the lane-area detector is named, not dropped";
  Demand d;
  d.types = {test::exactCar()};
  for (int k = 0; k < 40; ++k) {
    Trip t;
    t.id = "car" + std::to_string(k);
    t.depart = 10.0 * k;
    t.route = {0, 1};
    d.trips.push_back(t);
  }
  finishDemand(net, d, 1);
  TrafficSimulation sim(net, d, {}, 1);
  InductionLoopRecorder loops(read.loops, 0.0);
  while (!sim.finished()) {
    sim.step();
    loops.observe(sim);
  }
  loops.finish(sim.time());
  ASSERT_EQ(sim.summary().vehicles_arrived, 40u);
  std::uint32_t mid = 0, end = 0;
  for (std::size_t k = 0; k < 2; ++k)
    for (const auto& in : loops.intervals()[k]) {
      mid += in.vehicles;
      if (in.vehicles > 0) {
        EXPECT_NEAR(in.speed_sum / in.vehicles, 13.89, 0.5) << "free flow at the limit";
        EXPECT_NEAR(in.length_sum / in.vehicles, 5.0, 1e-6);
        EXPECT_GT(in.occupied_s, 0.0);
      }
      EXPECT_LE(in.end_s - in.begin_s, 120.0 + 1e-9) << "the last one ends with the run";
    }
  for (std::size_t k = 2; k < 4; ++k)
    for (const auto& in : loops.intervals()[k]) end += in.vehicles;
  EXPECT_EQ(mid, 40u) << "both lanes together count every car once";
  EXPECT_EQ(end, 40u) << "a loop at the road's end counts the cars arriving there";
  // SUMO's format: one <interval> per loop and period, in the file the definition names.
  std::ostringstream xml;
  loops.writeSumoXml(xml, "loops.out.xml");
  const std::string text = xml.str();
  const std::regex row(
      R"re(<interval begin="[0-9.]+" end="[0-9.]+" id="mid_[01]" nVehContrib="([0-9]+)" flow="[0-9.]+" occupancy="[0-9.]+" speed="-?[0-9.]+" harmonicMeanSpeed="-?[0-9.]+" length="-?[0-9.]+" nVehEntered="[0-9]+"/>)re");
  std::uint32_t written = 0, rows = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator();
       ++it, ++rows)
    written += static_cast<std::uint32_t>(std::stoul((*it)[1]));
  EXPECT_EQ(written, 40u);
  EXPECT_EQ(rows, loops.intervals()[0].size() + loops.intervals()[1].size());
  EXPECT_EQ(text.find("id=\"end\""), std::string::npos) << "its own file";
}

TEST(InductionLoops, BadDefinitionsAreRefusedByName) {
  const Network net = test::corridor(500.0, 1, 13.89f);
  const auto dir = test::freshTempDir();
  const auto expectError = [&](const std::string& element, const std::string& what) {
    std::ofstream(dir / "bad.add.xml") << "<additional>\n" << element << "\n</additional>";
    try {
      readSumoInductionLoops((dir / "bad.add.xml").string(), net);
      FAIL() << element;
    } catch (const geodata::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
      EXPECT_NE(e.where().find("line 2"), std::string::npos) << e.where();
    }
  };
  expectError(R"(<inductionLoop id="a" lane="XY_0" pos="5" period="60" file="o.xml"/>)",
              "lane \"XY_0\" is not in the network");
  expectError(R"(<inductionLoop id="a" lane="AB_1" pos="5" period="60" file="o.xml"/>)",
              "lane \"AB_1\" is not in the network");
  expectError(R"(<inductionLoop id="a" lane="AB_0" pos="900" period="60" file="o.xml"/>)",
              "pos is off lane");
  expectError(R"(<inductionLoop id="a" lane="AB_0" pos="5" period="0" file="o.xml"/>)",
              "period must be positive");
}

}  // namespace
}  // namespace citytwin
