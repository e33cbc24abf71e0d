#pragma once
// Microscopic traffic: vehicles follow their leaders with the Intelligent Driver Model
// (Treiber et al. 2000), change lanes with MOBIL (Kesting et al. 2007) and when their route
// needs another lane, and cross junctions by their signals and right of way, one vehicle per
// conflict area at a time. Vehicles live in structure-of-arrays storage; each step runs in
// phases that read the state at the start of the step and write their own part only, in
// parallel over junctions, edges and lanes, so results are the same on any number of threads.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

struct TrafficConfig {
  double begin_s = 0.0;
  double end_s = 86400.0;        ///< the run stops here even when vehicles are still driving
  double time_step_s = 1.0;      ///< SUMO's default step
  std::uint64_t seed = 42;       ///< draws the drivers' speed factors
  double stuck_after_s = 300.0;  ///< standing this long counts as stuck (SUMO's time-to-teleport)
  double aggregate_interval_s = 900.0;  ///< per-edge aggregates
  /// Every this many seconds, vehicles re-route on the travel times observed since the last
  /// time (SUMO's rerouting device); 0: never (they still re-route when a road closes).
  double reroute_interval_s = 0.0;
  /// Folder holding PHEMlight/ with the emission curves (assets/data/emissions); empty: no
  /// emissions computed.
  std::string emission_data_dir;
};

/// What one vehicle did, written when it arrives (SUMO's tripinfo).
struct TripRecord {
  std::uint32_t trip = 0;  ///< index in Demand::trips
  double depart_s = 0.0;   ///< when it entered the network
  double arrival_s = 0.0;
  double depart_delay_s = 0.0;  ///< from the wanted departure to entering
  double route_length_m = 0.0;
  double time_loss_s = 0.0;     ///< time lost against driving at its allowed speed all the way
  double waiting_time_s = 0.0;  ///< time spent below 0.1 m/s
  double co2_g = 0.0, nox_g = 0.0, pm10_g = 0.0, fuel_g = 0.0;  ///< exhaust (emissions.hpp)
};

/// A bus at one of its stops.
struct StopRecord {
  std::uint32_t trip = 0;  ///< index in Demand::trips
  std::uint32_t stop = 0;  ///< index in the trip's stops
  double arrival_s = 0.0, departure_s = 0.0;
};

struct TrafficSummary {
  std::size_t vehicles_total = 0;  ///< trips in the demand
  std::size_t vehicles_inserted = 0;
  std::size_t vehicles_arrived = 0;
  std::size_t vehicles_running = 0;  ///< still on the road at the end
  std::size_t vehicles_waiting = 0;  ///< due but not yet inserted at the end (no room)
  std::size_t vehicles_stuck = 0;    ///< distinct vehicles that stood for stuck_after_s
  double mean_trip_duration_s = 0.0;
  double mean_time_loss_s = 0.0;
  double mean_route_length_m = 0.0;
  double mean_waiting_time_s = 0.0;
  double mean_depart_delay_s = 0.0;
  double mean_speed_m_s = 0.0;  ///< route length over duration, averaged over trips
  std::size_t steps = 0;
  std::uint64_t vehicle_updates = 0;  ///< vehicles moved, summed over steps
  double simulated_time_s = 0.0;
  std::size_t emergency_brakes = 0;  ///< decelerations beyond the comfortable, to avoid a crash
  /// Roads where vehicles stand now for longer than stuck_after_s (a jam that does not move,
  /// or a gridlock), most first, at most 20: (edge, vehicles).
  std::vector<std::pair<std::uint32_t, std::size_t>> stuck_now;
  std::size_t reroutes = 0;  ///< routes changed (closures and periodic re-routing)
  /// Vehicles that stood at the end of a lane not leading on along their route (the lanes
  /// beside full) and took another way on from it.
  std::size_t stranded_reroutes = 0;
  std::size_t reroute_failures = 0;  ///< vehicles that found no way round a closure
  /// Trips whose destination lies beyond a closed road with no other way in: they end at the
  /// last open road before it.
  std::size_t trips_cut_short = 0;
  double co2_kg = 0.0, nox_g = 0.0, pm10_g = 0.0, fuel_kg = 0.0;  ///< all vehicles, whole run
  std::vector<std::string> emission_classes;                      ///< with data, as used
  std::vector<std::string> types_without_emissions;  ///< vehicle types left out of the totals
  std::size_t bus_trips = 0;                         ///< trips with stops in the demand
  std::size_t bus_stop_calls = 0;                    ///< stops served
  std::size_t bus_stops_skipped = 0;  ///< stops on closed roads that buses diverted round
  double mean_bus_delay_s = 0.0;      ///< arrival at a stop against the timetable
  double bus_on_time_share = 0.0;     ///< of stop calls, arriving at most 3 minutes late
};

/// Per edge and interval: vehicles that entered, mean speed, density, travel time.
struct EdgeAggregate {
  double begin_s = 0.0, end_s = 0.0;
  std::uint32_t edge = 0;
  std::uint32_t entered = 0;
  std::uint32_t left = 0;
  double sampled_seconds = 0.0;                   ///< vehicle-seconds spent on the edge
  double speed_sum = 0.0;                         ///< over those vehicle-seconds
  double travel_time_sum = 0.0;                   ///< of the vehicles that left
  double co2_g = 0.0, nox_g = 0.0, pm10_g = 0.0;  ///< emitted on the edge
  /// Noise energy emitted on the edge: CNOSSOS-EU sound power ratio times seconds, summed over
  /// vehicles (noise.hpp turns it into dB(A) per metre).
  double noise_power_seconds = 0.0;
  /// Metres the noise spreads over: the edge plus the mean junction path onto it (which counts
  /// for the edge), so that short edges between close junctions do not read loud.
  double noise_length_m = 0.0;
};

struct VehicleView {
  std::uint32_t trip;
  std::uint32_t lane;  ///< a network lane, or lanes.size() + link for a junction path
  float pos, speed;
};

/// Why a standing vehicle waits.
enum class WaitReason : std::uint8_t {
  kUnknown,          ///< at a junction that holds it, with no vehicle to name
  kVehicleAhead,     ///< the vehicle in front on its lane
  kNoRoomBehind,     ///< the road beyond the junction is full
  kSignal,           ///< red
  kCrossingInUse,    ///< a crossing path is in use
  kGivesWay,         ///< it gives way to a vehicle waiting at another line
  kNoWayOnFromLane,  ///< its lane does not lead on: it needs a lane change
  kStop,             ///< at a stop
  kCount
};
const char* waitReasonName(WaitReason reason);

class TrafficSimulation {
 public:
  /// `threads` <= 0: all cores. The network and demand must outlive the simulation.
  TrafficSimulation(const Network& net, const Demand& demand, TrafficConfig config,
                    int threads = 0);
  ~TrafficSimulation();

  void step();
  bool finished() const;
  /// Closes a road to `classes` from now on (an intervention): every vehicle whose remaining
  /// route uses it, and every one not yet on the road, takes a new route; vehicles already on
  /// it drive off; those due to start on it start where their route leaves it. Where the only
  /// way to a destination crosses it, the trip ends at the last open road before it.
  void closeEdge(std::uint32_t edge, ClassMask classes = kClassAllVehicles);
  void reopenEdge(std::uint32_t edge);
  void run(const std::function<void(double)>& progress = {},
           const std::atomic<bool>* cancel = nullptr);

  double time() const;
  std::size_t runningCount() const;
  TrafficSummary summary() const;
  const std::vector<TripRecord>& trips() const;
  /// Every stop a bus has served, in the order they left.
  const std::vector<StopRecord>& stops() const;
  /// Aggregates of every finished interval, plus the open one at the end of the run.
  std::vector<EdgeAggregate> edgeAggregates() const;
  void forEachVehicle(const std::function<void(const VehicleView&)>& visit) const;
  /// The vehicles on one network lane, from its end backwards (cheap: for devices that watch a
  /// few lanes).
  void forEachVehicleOn(std::uint32_t lane,
                        const std::function<void(const VehicleView&)>& visit) const;
  std::size_t vehicleCountOn(std::uint32_t lane) const;
  /// Where a trip's vehicle is now; none when it is not on the road.
  std::optional<VehicleView> vehicle(std::uint32_t trip) const;
  /// Position and heading of a vehicle on the lane or junction path of a view.
  geodata::Vec2 position(const VehicleView& v, double* heading = nullptr) const;
  /// Gridlocks now: cycles of vehicles (trip indices), each standing for longer than
  /// stuck_after_s and waiting for the next (the one ahead, on the road it would move onto, on
  /// a crossing path, or one it gives way to), the largest first.
  std::vector<std::vector<std::uint32_t>> gridlocks() const;
  /// The heads of stuck queues (vehicles stuck longer than stuck_after_s whose reason to wait
  /// is not another stuck vehicle), counted by what holds them: where a jam starts.
  std::vector<std::pair<WaitReason, std::size_t>> stuckQueueHeads() const;
  /// FNV-1a over every running vehicle's lane, position and speed bits, in lane order.
  std::uint64_t stateHash() const;
  int threads() const;
  const Network& network() const;
  const Demand& demand() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace citytwin::engine::traffic
