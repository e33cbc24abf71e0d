#include "citytwin/engine/mobility/observation_replay.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/live_observation.hpp"
#include "citytwin/engine/mobility/track_formats.hpp"
#include "citytwin/engine/mobility/track_replay.hpp"

namespace citytwin::engine::mobility {
namespace {

TrackTable readTracks(const ObservationSet& set, const ObservationSource& source,
                      PrivacyGate& gate) {
  const TrackFormatReader* reader = findTrackFormat(source.format);
  if (reader == nullptr) {
    throw std::runtime_error("source '" + source.name + "': no reader for the format '" +
                             source.format + "' (is its plugin loaded?)");
  }
  TrackReadContext context;
  if (set.frame) context.frame = &*set.frame;
  return (*reader)(source, gate, context);
}

void deleteExpiredCounts(std::vector<CountSeries>& series, double retention_s, double now_s,
                         SourceReport& report) {
  for (CountSeries& s : series) {
    for (std::size_t i = 0; i < s.counts.size(); ++i) {
      if (now_s - s.intervalBegin(i) > retention_s && !std::isnan(s.counts[i])) {
        s.counts[i] = std::numeric_limits<double>::quiet_NaN();
        ++report.expired;
      }
    }
  }
}

}  // namespace

ObservationReplay replayObservations(
    const ObservationSet& set, PrivacyGate& gate, double step_s, double now_s,
    const std::function<void(const std::string&, double)>& progress) {
  const auto report = [&](const std::string& stage, double f) {
    if (progress) progress(stage, f);
  };
  ObservationReplay out;
  const std::size_t n = set.sources.size();
  for (std::size_t k = 0; k < n; ++k) {
    const ObservationSource& source = set.sources[k];
    report("reading " + source.name, 0.5 * static_cast<double>(k) / static_cast<double>(n));
    SourceReport r;
    r.name = source.name;
    const double retention = retentionOf(source, set.privacy);
    if (source.kind == ObservationSource::Kind::kCounts) {
      auto series = source.format == "sensorthings"
                        ? readSensorThingsObservations(source.path)
                        : readCountCsv(source.path, source.count_columns);
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const auto& s : series) {
        lo = std::min(lo, s.begin_s);
        hi = std::max(hi, s.intervalBegin(s.counts.size()));
        for (double c : s.counts) r.records += std::isnan(c) ? 0 : 1;
      }
      r.begin_s = lo;
      r.end_s = hi;
      r.dated = isDated(lo);
      if (r.dated) deleteExpiredCounts(series, retention, now_s, r);
      r.records -= r.expired;
      for (auto& s : series) out.observed_counts.push_back(std::move(s));
    } else {
      TrackTable table = readTracks(set, source, gate);
      const std::size_t read = table.size();
      if (read > 0) {
        const auto [lo, hi] = std::minmax_element(table.time.begin(), table.time.end());
        r.begin_s = *lo;
        r.end_s = *hi;
      }
      r.dated = isDated(r.begin_s);
      if (r.dated) {
        PrivacyPolicy policy = set.privacy;
        policy.retention_s = retention;
        r.expired = deleteExpired(table, PrivacyGate(policy), now_s);
      }
      r.records = table.size();
      r.tracks = table.track_count;
      // Shift this source's track numbers after the earlier sources'.
      const std::uint32_t first = out.tracks.track_count;
      for (std::size_t i = 0; i < table.size(); ++i) {
        out.tracks.push(first + table.track[i], table.time[i], table.x[i], table.y[i]);
      }
      out.tracks.track_count += table.track_count;
      out.track_modes.insert(out.track_modes.end(), table.track_count, source.mode);
    }
    out.log.push_back(
        "source '" + r.name + "': " + std::to_string(r.records) + " records" +
        (r.tracks ? ", " + std::to_string(r.tracks) + " pseudonymous tracks" : "") +
        (r.expired ? ", " + std::to_string(r.expired) + " deleted as older than the retention limit"
                   : "") +
        (r.dated ? "" : " (times without a date: retention not applicable)"));
    out.sources.push_back(r);
  }

  if (out.tracks.size() > 0) {
    TrackReplay replay(out.tracks);
    const double begin = replay.beginTime(), end = replay.endTime();
    const double count_from =
        std::isnan(set.begin_s) ? std::floor(begin / set.interval_s) * set.interval_s : set.begin_s;
    // Sensors count in intervals from `count_from`: more than a million empty ones before the
    // data is a 'begin' on another clock (time of day against dated data, say).
    if ((end - count_from) / set.interval_s > 1.0e6) {
      throw std::runtime_error("the trajectories run from " + std::to_string(begin) + " s to " +
                               std::to_string(end) + " s, more than a million " +
                               "counting intervals after 'begin' (" + std::to_string(count_from) +
                               " s); leave 'begin' out to start at the data, or give it on "
                               "the data's clock");
    }
    LineCounter counter(set.sensors, count_from, set.interval_s);
    const double steps = std::max(1.0, std::ceil((end - begin) / step_s));
    for (double i = 0; i <= steps; ++i) {
      replay.advanceTo(std::min(end, begin + i * step_s), &counter);
      if (static_cast<long long>(i) % 1000 == 0) report("replaying", 0.5 + 0.5 * i / steps);
    }
    out.sensor_counts = counter.allSeries(end);
    out.log.push_back("replayed " + std::to_string(out.tracks.track_count) + " tracks from " +
                      std::to_string(begin) + " s to " + std::to_string(end) + " s past " +
                      std::to_string(set.sensors.size()) + " virtual sensors in steps of " +
                      std::to_string(step_s) + " s");
  }
  report("done", 1.0);
  return out;
}

}  // namespace citytwin::engine::mobility
