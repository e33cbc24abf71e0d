#include "citytwin/engine/mobility/track_formats.hpp"

#include <map>
#include <mutex>

#include "citytwin/engine/mobility/observation_set.hpp"
#include "citytwin/engine/trajectories.hpp"

namespace citytwin::engine::mobility {
namespace {

struct Format {
  TrackFormatReader read;
  TrackMode mode = TrackMode::kPedestrian;
};

struct Registry {
  std::mutex mutex;
  std::vector<std::string> order;
  std::map<std::string, Format> formats;

  void add(const std::string& format, TrackFormatReader reader,
           TrackMode mode = TrackMode::kPedestrian) {
    if (!formats.count(format)) order.push_back(format);
    formats[format] = {std::move(reader), mode};
  }
};

void addBuiltIns(Registry& r) {
  r.add("csv", [](const ObservationSource& s, PrivacyGate& gate, const TrackReadContext&) {
    return readTrackCsv(s.path, s.track_columns, gate);
  });
  r.add("juelich", [](const ObservationSource& s, PrivacyGate& gate, const TrackReadContext&) {
    const auto raw =
        readJuelichTrajectories(s.path, s.frames_per_second, s.track_columns.unit_to_m);
    return tracksFromTrajectories(raw, gate, s.track_columns.time_offset_s);
  });
  r.add(
      "sumo-fcd",
      [](const ObservationSource& s, PrivacyGate& gate, const TrackReadContext&) {
        return readSumoFcd(s.path, gate, s.track_columns.time_offset_s);
      },
      TrackMode::kCar);
}

Registry& registry() {
  static Registry r;
  static const bool filled = (addBuiltIns(r), true);  // thread-safe once
  (void)filled;
  return r;
}

}  // namespace

void registerTrackFormat(const std::string& format, TrackFormatReader reader,
                         TrackMode default_mode) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.add(format, std::move(reader), default_mode);
}

const TrackFormatReader* findTrackFormat(const std::string& format) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.formats.find(format);
  // Entries are never removed, so the pointer stays valid after the lock is released.
  return it == r.formats.end() ? nullptr : &it->second.read;
}

TrackMode trackFormatMode(const std::string& format) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.formats.find(format);
  return it == r.formats.end() ? TrackMode::kPedestrian : it->second.mode;
}

std::vector<std::string> trackFormatNames() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return r.order;
}

}  // namespace citytwin::engine::mobility
