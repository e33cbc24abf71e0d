// Stage logic of the crowd step: who reached their stage (exits, waypoints, gates with their
// service rate, waiting areas), progress and standstill, arrivals leaving, evacuation.
#include <algorithm>

#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

void CrowdSimulation::advanceStages() {
  const auto& s = scenario_;
  const std::size_t n = x_.size();
  const double t = time();
  const bool periodic = s.periodic_x_max > s.periodic_x_min;
  remove_.assign(n, 0);
  exit_stage_.assign(n, 0);
  for (std::size_t k = 0; k < s.stages.size(); ++k)
    if (s.stages[k].kind == StageKind::kGate && t < s.stages[k].opens_at_s)
      impl_->gate_tokens[k] = 0.0;  // not open yet: nobody passes
    else if (s.stages[k].kind == StageKind::kGate)
      // Tokens accrue at the service rate; an idle gate banks at most one step's worth (and at
      // least one person), so a fast gate can pass several people in one step.
      impl_->gate_tokens[k] =
          std::min(std::max(1.0, s.stages[k].service_rate * s.time_step_s),
                   impl_->gate_tokens[k] + s.stages[k].service_rate * s.time_step_s);
  if (periodic) return;
  auto& cost = impl_->cost;
  cost.resize(n);
  impl_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          const auto stage = s.journeys[journey_[i]].stages[journey_pos_[i]];
                          cost[i] = fields_->field(stage).costAt({x_[i], y_[i]});
                        }
                      });
  });
  const float dt = static_cast<float>(s.time_step_s);
  std::vector<std::size_t> queue(s.stages.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    auto next = [&] {
      waiting_[i] = 0;
      best_cost_[i] = kInf;
      last_progress_[i] = static_cast<float>(t);
      if (journey_pos_[i] + 1u >= s.journeys[journey_[i]].stages.size()) {
        remove_[i] = 1;  // the journey ends here
        exit_stage_[i] = s.journeys[journey_[i]].stages[journey_pos_[i]];
      } else {
        ++journey_pos_[i];
      }
    };
    const auto stage_index = s.journeys[journey_[i]].stages[journey_pos_[i]];
    const Stage& stage = s.stages[stage_index];
    if (stage.kind == StageKind::kGate &&
        (waiting_[i] == 1 || (cost[i] < kQueueReach && speed_[i] < kQueueSpeed)))
      ++queue[stage_index];
    if (waiting_[i] != 0 || speed_[i] < 0.1f) wait_total_[i] += dt;
    if (waiting_[i] == 2) {
      if (t >= wait_until_[i]) next();
      continue;
    }
    if (waiting_[i] == 1) {
      if (impl_->gate_tokens[stage_index] >= 1.0) impl_->gate_tokens[stage_index] -= 1.0, next();
      continue;
    }
    if (cost[i] <= kReachCost) {
      switch (stage.kind) {
        case StageKind::kExit:
          remove_[i] = 1;
          exit_stage_[i] = stage_index;
          break;
        case StageKind::kWaypoint:
          next();
          break;
        case StageKind::kGate:
          if (impl_->gate_tokens[stage_index] >= 1.0)
            impl_->gate_tokens[stage_index] -= 1.0, next();
          else
            waiting_[i] = 1;
          break;
        case StageKind::kWaitingArea:
          waiting_[i] = 2;
          wait_until_[i] = static_cast<float>(t + stage.wait_s);
          break;
      }
      continue;
    }
    if (cost[i] < best_cost_[i] - kProgressStep) {
      best_cost_[i] = cost[i];
      last_progress_[i] = static_cast<float>(t);
    } else if (!stuck_flag_[i] && t - last_progress_[i] > s.stuck_after_s) {
      stuck_flag_[i] = 1;
      ++stuck_;
    }
  }
  for (std::size_t k = 0; k < queue.size(); ++k) max_queue_[k] = std::max(max_queue_[k], queue[k]);
}

void CrowdSimulation::removeArrived() {
  const std::size_t n = x_.size();
  std::size_t w = 0;
  const double t = time();
  for (std::size_t i = 0; i < n; ++i) {
    if (remove_[i]) {
      ++exit_counts_[exit_stage_[i]];
      travel_times_.push_back(static_cast<float>(t) - spawn_time_[i]);
      waiting_times_.push_back(wait_total_[i]);
      arrived_ids_.push_back(id_[i]);
      ++arrived_;
      last_exit_time_ = t;
      continue;
    }
    if (w != i) {
      id_[w] = id_[i], x_[w] = x_[i], y_[w] = y_[i], speed_[w] = speed_[i], v0_[w] = v0_[i],
      radius_[w] = radius_[i];
      dir_x_[w] = dir_x_[i], dir_y_[w] = dir_y_[i], journey_[w] = journey_[i],
      journey_pos_[w] = journey_pos_[i];
      waiting_[w] = waiting_[i], wait_until_[w] = wait_until_[i], spawn_time_[w] = spawn_time_[i];
      best_cost_[w] = best_cost_[i], last_progress_[w] = last_progress_[i],
      wait_total_[w] = wait_total_[i];
      stuck_flag_[w] = stuck_flag_[i], source_of_[w] = source_of_[i];
    }
    ++w;
  }
  for (auto* v : {&x_, &y_, &speed_, &v0_, &radius_, &dir_x_, &dir_y_, &wait_until_, &spawn_time_,
                  &best_cost_, &last_progress_, &wait_total_})
    v->resize(w);
  id_.resize(w);
  journey_.resize(w);
  journey_pos_.resize(w);
  waiting_.resize(w);
  stuck_flag_.resize(w);
  source_of_.resize(w);
}

void CrowdSimulation::assignEvacuationExit(std::size_t i) {
  const auto& s = scenario_;
  std::size_t best = 0;
  const std::int32_t assigned = source_of_[i] < s.evacuation.assigned_exit_per_source.size()
                                    ? s.evacuation.assigned_exit_per_source[source_of_[i]]
                                    : -1;
  if (assigned >= 0) {
    best = static_cast<std::size_t>(assigned);
  } else {
    float best_cost = kInf;
    for (std::size_t e = 0; e < s.evacuation.exits.size(); ++e) {
      fields_->cover(s.evacuation.exits[e], {x_[i], y_[i]});
      const float c = fields_->field(s.evacuation.exits[e]).costAt({x_[i], y_[i]});
      if (c < best_cost) best_cost = c, best = e;
    }
  }
  journey_[i] = static_cast<std::uint16_t>(impl_->evac_journey_of_exit[best]);
  journey_pos_[i] = 0;
  waiting_[i] = 0;
  best_cost_[i] = kInf;
  last_progress_[i] = static_cast<float>(time());
}

void CrowdSimulation::startEvacuation() {
  evacuating_ = true;
  for (std::size_t i = 0; i < x_.size(); ++i) assignEvacuationExit(i);
}

}  // namespace citytwin::engine::crowd
