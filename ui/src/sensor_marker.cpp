#include "citytwin/ui/sensor_marker.hpp"

#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/geodata/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace citytwin::ui {
namespace {

// Times of day stay as they are; dated series (Unix seconds) are read on their first day.
double onSeriesClock(const engine::mobility::CountSeries& s, double clock_s, bool on_data_clock) {
  if (on_data_clock || !engine::mobility::isDated(s.begin_s)) return clock_s;
  return std::floor(s.begin_s / 86400.0) * 86400.0 + clock_s;
}

std::string countText(const SensorMarker& m, const engine::mobility::CountSeries& s, double clock_s,
                      bool on_data_clock) {
  const double c = s.countAt(onSeriesClock(s, clock_s, on_data_clock));
  if (std::isnan(c)) return "-";
  if (!engine::mobility::publishableCount(c, m.min_group_size)) {
    return "<" + std::to_string(m.min_group_size);
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", c);
  return text;
}

}  // namespace

std::string sensorLabel(const SensorMarker& m, double clock_s, bool on_data_clock) {
  std::string label = m.name;
  const bool has_forward = !m.forward.counts.empty();
  const bool has_backward = !m.backward.counts.empty();
  if (!has_forward && !has_backward) return label;
  label += "\n";
  if (has_forward) label += m.forward_name + " " + countText(m, m.forward, clock_s, on_data_clock);
  if (has_forward && has_backward) label += " | ";
  if (has_backward)
    label += m.backward_name + " " + countText(m, m.backward, clock_s, on_data_clock);
  const double interval = has_forward ? m.forward.interval_s : m.backward.interval_s;
  char per[32];
  if (interval >= 60.0 && std::fmod(interval, 60.0) == 0.0) {
    std::snprintf(per, sizeof per, " per %.0f min", interval / 60.0);
  } else {
    std::snprintf(per, sizeof per, " per %.0f s", interval);
  }
  return label + per;
}

std::size_t nearestSensor(const std::vector<SensorMarker>& markers, double x, double y,
                          double tolerance) {
  std::size_t best = SIZE_MAX;
  double best_distance = tolerance;
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const auto& m = markers[i];
    const double distance = geodata::distanceToSegment({x, y}, {m.ax, m.ay}, {m.bx, m.by});
    if (distance <= best_distance) {
      best_distance = distance;
      best = i;
    }
  }
  return best;
}

std::vector<std::pair<std::string, std::string>> sensorAttributes(const SensorMarker& m,
                                                                  double clock_s,
                                                                  bool on_data_clock) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&](const std::string& direction, const engine::mobility::CountSeries& s) {
    if (s.counts.empty()) {
      out.emplace_back(direction, "no observed counts");
      return;
    }
    out.emplace_back(direction + " now", countText(m, s, clock_s, on_data_clock));
    const double total = s.total();
    char text[64];
    std::snprintf(text, sizeof text, "%.0f in %zu intervals", total, s.counts.size());
    out.emplace_back(direction + " in all",
                     engine::mobility::publishableCount(total, m.min_group_size)
                         ? std::string(text)
                         : "<" + std::to_string(m.min_group_size));
  };
  add(m.forward_name, m.forward);
  add(m.backward_name, m.backward);
  const double interval = !m.forward.counts.empty() ? m.forward.interval_s : m.backward.interval_s;
  if (interval > 0)
    out.emplace_back("interval", std::to_string(static_cast<long>(interval)) + " s");
  char where[96];
  std::snprintf(where, sizeof where, "%.0f m across", std::hypot(m.bx - m.ax, m.by - m.ay));
  out.emplace_back("counting line", where);
  out.emplace_back("counts below", std::to_string(m.min_group_size) + " are not shown");
  return out;
}

}  // namespace citytwin::ui
