// Forecasts from a sensor's own history and alerts on them, on a synthetic history with a known
// weekly pattern: quiet weekdays, a busy Saturday afternoon.
#include <gtest/gtest.h>

#include <cmath>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/forecast.hpp"

namespace mobility = citytwin::engine::mobility;

namespace {

constexpr double kInterval = 900.0;
constexpr double kOffset = 3600.0;  // CET
// Monday 2026-10-19 00:00 local = 2026-10-18 23:00 UTC.
const double kStart = mobility::parseTimeCell("2026-10-18T23:00:00Z");

// People per 15 minutes at local time `t` (s since the start, a Monday).
double truth(double t) {
  const int day = static_cast<int>(std::floor(t / 86400.0)) % 7;  // 0 = Monday
  const double hour = std::fmod(t, 86400.0) / 3600.0;
  const auto bump = [&](double from, double to) {
    return hour < from || hour >= to ? 0.0 : std::sin(M_PI * (hour - from) / (to - from));
  };
  if (day == 5) return 80 + 320 * bump(13, 17);  // Saturday: a peak of 400 at 15:00
  return 40 + 60 * bump(12, 18);
}

// `days` of history from the start, +-8 % deterministic noise, today's part `busier` times as
// busy from `today_from` (s since the start).
mobility::CountSeries history(double days, double today_from, double busier) {
  mobility::CountSeries s{"dam-north", "in", kStart, kInterval, {}};
  for (double t = 0; t < days * 86400.0; t += kInterval) {
    const double noise = 1.0 + 0.08 * std::sin(t * 0.000731 + std::cos(t * 0.00013));
    s.counts.push_back(std::round(truth(t) * noise * (t >= today_from ? busier : 1.0)));
  }
  return s;
}

}  // namespace

TEST(Forecast, ASaturdayAfternoonFromFiveEarlierSaturdaysScaledByHowBusyTodayIs) {
  // Now: the sixth Saturday, 12:00 local; today has been 20 % busier than usual.
  const double saturday = (5 * 7 + 5) * 86400.0;
  const double now_local = saturday + 12 * 3600.0;
  const auto s = history(now_local / 86400.0, saturday, 1.2);
  mobility::ForecastOptions options;
  options.horizon_s = 6 * 3600.0;
  options.utc_offset_s = kOffset;
  const double now = kStart + now_local;
  const auto f = mobility::forecastFromHistory(s, now, options);
  EXPECT_EQ(f.history_weeks, 5u);
  EXPECT_NEAR(f.level, 1.2, 0.08);
  ASSERT_EQ(f.points.size(), 24u);
  const auto& at15 = f.points[12];  // 15:00 - 15:15
  EXPECT_DOUBLE_EQ(at15.begin_s, now + 3 * 3600.0);
  EXPECT_EQ(at15.weeks, 5u);
  const double expected = 1.2 * truth(saturday + 15 * 3600.0);
  EXPECT_NEAR(at15.expected, expected, 0.1 * expected);
  EXPECT_LE(at15.low, at15.expected);
  EXPECT_GE(at15.high, at15.expected);

  // Alerts: more than 350 per 15 minutes between 13:00 and 17:00 needs a second entrance.
  const std::vector<mobility::AlertRule> rules{{"dam-north", "", 13 * 3600.0, 17 * 3600.0, 350.0,
                                                "open the second entrance at the Dam", ""}};
  const auto alerts = mobility::evaluateAlerts({f}, rules, options);
  ASSERT_FALSE(alerts.empty());
  for (const auto& a : alerts) {
    const double local = std::fmod(a.begin_s + kOffset, 86400.0);
    EXPECT_GE(local, 13 * 3600.0);
    EXPECT_LT(local, 17 * 3600.0);
    EXPECT_GT(a.high, 350.0);
    EXPECT_NE(a.basis.find("5 earlier weeks"), std::string::npos) << a.basis;
    EXPECT_NE(a.basis.find("advice only"), std::string::npos) << a.basis;
    EXPECT_EQ(a.advice, "open the second entrance at the Dam");
  }
  EXPECT_TRUE(std::any_of(alerts.begin(), alerts.end(), [](const auto& a) { return a.likely; }));
}

TEST(Forecast, AQuietTuesdayRaisesNoAlertAndUnknownSlotsStayUnknown) {
  const double tuesday = (5 * 7 + 1) * 86400.0;
  const double now_local = tuesday + 12 * 3600.0;
  const auto s = history(now_local / 86400.0, tuesday, 1.0);
  mobility::ForecastOptions options;
  options.utc_offset_s = kOffset;
  const auto f = mobility::forecastFromHistory(s, kStart + now_local, options);
  EXPECT_NEAR(f.level, 1.0, 0.08);
  const std::vector<mobility::AlertRule> rules{
      {"dam-north", "in", 13 * 3600.0, 17 * 3600.0, 350.0, "open the second entrance", ""}};
  EXPECT_TRUE(mobility::evaluateAlerts({f}, rules, options).empty());

  // Two weeks of history are too few (3 needed): no forecast rather than a guess.
  const auto short_history = history(2 * 7 + 1.5, 1e12, 1.0);
  options.min_weeks = 3;
  const auto g =
      mobility::forecastFromHistory(short_history, kStart + (2 * 7 + 1.5) * 86400.0, options);
  ASSERT_FALSE(g.points.empty());
  EXPECT_TRUE(std::isnan(g.points[0].expected));
  // Counts without dates cannot make weekday profiles.
  EXPECT_THROW(mobility::forecastFromHistory({"x", "in", 0.0, 900.0, {1, 2}}, 1000.0),
               std::invalid_argument);
}
