#include "citytwin/engine/traffic/city_network.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <unordered_set>

#include "citytwin/engine/traffic/network_builder.hpp"

namespace citytwin::engine::traffic {

int highwayPriority(const std::string& hw) {
  static const std::map<std::string, int> ranks = {
      {"motorway", 13},  {"motorway_link", 12}, {"trunk", 11},       {"trunk_link", 10},
      {"primary", 9},    {"primary_link", 8},   {"secondary", 7},    {"secondary_link", 6},
      {"tertiary", 5},   {"tertiary_link", 4},  {"unclassified", 3}, {"residential", 2},
      {"busway", 2},     {"living_street", 1},  {"service", 1},      {"cycleway", 1},
      {"pedestrian", 0}, {"track", 0}};
  const auto it = ranks.find(hw);
  return it == ranks.end() ? 1 : it->second;
}

Network buildCityNetwork(const geodata::CityModel& city, const CityNetworkOptions& options,
                         std::vector<std::uint32_t>* edge_of_link) {
  using geodata::Mode;
  const auto car = static_cast<geodata::ModeMask>(Mode::kCar);
  const auto bus = static_cast<geodata::ModeMask>(Mode::kBus);
  const auto bike = static_cast<geodata::ModeMask>(Mode::kBike);
  const geodata::ModeMask wanted = car | bus | (options.bicycles ? bike : 0);
  NetworkBuilder b;
  std::vector<std::uint32_t> junction_of(city.nodes.size(),
                                         std::numeric_limits<std::uint32_t>::max());
  auto junction = [&](geodata::NodeIndex n) {
    if (junction_of[n] == std::numeric_limits<std::uint32_t>::max()) {
      const auto& node = city.nodes[n];
      junction_of[n] = b.addJunction(
          node.osm_id != 0 ? "n" + std::to_string(node.osm_id) : "b" + std::to_string(n),
          node.position);
      b.network().junctions[junction_of[n]].boundary = node.boundary;
    }
    return junction_of[n];
  };
  std::vector<std::uint32_t> edges(city.links.size(), std::numeric_limits<std::uint32_t>::max());
  std::unordered_set<std::string> ids;
  for (std::size_t k = 0; k < city.links.size(); ++k) {
    const auto& l = city.links[k];
    if ((l.modes & wanted) == 0 || l.from == l.to) continue;
    ClassMask allow = 0;
    if (l.modes & car) allow |= kClassMotorVehicles;
    if (l.modes & bus) allow |= kClassBus | kClassCoach;
    if ((l.modes & bike) && options.bicycles) allow |= kClassBicycles;
    const bool motorised = (l.modes & (car | bus)) != 0;
    const std::uint32_t lanes = motorised ? std::max<std::uint32_t>(1, l.lanes) : 1;
    // Roads without a limit (cycle paths): 30 km/h; riders' own top speed caps bicycles.
    const float speed = l.speed_limit_mps > 0.0f ? l.speed_limit_mps : 8.33f;
    std::string id =
        std::to_string(l.osm_way_id) + "_" + std::to_string(l.from) + "_" + std::to_string(l.to);
    while (!ids.insert(id).second) id += "'";
    edges[k] = b.addEdge(id, junction(l.from), junction(l.to), lanes, speed,
                         highwayPriority(l.highway), allow, l.geometry, l.name);
  }
  // Junction rules: signals where OSM tags them; right before left where all roads in are of
  // one class (the Dutch rule for equal roads); otherwise the main road goes first.
  Network& net = b.network();
  std::vector<std::set<int>> in_priorities(net.junctions.size());
  std::vector<std::set<std::uint32_t>> neighbours(net.junctions.size());
  for (const Edge& e : net.edges) {
    in_priorities[e.to].insert(e.priority);
    neighbours[e.to].insert(e.from);
    neighbours[e.from].insert(e.to);
  }
  for (std::size_t n = 0; n < city.nodes.size(); ++n) {
    const std::uint32_t j = junction_of[n];
    if (j == std::numeric_limits<std::uint32_t>::max()) continue;
    if (city.nodes[n].traffic_signals && !city.nodes[n].boundary) {
      b.addTwoPhaseSignal(j, options.signal_green_s);
    } else if (neighbours[j].size() >= 3 && in_priorities[j].size() == 1 &&
               !city.nodes[n].boundary) {
      net.junctions[j].kind = JunctionKind::kRightBeforeLeft;
    }
  }
  b.connectAll();
  for (const auto& r : city.turn_restrictions) {
    if (r.from_link >= edges.size() || r.to_link >= edges.size()) continue;
    const auto from = edges[r.from_link], to = edges[r.to_link];
    if (from == std::numeric_limits<std::uint32_t>::max() ||
        to == std::numeric_limits<std::uint32_t>::max())
      continue;
    if (r.only)
      b.keepOnlyLinks(from, to);
    else
      b.removeLinks(from, to);
  }
  if (edge_of_link) *edge_of_link = edges;
  Network out = b.build();
  out.source = "city model";
  return out;
}

}  // namespace citytwin::engine::traffic
