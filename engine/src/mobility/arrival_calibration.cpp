#include "citytwin/engine/mobility/arrival_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/crowd/distance_field_set.hpp"
#include "citytwin/engine/mobility/crowd_sensors.hpp"

namespace citytwin::engine::mobility {
namespace {

geodata::Vec2 centreOf(const geodata::MultiPolygon2& area) {
  double x = 0.0, y = 0.0;
  std::size_t n = 0;
  for (const auto& polygon : area) {
    if (polygon.empty()) continue;
    for (const auto& p : polygon.front()) {
      x += p.x;
      y += p.y;
      ++n;
    }
  }
  return n ? geodata::Vec2{x / static_cast<double>(n), y / static_cast<double>(n)}
           : geodata::Vec2{};
}

double distanceToLine(geodata::Vec2 p, const CountingLine& line) {
  return geodata::distanceToSegment(p, {line.a.x, line.a.y}, {line.b.x, line.b.y});
}

// The source's rate in each of `intervals` intervals of `interval_s` from 0.
std::vector<double> ratesOnGrid(const crowd::Source& s, double interval_s, std::size_t intervals) {
  std::vector<double> rates(intervals);
  for (std::size_t k = 0; k < intervals; ++k) {
    const double t0 = static_cast<double>(k) * interval_s;
    rates[k] =
        (crowd::arrivalsUntil(s, t0 + interval_s) - crowd::arrivalsUntil(s, t0)) / interval_s;
  }
  return rates;
}

void applyRates(crowd::Source& s, const std::vector<double>& rates, double interval_s) {
  s.profile.clear();
  double total = 0.0;
  for (std::size_t k = 0; k < rates.size(); ++k) {
    s.profile.push_back({static_cast<double>(k) * interval_s, rates[k]});
    total += rates[k] * interval_s;
  }
  s.profile.push_back({static_cast<double>(rates.size()) * interval_s, 0.0});
  s.agents = static_cast<std::uint32_t>(std::llround(total));
}

// The walk from each source to its line along the route to its first stage (the distance
// fields' walking cost), rather than as the crow flies: streets go round buildings.
void routeLags(const crowd::CrowdScenario& scenario, const std::vector<CountingLine>& sensors,
               const std::vector<CountSeries>& observed, double speed, int threads,
               std::vector<SourceSensorMatch>& matches) {
  const crowd::DistanceFieldSet routing(scenario, threads);
  for (auto& m : matches) {
    const crowd::Source& source = scenario.sources[m.source];
    const auto& stages = scenario.journeys.at(source.journey).stages;
    if (stages.empty()) continue;
    const crowd::DistanceField& field = routing.field(stages.front());
    // The mean walk from where people appear: the area's centre and corners that are walkable.
    const geodata::Vec2 c = centreOf(source.area);
    double from_sum = 0.0;
    int from_n = 0;
    const auto add = [&](geodata::Vec2 p) {
      const float cost = field.costAt({static_cast<float>(p.x), static_cast<float>(p.y)});
      if (std::isfinite(cost)) {
        from_sum += cost;
        ++from_n;
      }
    };
    add(c);
    for (const auto& polygon : source.area)
      if (!polygon.empty())
        for (const auto& p : polygon.front()) add(p);
    const float from =
        from_n > 0 ? static_cast<float>(from_sum / from_n) : std::numeric_limits<float>::infinity();
    const CountingLine* line = nullptr;
    for (const auto& l : sensors)
      if (l.sensor == observed[m.observed].sensor) line = &l;
    if (!line || !std::isfinite(from)) continue;
    // Where the route crosses the line: its point nearest the stage.
    float to = std::numeric_limits<float>::infinity();
    const double length = std::hypot(line->b.x - line->a.x, line->b.y - line->a.y);
    const int samples = std::max(2, static_cast<int>(length / 0.5));
    for (int i = 0; i <= samples; ++i) {
      const double f = static_cast<double>(i) / samples;
      to =
          std::min(to, field.costAt({static_cast<float>(line->a.x + f * (line->b.x - line->a.x)),
                                     static_cast<float>(line->a.y + f * (line->b.y - line->a.y))}));
    }
    if (std::isfinite(to) && from > to) m.lag_s = (from - to) / speed;
  }
}

}  // namespace

std::vector<CountSeries> simulateCrowdCounts(const crowd::CrowdScenario& scenario,
                                             const std::vector<CountingLine>& sensors,
                                             double interval_s, double until_s, int threads,
                                             const std::atomic<bool>* cancel) {
  crowd::CrowdSimulation sim(scenario, threads);
  LineCounter counter(sensors, 0.0, interval_s);
  CrowdSensors on_foot(counter);
  const double end = until_s > 0.0 ? until_s : scenario.duration_s;
  on_foot.observe(sim);
  while (!sim.finished() && sim.time() < end) {
    if (cancel && *cancel) break;
    sim.step();
    on_foot.observe(sim);
  }
  return counter.allSeries(end);
}

std::vector<SourceSensorMatch> matchSourcesToSensors(const crowd::CrowdScenario& scenario,
                                                     const std::vector<CountingLine>& sensors,
                                                     const std::vector<CountSeries>& observed,
                                                     double max_distance_m, int threads) {
  const double speed =
      std::max(0.3, scenario.groups.empty() ? 1.34 : scenario.groups.front().speed.mean);
  std::vector<SourceSensorMatch> matches;
  for (std::size_t s = 0; s < scenario.sources.size(); ++s) {
    const geodata::Vec2 centre = centreOf(scenario.sources[s].area);
    double best = max_distance_m;
    std::size_t best_series = SIZE_MAX;
    for (const auto& line : sensors) {
      const double d = distanceToLine(centre, line);
      if (d > best) continue;
      // Of the line's observed directions, the busier one is the source's stream.
      std::size_t busiest = SIZE_MAX;
      for (std::size_t k = 0; k < observed.size(); ++k) {
        if (observed[k].sensor != line.sensor) continue;
        if (busiest == SIZE_MAX || observed[k].total() > observed[busiest].total()) busiest = k;
      }
      if (busiest == SIZE_MAX) continue;  // a sensor without observed counts says nothing
      best = d;
      best_series = busiest;
    }
    if (best_series == SIZE_MAX) {
      throw std::invalid_argument(
          "source '" + scenario.sources[s].name +
          "' has no counting line with observed counts "
          "within " +
          std::to_string(static_cast<int>(max_distance_m)) +
          " m; add a sensor on the street its people arrive by, or leave the source out");
    }
    matches.push_back({s, best_series, best, best / speed});  // as the crow flies, for now
  }
  routeLags(scenario, sensors, observed, speed, threads, matches);
  return matches;
}

ArrivalCalibration calibrateArrivalProfiles(
    const crowd::CrowdScenario& scenario, const std::vector<CountingLine>& sensors,
    const std::vector<CountSeries>& observed, const ArrivalCalibrationOptions& options,
    const std::function<void(const std::string&, double)>& progress,
    const std::atomic<bool>* cancel) {
  const auto report = [&](const std::string& stage, double f) {
    if (progress) progress(stage, f);
  };
  ArrivalCalibration out;
  report("routing from the sources to their sensors", 0.0);
  out.matches =
      matchSourcesToSensors(scenario, sensors, observed, options.max_distance_m, options.threads);
  // The matched series, on one interval grid from the scenario's start.
  std::vector<CountSeries> targets;
  double interval = 0.0, end = 0.0;
  for (const auto& m : out.matches) {
    const CountSeries& o = observed[m.observed];
    if (interval == 0.0) interval = o.interval_s;
    if (o.interval_s != interval) {
      throw std::invalid_argument(
          "sensor '" + o.sensor + "' counts per " + std::to_string(o.interval_s) +
          " s, another per " + std::to_string(interval) + " s; calibrate on one interval length");
    }
    if (!findSeries(targets, o.sensor, o.direction)) targets.push_back(o);
    end = std::max(end, o.intervalBegin(o.counts.size()));
  }
  if (!(interval > 0.0) || !(end > 0.0)) {
    throw std::invalid_argument("the observed counts hold no interval on the scenario's clock");
  }
  const auto intervals = static_cast<std::size_t>(std::ceil(end / interval));
  std::vector<std::vector<double>> rates(scenario.sources.size());
  for (std::size_t s = 0; s < scenario.sources.size(); ++s) {
    rates[s] = ratesOnGrid(scenario.sources[s], interval, intervals);
  }
  const double until = std::min(scenario.duration_s, end);  // the observed span

  const auto scenarioWith = [&](const std::vector<std::vector<double>>& r) {
    crowd::CrowdScenario s = scenario;
    for (std::size_t k = 0; k < s.sources.size(); ++k) applyRates(s.sources[k], r[k], interval);
    return s;
  };
  double best_rmse = std::numeric_limits<double>::infinity();
  for (int round = 0; round <= options.rounds; ++round) {
    report("simulating round " + std::to_string(round) + " of " + std::to_string(options.rounds),
           static_cast<double>(round) / (options.rounds + 1));
    const crowd::CrowdScenario candidate = scenarioWith(rates);
    const auto simulated =
        simulateCrowdCounts(candidate, sensors, interval, until, options.threads, cancel);
    if (cancel && *cancel) break;
    const CountFit fit = compareCounts(simulated, targets);
    if (round == 0) {
      out.before = fit;
      out.simulated_before = simulated;
    }
    if (fit.rmse < best_rmse) {  // keep the best round, should a later one overshoot
      best_rmse = fit.rmse;
      out.after = fit;
      out.simulated_after = simulated;
      out.calibrated = candidate;
      out.rounds = round;
    }
    if (round == options.rounds) break;
    // Each interval's rate scaled by how its people were counted a walk later, spread over the
    // intervals around the lag (a multiplicative, Richardson-Lucy style step: it converges
    // without the see-saw that matching one interval to one interval gives).
    for (const auto& m : out.matches) {
      const CountSeries& o = observed[m.observed];
      const CountSeries* sim = findSeries(simulated, o.sensor, o.direction);
      if (!sim) continue;
      const double lag = m.lag_s / interval;
      auto& r = rates[m.source];
      for (std::size_t k = 0; k < intervals; ++k) {
        double weight = 0.0, ratio = 0.0, seen_sum = 0.0;
        for (int d = static_cast<int>(std::floor(lag)) - 1; d <= static_cast<int>(lag) + 2; ++d) {
          const double w = std::max(0.0, 1.0 - std::abs(d - lag));
          if (w <= 0.0 || static_cast<long>(k) + d < 0) continue;
          const double t = (static_cast<double>(static_cast<long>(k) + d) + 0.5) * interval;
          const double seen = o.countAt(t), got = sim->countAt(t);
          if (std::isnan(seen) || std::isnan(got)) continue;
          weight += w;
          ratio += w * (seen + 0.5) / (got + 0.5);
          seen_sum += w * seen;
        }
        if (weight <= 0.0) continue;
        if (r[k] <= 0.0) {
          r[k] = seen_sum / weight / interval;  // nobody was sent, but people were seen
          continue;
        }
        r[k] *= std::clamp(ratio / weight, 1.0 / options.max_step_factor, options.max_step_factor);
      }
    }
  }
  report("done", 1.0);
  return out;
}

}  // namespace citytwin::engine::mobility
