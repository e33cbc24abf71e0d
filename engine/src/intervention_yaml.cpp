#include "intervention_yaml.hpp"

#include "intervention_yaml_parts.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "citytwin/geodata/import.hpp"

namespace citytwin::engine {

namespace intervention_yaml {

using traffic::ClassMask;

traffic::ClassMask modeClass(const Reader& r, const YAML::Node& n) {
  const auto m = n.as<std::string>();
  // Each mode with the SUMO classes it stands for (car: private motor traffic).
  if (m == "car") return traffic::kClassCars;
  if (m == "truck") return traffic::kClassTrucks;
  if (m == "bus") return traffic::kClassBuses;
  if (m == "bicycle") return traffic::kClassBicycles;
  r.fail(n, "unknown mode '" + m + "'", "use car, truck, bus or bicycle");
}

const geodata::ModeMask kVehicleModes = static_cast<geodata::ModeMask>(geodata::Mode::kCar) |
                                        static_cast<geodata::ModeMask>(geodata::Mode::kBus) |
                                        static_cast<geodata::ModeMask>(geodata::Mode::kBike);

/// `name` or `osm_way`, and an optional area; checked against the city's roads.
RoadSelection roads(const Reader& r, const YAML::Node& n, const std::string& where,
                    const geodata::CityModel& city) {
  RoadSelection s;
  s.name = r.get<std::string>(n, "name", "");
  s.osm_way = r.get<std::int64_t>(n, "osm_way", 0);
  if (s.name.empty() && s.osm_way == 0) r.fail(n, where + " needs the road's 'name' or 'osm_way'");
  if (n["polygon"] || n["circle"] || n["polygons"] || n["circles"]) s.area = r.area(n, where);
  // The name or way must exist among the roads for vehicles (the area is checked when the
  // network is built: it may hold only some of the road).
  RoadSelection anywhere = s;
  anywhere.area.clear();
  const auto links = selectLinks(city, anywhere);
  const bool found = std::any_of(links.begin(), links.end(), [&](std::size_t k) {
    return (city.links[k].modes & kVehicleModes) != 0;
  });
  if (!found) {
    if (!s.name.empty()) {
      std::set<std::string> names;
      for (const auto& l : city.links)
        if ((l.modes & kVehicleModes) != 0 && !l.name.empty()) names.insert(l.name);
      const std::string best =
          nearestName(s.name, names, [](const std::string& x) { return std::string_view(x); });
      r.fail(n["name"], "no road for vehicles is named '" + s.name + "' in the city",
             best.empty() ? "check the spelling" : "did you mean '" + best + "'?");
    }
    r.fail(n["osm_way"],
           "OSM way " + std::to_string(s.osm_way) + " is no road for vehicles in the city",
           "look the way up in the GeoPackage's links layer (osm_way_id)");
  }
  return s;
}

std::string describe(const RoadSelection& s) {
  std::string d = s.name.empty() ? "OSM way " + std::to_string(s.osm_way) : s.name;
  if (!s.area.empty()) d += " (in an area)";
  return d;
}

std::vector<std::string> names(const Reader& r, const YAML::Node& n, const char* key) {
  return r.get<std::vector<std::string>>(n, key, {});
}

}  // namespace intervention_yaml

std::vector<std::vector<geodata::Vec2>> barrierLines(const Reader& r, const YAML::Node& n,
                                                     const std::string& where) {
  std::vector<std::vector<geodata::Vec2>> out;
  if (const auto line = n["line"]) {
    std::vector<geodata::Vec2> l;
    for (const auto& v : line) l.push_back(r.point(v));
    if (l.size() < 2) r.fail(line, where + ": a line needs at least 2 points");
    out.push_back(std::move(l));
  }
  if (n["polygon"] || n["circle"] || n["polygons"] || n["circles"])
    for (const auto& polygon : r.area(n, where))
      for (const auto& ring : polygon) {
        std::vector<geodata::Vec2> l(ring.begin(), ring.end());
        l.push_back(ring.front());
        out.push_back(std::move(l));
      }
  if (const auto file = n["file"]) {
    const std::string path =
        (std::filesystem::path(r.path()).parent_path() / file.as<std::string>())
            .lexically_normal()
            .string();
    if (!r.frame()) r.fail(file, where + ": a file needs the city's frame");
    for (const auto& layer : geodata::readVectorFile(path, *r.frame()))
      for (const auto& f : layer.features) {
        const auto kind = f.geometry.kind;
        if (kind == geodata::GeometryKind::kPoint || kind == geodata::GeometryKind::kMultiPoint)
          continue;  // gates or markers in the same file: not a barrier
        for (const auto& part : f.geometry.parts)
          for (const auto& ring : part) {
            std::vector<geodata::Vec2> l;
            for (const auto& v : ring) l.push_back({v.x, v.y});
            if (l.size() >= 2) out.push_back(std::move(l));
          }
      }
    if (out.empty())
      r.fail(file, where + ": '" + file.as<std::string>() + "' holds no lines or polygons",
             "draw the fence as a line or polygon layer");
  }
  if (out.empty())
    r.fail(n, where + " needs a 'line', an area ('polygon', 'circle', ...) or a 'file'");
  return out;
}

void readInterventions(const Reader& r, const YAML::Node& list, const geodata::CityModel& city,
                       std::vector<Intervention>& out) {
  if (!list.IsSequence()) r.fail(list, "interventions is a list: '- close_road: {...}' per item");
  for (const auto& item : list) {
    r.keys(item, "an intervention",
           {"close_road", "speed_limit", "signal_plan", "barrier", "remove_barrier", "close_area",
            "gate", "entrance", "scale_demand", "arrival_profile", "route_via", "lanes", "one_way",
            "pedestrianise"});
    if (item.size() != 1)
      r.fail(item, "one intervention per list item", "start each with its own '- '");
    const auto kind = item.begin()->first.as<std::string>();
    const YAML::Node n = item.begin()->second;
    Intervention i;
    i.file = r.path();
    i.line = n.Mark().line + 1;
    using namespace intervention_yaml;
    static const std::pair<const char*, KindReader> kReaders[] = {
        {"close_road", readCloseRoad},
        {"speed_limit", readSpeedLimit},
        {"signal_plan", readSignalPlan},
        {"lanes", readLanes},
        {"one_way", readOneWay},
        {"pedestrianise", readPedestrianise},
        {"barrier", readBarrier},
        {"remove_barrier", readRemoveBarrier},
        {"close_area", readCloseArea},
        {"gate", readGate},
        {"entrance", readEntrance},
        {"scale_demand", readScaleDemand},
        {"arrival_profile", readArrivalProfile},
        {"route_via", readRouteVia}};
    for (const auto& [name, read] : kReaders)
      if (kind == name) read(r, n, city, i);
    out.push_back(std::move(i));
  }
}

}  // namespace citytwin::engine
