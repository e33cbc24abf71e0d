#include "osm_rules.hpp"

#include <gtest/gtest.h>

namespace citytwin::geodata::osm {
namespace {

constexpr ModeMask kCar = bit(Mode::kCar), kBike = bit(Mode::kBike), kFoot = bit(Mode::kFoot),
                   kBus = bit(Mode::kBus);

TEST(OsmRules, ResidentialStreetIsOpenToEveryModeBothWays) {
  const auto m = wayModes({{"highway", "residential"}});
  EXPECT_EQ(m.forward, kCar | kBike | kFoot | kBus);
  EXPECT_EQ(m.backward, kCar | kBike | kFoot | kBus);
}

TEST(OsmRules, OnewayRestrictsVehiclesButNotPedestrians) {
  const auto m = wayModes({{"highway", "residential"}, {"oneway", "yes"}});
  EXPECT_EQ(m.forward, kCar | kBike | kFoot | kBus);
  EXPECT_EQ(m.backward, kFoot);
}

TEST(OsmRules, ContraflowCyclingIsKept) {
  const auto m =
      wayModes({{"highway", "residential"}, {"oneway", "yes"}, {"oneway:bicycle", "no"}});
  EXPECT_EQ(m.backward, kFoot | kBike);
  const auto reverse = wayModes({{"highway", "tertiary"}, {"oneway", "-1"}});
  EXPECT_EQ(reverse.forward, kFoot);
  EXPECT_EQ(reverse.backward, kCar | kBike | kFoot | kBus);
}

TEST(OsmRules, RoundaboutsAndMotorwaysAreImplicitlyOneway) {
  EXPECT_EQ(wayModes({{"highway", "primary"}, {"junction", "roundabout"}}).backward, kFoot);
  const auto mw = wayModes({{"highway", "motorway"}});
  EXPECT_EQ(mw.forward, kCar | kBus);
  EXPECT_EQ(mw.backward, 0);
}

TEST(OsmRules, AccessTagsFromGeneralToSpecific) {
  EXPECT_EQ(wayModes({{"highway", "pedestrian"}}).forward, kFoot);
  EXPECT_EQ(wayModes({{"highway", "pedestrian"}, {"bicycle", "yes"}}).forward, kFoot | kBike);
  EXPECT_EQ(wayModes({{"highway", "residential"}, {"motor_vehicle", "no"}}).forward, kFoot | kBike);
  EXPECT_EQ(wayModes({{"highway", "service"}, {"access", "private"}}).forward, 0);
  EXPECT_EQ(wayModes({{"highway", "residential"}, {"access", "no"}, {"bus", "yes"}}).forward, kBus);
  EXPECT_EQ(wayModes({{"highway", "busway"}}).forward, kBus);
  EXPECT_EQ(wayModes({{"highway", "cycleway"}, {"foot", "no"}}).forward, kBike);
  EXPECT_EQ(wayModes({{"highway", "pedestrian"}, {"area", "yes"}, {"bicycle", "yes"}}).forward,
            kFoot);
}

TEST(OsmRules, NonRoutableHighwaysGiveNoModes) {
  EXPECT_FALSE(isRoutableHighway("construction"));
  EXPECT_FALSE(isRoutableHighway("street_lamp"));
  EXPECT_FALSE(isRoutableHighway(""));
  EXPECT_TRUE(isRoutableHighway("steps"));
}

TEST(OsmRules, LanesSplitPerDirection) {
  auto l = wayLanes({{"highway", "primary"}, {"lanes", "4"}}, false);
  EXPECT_EQ(l.forward, 2);
  EXPECT_EQ(l.backward, 2);
  l = wayLanes({{"highway", "primary"}, {"lanes", "3"}}, false);
  EXPECT_EQ(l.forward, 2);
  EXPECT_EQ(l.backward, 1);
  l = wayLanes({{"highway", "primary"}, {"lanes", "3"}}, true);
  EXPECT_EQ(l.forward, 3);
  l = wayLanes({{"highway", "primary"}, {"lanes", "3"}, {"lanes:backward", "2"}}, false);
  EXPECT_EQ(l.backward, 2);
  EXPECT_EQ(wayLanes({{"highway", "motorway"}}, true).forward, 2);
  EXPECT_EQ(wayLanes({{"highway", "residential"}, {"lanes", "junk"}}, false).forward, 1);
}

TEST(OsmRules, SpeedTextsAndDutchDefaults) {
  EXPECT_DOUBLE_EQ(*parseSpeedKmh("50", "NL"), 50.0);
  EXPECT_NEAR(*parseSpeedKmh("30 mph", "GB"), 48.28, 0.01);
  EXPECT_DOUBLE_EQ(*parseSpeedKmh("NL:urban", "NL"), 50.0);
  EXPECT_DOUBLE_EQ(*parseSpeedKmh("NL:rural", "NL"), 80.0);
  EXPECT_DOUBLE_EQ(*parseSpeedKmh("NL:zone30", "NL"), 30.0);
  EXPECT_DOUBLE_EQ(*parseSpeedKmh("walk", "NL"), 15.0);
  EXPECT_FALSE(parseSpeedKmh("signals", "NL").has_value());
  EXPECT_FALSE(parseSpeedKmh("", "NL").has_value());
  EXPECT_DOUBLE_EQ(defaultSpeedKmh("residential", "NL"), 30.0);
  EXPECT_DOUBLE_EQ(defaultSpeedKmh("motorway", "NL"), 100.0);
  EXPECT_DOUBLE_EQ(defaultSpeedKmh("living_street", "NL"), 15.0);
  const auto s = waySpeedLimits(
      {{"highway", "primary"}, {"maxspeed", "50"}, {"maxspeed:backward", "30"}}, "NL");
  EXPECT_TRUE(s.tagged);
  EXPECT_DOUBLE_EQ(s.forward_kmh, 50.0);
  EXPECT_DOUBLE_EQ(s.backward_kmh, 30.0);
  EXPECT_FALSE(waySpeedLimits({{"highway", "residential"}}, "NL").tagged);
}

TEST(OsmRules, BuildingHeightFromHeightLevelsOrType) {
  EXPECT_DOUBLE_EQ(buildingHeight({{"building", "yes"}, {"height", "12.5 m"}}).height_m, 12.5);
  EXPECT_EQ(buildingHeight({{"building", "yes"}, {"height", "12.5 m"}}).source, "height");
  const auto l =
      buildingHeight({{"building", "yes"}, {"building:levels", "4"}, {"roof:levels", "1"}});
  EXPECT_DOUBLE_EQ(l.height_m, 15.0);
  EXPECT_EQ(l.source, "building:levels");
  EXPECT_DOUBLE_EQ(buildingHeight({{"building", "shed"}}).height_m, 3.0);
  EXPECT_EQ(buildingHeight({{"building", "yes"}, {"height", "tall"}}).source, "default");
}

TEST(OsmRules, WalkableWidthsAndSidewalks) {
  EXPECT_DOUBLE_EQ(walkableWidthM({{"highway", "footway"}}), 2.0);
  EXPECT_DOUBLE_EQ(walkableWidthM({{"highway", "pedestrian"}, {"width", "9"}}), 9.0);
  EXPECT_DOUBLE_EQ(walkableWidthM({{"highway", "primary"}}), 0.0);
  const auto inferred = waySidewalks({{"highway", "tertiary"}}, "NL");
  EXPECT_TRUE(inferred.left && inferred.right);
  const auto separate = waySidewalks({{"highway", "tertiary"}, {"sidewalk", "separate"}}, "NL");
  EXPECT_FALSE(separate.left || separate.right);
  const auto right = waySidewalks({{"highway", "service"}, {"sidewalk", "right"}}, "NL");
  EXPECT_FALSE(right.left);
  EXPECT_TRUE(right.right);
  EXPECT_DOUBLE_EQ(carriagewayWidthM({{"highway", "primary"}, {"lanes", "4"}}), 12.0);
  EXPECT_DOUBLE_EQ(carriagewayWidthM({{"highway", "primary"}, {"width", "7.5"}}), 7.5);
}

TEST(OsmRules, AreasBarriersAndSignals) {
  EXPECT_TRUE(isWalkableArea({{"highway", "pedestrian"}, {"area", "yes"}}));
  EXPECT_TRUE(isWalkableArea({{"place", "square"}}));
  EXPECT_FALSE(isWalkableArea({{"highway", "pedestrian"}}));
  EXPECT_TRUE(isLinearBarrier({{"barrier", "fence"}}));
  EXPECT_FALSE(isLinearBarrier({{"barrier", "bollard"}}));
  EXPECT_TRUE(isTrafficSignal({{"highway", "traffic_signals"}}));
  EXPECT_TRUE(isTrafficSignal({{"highway", "crossing"}, {"crossing", "traffic_signals"}}));
  EXPECT_FALSE(isTrafficSignal({{"highway", "crossing"}, {"crossing", "uncontrolled"}}));
}

}  // namespace
}  // namespace citytwin::geodata::osm
