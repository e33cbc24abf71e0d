#include "citytwin/engine/mobility/track_formats.hpp"

#include <map>
#include <mutex>

#include "citytwin/engine/mobility/observation_set.hpp"
#include "citytwin/engine/trajectories.hpp"

namespace citytwin::engine::mobility {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::string> order;
  std::map<std::string, TrackFormatReader> readers;

  void add(const std::string& format, TrackFormatReader reader) {
    if (!readers.count(format)) order.push_back(format);
    readers[format] = std::move(reader);
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
  r.add("sumo-fcd", [](const ObservationSource& s, PrivacyGate& gate, const TrackReadContext&) {
    return readSumoFcd(s.path, gate, s.track_columns.time_offset_s);
  });
}

Registry& registry() {
  static Registry r;
  static const bool filled = (addBuiltIns(r), true);  // thread-safe once
  (void)filled;
  return r;
}

}  // namespace

void registerTrackFormat(const std::string& format, TrackFormatReader reader) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.add(format, std::move(reader));
}

const TrackFormatReader* findTrackFormat(const std::string& format) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.readers.find(format);
  // Entries are never removed, so the pointer stays valid after the lock is released.
  return it == r.readers.end() ? nullptr : &it->second;
}

std::vector<std::string> trackFormatNames() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return r.order;
}

}  // namespace citytwin::engine::mobility
