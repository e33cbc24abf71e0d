// CNOSSOS-EU road noise: the per-vehicle source levels behave as the model prescribes, and
// the per-road sound power of a simulated steady flow equals the model's line-source formula
// L_W' = L_W(v) + 10 lg(Q / 1000 v) (Q vehicles per hour, v km/h).
#include <gtest/gtest.h>

#include <cmath>

#include "citytwin/engine/traffic/noise.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "traffic_test_networks.hpp"

namespace citytwin {
namespace {

using namespace engine::traffic;

TEST(Noise, VehicleSourceLevelsFollowTheModel) {
  // A car at 50 km/h emits about 96 dB(A) in CNOSSOS-EU (Harmonoise-derived: 94-97).
  const double car50 = vehicleSoundPowerDbA(NoiseCategory::kLight, 50.0);
  EXPECT_GT(car50, 94.0);
  EXPECT_LT(car50, 98.0);
  for (double v = 20.0; v <= 130.0; v += 10.0) {
    EXPECT_GT(vehicleSoundPowerDbA(NoiseCategory::kLight, v + 10.0),
              vehicleSoundPowerDbA(NoiseCategory::kLight, v));
    // In town, engines make lorries and buses much louder; at motorway speeds the tyres of
    // cars close most of the gap.
    EXPECT_GT(vehicleSoundPowerDbA(NoiseCategory::kMediumHeavy, v),
              vehicleSoundPowerDbA(NoiseCategory::kLight, v) + (v <= 50.0 ? 5.0 : 0.5));
    EXPECT_GT(vehicleSoundPowerDbA(NoiseCategory::kHeavy, v),
              vehicleSoundPowerDbA(NoiseCategory::kMediumHeavy, v));
  }
  // The model holds from 20 km/h; slower traffic counts as 20 km/h.
  EXPECT_DOUBLE_EQ(vehicleSoundPowerDbA(NoiseCategory::kLight, 5.0),
                   vehicleSoundPowerDbA(NoiseCategory::kLight, 20.0));
  EXPECT_EQ(noiseCategory(kClassBicycle), NoiseCategory::kNone);
  EXPECT_EQ(noiseCategory(kClassTruck), NoiseCategory::kHeavy);
  // The tabulated power agrees with the formula.
  const NoiseEmission table;
  EXPECT_NEAR(10.0 * std::log10(table.power(NoiseCategory::kLight, 50.0f / 3.6f)), car50, 0.05);
}

/// Sound power per metre on the 3 km approach, measured over 10 minutes of steady flow, and
/// the vehicles' mean speed there (km/h).
double simulatedLevel(double vehicles_per_hour, double* mean_kmh = nullptr) {
  const Network net = test::corridor(3000.0, 1, 13.89f);
  Demand d;
  d.types = {test::exactCar()};
  const double headway = 3600.0 / vehicles_per_hour;
  for (int k = 0; k * headway < 1500.0; ++k) {
    Trip t;
    t.id = "car" + std::to_string(k);
    t.depart = k * headway;
    t.route = {0, 1};
    t.depart_speed = -1.0f;
    d.trips.push_back(t);
  }
  TrafficConfig c;
  c.end_s = 1500.0;
  c.aggregate_interval_s = 600.0;
  TrafficSimulation sim(net, d, c, 1);
  while (!sim.finished()) sim.step();
  for (const auto& a : sim.edgeAggregates())
    if (a.edge == 0 && a.begin_s == 600.0) {
      if (mean_kmh) *mean_kmh = 3.6 * a.speed_sum / a.sampled_seconds;
      return soundPowerPerMetreDbA(a.noise_power_seconds, a.end_s - a.begin_s, a.noise_length_m);
    }
  ADD_FAILURE() << "no aggregate for the approach";
  return 0.0;
}

TEST(Noise, SteadyFlowMatchesTheLineSourceFormula) {
  for (double q : {600.0, 1200.0}) {
    double v = 0.0;  // km/h; close to the 50 km/h limit
    const double measured = simulatedLevel(q, &v);
    EXPECT_GT(v, 45.0);
    const double expected =
        vehicleSoundPowerDbA(NoiseCategory::kLight, v) + 10.0 * std::log10(q / (1000.0 * v));
    RecordProperty("lw_per_m_at_" + std::to_string(static_cast<int>(q)), std::to_string(measured));
    EXPECT_NEAR(measured, expected, 0.3) << q << " veh/h";
  }
  // At 10 m from 1,200 cars an hour at 50 km/h: the 60-70 dB(A) of a busy city street.
  const double at10 = lineSourceLevelDbA(simulatedLevel(1200.0), 10.0);
  EXPECT_GT(at10, 60.0);
  EXPECT_LT(at10, 70.0);
}

}  // namespace
}  // namespace citytwin
