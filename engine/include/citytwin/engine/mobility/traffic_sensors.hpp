#pragma once
// Virtual sensors on simulated traffic: after every step, each vehicle's move since the last
// step passes the counting lines (the twins of the real counting cameras and loops).
#include <cstddef>
#include <vector>

#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"

namespace citytwin::engine::mobility {

class TrafficSensors {
 public:
  /// `trips`: the demand's trip count (vehicles are known by their trip).
  TrafficSensors(std::size_t trips, LineCounter& counter)
      : x_(trips), y_(trips), step_(trips, -1), counter_(counter) {}

  /// Call once before the first step and after every step.
  void observe(const traffic::TrafficSimulation& sim) {
    const double t = sim.time();
    sim.forEachVehicle([&](const traffic::VehicleView& v) {
      const geodata::Vec2 p = sim.position(v);
      if (step_[v.trip] == step_count_ - 1) {
        counter_.observeMove(last_t_, x_[v.trip], y_[v.trip], t, p.x, p.y);
      }
      x_[v.trip] = p.x;
      y_[v.trip] = p.y;
      step_[v.trip] = step_count_;
    });
    last_t_ = t;
    ++step_count_;
  }

 private:
  std::vector<double> x_, y_;
  std::vector<long> step_;
  long step_count_ = 0;
  double last_t_ = 0.0;
  LineCounter& counter_;
};

}  // namespace citytwin::engine::mobility
