#include "citytwin/engine/mobility/od_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "citytwin/engine/mobility/traffic_sensors.hpp"

namespace citytwin::engine::mobility {
namespace {

using traffic::TrafficScenario;

// Index of the observed value in a flat vector: (series, interval) pairs with a value.
struct Observation {
  std::size_t series;
  std::size_t interval;  // in the simulated series
  double value;
};

std::vector<Observation> alignObservations(const std::vector<CountSeries>& observed,
                                           const std::vector<CountingLine>& sensors, double begin_s,
                                           double interval_s) {
  std::vector<Observation> out;
  for (std::size_t s = 0; s < observed.size(); ++s) {
    const CountSeries& o = observed[s];
    bool known = false;
    for (const auto& line : sensors) {
      known |= line.sensor == o.sensor &&
               (line.forward_name == o.direction || line.backward_name == o.direction);
    }
    if (!known) {
      throw std::invalid_argument("observed counts of sensor '" + o.sensor + "' direction '" +
                                  o.direction + "' have no counting line in the observation set");
    }
    if (std::abs(o.interval_s - interval_s) > 1e-9) {
      throw std::invalid_argument("observed counts of sensor '" + o.sensor + "' are per " +
                                  std::to_string(o.interval_s) + " s, the sensors count per " +
                                  std::to_string(interval_s) + " s; make them the same");
    }
    for (std::size_t i = 0; i < o.counts.size(); ++i) {
      if (std::isnan(o.counts[i])) continue;
      const double slot = (o.intervalBegin(i) - begin_s) / interval_s;
      if (slot < -1e-6 || std::abs(slot - std::round(slot)) > 1e-6) {
        throw std::invalid_argument(
            "observed counts of sensor '" + o.sensor +
            "' are not on the simulation's interval grid from its begin time; check the times");
      }
      out.push_back({s, static_cast<std::size_t>(std::round(slot)), o.counts[i]});
    }
  }
  return out;
}

// The simulated value for each observation, from series named like the observed ones.
std::vector<double> simulatedValues(const std::vector<CountSeries>& simulated,
                                    const std::vector<CountSeries>& observed,
                                    const std::vector<Observation>& observations) {
  std::vector<double> v;
  v.reserve(observations.size());
  for (const auto& o : observations) {
    const CountSeries& want = observed[o.series];
    const CountSeries* s = findSeries(simulated, want.sensor, want.direction);
    v.push_back(s && o.interval < s->counts.size() ? s->counts[o.interval] : 0.0);
  }
  return v;
}

TrafficScenario scaled(const TrafficScenario& scenario, const std::vector<double>& factors) {
  TrafficScenario s = scenario;
  for (std::size_t k = 0; k < s.od.size(); ++k) s.od[k].trips *= factors[k];
  s.gtfs_dir.clear();
  return s;
}

}  // namespace

std::vector<CountSeries> simulateTrafficCounts(const traffic::Network& net,
                                               const TrafficScenario& scenario,
                                               const std::vector<CountingLine>& sensors,
                                               double interval_s, int threads) {
  const traffic::Demand demand = traffic::demandFromOd(net, scenario, threads);
  traffic::TrafficSimulation sim(net, demand, scenario.config, threads);
  LineCounter counter(sensors, scenario.config.begin_s, interval_s);
  TrafficSensors sensors_on_road(demand.trips.size(), counter);
  sensors_on_road.observe(sim);
  while (!sim.finished()) {
    sim.step();
    sensors_on_road.observe(sim);
  }
  return counter.allSeries(scenario.config.end_s);
}

std::vector<CountingLine> linesAcrossBusiestRoads(
    const traffic::Network& net, const std::vector<traffic::EdgeAggregate>& aggregates,
    std::size_t count) {
  std::vector<double> entered(net.edges.size(), 0.0);
  for (const auto& a : aggregates) entered[a.edge] += a.entered;
  // A two-way road is two edges between the same junctions: count it once.
  std::vector<std::size_t> order(net.edges.size());
  for (std::size_t e = 0; e < order.size(); ++e) order[e] = e;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return entered[a] > entered[b]; });
  std::vector<CountingLine> lines;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> taken;
  for (std::size_t e : order) {
    if (lines.size() >= count || entered[e] <= 0.0) break;
    const auto& edge = net.edges[e];
    const std::pair<std::uint32_t, std::uint32_t> key{std::min(edge.from, edge.to),
                                                      std::max(edge.from, edge.to)};
    if (std::find(taken.begin(), taken.end(), key) != taken.end()) continue;
    if (edge.length < 20.0f) continue;  // a junction stub: the line would touch other roads
    taken.push_back(key);
    const auto& lane = net.lanes[edge.first_lane];
    double heading = 0.0;
    const geodata::Vec2 mid = net.pointOnShape(lane.shape_begin, lane.shape_end, 0.5, &heading);
    const double half = 3.5 * edge.lane_count + 4.0;
    const double nx = -std::sin(heading), ny = std::cos(heading);  // left of the direction
    CountingLine line;
    line.sensor = edge.name.empty() ? edge.id : edge.name + " (" + edge.id + ")";
    // From left to right of the driving direction: crossing it while driving is "forward".
    line.a = {mid.x + nx * half, mid.y + ny * half};
    line.b = {mid.x - nx * half, mid.y - ny * half};
    line.forward_name = "forward";
    line.backward_name = "backward";
    lines.push_back(line);
  }
  return lines;
}

std::vector<double> fitScalingFactors(const std::vector<std::vector<double>>& a,
                                      const std::vector<double>& y, const std::vector<double>& w,
                                      double lo, double hi, double prior_weight) {
  const std::size_t groups = a.size(), n = y.size();
  std::vector<double> f(groups, 1.0);
  std::vector<double> prediction(n, 0.0);
  for (std::size_t g = 0; g < groups; ++g) {
    for (std::size_t i = 0; i < n; ++i) prediction[i] += a[g][i] * f[g];
  }
  for (int sweep = 0; sweep < 500; ++sweep) {
    double change = 0.0;
    for (std::size_t g = 0; g < groups; ++g) {
      double numerator = 0.0, denominator = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (a[g][i] == 0.0) continue;
        const double others = prediction[i] - a[g][i] * f[g];
        numerator += w[i] * a[g][i] * (y[i] - others);
        denominator += w[i] * a[g][i] * a[g][i];
      }
      if (denominator <= 0.0) continue;
      // The prior: prior_weight * information * (f - 1)^2 added to the objective.
      const double prior = prior_weight * denominator;
      const double next = std::clamp((numerator + prior * 1.0) / (denominator + prior), lo, hi);
      const double delta = next - f[g];
      if (delta == 0.0) continue;
      for (std::size_t i = 0; i < n; ++i) prediction[i] += a[g][i] * delta;
      f[g] = next;
      change = std::max(change, std::abs(delta));
    }
    if (change < 1e-7) break;
  }
  return f;
}

OdCalibration calibrateOdMatrix(const traffic::Network& net, const TrafficScenario& scenario,
                                const std::vector<CountingLine>& sensors, double interval_s,
                                const std::vector<CountSeries>& observed,
                                const OdCalibrationOptions& options,
                                const std::function<void(const std::string&, double)>& progress,
                                const std::atomic<bool>* cancel) {
  if (scenario.od.empty()) {
    throw std::invalid_argument("the scenario has no OD matrix to calibrate");
  }
  const auto report = [&](const std::string& stage, double f) {
    if (progress) progress(stage, f);
  };
  const auto cancelled = [&] { return cancel != nullptr && cancel->load(); };
  const auto observations =
      alignObservations(observed, sensors, scenario.config.begin_s, interval_s);
  if (observations.empty()) throw std::invalid_argument("no observed counts to calibrate on");
  std::vector<double> y, w;
  for (const auto& o : observations) {
    y.push_back(o.value);
    w.push_back(1.0 / std::max(o.value, 5.0));
  }

  const std::size_t groups = scenario.od.size();
  const double total_runs =
      static_cast<double>(groups * static_cast<std::size_t>(std::max(1, options.replications)) + 2);
  OdCalibration result;
  const std::vector<double> ones(groups, 1.0);
  report("simulating the demand as it is", 0.0);
  result.simulated_before =
      simulateTrafficCounts(net, scaled(scenario, ones), sensors, interval_s, options.threads);
  ++result.simulations;
  result.before = compareCounts(result.simulated_before, observed);

  // What each OD entry contributes on its own. Each entry keeps its own seed stream (it is
  // drawn by its index), so it is simulated as the entry of the full matrix it is.
  std::vector<std::vector<double>> contributions(groups);
  for (std::size_t g = 0; g < groups && !cancelled(); ++g) {
    report("simulating OD entry " + std::to_string(g + 1) + " of " + std::to_string(groups),
           static_cast<double>(result.simulations) / total_runs);
    std::vector<double> only(groups, 0.0);
    only[g] = 1.0;
    TrafficScenario alone = scaled(scenario, only);
    const int replications = std::max(1, options.replications);
    contributions[g].assign(observations.size(), 0.0);
    for (int r = 0; r < replications; ++r) {
      alone.config.seed = scenario.config.seed + static_cast<std::uint64_t>(r);
      const auto counts = simulateTrafficCounts(net, alone, sensors, interval_s, options.threads);
      ++result.simulations;
      const auto values = simulatedValues(counts, observed, observations);
      for (std::size_t i = 0; i < values.size(); ++i) {
        contributions[g][i] += values[i] / replications;
      }
    }
  }
  if (cancelled()) throw std::runtime_error("calibration cancelled");

  result.factors = fitScalingFactors(contributions, y, w, options.min_factor, options.max_factor,
                                     options.prior_weight);
  result.observable.resize(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    result.observable[g] = std::any_of(contributions[g].begin(), contributions[g].end(),
                                       [](double c) { return c > 0.0; });
  }
  report("simulating the calibrated demand", (total_runs - 1) / total_runs);
  result.simulated_after = simulateTrafficCounts(net, scaled(scenario, result.factors), sensors,
                                                 interval_s, options.threads);
  ++result.simulations;
  result.after = compareCounts(result.simulated_after, observed);
  report("done", 1.0);
  return result;
}

}  // namespace citytwin::engine::mobility
