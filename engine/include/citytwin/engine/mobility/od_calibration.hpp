#pragma once
// Virtual sensors on simulated traffic, and calibration of an OD matrix to observed counts:
// each OD entry (a zone pair and time slice) gets a scaling factor so that the simulated
// counts at the sensors match the observed ones. Method: one simulation per entry alone gives
// what each entry contributes to every sensor and interval; a bounded, weighted least-squares
// fit (weights 1 / max(count, 5), close to the GEH's scale) of the factors follows; then the
// scaled matrix is simulated in full and the fit before and after is reported.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/fit_statistics.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"

namespace citytwin::engine::mobility {

/// Runs the scenario's traffic (OD trips only) and counts the vehicles crossing `sensors` in
/// intervals of `interval_s` from the scenario's begin.
std::vector<CountSeries> simulateTrafficCounts(const traffic::Network& net,
                                               const traffic::TrafficScenario& scenario,
                                               const std::vector<CountingLine>& sensors,
                                               double interval_s, int threads = 0);

/// Short counting lines across the `count` roads with the most traffic in `aggregates` (one
/// per road: across both directions of a two-way road), at the middle of each road.
std::vector<CountingLine> linesAcrossBusiestRoads(
    const traffic::Network& net, const std::vector<traffic::EdgeAggregate>& aggregates,
    std::size_t count);

struct OdCalibrationOptions {
  double min_factor = 0.0;
  double max_factor = 5.0;
  /// Simulations per OD entry (seeds seed, seed + 1, ...): their mean contribution is less
  /// tied to one draw of origins, destinations and departure times.
  int replications = 3;
  /// Pull towards the matrix as it is (factor 1), relative to what the counts say about each
  /// entry: keeps entries the sensors barely see from taking extreme values.
  double prior_weight = 0.05;
  int threads = 0;
};

struct OdCalibration {
  std::vector<double> factors;   ///< per OD entry, in the scenario's order
  std::vector<bool> observable;  ///< false: no sensor sees the entry's trips (factor left at 1)
  CountFit before, after;
  std::vector<CountSeries> simulated_before, simulated_after;
  std::size_t simulations = 0;
};

/// Fits the scenario's OD factors to `observed` (series named like the sensors' directions).
/// `progress(stage, fraction)` now and then; `cancel` stops between simulations.
OdCalibration calibrateOdMatrix(
    const traffic::Network& net, const traffic::TrafficScenario& scenario,
    const std::vector<CountingLine>& sensors, double interval_s,
    const std::vector<CountSeries>& observed, const OdCalibrationOptions& options = {},
    const std::function<void(const std::string&, double)>& progress = {},
    const std::atomic<bool>* cancel = nullptr);

/// The bounded weighted least-squares core: factors f minimising sum_i w_i (sum_g A[g][i] f_g
/// - y_i)^2 with lo <= f <= hi (projected coordinate descent). Columns all zero keep f = 1.
/// With `prior_weight` > 0, each f_g is also pulled towards 1 by prior_weight times its own
/// information (sum_i w_i A[g][i]^2).
std::vector<double> fitScalingFactors(const std::vector<std::vector<double>>& contributions,
                                      const std::vector<double>& observed,
                                      const std::vector<double>& weights, double lo, double hi,
                                      double prior_weight = 0.0);

}  // namespace citytwin::engine::mobility
