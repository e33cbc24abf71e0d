#pragma once
// Live observations as OGC SensorThings API publishes them over MQTT: one JSON Observation per
// message on `.../Datastreams(ID)/Observations`, e.g.
//   {"@iot.id": 981, "phenomenonTime": "2024-06-01T14:00:00Z/2024-06-01T14:01:00Z",
//    "result": 42}
// and the store the engine reads them from: counts per datastream and interval, and "now",
// the newest time the feed has reported.
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"

namespace citytwin::engine::mobility {

struct LiveObservation {
  std::string datastream;  ///< the Datastream's id (a sensor and direction, not a person)
  std::string id;          ///< the Observation's @iot.id ("" when it has none)
  double begin_s = 0.0;    ///< Unix seconds; an instant has begin == end
  double end_s = 0.0;
  double result = 0.0;
};

/// Parses one message. On failure returns nothing and says why in `reason` (never quoting the
/// payload, which may hold anything). The datastream comes from the topic
/// (`Datastreams(7)/Observations`) or, failing that, from a "Datastream": {"@iot.id": 7} member.
std::optional<LiveObservation> parseSensorThingsObservation(std::string_view topic,
                                                            std::string_view payload,
                                                            std::string& reason);

/// A history of Observations as the SensorThings API returns them ({"value": [...]}, or a plain
/// list), each with "Datastream": {"@iot.id": ...}: counts per datastream (direction "both")
/// and interval. Throws std::runtime_error naming the file and the Observation that is wrong.
std::vector<CountSeries> readSensorThingsObservations(const std::string& path);

/// Thread-safe: the feed's thread adds, the engine's reads. Counts go into intervals of the
/// observation's own length per datastream; a repeated @iot.id (an MQTT redelivery after a
/// reconnect) is counted once.
class LiveCountStore {
 public:
  /// Counts of instants (begin == end) go into intervals of this length.
  explicit LiveCountStore(double instant_interval_s = 60.0);

  /// False when the observation repeats one already held (same datastream and @iot.id).
  bool add(const LiveObservation& observation);
  /// The feed's "now": the end of the newest observation (NaN before the first).
  double now() const;
  std::size_t observations() const;
  std::size_t duplicates() const;
  /// Every datastream's counts so far, in order of first appearance; intervals nothing was
  /// reported for are NaN.
  std::vector<CountSeries> series() const;

 private:
  struct Stream {
    std::string name;
    double origin_s = 0.0, interval_s = 0.0;
    std::map<long long, double> counts;  ///< interval index from origin -> count
    std::set<std::string> ids;
  };
  double instant_interval_s_;
  mutable std::mutex mutex_;
  std::vector<Stream> streams_;
  std::map<std::string, std::size_t, std::less<>> stream_index_;
  double now_s_;
  std::size_t observations_ = 0, duplicates_ = 0;
};

}  // namespace citytwin::engine::mobility
