#include "citytwin/engine/mobility/crowd_sensors.hpp"

#include "citytwin/engine/crowd/crowd_simulation.hpp"

namespace citytwin::engine::mobility {

void CrowdSensors::observe(const crowd::CrowdSimulation& sim) {
  const double t = sim.time() + offset_;
  const auto ids = sim.ids();
  const auto x = sim.x();
  const auto y = sim.y();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t id = ids[i];
    if (id >= seen_step_.size()) {
      const std::size_t size = std::max<std::size_t>(id + 1, seen_step_.size() * 2);
      x_.resize(size);
      y_.resize(size);
      seen_step_.resize(size, -1);
    }
    if (seen_step_[id] == step_ - 1) counter_.observeMove(last_t_, x_[id], y_[id], t, x[i], y[i]);
    x_[id] = x[i];
    y_[id] = y[i];
    seen_step_[id] = step_;
  }
  last_t_ = t;
  ++step_;
}

}  // namespace citytwin::engine::mobility
