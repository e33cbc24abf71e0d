#include "citytwin/geodata/model_info.hpp"

#include <algorithm>

namespace citytwin::geodata {

const char* modeName(Mode m) {
  switch (m) {
    case Mode::kCar:
      return "car";
    case Mode::kBike:
      return "bike";
    case Mode::kFoot:
      return "foot";
    case Mode::kBus:
      return "bus";
  }
  return "?";
}

Box2 modelExtent(const CityModel& m) {
  Box2 b{1e300, 1e300, -1e300, -1e300};
  auto grow = [&](const Vec2& p) {
    b = {std::min(b.min_x, p.x), std::min(b.min_y, p.y), std::max(b.max_x, p.x),
         std::max(b.max_y, p.y)};
  };
  for (const auto& n : m.nodes) grow(n.position);
  for (const auto& l : m.links)
    for (const auto& p : l.geometry) grow(p);
  for (const auto& bl : m.buildings)
    for (const auto& poly : bl.footprint)
      for (const auto& r : poly)
        for (const auto& p : r) grow(p);
  for (const auto& poly : m.walkable)
    for (const auto& r : poly)
      for (const auto& p : r) grow(p);
  for (const auto& o : m.city_objects)
    for (const auto& s : o.surfaces)
      for (const auto& r : s.rings)
        for (const auto& v : r) grow({v.x, v.y});
  for (const auto& l : m.layers)
    for (const auto& f : l.features)
      for (const auto& part : f.geometry.parts)
        for (const auto& r : part)
          for (const auto& v : r) grow({v.x, v.y});
  return b.empty() ? Box2{} : b;
}

ExtentWgs84 toWgs84(const LocalFrame& frame, const Box2& box) {
  CrsTransform ct(frame.crs, "EPSG:4326");
  ExtentWgs84 e{180, 90, -180, -90};
  for (double x : {box.min_x, box.max_x})
    for (double y : {box.min_y, box.max_y}) {
      const Vec2 p = frame.toProjected({x, y});
      double lon = p.x, lat = p.y, z = 0;
      if (!ct.apply(lon, lat, z)) continue;
      e = {std::min(e.min_lon, lon), std::min(e.min_lat, lat), std::max(e.max_lon, lon),
           std::max(e.max_lat, lat)};
    }
  return e;
}

std::size_t countLinks(const CityModel& m, Mode mode) {
  return static_cast<std::size_t>(std::count_if(
      m.links.begin(), m.links.end(), [&](const Link& l) { return allows(l.modes, mode); }));
}

std::size_t countSignals(const CityModel& m) {
  return static_cast<std::size_t>(std::count_if(m.nodes.begin(), m.nodes.end(),
                                                [](const Node& n) { return n.traffic_signals; }));
}

std::map<std::string, std::size_t> countCityObjectsByType(const CityModel& m) {
  std::map<std::string, std::size_t> counts;
  for (const auto& o : m.city_objects) ++counts[o.type];
  return counts;
}

}  // namespace citytwin::geodata
