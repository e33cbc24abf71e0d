#pragma once
// Fits a crowd scenario's arrival profiles (people per second from each source, over time) to
// the counts of the sensors on the sources' streets: the crowd analogue of OD scaling. Each
// source is matched with the nearest counting line its people walk over; a simulation counts
// them there; the source's rate in each interval is scaled by observed / simulated in the
// interval its people reach the line (the walk's lag later); a few rounds converge.
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/fit_statistics.hpp"

namespace citytwin::engine::mobility {

/// Simulates `scenario` until `until_s` (its duration when <= 0) and counts its people at the
/// sensors, in intervals of `interval_s` from 0 (the scenario's start). Both directions of each.
std::vector<CountSeries> simulateCrowdCounts(const crowd::CrowdScenario& scenario,
                                             const std::vector<CountingLine>& sensors,
                                             double interval_s, double until_s, int threads = 0,
                                             const std::atomic<bool>* cancel = nullptr);

struct SourceSensorMatch {
  std::size_t source = 0;    ///< index into the scenario's sources
  std::size_t observed = 0;  ///< index into the observed series: the sensor and direction
  double distance_m = 0.0;   ///< from the source to the counting line
  double lag_s = 0.0;        ///< walking time from the source to the line, along its route
};

/// Each source with the observed series of the nearest counting line within `max_distance_m`
/// (of its two directions, the one with more people), and the walk to it along the route to
/// the source's first stage (the routing's walking cost over the mean desired speed; as the
/// crow flies where the route does not reach the line). Throws std::invalid_argument naming a
/// source that no sensor is near, with what to do.
std::vector<SourceSensorMatch> matchSourcesToSensors(const crowd::CrowdScenario& scenario,
                                                     const std::vector<CountingLine>& sensors,
                                                     const std::vector<CountSeries>& observed,
                                                     double max_distance_m = 100.0,
                                                     int threads = 0);

struct ArrivalCalibrationOptions {
  int rounds = 4;
  double max_step_factor = 4.0;  ///< one round scales an interval's rate by at most this
  int threads = 0;
  double max_distance_m = 100.0;  ///< a source's camera is at most this far from it
};

struct ArrivalCalibration {
  crowd::CrowdScenario calibrated;  ///< the scenario with the fitted profiles
  std::vector<SourceSensorMatch> matches;
  CountFit before, after;  ///< on the matched sensors' observed series
  std::vector<CountSeries> simulated_before, simulated_after;
  int rounds = 0;
};

/// Fits the profiles of every source to `observed` (on the scenario's clock; series named by
/// the sensors' ids and directions). Progress reports (stage, fraction).
ArrivalCalibration calibrateArrivalProfiles(
    const crowd::CrowdScenario& scenario, const std::vector<CountingLine>& sensors,
    const std::vector<CountSeries>& observed, const ArrivalCalibrationOptions& options = {},
    const std::function<void(const std::string&, double)>& progress = {},
    const std::atomic<bool>* cancel = nullptr);

}  // namespace citytwin::engine::mobility
