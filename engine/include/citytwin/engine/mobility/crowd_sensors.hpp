#pragma once
// Virtual sensors on a simulated crowd: after every step, each person's move since the last
// step passes the counting lines (the twins of the real counting cameras).
#include <cstdint>
#include <vector>

#include "citytwin/engine/mobility/counting_line.hpp"

namespace citytwin::engine::crowd {
class CrowdSimulation;
}

namespace citytwin::engine::mobility {

class CrowdSensors {
 public:
  /// `clock_offset_s` is added to the crowd's time (seconds since its start) for the counter:
  /// the time of day the scenario starts at, where the counts are on that clock.
  explicit CrowdSensors(LineCounter& counter, double clock_offset_s = 0.0)
      : counter_(counter), offset_(clock_offset_s) {}

  /// Call once before the first step and after every step.
  void observe(const crowd::CrowdSimulation& sim);

 private:
  // Indexed by agent id (ids count up from 1 and are never reused): storage grows with the
  // people who ever walked, never per step.
  std::vector<float> x_, y_;
  std::vector<std::int64_t> seen_step_;
  std::int64_t step_ = 0;
  double last_t_ = 0.0;
  LineCounter& counter_;
  double offset_ = 0.0;
};

}  // namespace citytwin::engine::mobility
