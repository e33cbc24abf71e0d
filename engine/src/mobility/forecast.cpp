#include "citytwin/engine/mobility/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace citytwin::engine::mobility {
namespace {

constexpr double kWeek = 7 * 86400.0;

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double at = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const auto hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (at - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Counts of the same slot 1, 2, ... weeks before `t` (only those before `now_s`).
std::vector<double> sameSlotBefore(const CountSeries& s, double t, double now_s) {
  std::vector<double> values;
  for (double earlier = t - kWeek; earlier >= s.begin_s; earlier -= kWeek) {
    if (earlier + s.interval_s > now_s) continue;
    const double c = s.countAt(earlier + 1e-6);
    if (!std::isnan(c)) values.push_back(c);
  }
  return values;
}

double mean(const std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

std::string clock(double unix_s, double offset_s) {
  const long t = static_cast<long>(std::floor(std::fmod(unix_s + offset_s, 86400.0)));
  char text[16];
  std::snprintf(text, sizeof text, "%02ld:%02ld", t / 3600 % 24, t / 60 % 60);
  return text;
}

}  // namespace

SensorForecast forecastFromHistory(const CountSeries& history, double now_s,
                                   const ForecastOptions& o) {
  if (!isDated(history.begin_s) || !(history.interval_s > 0.0)) {
    throw std::invalid_argument("forecast of sensor '" + history.sensor +
                                "': its counts carry no date; weekday profiles need dated "
                                "times (ISO 8601 date-times)");
  }
  SensorForecast f;
  f.sensor = history.sensor;
  f.direction = history.direction;
  f.interval_s = history.interval_s;
  f.history_weeks = static_cast<std::size_t>(std::floor((now_s - history.begin_s) / kWeek));
  // The nowcast: today's counts in the last hours against the same slots in earlier weeks.
  const double slot0 =
      history.begin_s +
      std::floor((now_s - history.begin_s) / history.interval_s) * history.interval_s;
  double today = 0.0, usual = 0.0;
  for (double t = slot0 - history.interval_s; t >= slot0 - o.nowcast_window_s;
       t -= history.interval_s) {
    const double c = history.countAt(t + 1e-6);
    const auto before = sameSlotBefore(history, t, now_s);
    if (std::isnan(c) || before.size() < o.min_weeks) continue;
    today += c;
    usual += mean(before);
  }
  if (usual > 0.0) f.level = std::clamp(today / usual, 1.0 / o.max_level, o.max_level);
  for (double t = slot0; t < now_s + o.horizon_s; t += history.interval_s) {
    const auto before = sameSlotBefore(history, t, now_s);
    ForecastPoint p;
    p.begin_s = t;
    p.weeks = before.size();
    if (before.size() >= o.min_weeks) {
      p.expected = f.level * mean(before);
      p.low = f.level * quantile(before, o.band_low);
      p.high = f.level * quantile(before, o.band_high);
    } else {
      p.expected = p.low = p.high = std::nan("");
    }
    f.points.push_back(p);
  }
  return f;
}

std::optional<Alert> alertFor(const AlertRule& rule, double begin_s, double expected, double high,
                              double utc_offset_s) {
  const double local = std::fmod(begin_s + utc_offset_s, 86400.0);
  if (local < rule.from_s || local >= rule.to_s || high <= rule.threshold) return std::nullopt;
  Alert a;
  a.begin_s = begin_s;
  a.expected = expected;
  a.high = high;
  a.threshold = rule.threshold;
  a.likely = expected > rule.threshold;
  a.advice = rule.advice;
  return a;
}

std::vector<Alert> evaluateAlerts(const std::vector<SensorForecast>& forecasts,
                                  const std::vector<AlertRule>& rules, const ForecastOptions& o) {
  std::vector<Alert> alerts;
  for (const AlertRule& rule : rules) {
    for (const SensorForecast& f : forecasts) {
      if (!rule.zone.empty() || f.sensor != rule.sensor ||
          (!rule.direction.empty() && f.direction != rule.direction)) {
        continue;
      }
      for (const ForecastPoint& p : f.points) {
        if (std::isnan(p.expected)) continue;
        auto a = alertFor(rule, p.begin_s, p.expected, p.high, o.utc_offset_s);
        if (!a) continue;
        a->sensor = f.sensor;
        a->direction = f.direction;
        char basis[320];
        std::snprintf(basis, sizeof basis,
                      "counts of %s %s at %s on the same weekday in %zu earlier weeks (mean, "
                      "band %.0f - %.0f %%), times %.2f for how busy today has been; "
                      "advice only: a person decides",
                      f.sensor.c_str(), f.direction.c_str(),
                      clock(p.begin_s, o.utc_offset_s).c_str(), p.weeks, 100 * o.band_low,
                      100 * o.band_high, f.level);
        a->basis = basis;
        alerts.push_back(std::move(*a));
      }
    }
  }
  return alerts;
}

}  // namespace citytwin::engine::mobility
