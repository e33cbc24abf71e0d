#pragma once
// The state of a traffic simulation, shared by its phases (insertion, junction control, lane
// changes, car following, movement). Internal to the engine.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "active_set.hpp"
#include "citytwin/engine/traffic/emissions.hpp"
#include "citytwin/engine/traffic/noise.hpp"
#include "citytwin/engine/traffic/router.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"

namespace citytwin::engine::traffic {

constexpr std::uint32_t kNoLink = std::numeric_limits<std::uint32_t>::max();
constexpr float kFarAway = 1e9f;
constexpr float kStandingSpeed = 0.1f;  ///< below this a vehicle waits (SUMO's threshold)

/// The vehicle in front of a lane, heading for one of its links, as junction control sees it.
struct JunctionApproach {
  std::uint32_t vehicle = kNoLink;
  float dist = 0.0f, speed = 0.0f, arrive = kFarAway, wait = 0.0f;
  bool stopped = false;
  bool present() const { return vehicle != kNoLink; }
};

/// IDM parameters of a type, flattened for the hot loop.
struct DriverParams {
  float length, min_gap, max_speed, accel, decel, emergency_decel, headway, delta;
  float politeness, change_threshold;
  ClassMask vclass;
};

/// Acceleration of the Intelligent Driver Model; `gap` is bumper to bumper (kFarAway: free).
inline float idmAcceleration(const DriverParams& p, float v, float v0, float gap, float v_lead) {
  float free_term = 1.0f;
  if (v0 > 0.01f) {
    const float r = v / v0;
    // delta = 4 (the default, and SUMO's) as two squarings: pow is a tenth of the step.
    free_term = p.delta == 4.0f ? (r * r) * (r * r) : std::pow(r, p.delta);
  }
  if (gap >= kFarAway) return p.accel * (1.0f - free_term);
  const float s_star =
      p.min_gap +
      std::max(0.0f, v * p.headway + v * (v - v_lead) / (2.0f * std::sqrt(p.accel * p.decel)));
  const float s = std::max(gap, 0.01f);
  return p.accel * (1.0f - free_term - (s_star / s) * (s_star / s));
}

enum class VehicleState : std::uint8_t { kPending, kRunning, kArrived };

struct TrafficSimulation::Impl {
  const Network* net = nullptr;
  const Demand* demand = nullptr;
  TrafficConfig config;
  int threads = 1;
  tbb::task_arena arena;
  std::size_t steps = 0;
  std::size_t normal_lanes = 0;  ///< lanes [0, normal_lanes) are the network's; then one per link

  std::vector<DriverParams> types;
  std::vector<EmissionModel> emission_models;
  std::vector<int> emission_of_type;  ///< index into emission_models, -1: none
  NoiseEmission noise;
  std::vector<NoiseCategory> noise_of_type;

  // Vehicles, one slot per trip (structure of arrays).
  std::vector<VehicleState> state;
  std::vector<std::uint32_t> lane;
  std::vector<float> pos, speed, new_pos, new_speed;
  std::vector<float> speed_factor;
  std::vector<std::vector<std::uint32_t>> routes;  ///< per vehicle; re-routing replaces the rest
  std::vector<std::uint32_t> route_pos;  ///< index into the vehicle's route of the current edge
  std::vector<std::uint32_t> next_link;  ///< link at the end of the current (normal) lane
  std::vector<float> standing_since;     ///< time it came to a stop; <0 while moving
  std::vector<float> last_lane_change;
  std::vector<std::uint8_t> stuck_flag;
  std::vector<double> depart_time, route_length, time_loss, waiting_time;
  std::vector<double> co2, nox, pm10, fuel;  ///< per vehicle, grams so far
  std::vector<double> edge_enter_time;
  // Buses: the next stop of each vehicle, and when it may leave the one it stands at.
  std::vector<std::uint32_t> buses;  ///< vehicles with stops
  std::vector<std::uint32_t> next_stop;
  /// Per bus, the route index of each stop (TripStop::route_index until a diversion moves it;
  /// kNoLink: skipped, its road is closed).
  std::vector<std::vector<std::uint32_t>> stop_route_index;
  std::size_t stops_skipped = 0;
  std::vector<std::uint8_t> dwelling;
  std::vector<double> dwell_until, stop_arrival;
  std::vector<StopRecord> stop_records;
  /// Metres from the vehicle on lane `l` to its next stop along its way, or kFarAway.
  float distanceToStop(std::uint32_t v, std::uint32_t l) const;
  void serveStops();

  // Lanes: network lanes, then one junction path per link. Front vehicle first.
  std::vector<std::vector<std::uint32_t>> occupants;
  std::vector<float> lane_length, lane_speed;
  std::vector<std::vector<std::uint32_t>> incoming;  ///< per network lane, the links into it
  /// Lanes with vehicles (sorted): the phases visit these only. Every push onto a lane marks
  /// it; refreshActiveLanes() drops the emptied ones.
  ActiveSet active_lanes;
  void occupy(std::uint32_t l, std::uint32_t v) {
    occupants[l].push_back(v);
    active_lanes.mark(l);
  }
  void refreshActiveLanes() {
    active_lanes.refresh([&](std::uint32_t l) { return !occupants[l].empty(); });
  }
  /// Junction control visits the live links only: per lane with vehicles, the link its front
  /// vehicle heads for; grouped by junction (junction_ranges into live_links).
  std::vector<std::uint32_t> live_links, live_before;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> junction_ranges;
  std::vector<std::uint8_t> link_live;
  std::vector<JunctionApproach> approaches;  ///< per link, valid where approach_step == steps
  std::vector<std::size_t> approach_step;
  std::vector<std::uint32_t> signalled_links;  ///< links with a signal, in index order
  std::vector<std::uint32_t> link_slot;        ///< per link, its place in its junction's links
  std::vector<std::uint32_t> edges_changing;   ///< multi-lane roads with vehicles, this step
  // moveVehicles' buffers, per active lane, kept from step to step.
  std::vector<std::uint32_t> move_leaving, move_brakes, move_movers;
  std::vector<double> move_seconds, move_speed_sum, move_noise;
  std::vector<EmissionRates> move_emitted;
  /// Runs `body(i)` for every item, in parallel when there are enough to share.
  template <typename Body>
  void forEachActive(const std::vector<std::uint32_t>& items, std::size_t grain, Body&& body);
  /// The same for the indices 0 .. count - 1.
  template <typename Body>
  void forEachIndex(std::size_t count, std::size_t grain, Body&& body);

  // Junction control, per link: may the vehicle in front of its lane go on this step.
  std::vector<std::uint8_t> permit;
  std::vector<SignalState> signal_state;     ///< per link, kOffMajor where none
  std::vector<std::uint32_t> permit_holder;  ///< per link, the vehicle the go was for
  std::vector<std::uint32_t> clearing;       ///< per link, a turner clearing after its green

  // Demand bookkeeping.
  std::size_t next_trip = 0;                     ///< trips before this are due or done
  std::vector<std::uint32_t> waiting_to_insert;  ///< due, not yet in (no room), in order

  // Results.
  std::vector<TripRecord> records;
  std::size_t inserted = 0, arrived = 0, stuck = 0, running = 0;
  std::uint64_t updates = 0;
  std::size_t emergency_brakes = 0;
  std::vector<EdgeAggregate> aggregates;       ///< finished intervals
  std::vector<EdgeAggregate> open_aggregates;  ///< per edge, the running interval
  double aggregate_begin = 0.0;
  std::vector<double> noise_length;  ///< per edge, EdgeAggregate::noise_length_m

  double time() const { return config.begin_s + static_cast<double>(steps) * config.time_step_s; }
  std::uint32_t internalLane(std::uint32_t link) const {
    return static_cast<std::uint32_t>(normal_lanes) + link;
  }
  bool isInternal(std::uint32_t l) const { return l >= normal_lanes; }
  const Trip& trip(std::uint32_t v) const { return demand->trips[v]; }
  /// Per vehicle, its type and whether it has stops, beside the other per-vehicle arrays: the
  /// hot loops never touch the (large, scattered) Trip records.
  std::vector<std::uint32_t> vehicle_type;
  std::vector<std::uint8_t> has_stops;
  const DriverParams& params(std::uint32_t v) const { return types[vehicle_type[v]]; }
  /// The speed a vehicle would drive on lane `l` with a free road.
  float desiredSpeed(std::uint32_t v, std::uint32_t l) const {
    return std::min(lane_speed[l] * speed_factor[v], params(v).max_speed);
  }
  /// The link to take at the end of normal lane `l` for vehicle `v`, or kNoLink.
  std::uint32_t chooseLink(std::uint32_t v, std::uint32_t l) const;
  /// The same for lane `l` being on route edge `rp`.
  std::uint32_t chooseLinkAt(std::uint32_t v, std::uint32_t l, std::uint32_t rp) const;
  /// Lanes of the current edge from which the route goes on furthest without a lane change
  /// (all lanes on the last edge).
  bool laneServesRoute(std::uint32_t v, std::uint32_t l) const;
  /// laneServesRoute's answers for a vehicle's current edge, one bit per lane, valid while
  /// serve_rp[v] == route_pos[v] (kNoLink: none; a new route clears it).
  mutable std::vector<std::uint32_t> serve_rp, serve_mask;
  /// Metres of route (up to `horizon`) drivable from lane `l` on route edge `rp` without
  /// changing lanes.
  float continuation(std::uint32_t v, std::uint32_t l, std::uint32_t rp, float horizon,
                     int depth) const;

  // Re-routing: closures, observed travel times, one graph per vehicle class.
  std::vector<ClassMask> closed;               ///< per edge, the classes it is closed to
  std::vector<double> edge_time_sum;           ///< travel times of vehicles that left, per edge
  std::vector<std::uint32_t> edge_time_count;  ///< since the last re-routing
  double last_reroute = 0.0;
  std::vector<float> last_weights;  ///< of the last periodic re-routing (departures use them)
  std::size_t reroutes = 0, reroute_failures = 0;
  std::vector<std::uint8_t> cut_short;  ///< per vehicle: its trip ends before a closed road
  std::size_t trips_cut_short = 0;
  std::vector<ClassMask> graph_classes;
  std::vector<std::unique_ptr<EdgeGraph>> graphs;
  /// New routes from where each selected vehicle is to its destination, with `weights` (s per
  /// edge; +inf closed). Pending vehicles get a whole new route.
  void reroute(const std::vector<std::uint32_t>& vehicles, const std::vector<float>& weights);
  std::vector<float> currentWeights(bool observed) const;
  void periodicReroute();

  /// Standing for longer than stuck_after_s (SUMO's time-to-teleport) now.
  bool standingTooLong(std::uint32_t v) const {
    return standing_since[v] >= 0.0f && time() - standing_since[v] > config.stuck_after_s;
  }
  /// The vehicle `v` waits for (ahead on its lane, on the road it would move onto, on a
  /// crossing path, or one it gives way to), or kNoLink.
  std::uint32_t blockerOf(std::uint32_t v, WaitReason* why = nullptr) const;
  /// Cycles of vehicles, each standing for stuck_after_s and waiting for the next.
  std::vector<std::vector<std::uint32_t>> waitCycles() const;

  /// Vehicles standing at the end of a lane that does not lead on take a way on from it.
  void rerouteStranded();
  std::vector<std::unique_ptr<Router>> stranded_routers;  ///< per graph class, made when needed
  std::size_t stranded_reroutes = 0;

  void insertDue();
  void updateSignals();
  void controlJunctions();
  void changeLanes();
  void followLeaders();
  void moveVehicles();
  void closeAggregates(double until);
};

template <typename Body>
void TrafficSimulation::Impl::forEachIndex(std::size_t count, std::size_t grain, Body&& body) {
  // Sharing a few hundred items costs more than it saves (fork and join take microseconds):
  // in parallel only from four chunks up.
  if (threads <= 1 || count < 4 * grain) {
    for (std::size_t k = 0; k < count; ++k) body(k);
    return;
  }
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t k = r.begin(); k != r.end(); ++k) body(k);
                      });
  });
}

template <typename Body>
void TrafficSimulation::Impl::forEachActive(const std::vector<std::uint32_t>& items,
                                            std::size_t grain, Body&& body) {
  forEachIndex(items.size(), grain, [&](std::size_t k) { body(items[k]); });
}

}  // namespace citytwin::engine::traffic
