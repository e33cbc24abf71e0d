// Calibrating a crowd's arrival profiles to counts: synthetic "observed" counts from a known
// profile (two streets, each with a counting camera 20 m from where people come in) are fitted
// from a flat first guess; the fit recovers the known profile and meets the GEH target, and
// the result is the same on one thread and on two.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "../crowd/crowd_fixtures.hpp"
#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/mobility/arrival_calibration.hpp"
#include "citytwin/engine/mobility/crowd_sensors.hpp"

namespace citytwin::engine::mobility {
namespace {

namespace ct = crowd::test;

// Two streets 4 m wide and 120 m long, 150 m apart; people come in at the west end of each and
// leave at its east end.
crowd::CrowdScenario twoStreets(std::vector<crowd::ArrivalStep> north,
                                std::vector<crowd::ArrivalStep> south, std::uint64_t seed) {
  crowd::CrowdScenario s;
  s.walkable = {ct::rect(0, 0, 120, 4), ct::rect(0, 150, 120, 154)};
  s.stages.push_back(ct::exitStage("south-end", 118, 0, 120, 4));
  s.stages.push_back(ct::exitStage("north-end", 118, 150, 120, 154));
  s.journeys.push_back({"south", {0}});
  s.journeys.push_back({"north", {1}});
  s.sources.push_back(ct::source("south-street", ct::rect(1, 0.5, 5, 3.5), 100000, 0));
  s.sources.push_back(ct::source("north-street", ct::rect(1, 150.5, 5, 153.5), 100000, 1));
  s.sources[0].profile = std::move(south);
  s.sources[1].profile = std::move(north);
  s.time_step_s = 0.1;
  s.duration_s = 720;
  s.nav_cell_m = 0.5f;
  s.seed = seed;
  return s;
}

std::vector<CountingLine> cameras() {
  return {{"cam-south", {23, -1}, {23, 5}, "east", "west"},
          {"cam-north", {23, 149}, {23, 155}, "east", "west"}};
}

double arrivalsBetween(const crowd::Source& s, double t0, double t1) {
  return crowd::arrivalsUntil(s, t1) - crowd::arrivalsUntil(s, t0);
}

TEST(ArrivalCalibration, RecoversAKnownArrivalProfileFromCameraCounts) {
  // The truth: the south street swells to 1.5 people/s from minute 4 to 7; the north one is
  // busy first and quiet later. Counted by the cameras in minutes.
  const auto truth = twoStreets({{0, 1.0}, {300, 0.2}, {600, 0.0}},
                                {{0, 0.4}, {240, 1.5}, {420, 0.3}, {600, 0.0}}, 11);
  auto observed = simulateCrowdCounts(truth, cameras(), 60.0, 660.0, 2);
  double seen = 0.0;
  for (const auto& s : observed) seen += s.total();
  ASSERT_GT(seen, 700.0) << "the cameras see the people walk past";

  // The first guess: both streets flat at 0.7 people/s for ten minutes (another seed, as real
  // people do not walk as any seed of ours).
  const auto guess = twoStreets({{0, 0.7}, {600, 0.0}}, {{0, 0.7}, {600, 0.0}}, 99);
  ArrivalCalibrationOptions options;
  options.threads = 2;
  const auto fit = calibrateArrivalProfiles(guess, cameras(), observed, options);
  ASSERT_EQ(fit.matches.size(), 2u);
  EXPECT_EQ(observed[fit.matches[0].observed].sensor, "cam-south");
  EXPECT_EQ(observed[fit.matches[0].observed].direction, "east");
  EXPECT_EQ(observed[fit.matches[1].observed].sensor, "cam-north");
  EXPECT_NEAR(fit.matches[0].lag_s, 20.0 / 1.34, 2.0);
  std::cout << "arrival calibration: GEH < 5 in " << 100 * fit.before.share_geh_below_5 << " % -> "
            << 100 * fit.after.share_geh_below_5 << " % of " << fit.after.intervals
            << " intervals, RMSE " << fit.before.rmse << " -> " << fit.after.rmse << " (round "
            << fit.rounds << "); " << fit.after.simulated_total << " simulated, "
            << fit.after.observed_total << " observed\n";
  EXPECT_LT(fit.before.share_geh_below_5, 0.7) << "the flat guess is far off";
  EXPECT_GE(fit.after.share_geh_below_5, 0.85) << "GEH < 5 in " << fit.after.share_geh_below_5;
  EXPECT_LT(fit.after.rmse, fit.before.rmse / 2);
  // The profiles recovered: people per two minutes within 20 % (or 15 people) of the truth.
  for (std::size_t s = 0; s < 2; ++s) {
    for (double t = 0; t < 600; t += 120) {
      const double want = arrivalsBetween(truth.sources[s], t, t + 120);
      const double got = arrivalsBetween(fit.calibrated.sources[s], t, t + 120);
      EXPECT_NEAR(got, want, std::max(15.0, 0.2 * want))
          << truth.sources[s].name << " from " << t << " s";
    }
  }
  // The same on one thread.
  options.threads = 1;
  const auto one = calibrateArrivalProfiles(guess, cameras(), observed, options);
  ASSERT_EQ(one.calibrated.sources[0].profile.size(), fit.calibrated.sources[0].profile.size());
  for (std::size_t s = 0; s < 2; ++s)
    for (std::size_t k = 0; k < one.calibrated.sources[s].profile.size(); ++k)
      EXPECT_EQ(one.calibrated.sources[s].profile[k].rate_per_s,
                fit.calibrated.sources[s].profile[k].rate_per_s);
  EXPECT_EQ(one.after.rmse, fit.after.rmse);
}

TEST(ArrivalCalibration, ASourceWithoutACameraNearItIsNamed) {
  const auto guess = twoStreets({{0, 0.7}}, {{0, 0.7}}, 1);
  std::vector<CountSeries> observed{{"cam-south", "east", 0.0, 60.0, {10, 10}}};
  try {
    matchSourcesToSensors(guess, {cameras()[0]}, observed);
    FAIL() << "the north street has no camera";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("north-street"), std::string::npos) << e.what();
  }
}

TEST(CrowdSensors, CountEveryoneWalkingPastOnceInTheirDirection) {
  auto s = twoStreets({{0, 0.5}, {60, 0.0}}, {{0, 0.0}}, 3);
  s.duration_s = 300;
  const auto counts = simulateCrowdCounts(s, cameras(), 60.0, 300.0, 2);
  double east = 0.0, west = 0.0;
  for (const auto& c : counts) (c.direction == "east" ? east : west) += c.total();
  EXPECT_EQ(east, 30.0) << "30 people sent along the north street";
  EXPECT_EQ(west, 0.0);
}

}  // namespace
}  // namespace citytwin::engine::mobility
