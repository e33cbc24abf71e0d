#pragma once
// A real sensor in the 3D view: its counting line and what it observed (replayed counts), shown
// as the count of the interval at the time on screen. No Qt, no OSG: the label is plain text.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"

namespace citytwin::ui {

struct SensorMarker {
  std::string name;
  double ax = 0, ay = 0, bx = 0, by = 0;  ///< local frame
  std::string forward_name = "forward", backward_name = "backward";
  engine::mobility::CountSeries forward, backward;  ///< observed; empty when none
  int min_group_size = 5;                           ///< counts from 1 to k - 1 show as "<k"
};

/// "Dam-Noord\nin 42 | out 17 per 15 min" for the interval holding `clock_s` (time of day, s);
/// "-" where there is no value. Dated series are read on the first day they hold, unless
/// `on_data_clock`: then `clock_s` is a time on the data's own clock (a replay's).
std::string sensorLabel(const SensorMarker& marker, double clock_s, bool on_data_clock = false);

/// The marker whose line passes within `tolerance` metres of (x, y), nearest first; SIZE_MAX
/// when none does.
std::size_t nearestSensor(const std::vector<SensorMarker>& markers, double x, double y,
                          double tolerance);

/// What the Info panel shows for a sensor at `clock_s`.
std::vector<std::pair<std::string, std::string>> sensorAttributes(const SensorMarker& marker,
                                                                  double clock_s,
                                                                  bool on_data_clock = false);

}  // namespace citytwin::ui
