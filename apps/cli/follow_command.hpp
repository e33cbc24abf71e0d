#pragma once
#include <string>
#include <vector>

namespace citytwin::cli {

struct FollowOptions {
  std::string broker = "localhost:1883";  ///< host:port
  std::vector<std::string> topics;
  /// Topics carrying GTFS Realtime FeedMessages (vehicle positions); they need `scenario`.
  std::vector<std::string> gtfs_rt_topics;
  /// The scenario whose city the vehicles are placed in (its local frame).
  std::string scenario;
  std::string client_id;
  std::string out_dir;
  double duration_s = 0.0;  ///< 0: until interrupted (Ctrl+C)
  double write_every_s = 10.0;
  int min_group_size = 5;
  bool quiet = false;
};

/// `citytwin follow`: subscribes to SensorThings observation topics on an MQTT broker and keeps
/// live_counts.csv (counts per datastream and interval, below k withheld) and follow.log up to
/// date in --out; with GTFS Realtime topics also live_vehicles.csv (each vehicle's latest
/// position in the city's frame, ids pseudonymised at the door). The feed reconnects by itself.
/// Ends after --duration or on Ctrl+C.
int runFollow(const FollowOptions& options);

}  // namespace citytwin::cli
