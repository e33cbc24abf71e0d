#pragma once
#include <string>

namespace citytwin::cli {

struct ReplayOptions {
  std::string observations;  ///< the observation set (YAML)
  std::string out_dir;
  /// A scenario whose city places the set (sensors in another CRS, GTFS Realtime positions);
  /// empty: the set's coordinates are local ones.
  std::string scenario;
  double step_s = 0.1;  ///< replay clock step
  bool force = false;
  bool quiet = false;
};

/// `citytwin replay OBSERVATIONS --out DIR`: plays measured data through the privacy stage and
/// the virtual sensors; writes observed_counts.csv, sensor_counts.csv (counts below the
/// minimum group size withheld), tracks.csv when the set exports tracks, replay.log and
/// summary.json with the data register, the privacy policy and the provenance.
int runReplay(const ReplayOptions& options);

}  // namespace citytwin::cli
