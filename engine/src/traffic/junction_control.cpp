// Junction control: for every link whose lane has a vehicle in front heading for it, decide
// whether that vehicle may enter the junction this step. Signals first; then the right of way
// (SUMO's response matrix or the one built from OSM), the conflict areas in use, and room
// behind the junction. One junction at a time, links in a fixed order, so it runs in parallel
// over junctions and decides the same on any number of threads.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "traffic_state.hpp"

namespace citytwin::engine::traffic {

namespace {

constexpr float kSafetyGap = 1.0f;     // s between a foe's arrival and our leaving
constexpr float kClaimHorizon = 2.0f;  // s: a go for a vehicle this close claims the area
constexpr float kNearLine = 3.0f;      // m: standing this close waits at the line
constexpr float kMovingQueue = 3.0f;   // m/s: a queue behind the junction that drives on

using Approach = JunctionApproach;

bool signalBlocks(SignalState s) {
  return s == SignalState::kRed || s == SignalState::kRedYellow;
}

}  // namespace

void TrafficSimulation::Impl::updateSignals() {
  const double t = time();
  thread_local std::vector<std::size_t> phase;
  phase.resize(net->signals.size());
  for (std::size_t p = 0; p < net->signals.size(); ++p) phase[p] = net->signals[p].phaseAt(t);
  // Links without a signal keep the state set at the start.
  for (const std::uint32_t k : signalled_links) {
    const Link& link = net->links[k];
    const auto& prog = net->signals[static_cast<std::size_t>(link.signal)];
    signal_state[k] =
        prog.phases.empty()
            ? SignalState::kOffMajor
            : prog.phases[phase[static_cast<std::size_t>(link.signal)]].states[link.signal_index];
  }
}

void TrafficSimulation::Impl::controlJunctions() {
  const double t = time();
  auto approach = [&](std::uint32_t k) {
    Approach a;
    const Link& link = net->links[k];
    const auto& occ = occupants[link.from_lane];
    if (occ.empty() || next_link[occ.front()] != k) return a;
    const std::uint32_t v = occ.front();
    a.vehicle = v;
    a.dist = std::max(0.0f, lane_length[link.from_lane] - pos[v]);
    a.speed = speed[v];
    a.stopped = a.speed < kStandingSpeed && a.dist < kNearLine;
    // The earliest its front can reach the line, accelerating all the way.
    const float acc = params(v).accel;
    a.arrive = (std::sqrt(a.speed * a.speed + 2.0f * acc * a.dist) - a.speed) / acc;
    a.wait = standing_since[v] >= 0.0f ? static_cast<float>(t) - standing_since[v] : 0.0f;
    return a;
  };
  auto clearTime = [&](const Approach& a, const Link& link) {
    const DriverParams& p = params(a.vehicle);
    const float d = a.dist + std::max(link.length, 1.0f) + p.length;
    return (std::sqrt(a.speed * a.speed + 2.0f * p.accel * d) - a.speed) / p.accel;
  };
  // A junction's links with a vehicle in front heading for them (live_links[begin, end), in
  // request order); every other link of it has no permit, as the sweep below would leave it.
  auto body = [&](std::size_t range) {
    const auto [begin, end] = junction_ranges[range];
    const std::uint32_t junction = net->links[live_links[begin]].junction;
    // Work lists reused per thread: no allocation per junction and step.
    thread_local std::vector<std::uint32_t> claimed;
    claimed.clear();
    const std::uint32_t count = end - begin;
    thread_local std::vector<std::uint8_t> done;
    done.assign(count, 0);
    for (std::uint32_t n = 0; n < count; ++n) {
      const std::uint32_t k = live_links[begin + n];
      approaches[k] = approach(k);
      approach_step[k] = steps;
    }
    // A foe with a vehicle heading for it this step (foes are links of the same junction).
    auto approachOf = [&](std::uint32_t k) -> const Approach* {
      return net->links[k].junction == junction && approach_step[k] == steps ? &approaches[k]
                                                                             : nullptr;
    };
    bool tentative = false;  // the last go was for a vehicle still far off
    auto decide = [&](std::uint32_t k) -> bool {
      const Approach& a = approaches[k];
      if (!a.present()) return false;
      const Link& link = net->links[k];
      const SignalState s = signal_state[k];
      const DriverParams& p = params(a.vehicle);
      // Committed: it had the go last step and can no longer stop comfortably before the line.
      const bool committed = permit_holder[k] == a.vehicle && !signalBlocks(s) &&
                             a.speed * a.speed / (2.0f * p.decel) > a.dist;
      if (signalBlocks(s)) return false;
      // Go on yellow only when stopping would take more than comfortable braking.
      if (s == SignalState::kYellow && a.speed * a.speed / (2.0f * p.decel) <= a.dist) return false;
      if (s == SignalState::kStop && !a.stopped) return false;
      // Far off (beyond comfortable braking plus two seconds): drive on, decide when closer.
      if (a.dist > a.speed * a.speed / (2.0f * p.decel) + 2.0f * a.speed + p.min_gap) {
        tentative = true;
        return true;
      }
      // Conflict areas in use, or taken this step by a link decided before.
      for (std::uint32_t f = link.foe_begin; f < link.foe_end; ++f) {
        const std::uint32_t foe = net->foes[f];
        if (!occupants[internalLane(foe)].empty()) return false;
        if (std::find(claimed.begin(), claimed.end(), foe) != claimed.end()) return false;
      }
      if (committed) return true;
      // Room behind the junction: never stop inside it.
      const auto& behind = occupants[link.to_lane];
      if (!behind.empty()) {
        const std::uint32_t last = behind.back();
        const float room = pos[last] - params(last).length;
        float needed = p.length + p.min_gap;
        for (std::uint32_t w : occupants[internalLane(k)])
          needed += params(w).length + params(w).min_gap;
        if (speed[last] < kMovingQueue && room < needed) return false;
      }
      const bool must_yield = s != SignalState::kGreenMajor && link.yield_end > link.yield_begin;
      if (!must_yield) return true;
      const float leave = clearTime(a, link) + kSafetyGap;
      for (std::uint32_t y = link.yield_begin; y < link.yield_end; ++y) {
        const std::uint32_t foe = net->yields[y];
        if (signalBlocks(signal_state[foe])) continue;
        const Approach* b = approachOf(foe);
        if (!b || !b->present()) continue;
        if (b->stopped) {
          // Both wait at the line: the one waiting longer goes first (no deadlock when
          // everybody yields to the right).
          if (b->wait > a.wait || (b->wait == a.wait && foe < k)) return false;
          continue;
        }
        // Their passage and ours must not overlap: they are through before we get there, or
        // we are through before they come.
        // The latest they are through: at their present speed (they may be braking).
        const float their_leave =
            (b->dist + std::max(net->links[foe].length, 1.0f) + params(b->vehicle).length) /
                std::max(b->speed, kStandingSpeed) +
            kSafetyGap;
        if (b->arrive < leave && their_leave > a.arrive) return false;
      }
      return true;
    };
    // A turner that waited at the line through its green, for a gap that never came, counts
    // as inside the junction (as in SUMO, where it waits on the junction): from the end of
    // its green it goes first, as soon as the crossing paths are clear, and holds them.
    for (std::uint32_t n = 0; n < count; ++n) {
      const std::uint32_t k = live_links[begin + n];
      const Approach& a = approaches[k];
      if (clearing[k] != kNoLink && clearing[k] != a.vehicle) clearing[k] = kNoLink;
      const Link& link = net->links[k];
      const SignalState s = signal_state[k];
      if (clearing[k] == kNoLink && a.present() && a.stopped && a.wait > 0.0f &&
          link.yield_end > link.yield_begin && s == SignalState::kYellow)
        clearing[k] = a.vehicle;
      if (clearing[k] == kNoLink || s == SignalState::kGreenMinor) continue;
      bool clear = true;
      for (std::uint32_t f = link.foe_begin; f < link.foe_end; ++f)
        clear &= occupants[internalLane(net->foes[f])].empty();
      permit[k] = clear ? 1 : 0;
      permit_holder[k] = clear ? a.vehicle : kNoLink;
      claimed.push_back(k);
      done[n] = 1;
    }
    // Links that give way to nobody first, then the others; each in request order.
    for (int pass = 0; pass < 2; ++pass)
      for (std::uint32_t n = 0; n < count; ++n) {
        const std::uint32_t k = live_links[begin + n];
        const Link& link = net->links[k];
        if (done[n] || (link.yield_end > link.yield_begin) != (pass == 1)) continue;
        tentative = false;
        const bool ok = decide(k);
        permit[k] = ok ? 1 : 0;
        permit_holder[k] = ok && !tentative ? approaches[k].vehicle : kNoLink;
        if (tentative) continue;
        const Approach& a = approaches[k];
        if (ok && (a.stopped || a.arrive < kClaimHorizon)) claimed.push_back(k);
      }
  };
  // Live links: the one each lane's front vehicle heads for. Links live last step and not now
  // lose their permit and any clearing (as a junction with nobody approaching would).
  live_before.swap(live_links);
  live_links.clear();
  for (const std::uint32_t l : active_lanes.items()) {
    if (isInternal(l) || net->lanes[l].link_count == 0) continue;
    const std::uint32_t k = next_link[occupants[l].front()];
    if (k != kNoLink && net->links[k].from_lane == l) live_links.push_back(k);
  }
  for (const std::uint32_t k : live_links) link_live[k] = 1;
  for (const std::uint32_t k : live_before)
    if (!link_live[k]) permit[k] = 0, permit_holder[k] = kNoLink, clearing[k] = kNoLink;
  for (const std::uint32_t k : live_links) link_live[k] = 0;
  std::sort(live_links.begin(), live_links.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Link& la = net->links[a];
    const Link& lb = net->links[b];
    return la.junction != lb.junction ? la.junction < lb.junction : link_slot[a] < link_slot[b];
  });
  junction_ranges.clear();
  for (std::uint32_t b = 0; b < live_links.size();) {
    std::uint32_t e = b + 1;
    const std::uint32_t j = net->links[live_links[b]].junction;
    while (e < live_links.size() && net->links[live_links[e]].junction == j) ++e;
    junction_ranges.emplace_back(b, e);
    b = e;
  }
  forEachIndex(junction_ranges.size(), 64, body);
}

}  // namespace citytwin::engine::traffic
