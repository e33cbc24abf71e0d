// Routing systems of the crowd step: every field reaches the people steering by it
// (navigate), and every reroute interval the fields are recomputed with crowding (reroute).
#include <memory>

#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

void CrowdSimulation::navigate() {
  // Every agent's field must reach where the agent stands before the move reads it: find the
  // ones beyond (in parallel, reading only), then march those fields on, one after another.
  const auto& s = scenario_;
  const std::size_t n = x_.size();
  if (s.periodic_x_max > s.periodic_x_min) return;
  auto& beyond = impl_->beyond;
  beyond.assign(n, 0);
  impl_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          const auto stage = s.journeys[journey_[i]].stages[journey_pos_[i]];
                          beyond[i] = !fields_->field(stage).covers({x_[i], y_[i]});
                        }
                      });
  });
  for (std::size_t i = 0; i < n; ++i)
    if (beyond[i]) fields_->cover(s.journeys[journey_[i]].stages[journey_pos_[i]], {x_[i], y_[i]});
}

void CrowdSimulation::reroute() {
  // Local density on the navigation grid: people per cell, box-averaged over about 3 m.
  fields_->reroute(scenario_,
                   std::make_shared<const CongestionMap>(
                       congestionFrom(fields_->grid(), x_, y_, scenario_.congestion_weight)),
                   threads_);
  // Progress is measured along the route each agent now follows: re-baseline, keeping the
  // time of the last progress, so a new route neither hides nor fakes a standstill.
  for (std::size_t i = 0; i < x_.size(); ++i)
    if (best_cost_[i] != kInf) {
      const auto stage = scenario_.journeys[journey_[i]].stages[journey_pos_[i]];
      fields_->cover(stage, {x_[i], y_[i]});
      best_cost_[i] = fields_->field(stage).costAt({x_[i], y_[i]});
    }
}

}  // namespace citytwin::engine::crowd
