#include "intervention_yaml.hpp"

#include <filesystem>
#include <set>

#include "citytwin/geodata/import.hpp"

namespace citytwin::engine {

namespace {

using traffic::ClassMask;

ClassMask modeClass(const Reader& r, const YAML::Node& n) {
  const auto m = n.as<std::string>();
  if (m == "car") return traffic::kClassCar;
  if (m == "truck") return traffic::kClassTruck;
  if (m == "bus") return traffic::kClassBus;
  if (m == "bicycle") return traffic::kClassBicycle;
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
  bool found = false;
  std::set<std::string> names;
  for (const auto& l : city.links) {
    if ((l.modes & kVehicleModes) == 0) continue;
    if (!l.name.empty()) names.insert(l.name);
    const bool by_name = s.name.empty() || l.name == s.name;
    const bool by_way = s.osm_way == 0 || l.osm_way_id == s.osm_way;
    found |= by_name && by_way;
  }
  if (!found) {
    if (!s.name.empty()) {
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

}  // namespace

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
    if (kind == "close_road") {
      r.keys(n, "close_road",
             {"name", "osm_way", "polygon", "circle", "polygons", "circles", "modes", "from",
              "until"});
      CloseRoad c;
      c.roads = roads(r, n, "close_road", city);
      if (const auto modes = n["modes"]) {
        c.classes = 0;
        for (const auto& m : modes) c.classes |= modeClass(r, m);
        if (c.classes == 0) r.fail(modes, "close_road.modes is empty", "leave it out for all");
      }
      c.from_s = r.timeOfDay(n, "from", c.from_s);
      c.until_s = r.timeOfDay(n, "until", c.until_s);
      if (c.until_s <= c.from_s) r.fail(n["until"], "close_road.until must be after from");
      i.description = "close " + describe(c.roads);
      if (c.classes != traffic::kClassAllVehicles) {
        std::string modes;
        for (const auto& m : n["modes"]) modes += (modes.empty() ? "" : ", ") + m.as<std::string>();
        i.description += " to " + modes;
      }
      if (n["from"] || n["until"])
        i.description += " from " + (n["from"] ? n["from"].as<std::string>() : "the start") +
                         " until " + (n["until"] ? n["until"].as<std::string>() : "the end");
      i.what = c;
    } else if (kind == "speed_limit") {
      r.keys(n, "speed_limit",
             {"name", "osm_way", "polygon", "circle", "polygons", "circles", "kmh"});
      SpeedLimit s;
      s.roads = roads(r, n, "speed_limit", city);
      const double kmh = r.require<double>(n, "kmh", "speed_limit");
      if (kmh < 5.0 || kmh > 130.0) r.fail(n["kmh"], "speed_limit.kmh must be 5 - 130");
      s.speed_mps = static_cast<float>(kmh / 3.6);
      i.description = "speed limit " + n["kmh"].as<std::string>() + " km/h on " + describe(s.roads);
      i.what = s;
    } else if (kind == "barrier") {
      r.keys(n, "barrier", {"name", "line", "polygon", "circle", "polygons", "circles", "file"});
      AddBarrier b;
      b.name = r.get<std::string>(n, "name", "");
      b.lines = barrierLines(r, n, "barrier");
      i.description = "barrier" + (b.name.empty() ? "" : " '" + b.name + "'") + " (" +
                      std::to_string(b.lines.size()) + " line" + (b.lines.size() == 1 ? "" : "s") +
                      ")";
      i.what = b;
    } else if (kind == "remove_barrier") {
      r.keys(n, "remove_barrier", {"name"});
      RemoveBarrier b{r.require<std::string>(n, "name", "remove_barrier")};
      i.description = "remove barrier '" + b.name + "'";
      i.what = b;
    } else if (kind == "close_area") {
      r.keys(n, "close_area", {"name", "polygon", "circle", "polygons", "circles"});
      CloseArea c{r.area(n, "close_area")};
      const auto label = r.get<std::string>(n, "name", "");
      i.description =
          "close " + (label.empty() ? std::string("an area") : label) + " to pedestrians";
      i.what = c;
    } else if (kind == "gate") {
      r.keys(n, "gate", {"stage", "service_rate", "opens_at"});
      GateChange g;
      g.stage = r.require<std::string>(n, "stage", "gate");
      g.service_rate = r.get<float>(n, "service_rate", -1.0f);
      if (n["service_rate"] && g.service_rate <= 0.0f)
        r.fail(n["service_rate"], "gate.service_rate must be > 0 people per second");
      g.opens_at_s = r.timeOfDay(n, "opens_at", -1.0);
      if (n["opens_at"] && g.opens_at_s < 0.0) r.fail(n["opens_at"], "gate.opens_at is negative");
      if (!n["service_rate"] && !n["opens_at"])
        r.fail(n, "gate needs 'service_rate' or 'opens_at' (or both)");
      i.description =
          "gate '" + g.stage + "'" +
          (n["service_rate"] ? " at " + n["service_rate"].as<std::string>() + " /s" : "") +
          (n["opens_at"] ? " opening at " + n["opens_at"].as<std::string>() : "");
      i.what = g;
    } else if (kind == "entrance") {
      r.keys(n, "entrance", {"stage", "service_rate", "polygon", "circle", "polygons", "circles"});
      AddEntrance e;
      e.stage = r.require<std::string>(n, "stage", "entrance");
      e.area = r.area(n, "entrance");
      e.service_rate = r.get<float>(n, "service_rate", 0.0f);
      if (e.service_rate < 0.0f) r.fail(n["service_rate"], "entrance.service_rate is negative");
      i.description =
          "extra entrance for '" + e.stage + "'" +
          (e.service_rate > 0 ? " (+" + n["service_rate"].as<std::string>() + " /s)" : "");
      i.what = e;
    } else if (kind == "scale_demand") {
      r.keys(n, "scale_demand", {"factor", "sources"});
      ScaleDemand d;
      d.factor = r.require<double>(n, "factor", "scale_demand");
      if (d.factor <= 0.0 || d.factor > 10.0)
        r.fail(n["factor"], "scale_demand.factor must be 0 - 10");
      d.sources = names(r, n, "sources");
      i.description = "demand x " + n["factor"].as<std::string>();
      i.what = d;
    } else if (kind == "lanes") {
      r.keys(n, "lanes", {"name", "osm_way", "polygon", "circle", "polygons", "circles", "count"});
      LaneChange c;
      c.roads = roads(r, n, "lanes", city);
      c.lanes = r.require<int>(n, "count", "lanes");
      if (c.lanes < 1 || c.lanes > 8) r.fail(n["count"], "lanes.count must be 1 - 8");
      i.description = std::to_string(c.lanes) + " lane" + (c.lanes == 1 ? "" : "s") +
                      " each way on " + describe(c.roads);
      i.what = c;
    } else if (kind == "one_way") {
      r.keys(n, "one_way", {"name", "osm_way", "polygon", "circle", "polygons", "circles", "from"});
      OneWay w;
      w.roads = roads(r, n, "one_way", city);
      if (!n["from"]) r.fail(n, "one_way needs 'from': a point the traffic drives away from");
      w.from = r.point(n["from"]);
      i.description = "one-way " + describe(w.roads) + " away from [" +
                      n["from"][0].as<std::string>() + ", " + n["from"][1].as<std::string>() + "]";
      i.what = w;
    } else if (kind == "pedestrianise") {
      r.keys(n, "pedestrianise",
             {"name", "osm_way", "polygon", "circle", "polygons", "circles", "width"});
      Pedestrianise p;
      p.roads = roads(r, n, "pedestrianise", city);
      p.width_m = r.get<double>(n, "width", p.width_m);
      if (p.width_m <= 0.0 || p.width_m > 50.0)
        r.fail(n["width"], "pedestrianise.width must be 0 - 50 m");
      i.description = "pedestrianise " + describe(p.roads);
      i.what = p;
    } else if (kind == "route_via") {
      r.keys(n, "route_via", {"name", "sources", "polygon", "circle", "polygons", "circles"});
      RouteVia v;
      v.name = r.require<std::string>(n, "name", "route_via");
      v.sources = names(r, n, "sources");
      v.area = r.area(n, "route_via '" + v.name + "'");
      i.description = "route " +
                      (v.sources.empty() ? std::string("everyone")
                                         : std::to_string(v.sources.size()) + " sources") +
                      " via " + v.name;
      i.what = v;
    } else if (kind == "arrival_profile") {
      r.keys(n, "arrival_profile", {"sources", "profile"});
      ArrivalProfileChange a;
      a.sources = names(r, n, "sources");
      if (!n["profile"] || !n["profile"].IsSequence() || n["profile"].size() == 0)
        r.fail(n, "arrival_profile needs 'profile': [[from_s, people_per_s], ...]");
      for (const auto& step : n["profile"]) {
        if (!step.IsSequence() || step.size() != 2)
          r.fail(step, "a profile step is [from_s, people_per_s]");
        a.profile.emplace_back(step[0].as<double>(), step[1].as<double>());
        if (a.profile.back().second < 0.0) r.fail(step, "a rate is negative");
      }
      i.description = "new arrival profile";
      i.what = a;
    } else {
      r.keys(n, "signal_plan", {"near", "radius", "green", "offset"});
      SignalPlan p;
      if (!n["near"]) r.fail(n, "signal_plan needs 'near': a point at the junction");
      p.near = r.point(n["near"]);
      if (n["radius"]) {
        p.cluster = true;
        p.radius_m = r.get<double>(n, "radius", 0.0);
        if (p.radius_m <= 0.0 || p.radius_m > 200.0)
          r.fail(n["radius"], "radius must be 0 - 200 m");
      }
      if (!n["green"] || !n["green"].IsSequence() || n["green"].size() == 0)
        r.fail(n, "signal_plan needs 'green': seconds of green per phase, e.g. [20, 40]");
      for (const auto& g : n["green"]) {
        const auto s = g.as<float>();
        if (s < 4.0f || s > 180.0f) r.fail(g, "a green time must be 4 - 180 s");
        p.green_s.push_back(s);
      }
      if (n["offset"]) p.offset_s = r.get<float>(n, "offset", 0.0f);
      std::string greens;
      for (const auto& g : n["green"]) greens += (greens.empty() ? "" : "/") + g.as<std::string>();
      i.description = "signal plan " + greens + " s green at [" + n["near"][0].as<std::string>() +
                      ", " + n["near"][1].as<std::string>() + "]";
      i.what = p;
    }
    out.push_back(std::move(i));
  }
}

}  // namespace citytwin::engine
