#pragma once
#include <string>

namespace citytwin::cli {

struct ForecastCommandOptions {
  std::string observations;  ///< observation set with dated count sources and alert rules
  std::string now;           ///< ISO 8601 date-time; "" : the clock now
  double hours = 3.0;
  std::string out_dir;
  bool force = false;
  bool quiet = false;
};

/// `citytwin forecast SET --now T --hours H --out DIR`: forecasts every count series of the
/// set from its own history (same weekday and time of day in earlier weeks, scaled by today so
/// far) and checks the set's alert rules. Writes forecast.csv and alerts.json (each alert with
/// the data and model it came from). Alerts are advice: nothing acts on them.
int runForecast(const ForecastCommandOptions& options);

}  // namespace citytwin::cli
