#include "citytwin/engine/traffic/traffic_simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "../rng.hpp"
#include "traffic_state.hpp"

namespace citytwin::engine::traffic {

namespace {

constexpr std::size_t kLaneGrain = 128;
constexpr float kIdmStep = 0.5f;  // s, the longest step IDM is integrated with

DriverParams flatten(const VehicleType& t) {
  return {t.length,     t.min_gap,          t.max_speed,    t.accel,
          t.decel,      t.emergency_decel,  t.time_headway, t.delta,
          t.politeness, t.change_threshold, t.vclass};
}

}  // namespace

TrafficSimulation::TrafficSimulation(const Network& net, const Demand& demand, TrafficConfig config,
                                     int threads)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.net = &net;
  s.demand = &demand;
  s.config = config;
  s.threads =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  s.arena.initialize(s.threads);
  for (const auto& t : demand.types) s.types.push_back(flatten(t));
  if (s.types.empty()) s.types.push_back(flatten(defaultVehicleType(kClassCar)));
  for (const auto& t : s.types) s.noise_of_type.push_back(noiseCategory(t.vclass));
  s.normal_lanes = net.lanes.size();
  const std::size_t lanes = net.lanes.size() + net.links.size();
  s.occupants.resize(lanes);
  s.lane_length.resize(lanes);
  s.lane_speed.resize(lanes);
  for (std::size_t l = 0; l < net.lanes.size(); ++l) {
    s.lane_length[l] = std::max(net.lanes[l].length, 0.1f);
    s.lane_speed[l] = std::max(net.lanes[l].speed, 0.5f);
  }
  for (std::size_t k = 0; k < net.links.size(); ++k) {
    // A junction path of at least a metre, so a vehicle crossing is always somewhere.
    s.lane_length[s.normal_lanes + k] = std::max(net.links[k].length, 1.0f);
    s.lane_speed[s.normal_lanes + k] = std::max(net.links[k].speed, 0.5f);
  }
  s.incoming.resize(net.lanes.size());
  for (std::uint32_t k = 0; k < net.links.size(); ++k)
    s.incoming[net.links[k].to_lane].push_back(k);
  s.permit.assign(net.links.size(), 0);
  s.signal_state.assign(net.links.size(), SignalState::kOffMajor);
  s.active_lanes.resize(lanes);
  s.link_slot.assign(net.links.size(), kNoLink);
  s.link_live.assign(net.links.size(), 0);
  s.approaches.assign(net.links.size(), JunctionApproach{});
  s.approach_step.assign(net.links.size(), std::numeric_limits<std::size_t>::max());
  for (const Junction& j : net.junctions)
    for (std::uint32_t i = 0; i < j.links.size(); ++i) s.link_slot[j.links[i]] = i;
  for (std::uint32_t k = 0; k < net.links.size(); ++k) {
    if (net.links[k].signal >= 0)
      s.signalled_links.push_back(k);
    else  // no signal: the junction's right of way, for good
      s.signal_state[k] = net.links[k].major ? SignalState::kOffMajor : SignalState::kOffMinor;
  }
  s.clearing.assign(net.links.size(), kNoLink);
  s.permit_holder.assign(net.links.size(), kNoLink);
  const std::size_t n = demand.trips.size();
  s.state.assign(n, VehicleState::kPending);
  s.vehicle_type.resize(n);
  s.serve_rp.assign(n, kNoLink);
  s.serve_mask.assign(n, 0);
  s.has_stops.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    s.vehicle_type[v] = demand.types.empty() ? 0u : demand.trips[v].type;
    s.has_stops[v] = demand.trips[v].stops.empty() ? 0 : 1;
  }
  s.lane.assign(n, 0);
  s.pos.assign(n, 0.0f);
  s.speed.assign(n, 0.0f);
  s.new_pos.assign(n, 0.0f);
  s.new_speed.assign(n, 0.0f);
  s.route_pos.assign(n, 0);
  s.routes.resize(n);
  for (std::size_t v = 0; v < n; ++v) s.routes[v] = demand.trips[v].route;
  s.closed.assign(net.edges.size(), 0);
  s.cut_short.assign(n, 0);
  s.edge_time_sum.assign(net.edges.size(), 0.0);
  s.edge_time_count.assign(net.edges.size(), 0);
  s.last_reroute = config.begin_s;
  for (const auto& t : s.types)
    if (std::find(s.graph_classes.begin(), s.graph_classes.end(), t.vclass) ==
        s.graph_classes.end()) {
      s.graph_classes.push_back(t.vclass);
      s.graphs.push_back(std::make_unique<EdgeGraph>(net, t.vclass));
    }
  s.stranded_routers.resize(s.graphs.size());
  s.next_link.assign(n, kNoLink);
  s.standing_since.assign(n, -1.0f);
  s.last_lane_change.assign(n, -1e9f);
  s.stuck_flag.assign(n, 0);
  s.depart_time.assign(n, 0.0);
  s.route_length.assign(n, 0.0);
  s.time_loss.assign(n, 0.0);
  s.waiting_time.assign(n, 0.0);
  for (auto* a : {&s.co2, &s.nox, &s.pm10, &s.fuel}) a->assign(n, 0.0);
  // Emission curves per vehicle type, where the data has its class.
  s.emission_of_type.assign(s.types.size(), -1);
  if (!config.emission_data_dir.empty())
    for (std::size_t t = 0; t < demand.types.size(); ++t) {
      const std::string& c = demand.types[t].emission_class;
      if (c.empty()) continue;
      const std::string dir = config.emission_data_dir + "/PHEMlight";
      if (!std::filesystem::exists(dir + "/" + c + ".PHEMLight.veh")) continue;
      int found = -1;
      for (std::size_t m = 0; m < s.emission_models.size(); ++m)
        if (s.emission_models[m].name() == c) found = static_cast<int>(m);
      if (found < 0) {
        s.emission_models.push_back(EmissionModel::readPhemlight(dir, c));
        found = static_cast<int>(s.emission_models.size() - 1);
      }
      s.emission_of_type[t] = found;
    }
  s.edge_enter_time.assign(n, 0.0);
  s.next_stop.assign(n, 0);
  s.dwelling.assign(n, 0);
  s.dwell_until.assign(n, 0.0);
  s.stop_arrival.assign(n, 0.0);
  s.stop_route_index.resize(n);
  for (std::uint32_t v = 0; v < n; ++v)
    if (!demand.trips[v].stops.empty()) {
      s.buses.push_back(v);
      for (const auto& st : demand.trips[v].stops) s.stop_route_index[v].push_back(st.route_index);
    }
  // Drivers keep a factor of the speed limit (SUMO's speedFactor), drawn per trip from its own
  // stream, so it does not depend on the order vehicles get in.
  s.speed_factor.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    const VehicleType& t =
        demand.types.empty() ? defaultVehicleType(kClassCar) : demand.types[demand.trips[v].type];
    Rng rng(splitmix(config.seed ^ splitmix(v + 1)));
    s.speed_factor[v] = static_cast<float>(std::clamp(
        static_cast<double>(t.speed_factor) + t.speed_factor_dev * rng.normal(), 0.2, 2.0));
  }
  s.open_aggregates.resize(net.edges.size());
  s.aggregate_begin = config.begin_s;
  for (std::uint32_t e = 0; e < net.edges.size(); ++e) s.open_aggregates[e].edge = e;
  s.noise_length.resize(net.edges.size());
  std::vector<double> into_sum(net.edges.size(), 0.0);
  std::vector<std::uint32_t> into_count(net.edges.size(), 0);
  for (const Link& k : net.links) {
    const std::uint32_t e = net.lanes[k.to_lane].edge;
    into_sum[e] += s.lane_length[s.internalLane(static_cast<std::uint32_t>(&k - net.links.data()))];
    ++into_count[e];
  }
  for (std::uint32_t e = 0; e < net.edges.size(); ++e)
    s.noise_length[e] = std::max(0.1f, net.edges[e].length) +
                        (into_count[e] > 0 ? into_sum[e] / into_count[e] : 0.0);
}

TrafficSimulation::~TrafficSimulation() = default;

void TrafficSimulation::Impl::insertDue() {
  const double now = time();
  const std::size_t first_new = waiting_to_insert.size();
  while (next_trip < demand->trips.size() && demand->trips[next_trip].depart <= now + 1e-9)
    waiting_to_insert.push_back(static_cast<std::uint32_t>(next_trip++));
  // With periodic re-routing, departures take the route the latest travel times suggest.
  if (!last_weights.empty() && waiting_to_insert.size() > first_new)
    reroute({waiting_to_insert.begin() + static_cast<std::ptrdiff_t>(first_new),
             waiting_to_insert.end()},
            last_weights);
  std::vector<std::uint32_t> keep;
  for (std::uint32_t v : waiting_to_insert) {
    const Trip& t = trip(v);
    const DriverParams& p = params(v);
    if ((closed[routes[v].front()] & params(v).vclass) != 0) {
      keep.push_back(v);  // its first road is closed: it waits (it was re-routed if it could)
      continue;
    }
    const Edge& edge = net->edges[routes[v].front()];
    std::uint32_t best = kNoLink;
    float best_room = -1.0f;
    for (int pass = 0; pass < 2 && best == kNoLink; ++pass) {
      for (std::uint32_t l = edge.first_lane; l < edge.first_lane + edge.lane_count; ++l) {
        if ((net->lanes[l].allow & p.vclass) == 0) continue;
        if (t.depart_lane >= 0 && l != edge.first_lane + static_cast<std::uint32_t>(t.depart_lane))
          continue;
        route_pos[v] = 0;
        if (pass == 0 && t.depart_lane < 0 && !laneServesRoute(v, l)) continue;
        const auto& occ = occupants[l];
        const float room =
            occ.empty() ? lane_length[l] : pos[occ.back()] - params(occ.back()).length;
        const float front = std::min(p.length, lane_length[l]);
        // An empty lane shorter than the vehicle and its gap still takes it (as SUMO inserts
        // on short lanes): its front stands at the lane's end.
        if (room < front + (occ.empty() ? 0.0f : p.min_gap)) continue;
        if (occ.empty() || pos[occ.back()] - params(occ.back()).length > 0.0f) {
          // Nobody may be crossing the junction into this lane close behind the new vehicle.
          bool clear = true;
          for (std::uint32_t k : incoming[l]) {
            const auto& in = occupants[internalLane(k)];
            if (in.empty()) continue;
            const std::uint32_t w = in.front();  // the one nearest this lane
            const float gap = lane_length[internalLane(k)] - pos[w] + front - p.length;
            if (gap < params(w).min_gap + speed[w] * speed[w] / (2.0f * params(w).decel))
              clear = false;
          }
          if (!clear) continue;
        }
        if (room > best_room) best_room = room, best = l;
      }
    }
    if (best == kNoLink) {
      keep.push_back(v);
      continue;
    }
    state[v] = VehicleState::kRunning;
    lane[v] = best;
    pos[v] = std::min(p.length, lane_length[best]);
    float v0 = t.depart_speed;
    if (v0 < 0.0f) {
      const float gap = best_room - pos[v] - p.min_gap;
      v0 = std::min(desiredSpeed(v, best), std::sqrt(std::max(0.0f, 2.0f * p.decel * gap)));
    }
    speed[v] = std::min(v0, desiredSpeed(v, best));
    route_pos[v] = 0;
    next_link[v] = chooseLink(v, best);
    depart_time[v] = now;
    edge_enter_time[v] = now;
    occupy(best, v);
    ++inserted;
    ++running;
    ++open_aggregates[net->lanes[best].edge].entered;
  }
  waiting_to_insert = std::move(keep);
}

void TrafficSimulation::Impl::followLeaders() {
  const float dt = static_cast<float>(config.time_step_s);
  const int substeps = std::max(1, static_cast<int>(std::ceil(dt / kIdmStep - 1e-4f)));
  const float h = dt / static_cast<float>(substeps);
  auto body = [&](std::size_t l) {
    const auto& occ = occupants[l];
    for (std::size_t idx = 0; idx < occ.size(); ++idx) {
      const std::uint32_t v = occ[idx];
      const DriverParams& p = params(v);
      const float vel = speed[v];
      const float v0 = desiredSpeed(v, static_cast<std::uint32_t>(l));
      const float to_end = lane_length[l] - pos[v];
      float gap = kFarAway, v_lead = 0.0f;
      float stop_at = kFarAway;  // distance to a point it must not pass this step
      float next_speed = kFarAway;
      bool arrives_here = false;
      if (idx > 0) {
        const std::uint32_t w = occ[idx - 1];
        gap = pos[w] - params(w).length - pos[v];
        v_lead = speed[w];
        stop_at = gap;
      }
      // Beyond the end of the lane: the junction, the next lane and who is on it.
      std::uint32_t after = kNoLink;
      float after_dist = to_end;
      if (!isInternal(static_cast<std::uint32_t>(l))) {
        if (route_pos[v] + 1 >= routes[v].size()) {
          arrives_here = true;
        } else {
          const std::uint32_t k = next_link[v];
          if (k == kNoLink || !permit[k]) {
            if (idx == 0) {
              // Stop at the line: an obstacle just beyond it, so IDM's standstill gap ends there.
              gap = to_end + 0.8f * p.min_gap;
              v_lead = 0.0f;
              stop_at = to_end;
            }
          } else {
            const std::uint32_t il = internalLane(k);
            next_speed = lane_speed[il] * speed_factor[v];
            if (idx == 0) {
              if (!occupants[il].empty()) {
                after = il;
              } else {
                after = net->links[k].to_lane;
                after_dist += lane_length[il];
              }
            }
          }
        }
      } else {
        const Link& link = net->links[l - normal_lanes];
        next_speed = lane_speed[link.to_lane] * speed_factor[v];
        if (idx == 0) after = link.to_lane;
      }
      // A lane beyond the junction from which the route does not go on (it would need a lane
      // change there): stop at its end at the latest.
      if (idx == 0) {
        const bool on_internal = isInternal(static_cast<std::uint32_t>(l));
        const std::uint32_t k = on_internal ? static_cast<std::uint32_t>(l - normal_lanes)
                                            : (arrives_here ? kNoLink : next_link[v]);
        const std::uint32_t rp_next = route_pos[v] + 1;
        if (k != kNoLink && (on_internal || permit[k]) && rp_next + 1 < routes[v].size()) {
          const std::uint32_t to = net->links[k].to_lane;
          const Lane& to_lane = net->lanes[to];
          bool goes_on = false;
          for (std::uint32_t q = to_lane.first_link; q < to_lane.first_link + to_lane.link_count;
               ++q)
            goes_on |= net->lanes[net->links[q].to_lane].edge == routes[v][rp_next + 1];
          if (!goes_on) {
            const float end = to_end + (on_internal ? 0.0f : lane_length[internalLane(k)]) +
                              lane_length[to] - 0.01f;
            if (end < stop_at) stop_at = end, gap = std::min(gap, end + 0.8f * p.min_gap);
          }
        }
      }
      if (after != kNoLink && !occupants[after].empty()) {
        const std::uint32_t w = occupants[after].back();
        gap = after_dist + pos[w] - params(w).length;
        v_lead = speed[w];
        stop_at = gap;
      }
      // A bus stops at its stop (a standing obstacle just beyond it) and stays while dwelling.
      if (has_stops[v]) {
        const float d = distanceToStop(v, static_cast<std::uint32_t>(l));
        if (d < stop_at) {
          stop_at = std::max(d, 0.0f);
          gap = std::min(gap, stop_at + 0.8f * p.min_gap);
          v_lead = 0.0f;
        }
      }
      // IDM in sub-steps of at most kIdmStep (as SUMO does): with the leader driving on at its
      // speed in between. One-second Euler steps make dense platoons oscillate.
      float v_new = vel, disp = 0.0f;
      for (int sub = 0; sub < substeps; ++sub) {
        const float g =
            gap >= kFarAway ? kFarAway : gap - disp + v_lead * h * static_cast<float>(sub);
        float acc = idmAcceleration(p, v_new, v0, g, v_lead);
        // A slower limit ahead (a turn): no faster than braking comfortably to it allows.
        if (!arrives_here && next_speed < kFarAway) {
          const float room = std::max(to_end - disp, 0.0f);
          const float cap = std::sqrt(next_speed * next_speed + 2.0f * p.decel * room);
          if (v_new + acc * h > cap) acc = std::max((cap - v_new) / h, -p.decel);
        }
        acc = std::max(acc, -p.emergency_decel);
        const float v_next = std::max(0.0f, v_new + acc * h);
        float d = 0.5f * (v_new + v_next) * h;
        if (v_next == 0.0f && acc < 0.0f) d = std::min(d, v_new * v_new / (-2.0f * acc));
        disp += d;
        v_new = v_next;
      }
      // Never into the vehicle ahead or over a stop line (the leader only moves forward).
      const float limit = std::max(0.0f, stop_at - 0.01f);
      if (disp > limit) {
        disp = limit;
        v_new = std::max(0.0f, std::min(v_new, 2.0f * disp / dt - vel));
      }
      new_speed[v] = v_new;
      new_pos[v] = pos[v] + disp;
    }
  };
  forEachActive(active_lanes.items(), kLaneGrain, body);
}

void TrafficSimulation::Impl::moveVehicles() {
  const float dt = static_cast<float>(config.time_step_s);
  const float now = static_cast<float>(time());
  // Per active lane (by its place in the list): reused buffers, no allocation per step.
  const auto& active = active_lanes.items();
  const std::size_t n = active.size();
  move_leaving.assign(n, 0);
  move_seconds.assign(n, 0.0), move_speed_sum.assign(n, 0.0), move_noise.assign(n, 0.0);
  move_brakes.assign(n, 0);
  move_emitted.assign(emission_models.empty() ? 0 : n, EmissionRates{});
  auto& leaving = move_leaving;
  auto& lane_seconds = move_seconds;
  auto& lane_speed_sum = move_speed_sum;
  auto& brakes = move_brakes;
  auto& lane_emitted = move_emitted;
  auto& lane_noise = move_noise;
  auto body = [&](std::size_t i) {
    const std::uint32_t l = active[i];
    const auto& occ = occupants[l];
    std::uint32_t out = 0;
    for (std::uint32_t v : occ) {
      const DriverParams& p = params(v);
      const float disp = new_pos[v] - pos[v];
      if (speed[v] - new_speed[v] > 0.9f * p.emergency_decel * dt) ++brakes[i];
      route_length[v] += disp;
      const float allowed = desiredSpeed(v, l);
      // Time at a bus stop is scheduled, not lost (as SUMO counts it).
      if (!dwelling[v]) time_loss[v] += dt * std::max(0.0f, 1.0f - (disp / dt) / allowed);
      const int model = emission_of_type[vehicle_type[v]];
      if (model >= 0) {
        const EmissionRates r = emission_models[static_cast<std::size_t>(model)].rates(
            disp / dt, (new_speed[v] - speed[v]) / dt);
        co2[v] += r.co2 * dt, nox[v] += r.nox * dt, pm10[v] += r.pm10 * dt, fuel[v] += r.fuel * dt;
        auto& e = lane_emitted[i];
        e.co2 += r.co2 * dt, e.nox += r.nox * dt, e.pm10 += r.pm10 * dt, e.fuel += r.fuel * dt;
      }
      const NoiseCategory noisy = noise_of_type[vehicle_type[v]];
      if (noisy != NoiseCategory::kNone) lane_noise[i] += noise.power(noisy, disp / dt) * dt;
      speed[v] = new_speed[v];
      pos[v] = new_pos[v];
      if (speed[v] < kStandingSpeed) {
        waiting_time[v] += dt;
        if (dwelling[v]) {
          standing_since[v] = -1.0f;  // a bus at its stop is not stuck
        } else {
          if (standing_since[v] < 0.0f) standing_since[v] = now;
          if (!stuck_flag[v] && now + dt - standing_since[v] > config.stuck_after_s)
            stuck_flag[v] = 1;
        }
      } else {
        standing_since[v] = -1.0f;
      }
      lane_seconds[i] += dt;
      lane_speed_sum[i] += speed[v] * dt;
      if (pos[v] >= lane_length[l]) ++out;
    }
    leaving[i] = out;
  };
  forEachIndex(n, kLaneGrain, body);
  for (std::size_t i = 0; i < n; ++i) {
    if (isInternal(active[i])) continue;
    auto& agg = open_aggregates[net->lanes[active[i]].edge];
    agg.sampled_seconds += lane_seconds[i];
    agg.speed_sum += lane_speed_sum[i];
  }
  // Emissions and noise on a junction path count for the road it leads onto.
  auto edgeOf = [&](std::size_t l) {
    return isInternal(static_cast<std::uint32_t>(l))
               ? net->lanes[net->links[l - normal_lanes].to_lane].edge
               : net->lanes[l].edge;
  };
  for (std::size_t i = 0; i < lane_emitted.size(); ++i) {
    auto& agg = open_aggregates[edgeOf(active[i])];
    agg.co2_g += lane_emitted[i].co2;
    agg.nox_g += lane_emitted[i].nox;
    agg.pm10_g += lane_emitted[i].pm10;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (lane_noise[i] > 0.0)
      open_aggregates[edgeOf(active[i])].noise_power_seconds += lane_noise[i];
  for (auto b : brakes) emergency_brakes += b;
  // Vehicles past the end of their lane move on, lane by lane in index order. (The lanes they
  // move onto are marked; the list itself changes only at the next refresh.)
  const double end_of_step = time() + config.time_step_s;
  std::vector<std::uint32_t>& movers = move_movers;
  for (std::size_t i = 0; i < n; ++i) {
    if (leaving[i] == 0) continue;
    const std::uint32_t l = active[i];
    auto& occ = occupants[l];
    movers.assign(occ.begin(), occ.begin() + leaving[i]);
    occ.erase(occ.begin(), occ.begin() + leaving[i]);
    for (std::uint32_t v : movers) {
      float overflow = pos[v] - lane_length[l];
      auto cur = static_cast<std::uint32_t>(l);
      for (;;) {
        if (!isInternal(cur)) {
          const auto& route = routes[v];
          auto& agg = open_aggregates[net->lanes[cur].edge];
          if (route_pos[v] + 1 >= route.size()) {
            // Arrived at the end of its route.
            route_length[v] -= overflow;
            ++agg.left;
            agg.travel_time_sum += end_of_step - edge_enter_time[v];
            edge_time_sum[net->lanes[cur].edge] += end_of_step - edge_enter_time[v];
            ++edge_time_count[net->lanes[cur].edge];
            state[v] = VehicleState::kArrived;
            --running;
            ++arrived;
            TripRecord r;
            r.trip = v;
            r.depart_s = depart_time[v];
            r.arrival_s = end_of_step;
            r.depart_delay_s = depart_time[v] - trip(v).depart;
            r.route_length_m = route_length[v];
            r.time_loss_s = time_loss[v];
            r.waiting_time_s = waiting_time[v];
            r.co2_g = co2[v], r.nox_g = nox[v], r.pm10_g = pm10[v], r.fuel_g = fuel[v];
            records.push_back(r);
            break;
          }
          const std::uint32_t k = next_link[v];
          if (k == kNoLink) {  // no way on from this lane: wait at its end for a lane change
            // (It crossed a lane too short to stop on in this step: it waits at its end.)
            pos[v] = lane_length[cur] - 0.01f;
            lane[v] = cur;
            auto& o = occupants[cur];
            o.insert(o.begin(), v);
            active_lanes.mark(cur);
            break;
          }
          ++agg.left;
          agg.travel_time_sum += end_of_step - edge_enter_time[v];
          edge_time_sum[net->lanes[cur].edge] += end_of_step - edge_enter_time[v];
          ++edge_time_count[net->lanes[cur].edge];
          cur = internalLane(k);
        } else {
          const Link& link = net->links[cur - normal_lanes];
          ++route_pos[v];
          cur = link.to_lane;
          next_link[v] = chooseLink(v, cur);
          edge_enter_time[v] = end_of_step;
          ++open_aggregates[net->lanes[cur].edge].entered;
        }
        if (overflow < lane_length[cur]) {
          pos[v] = overflow;
          lane[v] = cur;
          auto& o = occupants[cur];
          auto at = o.end();
          while (at != o.begin() && pos[*(at - 1)] < pos[v]) --at;
          o.insert(at, v);
          active_lanes.mark(cur);
          break;
        }
        overflow -= lane_length[cur];
      }
    }
  }
}

float TrafficSimulation::Impl::distanceToStop(std::uint32_t v, std::uint32_t l) const {
  const auto& stops = trip(v).stops;
  if (next_stop[v] >= stops.size()) return kFarAway;
  if (dwelling[v]) return 0.0f;
  const TripStop& s = stops[next_stop[v]];
  const std::uint32_t at = stop_route_index[v][next_stop[v]];
  if (!isInternal(l)) {
    if (route_pos[v] == at) return s.pos - pos[v];
    const std::uint32_t k = next_link[v];
    if (route_pos[v] + 1 == at && k != kNoLink)
      return lane_length[l] - pos[v] + lane_length[internalLane(k)] + s.pos;
    return kFarAway;
  }
  // On a junction path the route position is still the edge it came from.
  if (route_pos[v] + 1 == at) return lane_length[l] - pos[v] + s.pos;
  return kFarAway;
}

void TrafficSimulation::Impl::serveStops() {
  const double end_of_step = time() + config.time_step_s;
  for (const std::uint32_t v : buses) {
    if (state[v] != VehicleState::kRunning) continue;
    const auto& stops = trip(v).stops;
    // Stops on a closed road are left out (the bus diverts round them).
    while (next_stop[v] < stops.size() && stop_route_index[v][next_stop[v]] == kNoLink)
      ++next_stop[v], ++stops_skipped;
    if (next_stop[v] >= stops.size()) continue;
    const TripStop& s = stops[next_stop[v]];
    if (!dwelling[v]) {
      // Standing within a few metres of the stop: doors open.
      if (speed[v] < kStandingSpeed && !isInternal(lane[v]) &&
          route_pos[v] == stop_route_index[v][next_stop[v]] && pos[v] > s.pos - 3.0f) {
        dwelling[v] = 1;
        stop_arrival[v] = end_of_step;
        dwell_until[v] = std::max(end_of_step + s.min_dwell_s, s.departure_s);
      }
    } else if (end_of_step >= dwell_until[v]) {
      dwelling[v] = 0;
      stop_records.push_back({v, next_stop[v], stop_arrival[v], end_of_step});
      ++next_stop[v];
    }
  }
}

void TrafficSimulation::Impl::closeAggregates(double until) {
  for (auto& a : open_aggregates) {
    if (a.entered == 0 && a.left == 0 && a.sampled_seconds == 0.0) continue;
    EdgeAggregate done = a;
    done.noise_length_m = noise_length[a.edge];
    done.begin_s = aggregate_begin;
    done.end_s = until;
    aggregates.push_back(done);
    const std::uint32_t e = a.edge;
    a = EdgeAggregate{};
    a.edge = e;
  }
  aggregate_begin = until;
}

void TrafficSimulation::step() {
  Impl& s = *impl_;
  if (s.config.reroute_interval_s > 0.0 &&
      s.time() - s.last_reroute >= s.config.reroute_interval_s - 1e-9)
    s.periodicReroute();
  s.insertDue();
  s.refreshActiveLanes();
  s.updateSignals();
  s.changeLanes();
  s.refreshActiveLanes();
  s.controlJunctions();
  s.followLeaders();
  s.updates += s.running;
  s.moveVehicles();
  s.refreshActiveLanes();
  s.rerouteStranded();
  s.serveStops();
  ++s.steps;
  if (s.config.aggregate_interval_s > 0.0 &&
      s.time() - s.aggregate_begin >= s.config.aggregate_interval_s - 1e-9)
    s.closeAggregates(s.time());
}

bool TrafficSimulation::finished() const {
  const Impl& s = *impl_;
  if (s.time() >= s.config.end_s - 1e-9) return true;
  return s.next_trip >= s.demand->trips.size() && s.waiting_to_insert.empty() && s.running == 0;
}

void TrafficSimulation::run(const std::function<void(double)>& progress,
                            const std::atomic<bool>* cancel) {
  const Impl& s = *impl_;
  const double total = static_cast<double>(std::max<std::size_t>(1, s.demand->trips.size()));
  const double span = std::max(1e-9, s.config.end_s - s.config.begin_s);
  std::size_t since = 0;
  while (!finished()) {
    if (cancel && cancel->load()) return;
    step();
    if (progress && ++since >= 50) {
      since = 0;
      progress(std::min(1.0, std::max((time() - s.config.begin_s) / span,
                                      static_cast<double>(s.arrived) / total)));
    }
  }
  if (progress) progress(1.0);
}

double TrafficSimulation::time() const {
  return impl_->time();
}
std::size_t TrafficSimulation::runningCount() const {
  return impl_->running;
}
int TrafficSimulation::threads() const {
  return impl_->threads;
}
const Network& TrafficSimulation::network() const {
  return *impl_->net;
}
const Demand& TrafficSimulation::demand() const {
  return *impl_->demand;
}
const std::vector<TripRecord>& TrafficSimulation::trips() const {
  return impl_->records;
}
const std::vector<StopRecord>& TrafficSimulation::stops() const {
  return impl_->stop_records;
}

TrafficSummary TrafficSimulation::summary() const {
  const Impl& s = *impl_;
  TrafficSummary out;
  out.vehicles_total = s.demand->trips.size();
  out.vehicles_inserted = s.inserted;
  out.vehicles_arrived = s.arrived;
  out.vehicles_running = s.running;
  out.vehicles_waiting = s.waiting_to_insert.size() + (s.demand->trips.size() - s.next_trip);
  for (auto f : s.stuck_flag) out.vehicles_stuck += f;
  double dur = 0, loss = 0, len = 0, wait = 0, delay = 0, spd = 0;
  for (const auto& r : s.records) {
    const double d = r.arrival_s - r.depart_s;
    dur += d;
    loss += r.time_loss_s;
    len += r.route_length_m;
    wait += r.waiting_time_s;
    delay += r.depart_delay_s;
    spd += d > 0.0 ? r.route_length_m / d : 0.0;
  }
  if (!s.records.empty()) {
    const double n = static_cast<double>(s.records.size());
    out.mean_trip_duration_s = dur / n;
    out.mean_time_loss_s = loss / n;
    out.mean_route_length_m = len / n;
    out.mean_waiting_time_s = wait / n;
    out.mean_depart_delay_s = delay / n;
    out.mean_speed_m_s = spd / n;
  }
  out.steps = s.steps;
  out.vehicle_updates = s.updates;
  out.simulated_time_s = static_cast<double>(s.steps) * s.config.time_step_s;
  out.emergency_brakes = s.emergency_brakes;
  // Where vehicles stand still now (gridlock detection: nothing there moves any more).
  std::map<std::uint32_t, std::size_t> stuck_by_edge;
  for (std::uint32_t l = 0; l < s.occupants.size(); ++l)
    for (std::uint32_t v : s.occupants[l])
      if (s.standingTooLong(v))
        ++stuck_by_edge[s.isInternal(l)
                            ? s.net->lanes[s.net->links[l - s.normal_lanes].from_lane].edge
                            : s.net->lanes[l].edge];
  out.stuck_now.assign(stuck_by_edge.begin(), stuck_by_edge.end());
  std::stable_sort(out.stuck_now.begin(), out.stuck_now.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.stuck_now.size() > 20) out.stuck_now.resize(20);
  out.reroutes = s.reroutes;
  out.stranded_reroutes = s.stranded_reroutes;
  out.reroute_failures = s.reroute_failures;
  out.trips_cut_short = s.trips_cut_short;
  // Everything emitted, by vehicles still driving too.
  for (std::size_t v = 0; v < s.co2.size(); ++v) {
    out.co2_kg += s.co2[v] / 1000.0;
    out.nox_g += s.nox[v];
    out.pm10_g += s.pm10[v];
    out.fuel_kg += s.fuel[v] / 1000.0;
  }
  for (const auto& m : s.emission_models) out.emission_classes.push_back(m.name());
  for (std::size_t t = 0; t < s.demand->types.size(); ++t)
    if (s.emission_of_type[t] < 0) out.types_without_emissions.push_back(s.demand->types[t].id);
  out.bus_trips = s.buses.size();
  out.bus_stop_calls = s.stop_records.size();
  out.bus_stops_skipped = s.stops_skipped;
  std::size_t on_time = 0, timetabled = 0;
  for (const auto& r : s.stop_records) {
    const double scheduled = s.demand->trips[r.trip].stops[r.stop].arrival_s;
    if (scheduled < 0.0) continue;  // a stop without a timetable is never late
    const double late = r.arrival_s - scheduled;
    out.mean_bus_delay_s += late;
    on_time += late <= 180.0;
    ++timetabled;
  }
  if (timetabled > 0) {
    out.mean_bus_delay_s /= static_cast<double>(timetabled);
    out.bus_on_time_share = static_cast<double>(on_time) / static_cast<double>(timetabled);
  }
  return out;
}

std::vector<EdgeAggregate> TrafficSimulation::edgeAggregates() const {
  const Impl& s = *impl_;
  std::vector<EdgeAggregate> out = s.aggregates;
  for (const auto& a : s.open_aggregates) {
    if (a.entered == 0 && a.left == 0 && a.sampled_seconds == 0.0) continue;
    EdgeAggregate open = a;
    open.noise_length_m = s.noise_length[a.edge];
    open.begin_s = s.aggregate_begin;
    open.end_s = s.time();
    out.push_back(open);
  }
  return out;
}

void TrafficSimulation::forEachVehicle(const std::function<void(const VehicleView&)>& visit) const {
  const Impl& s = *impl_;
  for (std::uint32_t l : s.active_lanes.items())
    for (std::uint32_t v : s.occupants[l]) visit({v, l, s.pos[v], s.speed[v]});
}

void TrafficSimulation::forEachVehicleOn(
    std::uint32_t lane, const std::function<void(const VehicleView&)>& visit) const {
  const Impl& s = *impl_;
  for (std::uint32_t v : s.occupants[lane]) visit({v, lane, s.pos[v], s.speed[v]});
}

std::size_t TrafficSimulation::vehicleCountOn(std::uint32_t lane) const {
  return impl_->occupants[lane].size();
}

std::optional<VehicleView> TrafficSimulation::vehicle(std::uint32_t trip) const {
  const Impl& s = *impl_;
  if (trip >= s.state.size() || s.state[trip] != VehicleState::kRunning) return std::nullopt;
  return VehicleView{trip, s.lane[trip], s.pos[trip], s.speed[trip]};
}

geodata::Vec2 TrafficSimulation::position(const VehicleView& v, double* heading) const {
  const Impl& s = *impl_;
  if (!s.isInternal(v.lane)) return s.net->pointOnLane(v.lane, v.pos, heading);
  const Link& link = s.net->links[v.lane - s.normal_lanes];
  if (link.internal_end > link.internal_begin)
    return s.net->pointOnShape(link.internal_begin, link.internal_end,
                               v.pos / s.lane_length[v.lane], heading);
  return s.net->pointOnLane(link.to_lane, 0.0f, heading);
}

std::uint64_t TrafficSimulation::stateHash() const {
  const Impl& s = *impl_;
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::uint32_t x) {
    for (int b = 0; b < 4; ++b) h = (h ^ ((x >> (8 * b)) & 0xffu)) * 1099511628211ull;
  };
  for (std::uint32_t l = 0; l < s.occupants.size(); ++l)
    for (std::uint32_t v : s.occupants[l]) {
      mix(l);
      mix(v);
      mix(std::bit_cast<std::uint32_t>(s.pos[v]));
      mix(std::bit_cast<std::uint32_t>(s.speed[v]));
    }
  mix(static_cast<std::uint32_t>(s.arrived));
  return h;
}

}  // namespace citytwin::engine::traffic
