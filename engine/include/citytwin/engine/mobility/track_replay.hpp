#pragma once
// Plays observed tracks in the engine's clock: where everyone is at any moment (interpolated
// between samples), and what crosses the virtual sensors as time moves on. Seeking jumps
// without counting, so the counts are always those of the time actually played.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "citytwin/engine/mobility/tracks.hpp"

namespace citytwin::engine::mobility {

class LineCounter;

struct ReplayedPosition {
  std::uint32_t track = 0;
  float x = 0.0f, y = 0.0f;
  float vx = 0.0f, vy = 0.0f;  ///< m/s along the move under way (0 at a lone sample)
};

class TrackReplay {
 public:
  explicit TrackReplay(TrackTable table);

  double beginTime() const { return begin_; }
  double endTime() const { return end_; }
  double now() const { return now_; }
  std::uint32_t trackCount() const { return table_.track_count; }

  /// The tracks present at `time_s` (between their first and last sample), in track order.
  void positionsAt(double time_s, std::vector<ReplayedPosition>& out) const;
  /// Plays on to `time_s` (>= now): every move between two samples that ends in (now, time_s]
  /// passes `counter`'s lines (when given). Moving backwards is a seek.
  void advanceTo(double time_s, LineCounter* counter);
  /// Jumps to `time_s` without counting anything.
  void seek(double time_s);

 private:
  TrackTable table_;
  std::vector<std::size_t> track_first_;   ///< sample index where each track starts (+ end)
  std::vector<std::size_t> moves_by_end_;  ///< sample indices k (move k-1 -> k) by time[k]
  std::size_t cursor_ = 0;                 ///< next entry of moves_by_end_ to play
  double begin_ = 0.0, end_ = 0.0, now_ = 0.0;
};

/// Maps the engine's clock onto the data's: speed x1 - x1000, a start offset, and looping.
struct ReplayClock {
  double data_begin_s = 0.0;
  double data_end_s = 0.0;
  double speed = 1.0;
  bool loop = false;

  /// The data time after `elapsed_s` of engine time; without loop it stops at the end.
  double dataTime(double elapsed_s) const;
  /// How many times playback has wrapped round after `elapsed_s` (0 without loop).
  long long laps(double elapsed_s) const;
};

}  // namespace citytwin::engine::mobility
