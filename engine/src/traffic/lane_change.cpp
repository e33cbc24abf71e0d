// Lane changes on multi-lane edges: to a lane the route continues from (strategic), and
// otherwise by MOBIL (Kesting, Treiber & Helbing 2007): change when my gain in acceleration,
// plus politeness times the followers' gains, beats a threshold, and the new follower need not
// brake hard. Vehicles of one edge are handled front to back, one after the other, so each
// sees the changes before it; edges run in parallel.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <tuple>

#include "traffic_state.hpp"

namespace citytwin::engine::traffic {

namespace {

constexpr float kCooldown = 3.0f;       // s between two changes of one vehicle
constexpr float kSafeDecel = 4.0f;      // m/s2 the new follower may have to brake at most
constexpr float kKeepRightBias = 0.2f;  // m/s2 in favour of the right lane
constexpr float kStrategicGain = 100.0f;
constexpr float kLaneLookahead = 200.0f;  // m of route a lane choice looks ahead
constexpr int kLookaheadEdges = 8;

}  // namespace

float TrafficSimulation::Impl::continuation(std::uint32_t v, std::uint32_t l, std::uint32_t rp,
                                            float horizon, int depth) const {
  const auto& route = routes[v];
  if (rp + 1 >= route.size() || horizon <= 0.0f) return horizon;
  if (depth <= 0) return 0.0f;
  const ClassMask c = params(v).vclass;
  const Lane& lane = net->lanes[l];
  float best = 0.0f;
  for (std::uint32_t k = lane.first_link; k < lane.first_link + lane.link_count; ++k) {
    const Link& link = net->links[k];
    const Lane& to = net->lanes[link.to_lane];
    if (to.edge != route[rp + 1] || (to.allow & c) == 0) continue;
    const float here = lane_length[internalLane(k)] + lane_length[link.to_lane];
    if (here >= horizon) return horizon;
    best = std::max(best, here + continuation(v, link.to_lane, rp + 1, horizon - here, depth - 1));
    if (best >= horizon) return horizon;
  }
  return best;
}

std::uint32_t TrafficSimulation::Impl::chooseLink(std::uint32_t v, std::uint32_t l) const {
  return chooseLinkAt(v, l, route_pos[v]);
}

std::uint32_t TrafficSimulation::Impl::chooseLinkAt(std::uint32_t v, std::uint32_t l,
                                                    std::uint32_t rp) const {
  const auto& route = routes[v];
  if (rp + 1 >= route.size()) return kNoLink;
  const ClassMask c = params(v).vclass;
  const Lane& lane = net->lanes[l];
  // The link onto the lane from which the route goes on furthest without changing lanes.
  std::uint32_t best = kNoLink;
  float best_run = -1.0f;
  for (std::uint32_t k = lane.first_link; k < lane.first_link + lane.link_count; ++k) {
    const Link& link = net->links[k];
    const Lane& to = net->lanes[link.to_lane];
    if (to.edge != route[rp + 1] || (to.allow & c) == 0) continue;
    const float run = continuation(v, link.to_lane, rp + 1, kLaneLookahead, kLookaheadEdges);
    if (run > best_run) best_run = run, best = k;
  }
  return best;
}

bool TrafficSimulation::Impl::laneServesRoute(std::uint32_t v, std::uint32_t l) const {
  if ((net->lanes[l].allow & params(v).vclass) == 0) return false;
  const auto& route = routes[v];
  const std::uint32_t rp = route_pos[v];
  if (rp + 1 >= route.size()) return true;
  const Edge& edge = net->edges[net->lanes[l].edge];
  // A lane serves when the route goes on from it as far as from any lane of its edge (SUMO's
  // "best lanes"), looking a few hundred metres ahead. Worked out once per vehicle and edge
  // for all its lanes (the route ahead is the same until the vehicle moves on or re-routes).
  if (edge.lane_count <= 32 && route[rp] == net->lanes[l].edge) {
    if (serve_rp[v] != rp) {
      float here[32];
      std::uint32_t allowed = 0;
      for (std::uint32_t i = 0; i < edge.lane_count; ++i)
        if ((net->lanes[edge.first_lane + i].allow & params(v).vclass) != 0) {
          allowed |= 1u << i;
          here[i] = continuation(v, edge.first_lane + i, rp, kLaneLookahead, kLookaheadEdges);
        }
      std::uint32_t mask = 0;
      for (std::uint32_t i = 0; i < edge.lane_count; ++i) {
        if (!(allowed & (1u << i)) || here[i] <= 0.0f) continue;
        bool best = true;
        for (std::uint32_t o = 0; o < edge.lane_count && best; ++o)
          best = o == i || !(allowed & (1u << o)) || !(here[o] > here[i] + 0.5f);
        if (best) mask |= 1u << i;
      }
      serve_rp[v] = rp, serve_mask[v] = mask;
    }
    return (serve_mask[v] >> (l - edge.first_lane)) & 1u;
  }
  const float here = continuation(v, l, rp, kLaneLookahead, kLookaheadEdges);
  if (here <= 0.0f) return false;
  for (std::uint32_t o = edge.first_lane; o < edge.first_lane + edge.lane_count; ++o)
    if (o != l && (net->lanes[o].allow & params(v).vclass) != 0 &&
        continuation(v, o, rp, kLaneLookahead, kLookaheadEdges) > here + 0.5f)
      return false;
  return true;
}

void TrafficSimulation::Impl::changeLanes() {
  const float now = static_cast<float>(time());
  auto body = [&](std::size_t e) {
    const Edge& edge = net->edges[e];
    if (edge.lane_count < 2) return;
    thread_local std::vector<std::tuple<float, std::uint32_t, std::uint32_t>>
        order;  // -pos, lane, id
    order.clear();
    for (std::uint32_t l = edge.first_lane; l < edge.first_lane + edge.lane_count; ++l)
      for (std::uint32_t v : occupants[l]) order.emplace_back(-pos[v], l, v);
    if (order.size() < 1) return;
    std::sort(order.begin(), order.end());
    // Leader and follower of position `p` on lane `l` (kNoLink where none).
    auto neighbours = [&](std::uint32_t l, float p, std::uint32_t self) {
      const auto& occ = occupants[l];
      std::uint32_t lead = kNoLink, follow = kNoLink;
      for (std::uint32_t w : occ) {
        if (w == self) continue;
        if (pos[w] > p || (pos[w] == p && w < self))
          lead = w;
        else {
          follow = w;
          break;
        }
      }
      return std::pair{lead, follow};
    };
    auto accelBehind = [&](std::uint32_t v, std::uint32_t l, std::uint32_t lead) {
      const DriverParams& p = params(v);
      if (lead == kNoLink) return idmAcceleration(p, speed[v], desiredSpeed(v, l), kFarAway, 0.0f);
      const float gap = pos[lead] - params(lead).length - pos[v];
      return idmAcceleration(p, speed[v], desiredSpeed(v, l), gap, speed[lead]);
    };
    for (const auto& [neg_pos, l0, v] : order) {
      if (now - last_lane_change[v] < kCooldown || dwelling[v]) continue;
      const std::uint32_t cur = lane[v];
      const DriverParams& pv = params(v);
      const bool serves_cur = laneServesRoute(v, cur);
      // Which side the lanes the route needs are on, when this one does not serve it.
      int needed_side = 0;
      if (!serves_cur)
        for (std::uint32_t l = edge.first_lane; l < edge.first_lane + edge.lane_count; ++l)
          if (laneServesRoute(v, l)) {
            needed_side = l < cur ? -1 : 1;
            if (l > cur) break;
          }
      std::uint32_t best = kNoLink;
      float best_gain = pv.change_threshold;
      const auto [cur_lead, cur_follow] = neighbours(cur, pos[v], v);
      for (int dir : {-1, 1}) {
        const auto tgt_i = static_cast<std::int64_t>(cur) + dir;
        if (tgt_i < edge.first_lane || tgt_i >= edge.first_lane + edge.lane_count) continue;
        const auto tgt = static_cast<std::uint32_t>(tgt_i);
        if ((net->lanes[tgt].allow & pv.vclass) == 0) continue;
        const bool serves_tgt = laneServesRoute(v, tgt);
        const bool strategic = !serves_cur && dir == needed_side;
        if (!strategic && (!serves_tgt || !serves_cur)) continue;
        const auto [lead, follow] = neighbours(tgt, pos[v], v);
        // Room: bumper gaps to the new leader and follower, and braking they would need.
        const float gap_lead =
            lead == kNoLink ? kFarAway : pos[lead] - params(lead).length - pos[v];
        const float gap_follow = follow == kNoLink ? kFarAway : pos[v] - pv.length - pos[follow];
        if (gap_lead < 1.0f || gap_follow < 1.0f) continue;
        // Safe when neither I nor my new follower must brake harder than kSafeDecel (IDM's
        // own reaction); in a standing queue, a metre of room each side is enough.
        if (follow != kNoLink && speed[follow] > 1.0f &&
            idmAcceleration(params(follow), speed[follow], desiredSpeed(follow, tgt), gap_follow,
                            speed[v]) < -kSafeDecel)
          continue;
        if (lead != kNoLink && speed[v] > 1.0f &&
            idmAcceleration(pv, speed[v], desiredSpeed(v, tgt), gap_lead, speed[lead]) <
                -kSafeDecel)
          continue;
        float gain;
        if (strategic) {
          gain = kStrategicGain;
        } else {
          // MOBIL: my gain plus politeness times the gains of the old and new followers.
          const float a_self = accelBehind(v, cur, cur_lead);
          const float a_self_new = accelBehind(v, tgt, lead);
          float others = 0.0f;
          if (follow != kNoLink) {
            const float before = accelBehind(follow, tgt, lead);
            const float after = idmAcceleration(params(follow), speed[follow],
                                                desiredSpeed(follow, tgt), gap_follow, speed[v]);
            if (after < -kSafeDecel) continue;
            others += after - before;
          }
          if (cur_follow != kNoLink)
            others += accelBehind(cur_follow, cur, cur_lead) - accelBehind(cur_follow, cur, v);
          gain = a_self_new - a_self + pv.politeness * others +
                 (dir < 0 ? kKeepRightBias : -kKeepRightBias);
        }
        if (gain > best_gain) best_gain = gain, best = tgt;
      }
      if (best == kNoLink && needed_side != 0) {
        // Blocked by someone beside who needs my lane as much as I need theirs: swap.
        const auto tgt = static_cast<std::uint32_t>(static_cast<std::int64_t>(cur) + needed_side);
        for (std::uint32_t w : occupants[tgt]) {
          if (std::abs(pos[w] - pos[v]) >= std::max(pv.length, params(w).length)) continue;
          if (now - last_lane_change[w] < kCooldown || dwelling[w]) continue;
          if (laneServesRoute(w, tgt) || !laneServesRoute(w, cur)) continue;
          auto place = [&](std::uint32_t who, std::uint32_t from_lane, std::uint32_t to_lane) {
            auto& f = occupants[from_lane];
            f.erase(std::find(f.begin(), f.end(), who));
            auto& t = occupants[to_lane];
            auto at = t.begin();
            while (at != t.end() && (pos[*at] > pos[who] || (pos[*at] == pos[who] && *at < who)))
              ++at;
            t.insert(at, who);
            lane[who] = to_lane;
            next_link[who] = chooseLink(who, to_lane);
            last_lane_change[who] = now;
          };
          place(v, cur, tgt);
          place(w, tgt, cur);
          break;
        }
        continue;
      }
      if (best == kNoLink) continue;
      auto& from = occupants[cur];
      from.erase(std::find(from.begin(), from.end(), v));
      auto& to = occupants[best];
      auto at = to.begin();
      while (at != to.end() && (pos[*at] > pos[v] || (pos[*at] == pos[v] && *at < v))) ++at;
      to.insert(at, v);
      lane[v] = best;
      next_link[v] = chooseLink(v, best);
      last_lane_change[v] = now;
    }
  };
  // Only roads of more than one lane with vehicles on them; afterwards, the lanes vehicles
  // moved onto are marked active.
  edges_changing.clear();
  for (const std::uint32_t l : active_lanes.items())
    if (!isInternal(l) && net->edges[net->lanes[l].edge].lane_count > 1)
      edges_changing.push_back(net->lanes[l].edge);
  edges_changing.erase(std::unique(edges_changing.begin(), edges_changing.end()),
                       edges_changing.end());
  forEachActive(edges_changing, 32, body);
  for (const std::uint32_t e : edges_changing) {
    const Edge& edge = net->edges[e];
    for (std::uint32_t l = edge.first_lane; l < edge.first_lane + edge.lane_count; ++l)
      if (!occupants[l].empty()) active_lanes.mark(l);
  }
}

}  // namespace citytwin::engine::traffic
