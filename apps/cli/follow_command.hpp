#pragma once
#include <string>
#include <vector>

namespace citytwin::cli {

struct FollowOptions {
  std::string broker = "localhost:1883";  ///< host:port
  std::vector<std::string> topics;
  std::string client_id;
  std::string out_dir;
  double duration_s = 0.0;  ///< 0: until interrupted (Ctrl+C)
  double write_every_s = 10.0;
  int min_group_size = 5;
  bool quiet = false;
};

/// `citytwin follow`: subscribes to SensorThings observation topics on an MQTT broker and keeps
/// live_counts.csv (counts per datastream and interval, below k withheld) and follow.log up to
/// date in --out; the feed reconnects by itself. Ends after --duration or on Ctrl+C.
int runFollow(const FollowOptions& options);

}  // namespace citytwin::cli
