#include "citytwin/engine/mobility/crowd_forecast.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/mobility/crowd_sensors.hpp"

namespace citytwin::engine::mobility {
namespace {

enum class Band { kExpected, kLow, kHigh };

const SensorForecast* forecastOf(const std::vector<SensorForecast>& forecasts,
                                 const CountSeries& like) {
  for (const auto& f : forecasts)
    if (f.sensor == like.sensor && f.direction == like.direction) return &f;
  return nullptr;
}

// People per second at real time `t` (Unix s) as the camera saw them (before now) or as its
// forecast expects them (from now on).
double rateAt(const CountSeries& seen, const SensorForecast& ahead, double t, double now_s,
              Band band) {
  if (t < now_s) {
    const double c = seen.countAt(t);
    return std::isnan(c) ? 0.0 : c / seen.interval_s;
  }
  const ForecastPoint* point = nullptr;
  for (const auto& p : ahead.points) {
    if (std::isnan(p.expected)) continue;
    if (p.begin_s <= t) point = &p;  // the last one at or before t (also past the horizon)
  }
  if (!point) {
    for (const auto& p : ahead.points)
      if (!std::isnan(p.expected)) return p.expected / ahead.interval_s;
    return 0.0;
  }
  const double c = band == Band::kLow    ? point->low
                   : band == Band::kHigh ? point->high
                                         : point->expected;
  return c / ahead.interval_s;
}

}  // namespace

CrowdForecast forecastCrowd(const crowd::CrowdScenario& scenario,
                            const std::vector<CountingLine>& sensors,
                            const std::vector<CountSeries>& observed,
                            const std::vector<SensorForecast>& forecasts, double now_s,
                            const CrowdForecastOptions& options,
                            const std::function<void(const std::string&, double)>& progress,
                            const std::atomic<bool>* cancel) {
  const auto report = [&](const std::string& stage, double f) {
    if (progress) progress(stage, f);
  };
  CrowdForecast out;
  out.matches =
      matchSourcesToSensors(scenario, sensors, observed, options.max_distance_m, options.threads);
  out.interval_s = observed[out.matches.front().observed].interval_s;
  for (const auto& m : out.matches) {
    if (!forecastOf(forecasts, observed[m.observed])) {
      throw std::invalid_argument("sensor '" + observed[m.observed].sensor + "' feeds source '" +
                                  scenario.sources[m.source].name +
                                  "' but has no forecast (too little dated history?)");
    }
  }
  const double interval = out.interval_s;
  // The simulation's clock: 0 is the start of the warm-up, in whole intervals before now.
  const double slot_now = std::floor(now_s / interval) * interval;
  const double start = slot_now - std::ceil(options.warmup_s / interval) * interval;
  const double end = now_s + options.horizon_s;
  const auto intervals = static_cast<std::size_t>(std::ceil((end - start) / interval));
  for (const auto& z : scenario.zones) out.zones.push_back(z.name);
  for (const auto& line : sensors) {
    out.sensors.push_back(line.sensor + " " + line.forward_name);
    out.sensors.push_back(line.sensor + " " + line.backward_name);
  }
  const std::size_t first_ahead =
      static_cast<std::size_t>(std::llround((slot_now - start) / interval));
  const std::size_t ahead = intervals - first_ahead;
  out.zone_density.assign(out.zones.size(), std::vector<BandPoint>(ahead));
  out.sensor_counts.assign(out.sensors.size(), std::vector<BandPoint>(ahead));

  int run = 0;
  for (Band band : {Band::kExpected, Band::kLow, Band::kHigh}) {
    report(band == Band::kExpected ? "simulating the expected arrivals"
           : band == Band::kLow    ? "simulating the band's low end"
                                   : "simulating the band's high end",
           run / 3.0);
    crowd::CrowdScenario s = scenario;
    s.duration_s = end - start;
    for (const auto& m : out.matches) {
      const CountSeries& seen = observed[m.observed];
      const SensorForecast& f = *forecastOf(forecasts, seen);
      crowd::Source& source = s.sources[m.source];
      source.profile.clear();
      double total = 0.0;
      for (std::size_t k = 0; k < intervals; ++k) {
        // People leaving the source in this interval reach the camera a walk later.
        const double t = start + (static_cast<double>(k) + 0.5) * interval + m.lag_s;
        const double rate = rateAt(seen, f, t, now_s, band);
        source.profile.push_back({static_cast<double>(k) * interval, rate});
        total += rate * interval;
      }
      source.agents = static_cast<std::uint32_t>(std::llround(total));
    }
    crowd::CrowdSimulation sim(s, options.threads);
    LineCounter counter(sensors, start, interval);
    CrowdSensors on_foot(counter, start);
    on_foot.observe(sim);
    std::vector<double> density_sum(out.zones.size() * intervals, 0.0);
    std::vector<int> density_n(intervals, 0);
    std::size_t seen_samples = 0;
    while (!sim.finished() && sim.time() < s.duration_s) {
      if (cancel && *cancel) return out;
      sim.step();
      on_foot.observe(sim);
      if (band == Band::kExpected && out.people_at_now == 0 && start + sim.time() >= now_s)
        out.people_at_now = sim.agentCount();
      for (; seen_samples < sim.samples().size(); ++seen_samples) {
        const auto& sample = sim.samples()[seen_samples];
        const auto k = static_cast<std::size_t>(sample.time_s / interval);
        if (k >= intervals) continue;
        ++density_n[k];
        for (std::size_t z = 0; z < out.zones.size(); ++z)
          density_sum[z * intervals + k] += sample.zone_density[z];
      }
    }
    const auto counts = counter.allSeries(end);
    for (std::size_t k = first_ahead; k < intervals; ++k) {
      const std::size_t a = k - first_ahead;
      const double begin = start + static_cast<double>(k) * interval;
      for (std::size_t z = 0; z < out.zones.size(); ++z) {
        BandPoint& p = out.zone_density[z][a];
        p.begin_s = begin;
        const double v = density_n[k] ? density_sum[z * intervals + k] / density_n[k] : 0.0;
        (band == Band::kExpected ? p.expected : band == Band::kLow ? p.low : p.high) = v;
      }
      for (std::size_t c = 0; c < counts.size() && c < out.sensors.size(); ++c) {
        BandPoint& p = out.sensor_counts[c][a];
        p.begin_s = begin;
        const double v = counts[c].countAt(begin + 0.5 * interval);
        (band == Band::kExpected ? p.expected
         : band == Band::kLow    ? p.low
                                 : p.high) = std::isnan(v) ? 0.0 : v;
      }
    }
    ++run;
  }
  report("done", 1.0);
  return out;
}

std::vector<Alert> evaluateZoneAlerts(const CrowdForecast& forecast,
                                      const std::vector<AlertRule>& rules,
                                      const ForecastOptions& options) {
  std::vector<Alert> alerts;
  for (const AlertRule& rule : rules) {
    if (rule.zone.empty()) continue;
    for (std::size_t z = 0; z < forecast.zones.size(); ++z) {
      if (forecast.zones[z] != rule.zone) continue;
      for (const BandPoint& p : forecast.zone_density[z]) {
        auto a = alertFor(rule, p.begin_s, p.expected, p.high, options.utc_offset_s);
        if (!a) continue;
        a->zone = rule.zone;
        char basis[320];
        std::snprintf(basis, sizeof basis,
                      "mean density in zone %s simulated with the scenario from the arrivals its "
                      "%zu camera(s) measured and their history forecast (high end of the band: "
                      "%.3f people/m2); advice only: a person decides",
                      rule.zone.c_str(), forecast.matches.size(), p.high);
        a->basis = basis;
        alerts.push_back(std::move(*a));
      }
    }
  }
  return alerts;
}

}  // namespace citytwin::engine::mobility
