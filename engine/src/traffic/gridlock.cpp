// Gridlock detection: a wait-for graph of the vehicles that have stood for stuck_after_s, each
// pointing at the one it waits for, and its cycles. A cycle is a gridlock: nobody in it can
// move until someone in it does (a jam behind a red light is not one: it has an end).
#include <algorithm>

#include "traffic_state.hpp"

namespace citytwin::engine::traffic {

std::uint32_t TrafficSimulation::Impl::blockerOf(std::uint32_t v, WaitReason* why) const {
  WaitReason ignored;
  WaitReason& reason = why ? *why : ignored;
  reason = WaitReason::kUnknown;
  const std::uint32_t l = lane[v];
  const auto& occ = occupants[l];
  const auto at = std::find(occ.begin(), occ.end(), v);
  if (at == occ.end()) return kNoLink;
  if (at != occ.begin()) {
    reason = WaitReason::kVehicleAhead;
    return *(at - 1);
  }
  if (dwelling[v]) {
    reason = WaitReason::kStop;
    return kNoLink;
  }
  // In front: the way on through the junction, or onto the next road.
  std::uint32_t k = kNoLink;
  if (isInternal(l))
    k = l - static_cast<std::uint32_t>(normal_lanes);
  else
    k = next_link[v];
  if (k == kNoLink) {
    reason = WaitReason::kNoWayOnFromLane;  // its lane does not lead on: it needs a lane change
    return kNoLink;
  }
  const Link& link = net->links[k];
  // No room behind the junction: the last vehicle on the road it leads onto.
  if (!occupants[link.to_lane].empty()) {
    const std::uint32_t last = occupants[link.to_lane].back();
    if (pos[last] - params(last).length < params(v).length + params(v).min_gap) {
      reason = WaitReason::kNoRoomBehind;
      return last;
    }
  }
  if (isInternal(l)) return kNoLink;
  const SignalState s = signal_state[k];
  if (s == SignalState::kRed || s == SignalState::kRedYellow) {
    reason = WaitReason::kSignal;
    return kNoLink;
  }
  // A crossing path in use.
  for (std::uint32_t f = link.foe_begin; f < link.foe_end; ++f) {
    const auto& in = occupants[internalLane(net->foes[f])];
    if (!in.empty()) {
      reason = WaitReason::kCrossingInUse;
      return in.front();
    }
  }
  // A vehicle it gives way to, waiting at its own line.
  for (std::uint32_t y = link.yield_begin; y < link.yield_end; ++y) {
    const auto& from = occupants[net->links[net->yields[y]].from_lane];
    if (!from.empty() && next_link[from.front()] == net->yields[y]) {
      reason = WaitReason::kGivesWay;
      return from.front();
    }
  }
  return kNoLink;
}

std::vector<std::vector<std::uint32_t>> TrafficSimulation::Impl::waitCycles() const {
  auto stuck = [&](std::uint32_t v) {
    return state[v] == VehicleState::kRunning && standingTooLong(v);
  };
  // Follow each stuck vehicle's blockers; a walk that meets itself closes a cycle.
  std::vector<std::uint8_t> mark(state.size(), 0);  // 0 new, 1 on the current walk, 2 done
  std::vector<std::vector<std::uint32_t>> cycles;
  std::vector<std::uint32_t> walk;
  for (const std::uint32_t l : active_lanes.items())
    for (const std::uint32_t start : occupants[l]) {
      if (mark[start] || !stuck(start)) continue;
      walk.clear();
      std::uint32_t v = start;
      while (v != kNoLink && mark[v] == 0 && stuck(v)) {
        mark[v] = 1;
        walk.push_back(v);
        v = blockerOf(v);
      }
      if (v != kNoLink && mark[v] == 1) {
        const auto from = std::find(walk.begin(), walk.end(), v);
        cycles.emplace_back(from, walk.end());
      }
      for (std::uint32_t w : walk) mark[w] = 2;
    }
  // Largest first; each cycle from its lowest vehicle, so the report does not depend on where
  // the walk began.
  for (auto& c : cycles) std::rotate(c.begin(), std::min_element(c.begin(), c.end()), c.end());
  std::stable_sort(cycles.begin(), cycles.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return cycles;
}

std::vector<std::vector<std::uint32_t>> TrafficSimulation::gridlocks() const {
  return impl_->waitCycles();
}

std::vector<std::pair<WaitReason, std::size_t>> TrafficSimulation::stuckQueueHeads() const {
  const Impl& s = *impl_;
  std::vector<std::size_t> count(static_cast<std::size_t>(WaitReason::kCount), 0);
  for (const std::uint32_t l : s.active_lanes.items())
    for (const std::uint32_t v : s.occupants[l]) {
      if (!s.standingTooLong(v)) continue;
      WaitReason why;
      const std::uint32_t b = s.blockerOf(v, &why);
      const bool blocker_stuck = b != kNoLink && s.standingTooLong(b);
      // The head of a stuck queue: what it waits for is not itself stuck (or is nobody).
      if (!blocker_stuck) ++count[static_cast<std::size_t>(why)];
    }
  std::vector<std::pair<WaitReason, std::size_t>> out;
  for (std::size_t r = 0; r < count.size(); ++r)
    if (count[r] > 0) out.emplace_back(static_cast<WaitReason>(r), count[r]);
  return out;
}

const char* waitReasonName(WaitReason r) {
  switch (r) {
    case WaitReason::kVehicleAhead:
      return "vehicle ahead (not stuck)";
    case WaitReason::kNoRoomBehind:
      return "no room on the road ahead (not stuck there)";
    case WaitReason::kSignal:
      return "red signal";
    case WaitReason::kCrossingInUse:
      return "crossing path in use";
    case WaitReason::kGivesWay:
      return "gives way";
    case WaitReason::kNoWayOnFromLane:
      return "its lane does not lead on (lane change needed)";
    case WaitReason::kStop:
      return "at a stop";
    default:
      return "junction holds it (no vehicle to name)";
  }
}

}  // namespace citytwin::engine::traffic
