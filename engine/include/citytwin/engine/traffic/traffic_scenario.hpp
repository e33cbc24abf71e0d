#pragma once
// A traffic scenario on the city model: run settings, zones, and an origin-destination matrix
// (trips per zone pair and time slice) turned into routed trips.
#include <string>
#include <vector>

#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/gtfs.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/frame.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::traffic {

struct TrafficZone {
  std::string name;
  geodata::MultiPolygon2 area;  ///< roads starting (origins) or ending (destinations) in it
  bool boundary = false;        ///< the edge of the modelled area: roads entering and leaving it
};

/// Trips from one zone to another departing evenly over [begin_s, end_s).
struct OdEntry {
  std::uint32_t from = 0, to = 0;  ///< zones
  double begin_s = 0.0, end_s = 0.0;
  double trips = 0.0;
  long line = 0;  ///< in the CSV, for messages
};

struct TrafficScenario {
  TrafficConfig config;
  CityNetworkOptions network;
  std::vector<TrafficZone> zones;
  std::string od_path;
  std::vector<OdEntry> od;
  double truck_share = 0.0;  ///< of the OD trips, driven by trucks
  std::string gtfs_dir;      ///< bus lines from this GTFS feed ("": none)
  BusLineOptions bus_lines;
};

/// Reads an OD matrix CSV with the header `from,to,begin,end,trips` (zone names; times in
/// seconds or HH:MM). Throws geodata::InputError naming the line, with the nearest zone name.
std::vector<OdEntry> readOdMatrix(const std::string& path, const std::vector<TrafficZone>& zones);

/// Trips for the OD matrix on `net`: origin and destination roads drawn (weighted by length,
/// seeded) among the car roads of each zone, departures spread evenly over each slice, then
/// routed. Throws InputError naming a zone without roads.
Demand demandFromOd(const Network& net, const TrafficScenario& scenario, int threads = 0);

/// The scenario's whole demand: the OD trips (if any) and the bus lines of its GTFS feed (if
/// any), whose stops are placed through `frame` (the network's coordinates are its local ones).
/// Bus warnings join the demand's warnings.
Demand scenarioDemand(const Network& net, const TrafficScenario& scenario,
                      const geodata::LocalFrame& frame, int threads = 0);

}  // namespace citytwin::engine::traffic
