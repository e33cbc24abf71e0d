#pragma once
// How busy a place will be in the next hours, from its own history: counts of the same weekday
// and time of day in earlier weeks give the expected count and a band (quantiles), scaled by how
// busy today has been so far against those days (the nowcast). Alerts compare the forecast with
// thresholds set per sensor and time of day; an alert is advice to a person, says which data
// and model it came from, and never acts by itself.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"

namespace citytwin::engine::mobility {

struct ForecastOptions {
  double horizon_s = 3 * 3600.0;
  double utc_offset_s = 3600.0;            ///< local time = UTC + this (CET; CEST is 7200)
  double band_low = 0.1, band_high = 0.9;  ///< quantiles of the same slot in earlier weeks
  std::size_t min_weeks = 3;               ///< fewer earlier weeks: no forecast for the slot
  double nowcast_window_s = 2 * 3600.0;    ///< today so far against the same hours before
  double max_level = 2.0;                  ///< the nowcast scales by at most x2 (or /2)
};

struct ForecastPoint {
  double begin_s = 0.0;  ///< Unix seconds
  double expected = 0.0, low = 0.0, high = 0.0;
  std::size_t weeks = 0;  ///< earlier weeks with a count for this slot
};

struct SensorForecast {
  std::string sensor, direction;
  double interval_s = 0.0;
  double level = 1.0;  ///< today against earlier weeks (1: as usual)
  std::size_t history_weeks = 0;
  std::vector<ForecastPoint> points;  ///< from the interval holding now_s, through the horizon
};

/// Forecast from a dated count series (Unix seconds) at `now_s`. Only counts before `now_s`
/// are used. Throws std::invalid_argument for a series without dates.
SensorForecast forecastFromHistory(const CountSeries& history, double now_s,
                                   const ForecastOptions& options = {});

struct AlertRule {
  std::string sensor;                   ///< a counting sensor's id (empty for a zone's rule)
  std::string direction;                ///< "" : any
  double from_s = 0.0, to_s = 86400.0;  ///< local time of day the threshold holds
  double threshold = 0.0;               ///< count per interval
  std::string advice;                   ///< what a person might consider, e.g. "open gate B"
  std::string zone;  ///< instead of a sensor: a crowd scenario's zone (threshold in people/m2)
};

struct Alert {
  std::string sensor, direction;
  std::string zone;      ///< a zone's alert (density); sensor and direction are then empty
  double begin_s = 0.0;  ///< the interval (Unix seconds)
  double expected = 0.0, high = 0.0, threshold = 0.0;
  bool likely = false;  ///< the expected count is over the threshold (else only the band's top)
  std::string advice;
  std::string basis;  ///< the data and model it came from, in words
};

/// The alert `rule` raises for the interval from `begin_s` (Unix s) with these values, or none
/// when the interval lies outside the rule's hours or the band's top is not over its threshold.
/// The caller adds the basis (which data and model).
std::optional<Alert> alertFor(const AlertRule& rule, double begin_s, double expected, double high,
                              double utc_offset_s);

/// Every forecast interval over a rule's threshold in the rule's hours.
std::vector<Alert> evaluateAlerts(const std::vector<SensorForecast>& forecasts,
                                  const std::vector<AlertRule>& rules,
                                  const ForecastOptions& options = {});

}  // namespace citytwin::engine::mobility
