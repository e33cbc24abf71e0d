// Readers of the interventions that change roads: closures, speed limits, signal plans, lanes,
// one-way and pedestrianised streets.
#include "intervention_yaml_parts.hpp"

namespace citytwin::engine::intervention_yaml {

void readCloseRoad(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                   Intervention& i) {
  r.keys(n, "close_road",
         {"name", "osm_way", "polygon", "circle", "polygons", "circles", "modes", "from", "until"});
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
}

void readSpeedLimit(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                    Intervention& i) {
  r.keys(n, "speed_limit", {"name", "osm_way", "polygon", "circle", "polygons", "circles", "kmh"});
  SpeedLimit s;
  s.roads = roads(r, n, "speed_limit", city);
  const double kmh = r.require<double>(n, "kmh", "speed_limit");
  if (kmh < 5.0 || kmh > 130.0) r.fail(n["kmh"], "speed_limit.kmh must be 5 - 130");
  s.speed_mps = static_cast<float>(kmh / 3.6);
  i.description = "speed limit " + n["kmh"].as<std::string>() + " km/h on " + describe(s.roads);
  i.what = s;
}

void readSignalPlan(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                    Intervention& i) {
  r.keys(n, "signal_plan", {"near", "radius", "green", "offset"});
  SignalPlan p;
  if (!n["near"]) r.fail(n, "signal_plan needs 'near': a point at the junction");
  p.near = r.point(n["near"]);
  if (n["radius"]) {
    p.cluster = true;
    p.radius_m = r.get<double>(n, "radius", 0.0);
    if (p.radius_m <= 0.0 || p.radius_m > 200.0) r.fail(n["radius"], "radius must be 0 - 200 m");
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

void readLanes(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
               Intervention& i) {
  r.keys(n, "lanes", {"name", "osm_way", "polygon", "circle", "polygons", "circles", "count"});
  LaneChange c;
  c.roads = roads(r, n, "lanes", city);
  c.lanes = r.require<int>(n, "count", "lanes");
  if (c.lanes < 1 || c.lanes > 8) r.fail(n["count"], "lanes.count must be 1 - 8");
  i.description = std::to_string(c.lanes) + " lane" + (c.lanes == 1 ? "" : "s") + " each way on " +
                  describe(c.roads);
  i.what = c;
}

void readOneWay(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                Intervention& i) {
  r.keys(n, "one_way", {"name", "osm_way", "polygon", "circle", "polygons", "circles", "from"});
  OneWay w;
  w.roads = roads(r, n, "one_way", city);
  if (!n["from"]) r.fail(n, "one_way needs 'from': a point the traffic drives away from");
  w.from = r.point(n["from"]);
  i.description = "one-way " + describe(w.roads) + " away from [" + n["from"][0].as<std::string>() +
                  ", " + n["from"][1].as<std::string>() + "]";
  i.what = w;
}

void readPedestrianise(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                       Intervention& i) {
  r.keys(n, "pedestrianise",
         {"name", "osm_way", "polygon", "circle", "polygons", "circles", "width"});
  Pedestrianise p;
  p.roads = roads(r, n, "pedestrianise", city);
  p.width_m = r.get<double>(n, "width", p.width_m);
  if (p.width_m <= 0.0 || p.width_m > 50.0)
    r.fail(n["width"], "pedestrianise.width must be 0 - 50 m");
  i.description = "pedestrianise " + describe(p.roads);
  i.what = p;
}

}  // namespace citytwin::engine::intervention_yaml
