// Interventions that change the city's streets themselves: lanes, one-way streets,
// pedestrianised streets.
#include <cmath>

#include "citytwin/engine/interventions.hpp"

namespace citytwin::engine {

namespace {

using geodata::Mode;
using geodata::ModeMask;

constexpr auto kMotor =
    static_cast<ModeMask>(static_cast<ModeMask>(Mode::kCar) | static_cast<ModeMask>(Mode::kBus));

geodata::Vec2 middle(const geodata::Link& l) {
  if (l.geometry.empty()) return {};
  return l.geometry[l.geometry.size() / 2];
}

}  // namespace

std::vector<std::size_t> selectLinks(const geodata::CityModel& city, const RoadSelection& roads) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < city.links.size(); ++k) {
    const auto& l = city.links[k];
    if (!roads.name.empty() && l.name != roads.name) continue;
    if (roads.osm_way != 0 && l.osm_way_id != roads.osm_way) continue;
    if (!roads.area.empty() && !geodata::contains(roads.area, middle(l))) continue;
    out.push_back(k);
  }
  return out;
}

void applyToCityRoads(geodata::CityModel& city, const std::vector<Intervention>& interventions) {
  for (const auto& i : interventions) {
    if (const auto* c = std::get_if<LaneChange>(&i.what)) {
      for (auto k : selectLinks(city, c->roads))
        if (city.links[k].modes & kMotor) city.links[k].lanes = static_cast<std::uint8_t>(c->lanes);
    } else if (const auto* o = std::get_if<OneWay>(&i.what)) {
      for (auto k : selectLinks(city, o->roads)) {
        auto& l = city.links[k];
        const auto& a = city.nodes[l.from].position;
        const auto& b = city.nodes[l.to].position;
        // Towards the point: closed to motor traffic.
        if (std::hypot(b.x - o->from.x, b.y - o->from.y) <
            std::hypot(a.x - o->from.x, a.y - o->from.y))
          l.modes &= static_cast<ModeMask>(~kMotor);
      }
    } else if (const auto* p = std::get_if<Pedestrianise>(&i.what)) {
      for (auto k : selectLinks(city, p->roads)) {
        auto& l = city.links[k];
        l.modes &= static_cast<ModeMask>(~(kMotor | static_cast<ModeMask>(Mode::kBike)));
        l.modes |= static_cast<ModeMask>(Mode::kFoot);
      }
    }
  }
}

void applyToWalkable(crowd::CrowdScenario& s, const geodata::CityModel& city,
                     const std::vector<Intervention>& interventions) {
  for (const auto& i : interventions)
    if (const auto* p = std::get_if<Pedestrianise>(&i.what)) {
      std::vector<std::vector<geodata::Vec2>> lines;
      for (auto k : selectLinks(city, p->roads)) lines.push_back(city.links[k].geometry);
      s.walkable = geodata::unionWithStrips(s.walkable, lines, p->width_m);
    }
}

}  // namespace citytwin::engine
