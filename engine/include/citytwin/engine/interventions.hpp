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

#include "citytwin/engine/traffic/network.hpp"
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

struct Intervention {
  std::string description;  ///< one line, for reports: "close_road Damrak to car, truck"
  std::string file;         ///< where it was written, for errors found when it is applied
  int line = 0;
  std::variant<CloseRoad, SpeedLimit, SignalPlan> what;
};

/// Edges of `net` that the selection names (a road's both directions). Empty when none match.
std::vector<std::uint32_t> selectEdges(const traffic::Network& net, const RoadSelection& roads);

/// Applies speed limits, signal plans and the closures that last the whole period [begin_s,
/// end_s) to the network (a road closed all along loses the classes from its lanes, so no trip
/// starts, ends or is routed on it). Throws geodata::InputError naming the intervention's file
/// and line when it does not fit the network (no road, no signal near, wrong number of phases).
void applyToNetwork(traffic::Network& net, const std::vector<Intervention>& interventions,
                    double begin_s, double end_s);

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
