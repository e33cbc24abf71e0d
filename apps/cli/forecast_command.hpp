#pragma once
#include <string>

namespace citytwin::cli {

struct ForecastCommandOptions {
  std::string observations;  ///< observation set with dated count sources and alert rules
  std::string now;           ///< ISO 8601 date-time; "" : the clock now
  double hours = 3.0;
  /// A crowd scenario of the area: simulated from the measured present (nowcast, then
  /// forecast) for densities per zone and counts at every sensor.
  std::string scenario;
  double warmup_minutes = 30.0;
  int threads = 0;
  std::string out_dir;
  bool force = false;
  bool quiet = false;
};

/// `citytwin forecast SET --now T --hours H --out DIR`: forecasts every count series of the
/// set from its own history (same weekday and time of day in earlier weeks, scaled by today so
/// far) and checks the set's alert rules. Writes forecast.csv and alerts.json (each alert with
/// the data and model it came from). With --scenario also forecast_zones.csv and
/// forecast_sensors.csv from three simulations (expected arrivals, the band's low and high
/// ends) started from the measured present. Alerts are advice: nothing acts on them.
int runForecast(const ForecastCommandOptions& options);

}  // namespace citytwin::cli
