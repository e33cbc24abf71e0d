// Calibration of an OD matrix to counts (acceptance 4 of the mobility-data issue): "observed"
// counts made by simulating a known demand at virtual sensors on the real Amsterdam network;
// the calibration starts from the bundled matrix and must recover that demand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "citytwin/engine/mobility/od_calibration.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/traffic/city_network.hpp"

namespace engine = citytwin::engine;
namespace mobility = citytwin::engine::mobility;
namespace traffic = citytwin::engine::traffic;

namespace {

// The "true" demand: each OD entry of the bundled matrix times a factor from 0.3 to 2.7, a prior
// matrix as far off as an old survey can be.
double trueFactor(std::size_t k) {
  return 0.3 + 2.4 * static_cast<double>((k * 7) % 10) / 9.0;
}

}  // namespace

TEST(OdCalibration, RecoversAKnownDemandFromCountsOnTheAmsterdamNetwork) {
  citytwin::geodata::CityModel city;
  const auto file = engine::loadScenarioFile(
      std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-traffic/base.yaml", &city);
  ASSERT_TRUE(file.has_traffic);
  traffic::TrafficScenario scenario = file.traffic;
  scenario.gtfs_dir.clear();  // buses run to a timetable: not part of the OD demand
  const traffic::Network net = traffic::buildCityNetwork(city, scenario.network);

  // Sensors where counting cameras or loops would be: across the 24 busiest roads.
  const traffic::Demand demand = traffic::demandFromOd(net, scenario, 2);
  traffic::TrafficSimulation sim(net, demand, scenario.config, 2);
  sim.run();
  const auto sensors = mobility::linesAcrossBusiestRoads(net, sim.edgeAggregates(), 24);
  ASSERT_EQ(sensors.size(), 24u);

  traffic::TrafficScenario truth = scenario;
  for (std::size_t k = 0; k < truth.od.size(); ++k) truth.od[k].trips *= trueFactor(k);
  const double interval = 1800.0;  // half-hour counts
  const auto observed = mobility::simulateTrafficCounts(net, truth, sensors, interval, 2);

  const auto result = mobility::calibrateOdMatrix(net, scenario, sensors, interval, observed,
                                                  {0.0, 5.0, 3, 0.05, 2});
  std::printf("OD calibration on %zu sensors x 2 directions, %zu intervals with counts:\n",
              sensors.size(), result.before.intervals);
  std::printf("  before: GEH < 5 in %.1f %% of intervals, mean GEH %.2f, RMSE %.2f\n",
              100 * result.before.share_geh_below_5, result.before.mean_geh, result.before.rmse);
  std::printf("  after:  GEH < 5 in %.1f %% of intervals, mean GEH %.2f, RMSE %.2f\n",
              100 * result.after.share_geh_below_5, result.after.mean_geh, result.after.rmse);
  std::printf("  %zu simulations\n  entry  from -> to  trips  true factor  fitted\n",
              result.simulations);
  double trips_true = 0.0, trips_fitted = 0.0;
  for (std::size_t k = 0; k < scenario.od.size(); ++k) {
    const auto& e = scenario.od[k];
    std::printf("  %2zu  %s -> %s  %.0f  %.2f  %.2f%s\n", k, scenario.zones[e.from].name.c_str(),
                scenario.zones[e.to].name.c_str(), e.trips, trueFactor(k), result.factors[k],
                result.observable[k] ? "" : " (no sensor sees it)");
    trips_true += e.trips * trueFactor(k);
    trips_fitted += e.trips * result.factors[k];
  }
  std::printf("  trips: true %.0f, fitted %.0f, bundled %.0f\n", trips_true, trips_fitted, [&] {
    double t = 0;
    for (const auto& e : scenario.od) t += e.trips;
    return t;
  }());

  EXPECT_FALSE(result.before.meetsTarget()) << "the test needs a demand that is visibly off";
  EXPECT_GE(result.after.share_geh_below_5, 0.85);
  EXPECT_LT(result.after.rmse, result.before.rmse / 2);
  // Link counts fix the traffic on the roads, not each OD cell (many matrices give the same
  // counts): the total demand is what must come back, with the counts.
  EXPECT_NEAR(trips_fitted / trips_true, 1.0, 0.06);
}

TEST(OdCalibration, TheLeastSquaresCoreIsExactOnAnExactSystemAndKeepsBounds) {
  // Two groups seen by three counts: y = 2 * a0 + 0.5 * a1.
  const std::vector<std::vector<double>> a{{10, 0, 5}, {0, 8, 8}, {0, 0, 0}};
  const std::vector<double> y{20, 4, 14}, w{1, 1, 1};
  const auto f = mobility::fitScalingFactors(a, y, w, 0.0, 5.0);
  EXPECT_NEAR(f[0], 2.0, 1e-6);
  EXPECT_NEAR(f[1], 0.5, 1e-6);
  EXPECT_EQ(f[2], 1.0) << "an unobserved group keeps its factor";
  const auto bounded = mobility::fitScalingFactors(a, y, w, 0.0, 1.5);
  EXPECT_LE(bounded[0], 1.5);
}
