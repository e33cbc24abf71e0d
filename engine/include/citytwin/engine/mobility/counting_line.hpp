#pragma once
// Virtual sensors: counting lines that count what crosses them per interval and direction,
// for replayed observations and for simulated agents alike, so that the two compare like for
// like with the real sensor they stand for.
#include <cstddef>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"

namespace citytwin::engine::mobility {

struct LinePoint {
  double x = 0.0, y = 0.0;  ///< local metres
};

/// A counting line from `a` to `b`. Crossing it from its left to its right (looking from a to
/// b) counts as `forward_name`, the other way as `backward_name`.
struct CountingLine {
  std::string sensor;
  LinePoint a, b;
  std::string forward_name = "forward";
  std::string backward_name = "backward";
};

enum class CrossingDirection { kForward, kBackward };

class LineCounter {
 public:
  /// Counts in intervals of `interval_s` from `begin_s`; crossings before it are not counted.
  LineCounter(std::vector<CountingLine> lines, double begin_s, double interval_s);

  /// One mover going straight from (x0, y0) at t0 to (x1, y1) at t1: each line it crosses
  /// counts one at the interpolated crossing time. A point exactly on a line counts as being on
  /// its right, so that a mover stopping on the line and going on counts once.
  void observeMove(double t0, double x0, double y0, double t1, double x1, double y1);

  std::size_t lineCount() const { return lines_.size(); }
  const CountingLine& line(std::size_t i) const { return lines_[i]; }
  /// The counts of one line and direction; intervals up to the last one reached (`until_s`)
  /// are 0 where nothing crossed.
  CountSeries series(std::size_t line, CrossingDirection direction, double until_s) const;
  /// Both directions of every line.
  std::vector<CountSeries> allSeries(double until_s) const;
  void clear();

 private:
  std::vector<CountingLine> lines_;
  double begin_s_;
  double interval_s_;
  // [line * 2 + direction][interval]
  std::vector<std::vector<double>> counts_;
};

}  // namespace citytwin::engine::mobility
