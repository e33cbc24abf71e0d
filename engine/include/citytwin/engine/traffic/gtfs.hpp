#pragma once
// Bus lines from a GTFS static feed (stops.txt, routes.txt, trips.txt, stop_times.txt): each
// scheduled bus trip becomes a vehicle that drives the road network from stop to stop, stops at
// each one for its passengers and does not leave before the timetable says.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::traffic {

struct GtfsStop {
  std::string id, name;
  double lat = 0.0, lon = 0.0;  ///< WGS 84 degrees
};

struct GtfsStopTime {
  std::uint32_t stop = 0;                     ///< index into GtfsFeed::stops
  double arrival_s = 0.0, departure_s = 0.0;  ///< seconds after midnight (may pass 24:00)
};

struct GtfsTrip {
  std::string id, route_id, route_name;
  int route_type = 3;                    ///< 3 bus; 700-799 the extended bus types
  std::vector<GtfsStopTime> stop_times;  ///< in stop_sequence order
};

struct GtfsFeed {
  std::string dir;
  std::vector<GtfsStop> stops;
  std::vector<GtfsTrip> trips;
};

/// Reads the four files from `dir`. Throws geodata::InputError naming the file, line and column
/// on a missing file or column, an unknown stop, route or trip, or a malformed time.
GtfsFeed readGtfs(const std::string& dir);

struct BusLineOptions {
  double begin_s = 0.0, end_s = 86400.0;  ///< trips departing from their first stop in here
  double max_stop_distance_m = 40.0;      ///< a stop further from any bus road is not served
  float min_dwell_s = 15.0f;              ///< doors open, passengers on and off
  std::vector<std::string> routes;        ///< route ids or short names to run; empty: all buses
};

/// What became of the feed on this network.
struct BusLineReport {
  std::size_t trips_added = 0;
  std::size_t stops_served = 0;       ///< distinct stops placed on a road
  std::vector<std::string> warnings;  ///< stops off the network, trips without a route
};

/// Adds the feed's bus trips to `demand` with their route and stops (Trip::stops), as vehicles
/// of a bus type added to demand.types. `to_network` maps longitude, latitude to network
/// coordinates. Stops are placed on the nearest road open to buses on the right-hand side of
/// the direction of travel; a trip drives the longest run of consecutive stops inside the map.
BusLineReport addGtfsBuses(const Network& net, const GtfsFeed& feed,
                           const std::function<geodata::Vec2(double lon, double lat)>& to_network,
                           const BusLineOptions& options, Demand& demand);

}  // namespace citytwin::engine::traffic
