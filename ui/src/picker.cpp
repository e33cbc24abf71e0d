#include "citytwin/ui/picker.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "citytwin/engine/scenario_run.hpp"

namespace citytwin::ui {

namespace {

std::string fmt(double v, int decimals = 1) {
  char s[48];
  std::snprintf(s, sizeof s, "%.*f", decimals, v);
  return s;
}

const char* stageKindName(engine::crowd::StageKind k) {
  switch (k) {
    case engine::crowd::StageKind::kWaypoint:
      return "waypoint";
    case engine::crowd::StageKind::kExit:
      return "exit";
    case engine::crowd::StageKind::kGate:
      return "gate";
    case engine::crowd::StageKind::kWaitingArea:
      return "waiting area";
  }
  return "";
}

double segmentDistance(const geodata::Vec2& p, const geodata::Vec2& a, const geodata::Vec2& b,
                       geodata::Vec2* foot) {
  const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const geodata::Vec2 f{a.x + t * dx, a.y + t * dy};
  if (foot) *foot = f;
  return std::hypot(p.x - f.x, p.y - f.y);
}

std::string modesText(geodata::ModeMask m) {
  std::string s;
  for (auto mode : geodata::kAllModes)
    if (geodata::allows(m, mode))
      s += (s.empty() ? "" : ", ") + std::string(geodata::modeName(mode));
  return s;
}

}  // namespace

std::size_t nearestLink(const geodata::CityModel& city, const geodata::Vec2& p, double max_distance,
                        bool (*accept)(const geodata::Link&), double* distance,
                        geodata::Vec2* foot) {
  std::size_t best = SIZE_MAX;
  double best_d = max_distance;
  for (std::size_t k = 0; k < city.links.size(); ++k) {
    const auto& l = city.links[k];
    if (accept && !accept(l)) continue;
    for (std::size_t i = 0; i + 1 < l.geometry.size(); ++i) {
      geodata::Vec2 f;
      const double d = segmentDistance(p, l.geometry[i], l.geometry[i + 1], &f);
      if (d < best_d) {
        best_d = d;
        best = k;
        if (foot) *foot = f;
      }
    }
  }
  if (distance) *distance = best_d;
  return best;
}

PickResult pickAt(const engine::ScenarioRun& run, const Frame* frame, const geodata::Vec2& p,
                  double tolerance) {
  PickResult r;
  const auto& city = run.city();
  // Moving things first: they sit on top of everything else.
  if (frame) {
    double best = tolerance;
    for (std::size_t i = 0; i < frame->peopleCount(); ++i) {
      const double d = std::hypot(frame->people[3 * i] - p.x, frame->people[3 * i + 1] - p.y);
      if (d < best) {
        best = d;
        r.kind = PickKind::kPerson;
        r.index = i;
      }
    }
    for (std::size_t i = 0; i < frame->vehicleCount(); ++i) {
      const double d = std::hypot(frame->vehicles[4 * i] - p.x, frame->vehicles[4 * i + 1] - p.y);
      if (d < best) {
        best = d;
        r.kind = PickKind::kVehicle;
        r.index = i;
      }
    }
    if (r.kind == PickKind::kPerson) {
      r.title = "Person " + std::to_string(frame->person_ids[r.index]);
      r.attributes = {{"speed", fmt(frame->people[3 * r.index + 2], 2) + " m/s"},
                      {"x", fmt(frame->people[3 * r.index])},
                      {"y", fmt(frame->people[3 * r.index + 1])}};
      return r;
    }
    if (r.kind == PickKind::kVehicle) {
      static const char* kinds[] = {"car", "bus", "truck", "bicycle"};
      r.title = std::string("Vehicle (") +
                kinds[static_cast<int>(frame->vehicles[4 * r.index + 3]) & 3] + ")";
      r.attributes = {{"x", fmt(frame->vehicles[4 * r.index])},
                      {"y", fmt(frame->vehicles[4 * r.index + 1])}};
      return r;
    }
  }
  const auto& file = run.file();
  if (file.has_crowd) {
    const auto& s = file.crowd;
    for (std::size_t k = 0; k < s.stages.size(); ++k)
      if (geodata::contains(s.stages[k].area, p)) {
        r.kind = PickKind::kStage;
        r.index = k;
        r.title = "Stage " + s.stages[k].name;
        r.attributes = {{"kind", stageKindName(s.stages[k].kind)}};
        if (s.stages[k].kind == engine::crowd::StageKind::kGate) {
          r.attributes.push_back({"capacity", fmt(s.stages[k].service_rate) + " people/s"});
          r.attributes.push_back({"opens at", fmt(s.stages[k].opens_at_s, 0) + " s"});
        }
        return r;
      }
    for (std::size_t k = 0; k < s.zones.size(); ++k)
      if (geodata::contains(s.zones[k].area, p)) {
        r.kind = PickKind::kZone;
        r.index = k;
        r.title = "Zone " + s.zones[k].name;
        r.attributes = {{"area", fmt(geodata::area(s.zones[k].area), 0) + " m2"}};
        if (frame && k < frame->zone_density.size())
          r.attributes.push_back({"density now", fmt(frame->zone_density[k], 2) + " people/m2"});
        return r;
      }
  }
  for (std::size_t k = 0; k < city.buildings.size(); ++k)
    if (geodata::contains(city.buildings[k].footprint, p)) {
      const auto& b = city.buildings[k];
      r.kind = PickKind::kBuilding;
      r.index = k;
      r.title = "Building " + b.id;
      r.attributes = {{"height", fmt(b.height_m) + " m"},
                      {"height from", b.height_source},
                      {"footprint", fmt(geodata::area(b.footprint), 0) + " m2"},
                      {"source", b.source == geodata::BuildingSource::kCityJson ? "CityJSON"
                                                                                : "OpenStreetMap"}};
      if (!b.lod.empty()) r.attributes.push_back({"LoD", b.lod});
      return r;
    }
  const std::size_t link = nearestLink(city, p, tolerance);
  if (link != SIZE_MAX) {
    const auto& l = city.links[link];
    r.kind = PickKind::kStreet;
    r.index = link;
    r.title = l.name.empty() ? "Street (" + l.highway + ")" : l.name;
    r.attributes = {{"OSM way", std::to_string(l.osm_way_id)},
                    {"class", l.highway},
                    {"modes", modesText(l.modes)},
                    {"lanes", std::to_string(l.lanes)},
                    {"speed limit", fmt(l.speed_limit_mps * 3.6, 0) + " km/h"},
                    {"length", fmt(l.length_m) + " m"}};
  }
  return r;
}

}  // namespace citytwin::ui
