#pragma once
// Replays an observation set headless: every source through the privacy stage, records past
// their retention deleted, trajectories played in the engine's clock past the virtual sensors.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/observation_set.hpp"
#include "citytwin/engine/mobility/tracks.hpp"

namespace citytwin::engine::mobility {

struct SourceReport {
  std::string name;
  std::size_t records = 0;         ///< rows or samples kept
  std::size_t tracks = 0;          ///< trajectories: distinct pseudonymous tracks
  std::size_t coarsened_away = 0;  ///< samples merged by the time resolution
  std::size_t expired = 0;         ///< records deleted for being past their retention
  bool dated = false;              ///< times carry a date, so retention could be judged
  double begin_s = 0.0, end_s = 0.0;
};

struct ObservationReplay {
  std::vector<CountSeries> observed_counts;  ///< from count sources
  std::vector<CountSeries> sensor_counts;    ///< the virtual sensors on the trajectories
  std::vector<SourceReport> sources;
  TrackTable tracks;  ///< all trajectory sources, track numbers made distinct across them
  std::vector<TrackMode> track_modes;  ///< per track: its source's mode
  std::vector<std::string> log;        ///< what was done, for the run's log (never an identifier)
};

/// Replays `set` in steps of `step_s` seconds. `now_s` (Unix seconds) is what retention is
/// measured against for dated records. `progress(stage, fraction)` is called now and then.
ObservationReplay replayObservations(
    const ObservationSet& set, PrivacyGate& gate, double step_s, double now_s,
    const std::function<void(const std::string&, double)>& progress = {});

}  // namespace citytwin::engine::mobility
