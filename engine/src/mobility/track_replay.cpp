#include "citytwin/engine/mobility/track_replay.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "citytwin/engine/mobility/counting_line.hpp"

namespace citytwin::engine::mobility {

TrackReplay::TrackReplay(TrackTable table) : table_(std::move(table)) {
  table_.sortByTrackAndTime();
  const std::size_t n = table_.size();
  track_first_.assign(table_.track_count + 1, n);
  for (std::size_t i = n; i-- > 0;) track_first_[table_.track[i]] = i;
  // Tracks without samples (none after reading, but possible after deleteExpired) start where
  // the next one does, so that every track's range is [first[t], first[t + 1]).
  for (std::size_t t = table_.track_count; t-- > 0;) {
    track_first_[t] = std::min(track_first_[t], track_first_[t + 1]);
  }
  for (std::size_t i = 1; i < n; ++i) {
    if (table_.track[i] == table_.track[i - 1]) moves_by_end_.push_back(i);
  }
  std::stable_sort(moves_by_end_.begin(), moves_by_end_.end(),
                   [&](std::size_t a, std::size_t b) { return table_.time[a] < table_.time[b]; });
  if (n > 0) {
    const auto [lo, hi] = std::minmax_element(table_.time.begin(), table_.time.end());
    begin_ = *lo;
    end_ = *hi;
  }
  now_ = begin_;
}

void TrackReplay::positionsAt(double time_s, std::vector<ReplayedPosition>& out) const {
  out.clear();
  const auto& time = table_.time;
  for (std::uint32_t t = 0; t < table_.track_count; ++t) {
    const std::size_t first = track_first_[t], last = track_first_[t + 1];
    if (first == last || time_s < time[first] || time_s > time[last - 1]) continue;
    // The first sample at or after time_s, and the one before it.
    const auto it = std::lower_bound(time.begin() + static_cast<std::ptrdiff_t>(first),
                                     time.begin() + static_cast<std::ptrdiff_t>(last), time_s);
    const auto k = static_cast<std::size_t>(it - time.begin());
    // The move under way: into sample k, or out of it when time_s is exactly on a sample.
    const std::size_t to = (time[k] == time_s && k + 1 < last) ? k + 1 : k;
    const std::size_t from = to > first ? to - 1 : to;
    const double dt = time[to] - time[from];
    const float vx = dt > 0.0 ? static_cast<float>((table_.x[to] - table_.x[from]) / dt) : 0.0f;
    const float vy = dt > 0.0 ? static_cast<float>((table_.y[to] - table_.y[from]) / dt) : 0.0f;
    if (k == first || time[k] == time_s) {
      out.push_back({t, table_.x[k], table_.y[k], vx, vy});
      continue;
    }
    const double f = (time_s - time[k - 1]) / (time[k] - time[k - 1]);
    out.push_back({t, static_cast<float>(table_.x[k - 1] + f * (table_.x[k] - table_.x[k - 1])),
                   static_cast<float>(table_.y[k - 1] + f * (table_.y[k] - table_.y[k - 1])), vx,
                   vy});
  }
}

void TrackReplay::advanceTo(double time_s, LineCounter* counter) {
  if (time_s < now_) {
    seek(time_s);
    return;
  }
  const auto& time = table_.time;
  while (cursor_ < moves_by_end_.size() && time[moves_by_end_[cursor_]] <= time_s) {
    const std::size_t k = moves_by_end_[cursor_++];
    if (counter != nullptr) {
      counter->observeMove(time[k - 1], table_.x[k - 1], table_.y[k - 1], time[k], table_.x[k],
                           table_.y[k]);
    }
  }
  now_ = time_s;
}

void TrackReplay::seek(double time_s) {
  const auto& time = table_.time;
  cursor_ = static_cast<std::size_t>(
      std::upper_bound(moves_by_end_.begin(), moves_by_end_.end(), time_s,
                       [&](double t, std::size_t k) { return t < time[k]; }) -
      moves_by_end_.begin());
  now_ = time_s;
}

double ReplayClock::dataTime(double elapsed_s) const {
  const double span = data_end_s - data_begin_s;
  const double played = std::max(0.0, elapsed_s) * speed;
  if (span <= 0.0) return data_begin_s;
  if (!loop) return data_begin_s + std::min(played, span);
  return data_begin_s + std::fmod(played, span);
}

long long ReplayClock::laps(double elapsed_s) const {
  const double span = data_end_s - data_begin_s;
  if (!loop || span <= 0.0) return 0;
  return static_cast<long long>(std::floor(std::max(0.0, elapsed_s) * speed / span));
}

}  // namespace citytwin::engine::mobility
