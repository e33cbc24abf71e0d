#pragma once
// Interventions: the changes a variant scenario makes to its base, each explicit and
// reviewable. Road interventions (close a road for some modes and a time window, change its
// speed limit, change a signal plan) act on the traffic network built from the city model.
// Documented in scenarios/README.md.
#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/traffic/network.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"
#include "citytwin/geodata/city_model.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine {

namespace traffic {
class TrafficSimulation;
}

/// Roads picked by their street name or OSM way id, optionally only inside an area.
struct RoadSelection {
  std::string name;
  std::int64_t osm_way = 0;
  geodata::MultiPolygon2 area;  ///< empty: anywhere
};

struct CloseRoad {
  RoadSelection roads;
  traffic::ClassMask classes = traffic::kClassAllVehicles;
  double from_s = -std::numeric_limits<double>::infinity();
  double until_s = std::numeric_limits<double>::infinity();
};

struct SpeedLimit {
  RoadSelection roads;
  float speed_mps = 0.0f;
};

/// New green times for the signal nearest a point (within 50 m), or for every signal within
/// `radius_m` of it (`cluster`: a junction OSM maps as one signal per stop line): one time per
/// phase in program order, not counting yellow and the short all-red clearance after it.
struct SignalPlan {
  geodata::Vec2 near;
  bool cluster = false;
  double radius_m = 0.0;
  std::vector<float> green_s;
  float offset_s = std::numeric_limits<float>::quiet_NaN();  ///< NaN: unchanged
};

/// A fence or barrier people cannot pass: lines (a polygon counts by its outline).
struct AddBarrier {
  std::string name;
  std::vector<std::vector<geodata::Vec2>> lines;
};

/// Takes away a barrier of the base scenario (crowd.barriers) by name.
struct RemoveBarrier {
  std::string name;
};

/// Fences an area off (a footway or square closed to pedestrians): nobody walks into it.
struct CloseArea {
  geodata::MultiPolygon2 area;
};

/// Changes a gate of the base: its capacity and when it opens.
struct GateChange {
  std::string stage;
  float service_rate = -1.0f;  ///< people per second for the whole stage; < 0: unchanged
  double opens_at_s = -1.0;    ///< < 0: unchanged
};

/// An extra entrance: another area for a gate (or any stage) of the base, with its capacity
/// added to the stage's.
struct AddEntrance {
  std::string stage;
  geodata::MultiPolygon2 area;
  float service_rate = 0.0f;
};

/// Scales demand: crowd sources (all, or those named) and the traffic OD matrix.
struct ScaleDemand {
  double factor = 1.0;
  std::vector<std::string> sources;  ///< crowd sources; empty: all
};

/// Reshapes the arrival profile of crowd sources: [from_s, people per second] steps.
struct ArrivalProfileChange {
  std::vector<std::string> sources;  ///< empty: all
  std::vector<std::pair<double, double>> profile;
};

/// Sends people from some sources through an area first (a route kept one way, round a
/// closed street): a waypoint stage put at the start of their journey.
struct RouteVia {
  std::string name;  ///< of the new waypoint stage
  std::vector<std::string> sources;
  geodata::MultiPolygon2 area;
};

/// A new number of lanes (each direction a road has) on roads.
struct LaneChange {
  RoadSelection roads;
  int lanes = 1;
};

/// Makes roads one-way for motor vehicles: they may only drive away from a point (bicycles
/// keep both directions, as Dutch one-way streets mostly allow).
struct OneWay {
  RoadSelection roads;
  geodata::Vec2 from;
};

/// Gives a street to pedestrians: closed to every vehicle, and its carriageway (`width_m`
/// wide along the street) added to the walkable space.
struct Pedestrianise {
  RoadSelection roads;
  double width_m = 6.0;
};

struct Intervention {
  std::string description;  ///< one line, for reports: "close_road Damrak to car, truck"
  std::string file;         ///< where it was written, for errors found when it is applied
  int line = 0;
  std::variant<CloseRoad, SpeedLimit, SignalPlan, AddBarrier, RemoveBarrier, CloseArea, GateChange,
               AddEntrance, ScaleDemand, ArrivalProfileChange, RouteVia, LaneChange, OneWay,
               Pedestrianise>
      what;
  /// True for the kinds that change only the road network (applied when traffic runs).
  bool onRoads() const {
    return std::holds_alternative<CloseRoad>(what) || std::holds_alternative<SpeedLimit>(what) ||
           std::holds_alternative<SignalPlan>(what) || std::holds_alternative<LaneChange>(what) ||
           std::holds_alternative<OneWay>(what);
  }
  /// True for the kinds that change only the crowd scenario.
  bool onCrowd() const { return !onRoads() && !std::holds_alternative<Pedestrianise>(what); }
};

/// Applies the interventions that change the city's roads themselves (lanes, one-way streets,
/// pedestrianised streets) to its links, before the traffic network is built from it.
void applyToCityRoads(geodata::CityModel& city, const std::vector<Intervention>& interventions);

/// Adds pedestrianised streets to a crowd scenario's walkable space.
void applyToWalkable(crowd::CrowdScenario& scenario, const geodata::CityModel& city,
                     const std::vector<Intervention>& interventions);

/// Links of the city that a selection names (by street name, OSM way, area at their middle).
std::vector<std::size_t> selectLinks(const geodata::CityModel& city, const RoadSelection& roads);

/// Edges of `net` that the selection names (a road's both directions). Empty when none match.
std::vector<std::uint32_t> selectEdges(const traffic::Network& net, const RoadSelection& roads);

/// Applies speed limits, signal plans and the closures that last the whole period [begin_s,
/// end_s) to the network (a road closed all along loses the classes from its lanes, so no trip
/// starts, ends or is routed on it). Throws geodata::InputError naming the intervention's file
/// and line when it does not fit the network (no road, no signal near, wrong number of phases).
void applyToNetwork(traffic::Network& net, const std::vector<Intervention>& interventions,
                    double begin_s, double end_s);

/// Applies the crowd interventions (barriers, closed areas, gates, entrances, demand) to the
/// scenario. Throws geodata::InputError naming the intervention's line and the nearest stage,
/// barrier or source name when one does not exist.
void applyToCrowd(crowd::CrowdScenario& scenario, const std::vector<Intervention>& interventions);

/// Applies demand scaling to the traffic OD matrix.
void applyToTrafficDemand(traffic::TrafficScenario& scenario,
                          const std::vector<Intervention>& interventions);

/// Closures with a time window: closes and reopens roads in a running simulation.
class ClosureSchedule {
 public:
  ClosureSchedule(const traffic::Network& net, const std::vector<Intervention>& interventions,
                  double begin_s, double end_s);
  /// Call before each step.
  void update(traffic::TrafficSimulation& sim);
  bool empty() const { return events_.empty(); }

 private:
  struct Event {
    double at = 0.0;
    bool close = true;
    std::uint32_t edge = 0;
    traffic::ClassMask classes = 0;
  };
  std::vector<Event> events_;  ///< by time
  std::size_t next_ = 0;
};

}  // namespace citytwin::engine
