#include "citytwin/engine/mobility/counting_line.hpp"

#include <cmath>
#include <stdexcept>

namespace citytwin::engine::mobility {
namespace {

// > 0: p is left of a->b; <= 0: on it or right of it.
double side(const CountingLine& line, double x, double y) {
  return (line.b.x - line.a.x) * (y - line.a.y) - (line.b.y - line.a.y) * (x - line.a.x);
}

}  // namespace

LineCounter::LineCounter(std::vector<CountingLine> lines, double begin_s, double interval_s)
    : lines_(std::move(lines)), begin_s_(begin_s), interval_s_(interval_s) {
  if (!(interval_s_ > 0.0)) {
    throw std::invalid_argument("counting interval must be a positive number of seconds");
  }
  for (const CountingLine& line : lines_) {
    if (line.a.x == line.b.x && line.a.y == line.b.y) {
      throw std::invalid_argument("counting line of sensor '" + line.sensor +
                                  "' has both ends at the same point; give it a length");
    }
  }
  counts_.resize(lines_.size() * 2);
}

void LineCounter::observeMove(double t0, double x0, double y0, double t1, double x1, double y1) {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const CountingLine& line = lines_[i];
    const double s0 = side(line, x0, y0);
    const double s1 = side(line, x1, y1);
    const bool left0 = s0 > 0.0, left1 = s1 > 0.0;
    if (left0 == left1) continue;
    // Where the move meets the line's infinite extension, as a fraction of the move...
    const double u = s0 / (s0 - s1);
    const double cx = x0 + u * (x1 - x0), cy = y0 + u * (y1 - y0);
    // ...and whether that point lies on the segment a-b.
    const double dx = line.b.x - line.a.x, dy = line.b.y - line.a.y;
    const double w = ((cx - line.a.x) * dx + (cy - line.a.y) * dy) / (dx * dx + dy * dy);
    if (w < 0.0 || w > 1.0) continue;
    const double t = t0 + u * (t1 - t0);
    if (t < begin_s_) continue;
    const auto interval = static_cast<std::size_t>(std::floor((t - begin_s_) / interval_s_));
    auto& bins = counts_[i * 2 + (left0 ? 0 : 1)];
    if (bins.size() <= interval) bins.resize(interval + 1, 0.0);
    bins[interval] += 1.0;
  }
}

CountSeries LineCounter::series(std::size_t line, CrossingDirection direction,
                                double until_s) const {
  const bool forward = direction == CrossingDirection::kForward;
  CountSeries s;
  s.sensor = lines_.at(line).sensor;
  s.direction = forward ? lines_[line].forward_name : lines_[line].backward_name;
  s.begin_s = begin_s_;
  s.interval_s = interval_s_;
  s.counts = counts_[line * 2 + (forward ? 0 : 1)];
  if (until_s > begin_s_) {
    const auto reached = static_cast<std::size_t>(std::ceil((until_s - begin_s_) / interval_s_));
    if (s.counts.size() < reached) s.counts.resize(reached, 0.0);
  }
  return s;
}

std::vector<CountSeries> LineCounter::allSeries(double until_s) const {
  std::vector<CountSeries> all;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    all.push_back(series(i, CrossingDirection::kForward, until_s));
    all.push_back(series(i, CrossingDirection::kBackward, until_s));
  }
  return all;
}

void LineCounter::clear() {
  for (auto& bins : counts_) bins.clear();
}

}  // namespace citytwin::engine::mobility
