// PHEMlight emissions: plausible fuel use and CO2 for the bundled Euro 4 cars, idle and
// acceleration behave, and per-road totals add up to the per-trip ones.
#include <gtest/gtest.h>

#include <fstream>

#include "citytwin/engine/traffic/emissions.hpp"
#include "citytwin/engine/traffic/sumo_net.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

std::string phemlight() {
  return std::string(CITYTWIN_ASSETS_DIR) + "/emissions/PHEMlight";
}

TEST(Emissions, EuroFourCarsUsePlausibleFuelAtFiftyKmH) {
  for (const char* name : {"PC_G_EU4", "PC_D_EU4"}) {
    const auto m = EmissionModel::readPhemlight(phemlight(), name);
    const double v = 50.0 / 3.6;
    const auto r = m.rates(v, 0.0);
    const double fuel_density = std::string(name) == "PC_D_EU4" ? 835.0 : 745.0;  // g/l
    const double litres_per_100km = r.fuel / v * 1e5 / fuel_density;
    const double co2_per_km = r.co2 / v * 1000.0;
    RecordProperty(std::string(name) + "_l_per_100km", std::to_string(litres_per_100km));
    EXPECT_GT(litres_per_100km, 3.0) << name;
    EXPECT_LT(litres_per_100km, 8.0) << name;
    EXPECT_GT(co2_per_km, 80.0) << name;
    EXPECT_LT(co2_per_km, 200.0) << name;
    EXPECT_GT(r.nox, 0.0);
    EXPECT_GT(r.pm10, 0.0);
    // Idling burns fuel; accelerating burns more than cruising; coasting downhill-like
    // (braking) burns less.
    const auto idle = m.rates(0.0, 0.0);
    EXPECT_GT(idle.fuel, 0.0);
    EXPECT_LT(idle.fuel, r.fuel);
    EXPECT_GT(m.rates(v, 1.5).fuel, r.fuel);
    EXPECT_LT(m.rates(v, -1.5).fuel, r.fuel);
    EXPECT_GT(m.power(v, 1.0), m.power(v, 0.0));
  }
}

TEST(Emissions, MissingDataNamesTheFile) {
  try {
    EmissionModel::readPhemlight(phemlight(), "PC_X_EU9");
    FAIL();
  } catch (const geodata::InputError& e) {
    EXPECT_NE(e.file().find("PC_X_EU9.PHEMLight.veh"), std::string::npos) << e.what();
  }
}

TEST(Emissions, RoadTotalsAddUpToTripTotals) {
  const Network net = readSumoNetwork(test::sumoData("grid4.net.xml"));
  Demand d;
  readSumoRoutes(test::sumoData("grid4.rou.xml"), net, d);
  finishDemand(net, d, 1);
  TrafficConfig c;
  c.emission_data_dir = std::string(CITYTWIN_ASSETS_DIR) + "/emissions";
  TrafficSimulation sim(net, d, c, 2);
  while (!sim.finished()) sim.step();
  const auto s = sim.summary();
  ASSERT_EQ(s.emission_classes, std::vector<std::string>{"PC_G_EU4"});
  double trips = 0.0, roads = 0.0;
  for (const auto& r : sim.trips()) {
    EXPECT_GT(r.co2_g, 0.0);
    trips += r.co2_g;
  }
  for (const auto& a : sim.edgeAggregates()) roads += a.co2_g;
  EXPECT_NEAR(roads, trips, 1e-6 * trips);
  EXPECT_NEAR(s.co2_kg * 1000.0, trips, 1e-6 * trips) << "everyone arrived";
  // Urban driving on a signalised grid: more per km than steady 50 km/h.
  double km = 0.0;
  for (const auto& r : sim.trips()) km += r.route_length_m / 1000.0;
  EXPECT_GT(trips / km, 150.0);
  EXPECT_LT(trips / km, 400.0);
}

}  // namespace
}  // namespace citytwin
