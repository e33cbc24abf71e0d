#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "citytwin/engine/traffic/router.hpp"

#include "../nearest_name.hpp"
#include "../rng.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"
#include "citytwin/geodata/error.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

namespace {

constexpr float kMinOriginLength = 25.0f;  // m

std::string trim(std::string s) {
  const auto a = s.find_first_not_of(" \t\r");
  const auto b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

}  // namespace

std::vector<OdEntry> readOdMatrix(const std::string& path, const std::vector<TrafficZone>& zones) {
  std::ifstream in(path);
  if (!in)
    throw InputError(path, "", "cannot be opened",
                     "check the od_matrix path; it is relative to the scenario file");
  std::string line;
  long number = 0;
  if (!std::getline(in, line))
    throw InputError(path, "", "is empty", "the first line is the header from,to,begin,end,trips");
  ++number;
  {
    std::stringstream ss(line);
    std::vector<std::string> head;
    for (std::string c; std::getline(ss, c, ',');) head.push_back(trim(c));
    if (head != std::vector<std::string>{"from", "to", "begin", "end", "trips"})
      throw InputError(path, "line 1", "the header must be exactly from,to,begin,end,trips",
                       "zone names, then the time slice (seconds or HH:MM) and the trips in it");
  }
  auto zone = [&](const std::string& name, const std::string& where) {
    for (std::uint32_t z = 0; z < zones.size(); ++z)
      if (zones[z].name == name) return z;
    const std::string best =
        nearestName(name, zones, [](const TrafficZone& z) { return std::string_view(z.name); });
    throw InputError(
        path, where, "zone '" + name + "' is not defined in the scenario",
        best.empty() ? "define zones under traffic.zones" : "did you mean '" + best + "'?");
  };
  auto time = [&](const std::string& v, const std::string& where) {
    int hh = 0, mm = 0;
    char extra = 0;
    if (std::sscanf(v.c_str(), "%d:%d%c", &hh, &mm, &extra) == 2 && mm >= 0 && mm < 60)
      return hh * 3600.0 + mm * 60.0;
    char* end = nullptr;
    const double s = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(s))
      throw InputError(path, where, "'" + v + "' is not a time", "write seconds or HH:MM");
    return s;
  };
  std::vector<OdEntry> out;
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const std::string where = "line " + std::to_string(number);
    std::stringstream ss(line);
    std::vector<std::string> cells;
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(trim(c));
    if (cells.size() != 5)
      throw InputError(path, where, "has " + std::to_string(cells.size()) + " columns, not 5",
                       "from,to,begin,end,trips");
    OdEntry e;
    e.from = zone(cells[0], where);
    e.to = zone(cells[1], where);
    e.begin_s = time(cells[2], where);
    e.end_s = time(cells[3], where);
    char* end = nullptr;
    e.trips = std::strtod(cells[4].c_str(), &end);
    if (cells[4].empty() || *end != '\0' || !std::isfinite(e.trips) || e.trips < 0)
      throw InputError(path, where, "trips '" + cells[4] + "' is not a number of trips",
                       "write a count of 0 or more");
    if (e.end_s <= e.begin_s)
      throw InputError(path, where, "the slice ends before it begins", "end must be after begin");
    e.line = number;
    out.push_back(e);
  }
  return out;
}

Demand demandFromOd(const Network& net, const TrafficScenario& s, int threads) {
  Demand d;
  d.types.push_back(defaultVehicleType(kClassCar));
  d.types.push_back(defaultVehicleType(kClassTruck));
  // Candidate roads per zone: car roads that start (origins) or end (destinations) in it.
  std::vector<std::vector<std::uint32_t>> origins(s.zones.size()), destinations(s.zones.size());
  for (std::uint32_t e = 0; e < net.edges.size(); ++e) {
    const Edge& edge = net.edges[e];
    if ((net.lanes[edge.first_lane].allow & kClassCar) == 0) continue;
    const Junction& from = net.junctions[edge.from];
    const Junction& to = net.junctions[edge.to];
    for (std::uint32_t z = 0; z < s.zones.size(); ++z) {
      const TrafficZone& zone = s.zones[z];
      // Vehicles enter on roads long enough to stand on (OSM splits roads at every signal).
      if ((zone.boundary ? from.boundary : geodata::contains(zone.area, from.position)) &&
          edge.length >= kMinOriginLength)
        origins[z].push_back(e);
      if (zone.boundary ? to.boundary : geodata::contains(zone.area, to.position))
        destinations[z].push_back(e);
    }
  }
  for (std::uint32_t z = 0; z < s.zones.size(); ++z) {
    bool used_from = false, used_to = false;
    for (const auto& e : s.od) used_from |= e.from == z, used_to |= e.to == z;
    if ((used_from && origins[z].empty()) || (used_to && destinations[z].empty()))
      throw InputError(s.od_path, "zone '" + s.zones[z].name + "'",
                       "has no road open to cars " +
                           std::string(used_from && origins[z].empty() ? "starting" : "ending") +
                           " in it",
                       "move or enlarge the zone onto the road network");
  }
  auto pick = [&](const std::vector<std::uint32_t>& edges, Rng& rng) {
    double total = 0.0;
    for (auto e : edges) total += net.edges[e].length;
    double x = rng.uniform() * total;
    for (auto e : edges) {
      x -= net.edges[e].length;
      if (x <= 0.0) return e;
    }
    return edges.back();
  };
  // City extracts cut the road network at their edge: not every road of a zone reaches every
  // road of another inside the map. Destinations are drawn among those the origin reaches.
  const EdgeGraph graph(net, kClassCar);
  std::unordered_map<std::uint32_t, std::vector<std::uint8_t>> reach_cache;
  auto reachable = [&](std::uint32_t from) -> const std::vector<std::uint8_t>& {
    auto it = reach_cache.find(from);
    if (it != reach_cache.end()) return it->second;
    std::vector<std::uint8_t> seen(net.edges.size(), 0);
    std::vector<std::uint32_t> stack{from};
    seen[from] = 1;
    while (!stack.empty()) {
      const auto e = stack.back();
      stack.pop_back();
      for (auto n : graph.next(e))
        if (!seen[n]) seen[n] = 1, stack.push_back(n);
    }
    return reach_cache.emplace(from, std::move(seen)).first->second;
  };
  std::size_t unreachable = 0;
  for (std::size_t k = 0; k < s.od.size(); ++k) {
    const OdEntry& e = s.od[k];
    Rng rng(splitmix(s.config.seed ^ splitmix(k + 0x5eed)));
    auto n = static_cast<std::size_t>(std::floor(e.trips));
    if (rng.uniform() < e.trips - std::floor(e.trips)) ++n;
    const double slot = (e.end_s - e.begin_s) / static_cast<double>(std::max<std::size_t>(n, 1));
    for (std::size_t i = 0; i < n; ++i) {
      Trip t;
      t.id = s.zones[e.from].name + "-" + s.zones[e.to].name + "." + std::to_string(e.line) + "." +
             std::to_string(i);
      t.depart = e.begin_s + slot * (static_cast<double>(i) + rng.uniform());
      t.type = rng.uniform() < s.truck_share ? 1 : 0;
      bool found = false;
      for (int attempt = 0; attempt < 20 && !found; ++attempt) {
        t.from = pick(origins[e.from], rng);
        const auto& seen = reachable(t.from);
        std::vector<std::uint32_t> targets;
        for (auto dst : destinations[e.to])
          if (seen[dst] && dst != t.from) targets.push_back(dst);
        if (targets.empty()) continue;
        t.to = pick(targets, rng);
        found = true;
      }
      if (!found) {
        ++unreachable;
        continue;
      }
      d.trips.push_back(std::move(t));
    }
  }
  if (unreachable > 0) {
    d.unroutable += unreachable;
    d.warnings.push_back(std::to_string(unreachable) +
                         " OD trips found no road in their destination zone reachable from their "
                         "origin zone inside the map, and were left out");
  }
  d.sources.push_back(s.od_path);
  finishDemand(net, d, threads);
  return d;
}

Demand scenarioDemand(const Network& net, const TrafficScenario& s,
                      const geodata::LocalFrame& frame, int threads) {
  Demand d = s.od_path.empty() ? Demand{} : demandFromOd(net, s, threads);
  if (s.gtfs_dir.empty()) return d;
  const GtfsFeed feed = readGtfs(s.gtfs_dir);
  const geodata::CrsTransform to_frame("EPSG:4326", frame.crs);
  auto to_network = [&](double lon, double lat) {
    double x = lon, y = lat, z = 0.0;
    if (!to_frame.apply(x, y, z)) return geodata::Vec2{1e12, 1e12};  // off any map
    return frame.toLocal(x, y);
  };
  BusLineOptions options = s.bus_lines;
  options.begin_s = s.config.begin_s;
  options.end_s = s.config.end_s;
  const BusLineReport report = addGtfsBuses(net, feed, to_network, options, d);
  if (report.trips_added == 0)
    throw InputError(
        s.gtfs_dir, "",
        "has no bus trip that starts between traffic.begin and traffic.end with two "
        "stops on the map",
        "check the feed's times, bus_lines.routes, and that its stops lie in the city");
  d.warnings.insert(d.warnings.end(), report.warnings.begin(), report.warnings.end());
  finishDemand(net, d, threads);
  return d;
}

}  // namespace citytwin::engine::traffic
