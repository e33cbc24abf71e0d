#include "sumo_stops.hpp"

#include <algorithm>

#include "citytwin/geodata/error.hpp"
#include "sumo_lane.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

namespace {

/// A position on a lane: negative counts back from its end; clamped to the lane.
float positionOnLane(const std::string& file, const XmlElement& e, std::string_view key,
                     float fallback, float length) {
  float p = static_cast<float>(optionalNumber(file, e, key).value_or(fallback));
  if (p < 0.0f) p += length;
  return std::clamp(p, 0.0f, length);
}

/// SUMO's stopping places: their elements, and the <stop> attributes that name one.
constexpr const char* kStoppingPlaces[] = {"busStop", "trainStop", "containerStop", "parkingArea",
                                           "chargingStation"};

}  // namespace

bool isStoppingPlace(std::string_view element) {
  return std::find(std::begin(kStoppingPlaces), std::end(kStoppingPlaces), element) !=
         std::end(kStoppingPlaces);
}

StoppingPlace readStoppingPlace(const std::string& file, const XmlElement& e, const Network& net) {
  StoppingPlace s;
  s.id = requiredAttribute(file, e, "id");
  s.name = e.get("name", "");
  const std::uint32_t lane = sumoLane(file, e, net, requiredAttribute(file, e, "lane"));
  s.edge = net.lanes[lane].edge;
  const float length = net.lanes[lane].length;
  s.start_pos = positionOnLane(file, e, "startPos", 0.0f, length);
  s.end_pos = positionOnLane(file, e, "endPos", length, length);
  if (s.end_pos < s.start_pos) std::swap(s.start_pos, s.end_pos);
  return s;
}

StopSpec readStop(const std::string& file, const XmlElement& e, const Network& net,
                  const std::unordered_map<std::string, std::size_t>& places,
                  const Demand& demand) {
  StopSpec s;
  s.where = e.where();
  bool placed = false;
  for (const char* key : kStoppingPlaces)
    if (const char* id = e.find(key)) {
      const auto it = places.find(id);
      if (it == places.end())
        throw InputError(file, e.where(), std::string(key) + " \"" + id + "\" is not defined",
                         "add the additional file that defines it before the route files");
      const StoppingPlace& p = demand.stopping_places[it->second];
      s.edge = p.edge, s.pos = p.end_pos, s.name = p.name.empty() ? p.id : p.name;
      placed = true;
      break;
    }
  if (!placed) {
    if (const char* lane_id = e.find("lane")) {
      const std::uint32_t lane = sumoLane(file, e, net, lane_id);
      const float length = net.lanes[lane].length;
      s.edge = net.lanes[lane].edge, s.pos = positionOnLane(file, e, "endPos", length, length);
    } else if (const char* edge_id = e.find("edge")) {
      const auto edge = net.findEdge(edge_id);
      if (!edge)
        throw InputError(file, e.where(),
                         std::string("edge \"") + edge_id + "\" is not in the network");
      s.edge = *edge;
      s.pos = positionOnLane(file, e, "endPos", net.edges[*edge].length, net.edges[*edge].length);
    } else {
      throw InputError(file, e.where(), "stop has no place",
                       "give busStop, trainStop, parkingArea, lane with endPos, or edge");
    }
    s.name = e.get("lane", e.get("edge", ""));
  }
  s.duration_s = static_cast<float>(optionalNumber(file, e, "duration").value_or(0.0));
  s.until_s = optionalNumber(file, e, "until");
  s.arrival_s = optionalNumber(file, e, "arrival");
  if (s.duration_s < 0.0f) throw InputError(file, e.where(), "stop duration is negative");
  if (s.duration_s <= 0.0f && !s.until_s)
    throw InputError(file, e.where(), "stop has neither a duration nor an until time",
                     "give duration=\"seconds\" or until=\"time\" (triggered stops are not "
                     "supported)");
  return s;
}

void placeStops(const std::string& file, const std::vector<StopSpec>& stops, double time_offset_s,
                const Network& net, Trip& trip) {
  std::size_t from = 0;
  for (const StopSpec& s : stops) {
    const auto it =
        std::find(trip.route.begin() + static_cast<std::ptrdiff_t>(from), trip.route.end(), s.edge);
    if (it == trip.route.end())
      throw InputError(file, s.where,
                       "stop on edge \"" + net.edges[s.edge].id + "\" is not on the route of " +
                           trip.id + " after its previous stop",
                       "stops must follow the route's order");
    from = static_cast<std::size_t>(it - trip.route.begin());
    TripStop t;
    t.route_index = static_cast<std::uint32_t>(from);
    t.pos = s.pos;
    t.min_dwell_s = s.duration_s;
    t.departure_s = s.until_s ? *s.until_s + time_offset_s : 0.0;
    t.arrival_s = s.arrival_s ? *s.arrival_s + time_offset_s
                  : s.until_s ? *s.until_s + time_offset_s - s.duration_s
                              : -1.0;
    t.name = s.name;
    trip.stops.push_back(std::move(t));
  }
}

}  // namespace citytwin::engine::traffic
