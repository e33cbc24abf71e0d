#pragma once
// Small geometries for crowd tests: corridors, corners, rooms with exits.
#include "citytwin/engine/crowd/crowd_scenario.hpp"

namespace citytwin::engine::crowd::test {

inline geodata::Polygon2 rect(double x0, double y0, double x1, double y1) {
  return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}};
}

inline Stage exitStage(std::string name, double x0, double y0, double x1, double y1) {
  Stage s;
  s.name = std::move(name);
  s.kind = StageKind::kExit;
  s.area = {rect(x0, y0, x1, y1)};
  return s;
}

inline Source source(std::string name, geodata::Polygon2 area, std::uint32_t agents,
                     std::uint32_t journey = 0) {
  Source s;
  s.name = std::move(name);
  s.area = {std::move(area)};
  s.agents = agents;
  s.journey = journey;
  return s;
}

}  // namespace citytwin::engine::crowd::test
