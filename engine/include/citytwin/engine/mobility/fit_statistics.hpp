#pragma once
// How well simulated counts match observed ones: the GEH statistic (used by traffic engineers
// since the 1970s; GEH < 5 on at least 85 % of intervals is the usual target) and the RMSE.
#include <cstddef>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"

namespace citytwin::engine::mobility {

/// GEH of two hourly flows (vehicles or people per hour): sqrt(2 (m - c)^2 / (m + c)).
double geh(double modelled_per_hour, double counted_per_hour);

struct CountFit {
  std::size_t intervals = 0;  ///< intervals with both a simulated and an observed value
  std::size_t geh_below_5 = 0;
  double share_geh_below_5 = 0.0;  ///< 0 - 1
  double mean_geh = 0.0;
  double max_geh = 0.0;
  double rmse = 0.0;  ///< in counts per interval
  double simulated_total = 0.0;
  double observed_total = 0.0;
  bool meetsTarget() const { return intervals > 0 && share_geh_below_5 >= 0.85; }
};

/// Compares interval by interval (counts scaled to hourly flows for the GEH). Intervals where
/// either is NaN are left out. Both series must have the same interval length and aligned
/// interval starts; throws std::invalid_argument otherwise.
CountFit compareCounts(const CountSeries& simulated, const CountSeries& observed);

/// Pools every observed series with the simulated series of the same sensor and direction
/// (the usual way a calibration is reported). Throws std::invalid_argument naming an observed
/// series that has no simulated twin.
CountFit compareCounts(const std::vector<CountSeries>& simulated,
                       const std::vector<CountSeries>& observed);

}  // namespace citytwin::engine::mobility
