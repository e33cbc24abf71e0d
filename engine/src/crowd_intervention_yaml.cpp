// Readers of the interventions that change the crowd: barriers, closed areas, gates,
// entrances, demand, arrival profiles, routes via a waypoint.
#include "intervention_yaml.hpp"
#include "intervention_yaml_parts.hpp"

namespace citytwin::engine::intervention_yaml {

void readBarrier(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                 Intervention& i) {
  r.keys(n, "barrier", {"name", "line", "polygon", "circle", "polygons", "circles", "file"});
  AddBarrier b;
  b.name = r.get<std::string>(n, "name", "");
  b.lines = barrierLines(r, n, "barrier");
  i.description = "barrier" + (b.name.empty() ? "" : " '" + b.name + "'") + " (" +
                  std::to_string(b.lines.size()) + " line" + (b.lines.size() == 1 ? "" : "s") + ")";
  i.what = b;
}

void readRemoveBarrier(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                       Intervention& i) {
  r.keys(n, "remove_barrier", {"name"});
  RemoveBarrier b{r.require<std::string>(n, "name", "remove_barrier")};
  i.description = "remove barrier '" + b.name + "'";
  i.what = b;
}

void readCloseArea(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                   Intervention& i) {
  r.keys(n, "close_area", {"name", "polygon", "circle", "polygons", "circles"});
  CloseArea c{r.area(n, "close_area")};
  const auto label = r.get<std::string>(n, "name", "");
  i.description = "close " + (label.empty() ? std::string("an area") : label) + " to pedestrians";
  i.what = c;
}

void readGate(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
              Intervention& i) {
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
  i.description = "gate '" + g.stage + "'" +
                  (n["service_rate"] ? " at " + n["service_rate"].as<std::string>() + " /s" : "") +
                  (n["opens_at"] ? " opening at " + n["opens_at"].as<std::string>() : "");
  i.what = g;
}

void readEntrance(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                  Intervention& i) {
  r.keys(n, "entrance", {"stage", "service_rate", "polygon", "circle", "polygons", "circles"});
  AddEntrance e;
  e.stage = r.require<std::string>(n, "stage", "entrance");
  e.area = r.area(n, "entrance");
  e.service_rate = r.get<float>(n, "service_rate", 0.0f);
  if (e.service_rate < 0.0f) r.fail(n["service_rate"], "entrance.service_rate is negative");
  i.description = "extra entrance for '" + e.stage + "'" +
                  (e.service_rate > 0 ? " (+" + n["service_rate"].as<std::string>() + " /s)" : "");
  i.what = e;
}

void readScaleDemand(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                     Intervention& i) {
  r.keys(n, "scale_demand", {"factor", "sources"});
  ScaleDemand d;
  d.factor = r.require<double>(n, "factor", "scale_demand");
  if (d.factor <= 0.0 || d.factor > 10.0) r.fail(n["factor"], "scale_demand.factor must be 0 - 10");
  d.sources = names(r, n, "sources");
  i.description = "demand x " + n["factor"].as<std::string>();
  i.what = d;
}

void readRouteVia(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                  Intervention& i) {
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
}

void readArrivalProfile(const Reader& r, const YAML::Node& n, const geodata::CityModel& /*city*/,
                        Intervention& i) {
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
}

}  // namespace citytwin::engine::intervention_yaml
