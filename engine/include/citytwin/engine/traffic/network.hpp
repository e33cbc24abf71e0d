#pragma once
// The road network traffic drives on: edges with lanes, links (lane-to-lane connections through
// a junction, each with its own internal path), junctions with their right-of-way rules, and
// fixed-time signal programs. Read from SUMO's .net.xml or built from the city model.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::traffic {

/// Vehicle classes as bits, so a lane can allow several. Each of SUMO's road classes has its
/// own bit, so that a lane's permissions (a bus lane that also takes taxis, a street closed to
/// lorries, a square open to delivery vans only) hold as the network says.
enum VehicleClassBit : std::uint32_t {
  kClassCar = 1u << 0,  ///< SUMO "passenger"
  kClassBicycle = 1u << 1,
  kClassBus = 1u << 2,
  kClassTruck = 1u << 3,
  kClassPedestrian = 1u << 4,
  kClassTaxi = 1u << 5,
  kClassDelivery = 1u << 6,
  kClassMotorcycle = 1u << 7,
  kClassMoped = 1u << 8,
  kClassEmergency = 1u << 9,
  kClassAuthority = 1u << 10,
  kClassArmy = 1u << 11,
  kClassVip = 1u << 12,
  kClassEVehicle = 1u << 13,
  kClassPrivate = 1u << 14,
  kClassHov = 1u << 15,
  kClassCoach = 1u << 16,
  kClassTram = 1u << 17,
  kClassTrailer = 1u << 18,
  kClassCustom1 = 1u << 19,
  kClassCustom2 = 1u << 20,
  kClassScooter = 1u << 21,
};
using ClassMask = std::uint32_t;
/// Private motor traffic: what a planner means by "cars" (closing a street to cars).
constexpr ClassMask kClassCars = kClassCar | kClassPrivate | kClassHov | kClassEVehicle |
                                 kClassTaxi | kClassMotorcycle | kClassMoped | kClassDelivery;
constexpr ClassMask kClassBuses = kClassBus | kClassCoach | kClassTram;
constexpr ClassMask kClassTrucks = kClassTruck | kClassTrailer;
constexpr ClassMask kClassBicycles = kClassBicycle | kClassScooter;
constexpr ClassMask kClassAllVehicles = kClassCars | kClassBuses | kClassTrucks | kClassBicycles |
                                        kClassEmergency | kClassAuthority | kClassArmy | kClassVip |
                                        kClassCustom1 | kClassCustom2;
/// Motor vehicles on a road built from OSM (everything but bicycles, trams and walkers).
constexpr ClassMask kClassMotorVehicles = kClassAllVehicles & ~(kClassBicycles | kClassTram);

enum class JunctionKind : std::uint8_t {
  kPriority,         ///< major roads go, minor roads yield
  kTrafficLight,     ///< signal-controlled; unsignalised rules where the signal is off
  kRightBeforeLeft,  ///< equal roads: yield to the right
  kAllWayStop,
  kDeadEnd,
  kUnregulated,  ///< nobody yields (SUMO's "unregulated")
};

struct Edge {
  std::string id;
  std::string name;
  std::uint32_t from = 0, to = 0;  ///< junctions
  std::uint32_t first_lane = 0;
  std::uint32_t lane_count = 0;  ///< lanes first_lane .. first_lane + lane_count - 1, right first
  float length = 0.0f;           ///< metres (of lane 0)
  float speed = 0.0f;            ///< m/s, the highest lane speed
  int priority = 0;
};

struct Lane {
  std::uint32_t edge = 0;
  std::uint32_t index = 0;  ///< within the edge, 0 = rightmost
  float length = 0.0f;
  float speed = 0.0f;  ///< speed limit, m/s
  ClassMask allow = kClassAllVehicles;
  std::uint32_t first_link = 0, link_count = 0;  ///< outgoing links, in links order
  std::uint32_t shape_begin = 0, shape_end = 0;  ///< points in Network::shape_points
};

/// Signal state of one link, as SUMO writes it.
enum class SignalState : std::uint8_t {
  kRed,         ///< 'r'
  kRedYellow,   ///< 'u'
  kYellow,      ///< 'y' / 'Y'
  kGreenMajor,  ///< 'G': go, nobody to yield to
  kGreenMinor,  ///< 'g': go, yielding to conflicting green links
  kOffMajor,    ///< 'O': signal off, the junction's right of way applies (major)
  kOffMinor,    ///< 'o': signal off, yield (minor)
  kStop,        ///< 's': stop, then go as minor
};
std::optional<SignalState> signalStateFromChar(char c);

/// A connection from one lane to a lane of the next edge, through a junction.
struct Link {
  std::uint32_t from_lane = 0, to_lane = 0;
  std::uint32_t junction = 0;
  float length = 0.0f;   ///< length of the path through the junction (0: no internal path)
  float speed = 0.0f;    ///< speed limit on that path
  char direction = 's';  ///< s straight, l/r left/right, L/R partly, t turn-around
  bool major = true;     ///< right of way when no signal decides (SUMO 'M' vs 'm')
  int signal = -1;       ///< signal program, -1: none
  std::uint32_t signal_index = 0;                ///< position in the program's state strings
  std::uint32_t foe_begin = 0, foe_end = 0;      ///< Network::foes: links it crosses or merges with
  std::uint32_t yield_begin = 0, yield_end = 0;  ///< Network::yields: foes it gives way to
  std::uint32_t internal_begin = 0, internal_end = 0;  ///< shape points of the internal path
};

struct Junction {
  std::string id;
  JunctionKind kind = JunctionKind::kPriority;
  geodata::Vec2 position;
  bool boundary = false;  ///< on the edge of the modelled area: traffic enters and leaves here
  std::vector<std::uint32_t> links;  ///< links through this junction (its request order)
};

struct SignalPhase {
  float duration = 0.0f;
  std::vector<SignalState> states;  ///< one per signal index
};

/// A fixed-time program: phases repeat from `offset` on.
struct SignalProgram {
  std::string id;
  std::string program_id;
  float offset = 0.0f;
  std::vector<SignalPhase> phases;
  float cycle() const;
  /// Phase in effect at time t (seconds).
  std::size_t phaseAt(double t) const;
};

class Network {
 public:
  std::vector<Edge> edges;
  std::vector<Lane> lanes;
  std::vector<Link> links;
  std::vector<Junction> junctions;
  std::vector<SignalProgram> signals;
  std::vector<std::uint32_t> foes, yields;
  std::vector<geodata::Vec2> shape_points;
  std::string source;  ///< the file or model it came from
  std::string crs;     ///< coordinate reference of the shapes (empty: unknown, SUMO's own)

  /// Call after filling the vectors: builds the id indexes.
  void index();
  /// Stores per link the links it crosses or merges with, and those it gives way to.
  void setConflicts(const std::vector<std::vector<std::uint32_t>>& link_foes,
                    const std::vector<std::vector<std::uint32_t>>& link_yields);
  std::optional<std::uint32_t> findEdge(std::string_view id) const;
  /// The first link of `lane` that leads onto `to_edge`, if any.
  std::optional<std::uint32_t> linkTo(std::uint32_t lane, std::uint32_t to_edge) const;
  /// True when some lane of `from_edge` has a link to `to_edge`.
  bool edgesConnected(std::uint32_t from_edge, std::uint32_t to_edge) const;
  /// Point at distance `pos` along the lane's shape, and the heading there (radians, from +x).
  geodata::Vec2 pointOnLane(std::uint32_t lane, float pos, double* heading = nullptr) const;
  /// The same along shape_points[begin, end) at a fraction of its length.
  geodata::Vec2 pointOnShape(std::uint32_t begin, std::uint32_t end, double fraction,
                             double* heading = nullptr) const;

 private:
  std::unordered_map<std::string, std::uint32_t> edge_by_id_;
};

}  // namespace citytwin::engine::traffic
