#pragma once
// The next hours of a crowd, simulated from what is measured now (nowcast, then forecast):
// the scenario starts a warm-up before now with its sources fed the people their cameras
// counted (so that at "now" the streets hold the people who are actually on their way), and
// from now on the history forecast of those cameras (expected, and the band's low and high
// ends: three runs). Out come densities per zone and counts at every sensor, also at places
// with no history of their own. Advice, as every forecast: the data and model are named.
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/mobility/arrival_calibration.hpp"
#include "citytwin/engine/mobility/forecast.hpp"

namespace citytwin::engine::mobility {

struct CrowdForecastOptions {
  double warmup_s = 1800.0;  ///< simulated before now on the measured arrivals
  double horizon_s = 3600.0;
  int threads = 0;
  double max_distance_m = 100.0;  ///< a source's camera is at most this far from it
};

/// One value per forecast interval: the run on the expected arrivals and the band's two ends.
struct BandPoint {
  double begin_s = 0.0;  ///< Unix seconds
  double expected = 0.0, low = 0.0, high = 0.0;
};

struct CrowdForecast {
  std::vector<SourceSensorMatch> matches;  ///< which camera feeds which source
  double interval_s = 0.0;
  std::vector<std::string> zones;
  std::vector<std::vector<BandPoint>> zone_density;   ///< per zone: mean people/m2 per interval
  std::vector<std::string> sensors;                   ///< "sensor direction"
  std::vector<std::vector<BandPoint>> sensor_counts;  ///< per sensor and direction
  /// People walking in the scenario at now (from the warm-up on measured arrivals).
  std::size_t people_at_now = 0;
};

/// `observed`: dated count series (Unix seconds) of the cameras; `forecasts`: their history
/// forecasts at `now_s` (forecastFromHistory), matched by sensor and direction. The scenario's
/// own arrival profiles are replaced. Throws std::invalid_argument naming a source without a
/// camera or a camera without a forecast.
CrowdForecast forecastCrowd(const crowd::CrowdScenario& scenario,
                            const std::vector<CountingLine>& sensors,
                            const std::vector<CountSeries>& observed,
                            const std::vector<SensorForecast>& forecasts, double now_s,
                            const CrowdForecastOptions& options = {},
                            const std::function<void(const std::string&, double)>& progress = {},
                            const std::atomic<bool>* cancel = nullptr);

/// Every forecast interval whose zone density (people/m2) is over a zone rule's threshold in
/// the rule's hours (the run on the band's high end decides "possible", the expected run
/// "likely"), with the data and model in the basis.
std::vector<Alert> evaluateZoneAlerts(const CrowdForecast& forecast,
                                      const std::vector<AlertRule>& rules,
                                      const ForecastOptions& options = {});

}  // namespace citytwin::engine::mobility
