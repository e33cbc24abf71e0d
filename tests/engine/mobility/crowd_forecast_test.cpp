// The crowd forecast runs the simulation from the measured present: a street whose camera has
// four weeks of history and a busier than usual afternoon today. The forecast's people are
// already on the street at "now" (the warm-up on measured arrivals), walk at the density their
// numbers give, and a camera further down the street (no history of its own) gets a forecast.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "../crowd/crowd_fixtures.hpp"
#include "citytwin/engine/mobility/crowd_forecast.hpp"

namespace citytwin::engine::mobility {
namespace {

namespace ct = crowd::test;

crowd::CrowdScenario street() {
  crowd::CrowdScenario s;
  s.walkable = {ct::rect(0, 0, 120, 4)};
  s.stages.push_back(ct::exitStage("east-end", 118, 0, 120, 4));
  s.journeys.push_back({"east", {0}});
  s.sources.push_back(ct::source("west-end", ct::rect(1, 0.5, 5, 3.5), 0, 0));
  s.zones.push_back({"middle", {ct::rect(60, 0, 80, 4)}});
  s.time_step_s = 0.1;
  s.nav_cell_m = 0.5f;
  s.groups[0].speed = {1.34f, 0.0f, 1.34f, 1.34f};  // everyone at 1.34 m/s: density is flow/speed
  return s;
}

std::vector<CountingLine> cameras() {
  return {{"cam-west", {23, -1}, {23, 5}, "east", "west"},
          {"cam-east", {100, -1}, {100, 5}, "east", "west"}};
}

TEST(CrowdForecast, RunsFromTheMeasuredPresentAndForecastsDensitiesAndCountsDownTheStreet) {
  // Sunday 2026-11-29 15:00 UTC. Four earlier Sundays had 50, 60, 70 and 60 people per
  // 5 minutes at the west camera; today it has been 90 (one and a half times as busy).
  const double now = 1795964400.0;
  const double week = 7 * 86400.0;
  CountSeries history{"cam-west", "east", now - 4 * week - 86400.0, 300.0, {}};
  for (double t = history.begin_s; t < now; t += 300.0) {
    const int weeks_back = static_cast<int>(std::ceil((now - t) / week));
    const double usual = weeks_back == 4 ? 50 : weeks_back == 3 ? 60 : weeks_back == 2 ? 70 : 60;
    history.counts.push_back(now - t <= 86400.0 ? 90.0 : usual);
  }
  ForecastOptions fo;
  fo.horizon_s = 1800;
  const auto ahead = forecastFromHistory(history, now, fo);
  ASSERT_NEAR(ahead.level, 1.5, 1e-9);

  CrowdForecastOptions options;
  options.warmup_s = 900;
  options.horizon_s = 1800;
  options.threads = 2;
  const auto f = forecastCrowd(street(), cameras(), {history}, {ahead}, now, options);
  ASSERT_EQ(f.matches.size(), 1u);
  ASSERT_EQ(f.zone_density.size(), 1u);
  ASSERT_EQ(f.zone_density[0].size(), 6u) << "six intervals of 5 minutes ahead";
  // At now the street already holds the people on their way (0.3/s over 120 m at 1.34 m/s).
  std::cout << "crowd forecast: " << f.people_at_now << " people on the street at now; middle "
            << f.zone_density[0][0].low << " / " << f.zone_density[0][0].expected << " / "
            << f.zone_density[0][0].high << " people/m2 (low / expected / high)\n";
  EXPECT_GT(f.people_at_now, 20u);
  EXPECT_LT(f.people_at_now, 35u);
  // Density in the middle: flow / (speed x width) = 0.3 / (1.34 x 4) = 0.056 people/m2, from
  // the first interval on (a cold start would have an empty street then).
  for (const auto& p : f.zone_density[0]) {
    EXPECT_NEAR(p.expected, 0.3 / (1.34 * 4), 0.015) << "at " << p.begin_s - now << " s";
    EXPECT_LE(p.low, p.expected + 1e-9);
    EXPECT_GE(p.high, p.expected - 1e-9);
    EXPECT_LT(p.low, p.high);
  }
  // The east camera has no history; the forecast gives it the west camera's people, a walk
  // later: 90 per 5 minutes.
  std::size_t east = 0;
  for (std::size_t k = 0; k < f.sensors.size(); ++k)
    if (f.sensors[k] == "cam-east east") east = k;
  ASSERT_GT(east, 0u);
  for (std::size_t a = 1; a < f.sensor_counts[east].size(); ++a)
    EXPECT_NEAR(f.sensor_counts[east][a].expected, 90.0, 6.0) << "interval " << a;

  // A zone's alert rule (people/m2) gives advice with its basis; one above the band gives none.
  AlertRule rule;
  rule.zone = "middle";
  rule.threshold = 0.053;
  rule.advice = "open the side street";
  const auto alerts = evaluateZoneAlerts(f, {rule}, fo);
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts[0].zone, "middle");
  EXPECT_TRUE(alerts[0].likely);
  EXPECT_NE(alerts[0].basis.find("simulated"), std::string::npos) << alerts[0].basis;
  rule.threshold = 0.09;
  EXPECT_TRUE(evaluateZoneAlerts(f, {rule}, fo).empty());

  // The same on one thread.
  options.threads = 1;
  const auto one = forecastCrowd(street(), cameras(), {history}, {ahead}, now, options);
  for (std::size_t a = 0; a < f.zone_density[0].size(); ++a)
    EXPECT_EQ(one.zone_density[0][a].expected, f.zone_density[0][a].expected);
}

}  // namespace
}  // namespace citytwin::engine::mobility
