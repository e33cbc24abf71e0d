#pragma once
// SUMO's stopping places (busStop, trainStop, containerStop, parkingArea, chargingStation) and
// the <stop> elements of routes, vehicles and flows, turned into TripStops on a route.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "citytwin/engine/traffic/demand.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {

bool isStoppingPlace(std::string_view element);

/// Reads a stopping place; negative positions count from the lane's end, as in SUMO.
StoppingPlace readStoppingPlace(const std::string& file, const XmlElement& e, const Network& net);

/// A <stop> as written, before it is placed on a vehicle's route.
struct StopSpec {
  std::uint32_t edge = 0;
  float pos = 0.0f;  ///< where the vehicle's front stands, m from the start of the edge
  float duration_s = 0.0f;
  std::optional<double> until_s, arrival_s;
  std::string name, where;
};

/// Reads a <stop> at a stopping place (busStop="..." etc.), a lane and endPos, or an edge.
/// Throws InputError naming the element for an unknown place, lane or edge, or a stop that
/// neither waits (duration) nor keeps a time (until).
StopSpec readStop(const std::string& file, const XmlElement& e, const Network& net,
                  const std::unordered_map<std::string, std::size_t>& places, const Demand& demand);

/// Puts `stops` on the trip's route in order (each on the first use of its edge after the
/// previous stop); `time_offset_s` shifts their times (SUMO: a flow's route stops keep times
/// relative to each vehicle's departure). Throws InputError for a stop off the route.
void placeStops(const std::string& file, const std::vector<StopSpec>& stops, double time_offset_s,
                const Network& net, Trip& trip);

}  // namespace citytwin::engine::traffic
