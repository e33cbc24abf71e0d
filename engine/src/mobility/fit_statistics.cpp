#include "citytwin/engine/mobility/fit_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace citytwin::engine::mobility {
namespace {

struct FitSums {
  CountFit fit;
  double squared_error = 0.0;
  double geh = 0.0;

  void add(const CountSeries& simulated, const CountSeries& observed) {
    if (std::abs(simulated.interval_s - observed.interval_s) > 1e-9 || observed.interval_s <= 0) {
      throw std::invalid_argument(
          "compare counts of " + observed.sensor + " " + observed.direction + ": intervals of " +
          std::to_string(simulated.interval_s) + " s (simulated) and " +
          std::to_string(observed.interval_s) +
          " s (observed) differ; count the simulation in the same intervals");
    }
    const double shift = (observed.begin_s - simulated.begin_s) / observed.interval_s;
    const double rounded = std::round(shift);
    if (std::abs(shift - rounded) > 1e-6) {
      throw std::invalid_argument("compare counts of " + observed.sensor + " " +
                                  observed.direction +
                                  ": the simulated and observed intervals do not start at the "
                                  "same times; align their begin times");
    }
    const auto offset = static_cast<long long>(rounded);
    const double to_hourly = 3600.0 / observed.interval_s;
    for (std::size_t i = 0; i < observed.counts.size(); ++i) {
      const long long j = static_cast<long long>(i) + offset;
      if (j < 0 || j >= static_cast<long long>(simulated.counts.size())) continue;
      const double m = simulated.counts[static_cast<std::size_t>(j)];
      const double c = observed.counts[i];
      if (std::isnan(m) || std::isnan(c)) continue;
      const double g = mobility::geh(m * to_hourly, c * to_hourly);
      ++fit.intervals;
      if (g < 5.0) ++fit.geh_below_5;
      fit.max_geh = std::max(fit.max_geh, g);
      geh += g;
      squared_error += (m - c) * (m - c);
      fit.simulated_total += m;
      fit.observed_total += c;
    }
  }

  CountFit finish() {
    if (fit.intervals > 0) {
      const auto n = static_cast<double>(fit.intervals);
      fit.share_geh_below_5 = static_cast<double>(fit.geh_below_5) / n;
      fit.mean_geh = geh / n;
      fit.rmse = std::sqrt(squared_error / n);
    }
    return fit;
  }
};

}  // namespace

double geh(double modelled_per_hour, double counted_per_hour) {
  const double sum = modelled_per_hour + counted_per_hour;
  if (sum <= 0.0) return 0.0;
  const double difference = modelled_per_hour - counted_per_hour;
  return std::sqrt(2.0 * difference * difference / sum);
}

CountFit compareCounts(const CountSeries& simulated, const CountSeries& observed) {
  FitSums sums;
  sums.add(simulated, observed);
  return sums.finish();
}

CountFit compareCounts(const std::vector<CountSeries>& simulated,
                       const std::vector<CountSeries>& observed) {
  FitSums sums;
  for (const CountSeries& o : observed) {
    const CountSeries* twin = findSeries(simulated, o.sensor, o.direction);
    if (!twin) {
      throw std::invalid_argument("observed counts of sensor '" + o.sensor + "' direction '" +
                                  o.direction +
                                  "' have no virtual sensor in the simulation; add a counting "
                                  "line with that sensor id and direction name");
    }
    sums.add(*twin, o);
  }
  return sums.finish();
}

}  // namespace citytwin::engine::mobility
