#include "citytwin/ui/edits.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/geodata/geometry.hpp"
#include "citytwin/ui/picker.hpp"

namespace citytwin::ui {

namespace {

std::string num(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%g", v);
  return s;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool isRoad(const geodata::Link& l) {
  return geodata::allows(l.modes, geodata::Mode::kCar) ||
         geodata::allows(l.modes, geodata::Mode::kBus) ||
         geodata::allows(l.modes, geodata::Mode::kBike);
}

bool isWalkway(const geodata::Link& l) {
  return geodata::allows(l.modes, geodata::Mode::kFoot);
}

std::string streetName(const geodata::Link& l) {
  return l.name.empty() ? l.highway + " (OSM way " + std::to_string(l.osm_way_id) + ")" : l.name;
}

}  // namespace

std::optional<InterventionEdit> closeStreetEdit(const engine::ScenarioRun& run,
                                                const VariantDocument& doc,
                                                const geodata::Vec2& click) {
  const auto& city = run.city();
  const bool traffic = run.file().has_traffic;
  geodata::Vec2 foot;
  const std::size_t k =
      nearestLink(city, click, 15.0, traffic ? &isRoad : &isWalkway, nullptr, &foot);
  if (k == SIZE_MAX) return std::nullopt;
  const auto& link = city.links[k];
  InterventionEdit e;
  if (traffic) {
    e.kind = "close_road";
    e.body = "{osm_way: " + std::to_string(link.osm_way_id) + "}";
    e.summary = "Close " + streetName(link) + " to all traffic";
    // Draw the whole way closed: every link of it.
    for (const auto& l : city.links)
      if (l.osm_way_id == link.osm_way_id)
        e.line.insert(e.line.end(), l.geometry.begin(), l.geometry.end());
    if (e.line.size() < 2) e.line = link.geometry;
    // The red line is drawn as a low fence along the street.
    return e;
  }
  // Pedestrians: a block 30 m along the street and 20 m across, centred where it was clicked,
  // lined up with the segment clicked.
  std::size_t seg = 0;
  double best = 1e300;
  for (std::size_t i = 0; i + 1 < link.geometry.size(); ++i) {
    const double d = geodata::distanceToSegment(foot, link.geometry[i], link.geometry[i + 1]);
    if (d < best) {
      best = d;
      seg = i;
    }
  }
  const auto a = link.geometry[seg], b = link.geometry[seg + 1];
  double ux = b.x - a.x, uy = b.y - a.y;
  const double len = std::hypot(ux, uy);
  ux = len > 0 ? ux / len : 1.0;
  uy = len > 0 ? uy / len : 0.0;
  const double along = 4.0, across = 10.0;  // half-sizes: a cordon 8 m deep, 20 m wide
  geodata::Ring2 ring{{foot.x - ux * along + uy * across, foot.y - uy * along - ux * across},
                      {foot.x + ux * along + uy * across, foot.y + uy * along - ux * across},
                      {foot.x + ux * along - uy * across, foot.y + uy * along + ux * across},
                      {foot.x - ux * along - uy * across, foot.y - uy * along + ux * across}};
  std::string polygon = "[";
  for (std::size_t i = 0; i < ring.size(); ++i) polygon += (i ? ", " : "") + doc.point(ring[i]);
  polygon += "]";
  const std::string name =
      "closed " + streetName(link) + " " + std::to_string(doc.edits().size() + 1);
  e.kind = "close_area";
  e.body = "{name: " + quoted(name) + ", polygon: " + polygon + "}";
  e.summary = "Close " + streetName(link) + " to pedestrians at " + doc.point(foot);
  e.area = {ring};
  return e;
}

InterventionEdit barrierEdit(const VariantDocument& doc, const std::string& name,
                             const std::vector<geodata::Vec2>& line) {
  InterventionEdit e;
  e.kind = "barrier";
  std::string pts = "[";
  for (std::size_t i = 0; i < line.size(); ++i) pts += (i ? ", " : "") + doc.point(line[i]);
  pts += "]";
  e.body = "{name: " + quoted(name) + ", line: " + pts + "}";
  double length = 0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i)
    length += std::hypot(line[i + 1].x - line[i].x, line[i + 1].y - line[i].y);
  e.summary = "Fence " + name + " (" + num(std::round(length)) + " m)";
  e.line = line;
  return e;
}

InterventionEdit gateEdit(const VariantDocument& /*doc*/, const std::string& stage,
                          double service_rate, double opens_at_s, const geodata::Vec2& where) {
  InterventionEdit e;
  e.kind = "gate";
  e.body = "{stage: " + quoted(stage) + ", service_rate: " + num(service_rate);
  if (opens_at_s >= 0) e.body += ", opens_at: " + num(opens_at_s);
  e.body += "}";
  e.summary = "Gate " + stage + ": " + num(service_rate) + " people/s";
  if (opens_at_s >= 0) e.summary += ", opens at " + num(opens_at_s) + " s";
  e.markers = {where};
  return e;
}

InterventionEdit signalPlanEdit(const VariantDocument& doc, const geodata::Vec2& near,
                                double radius_m, const std::vector<double>& green_s) {
  InterventionEdit e;
  e.kind = "signal_plan";
  std::string greens = "[";
  for (std::size_t i = 0; i < green_s.size(); ++i) greens += (i ? ", " : "") + num(green_s[i]);
  greens += "]";
  e.body = "{near: " + doc.point(near);
  if (radius_m > 0) e.body += ", radius: " + num(radius_m);
  e.body += ", green: " + greens + "}";
  e.summary = "Signal plan at " + doc.point(near) + ": green " + greens + " s";
  e.markers = {near};
  return e;
}

}  // namespace citytwin::ui
