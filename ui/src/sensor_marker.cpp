#include "citytwin/ui/sensor_marker.hpp"

#include <cmath>
#include <cstdio>

namespace citytwin::ui {
namespace {

// Times of day stay as they are; dated series (Unix seconds) are read on their first day.
double onSeriesClock(const engine::mobility::CountSeries& s, double clock_s) {
  if (s.begin_s < 1.0e8) return clock_s;
  return std::floor(s.begin_s / 86400.0) * 86400.0 + clock_s;
}

std::string countText(const SensorMarker& m, const engine::mobility::CountSeries& s,
                      double clock_s) {
  const double c = s.countAt(onSeriesClock(s, clock_s));
  if (std::isnan(c)) return "-";
  if (c > 0 && c < m.min_group_size) return "<" + std::to_string(m.min_group_size);
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", c);
  return text;
}

}  // namespace

std::string sensorLabel(const SensorMarker& m, double clock_s) {
  std::string label = m.name;
  const bool has_forward = !m.forward.counts.empty();
  const bool has_backward = !m.backward.counts.empty();
  if (!has_forward && !has_backward) return label;
  label += "\n";
  if (has_forward) label += m.forward_name + " " + countText(m, m.forward, clock_s);
  if (has_forward && has_backward) label += " | ";
  if (has_backward) label += m.backward_name + " " + countText(m, m.backward, clock_s);
  const double interval = has_forward ? m.forward.interval_s : m.backward.interval_s;
  char per[32];
  if (interval >= 60.0 && std::fmod(interval, 60.0) == 0.0) {
    std::snprintf(per, sizeof per, " per %.0f min", interval / 60.0);
  } else {
    std::snprintf(per, sizeof per, " per %.0f s", interval);
  }
  return label + per;
}

}  // namespace citytwin::ui
