#pragma once
// Traffic demand: vehicle types and trips (with a route, or an origin and destination edge to
// be routed). Read from SUMO route files (.rou.xml, .trips.xml: vType, route, vehicle, trip,
// flow) or built from an OD matrix.
#include <cstdint>
#include <string>
#include <vector>

#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

/// Parameters of the Intelligent Driver Model (Treiber et al. 2000) and the vehicle's size.
/// Defaults: SUMO's passenger car where SUMO has the parameter, else Treiber's city values.
struct VehicleType {
  std::string id = "car";
  ClassMask vclass = kClassCar;
  float length = 5.0f;            ///< m
  float min_gap = 2.5f;           ///< m, IDM's s0: the gap kept when standing
  float max_speed = 55.56f;       ///< m/s
  float accel = 2.6f;             ///< m/s2, IDM's a
  float decel = 2.0f;             ///< m/s2, IDM's comfortable deceleration b
  float emergency_decel = 9.0f;   ///< m/s2, the most the vehicle can brake
  float time_headway = 1.0f;      ///< s, IDM's T (SUMO's tau)
  float delta = 4.0f;             ///< IDM's acceleration exponent
  float speed_factor = 1.0f;      ///< mean of the factor on the speed limit a driver keeps
  float speed_factor_dev = 0.1f;  ///< its standard deviation (normal, cut to 0.2 .. 2)
  float politeness = 0.3f;        ///< MOBIL's p
  float change_threshold = 0.2f;  ///< MOBIL's a_th, m/s2
  /// PHEMlight class (emissions.hpp); "" or a class without data: no emissions computed.
  std::string emission_class = "PC_G_EU4";
  /// SUMO's vClass when CityTwin does not simulate it (rail, ships, ...): its vehicles are left
  /// out with a warning. "" for the simulated ones.
  std::string unsimulated_class;
  /// Its weight when a vTypeDistribution lists it by name (SUMO's `probability`, default 1).
  double probability = 1.0;
};

/// SUMO's vTypeDistribution: each vehicle of it draws one of `types` by `weights`.
struct TypeDistribution {
  std::string id;
  std::vector<std::uint32_t> types;
  std::vector<double> weights;
};

/// SUMO's default types: car ("DEFAULT_VEHTYPE"), bicycle, bus, truck.
VehicleType defaultVehicleType(ClassMask vclass);

/// A scheduled stop of a bus on its route.
struct TripStop {
  std::uint32_t route_index = 0;  ///< index into Trip::route of the edge it stops on
  float pos = 0.0f;               ///< m from the start of that edge
  double arrival_s = 0.0;         ///< timetable; negative: none (SUMO stops without times)
  double departure_s = 0.0;       ///< timetable: it never leaves earlier
  float min_dwell_s = 15.0f;
  std::string name;
};

/// A place on a lane where vehicles stop (SUMO's busStop, trainStop, parkingArea, ...).
struct StoppingPlace {
  std::string id, name;
  std::uint32_t edge = 0;
  float start_pos = 0.0f, end_pos = 0.0f;  ///< m from the start of the edge
};

struct Trip {
  std::string id;
  double depart = 0.0;  ///< s
  std::uint32_t type = 0;
  /// Edges to drive; when empty, a fastest route from `from` to `to` is searched at load time.
  std::vector<std::uint32_t> route;
  std::uint32_t from = 0, to = 0;
  int depart_lane = -1;         ///< -1: the best lane for the route
  float depart_speed = 0.0f;    ///< m/s; negative: the highest safe speed
  std::vector<TripStop> stops;  ///< in route order (buses); empty: drives through
  std::string line;             ///< the bus line's public name, "" for other vehicles
};

struct Demand {
  std::vector<VehicleType> types;
  std::vector<StoppingPlace> stopping_places;  ///< from additional files, for <stop> elements
  std::vector<TypeDistribution> type_distributions;
  std::vector<Trip> trips;  ///< sorted by departure (stable: file order on ties)
  std::vector<std::string> warnings;
  std::size_t unroutable = 0;        ///< trips dropped because no route exists
  std::vector<std::string> sources;  ///< files read
};

/// Reads SUMO routes, trips and flows. Trips without a route are routed on `net`. Throws
/// geodata::InputError naming file, line and element on unknown edges, disconnected routes,
/// unknown types or malformed values. `seed` draws the vehicles of probability flows.
void readSumoRoutes(const std::string& path, const Network& net, Demand& demand,
                    std::uint64_t seed = 42);

/// Sorts trips by departure and routes those without a route (in parallel, deterministic).
/// Trips that cannot be routed are dropped and counted.
void finishDemand(const Network& net, Demand& demand, int threads = 0);

}  // namespace citytwin::engine::traffic
