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

/// RiMEA test 1: one person at 1.33 m/s, 40 m from x = 1 to the exit area of a 2 m corridor.
inline CrowdScenario rimea1Corridor() {
  CrowdScenario s;
  s.walkable = {rect(0, 0, 42, 2)};
  s.stages.push_back(exitStage("end", 41, 0, 42, 2));
  s.journeys.push_back({"walk", {0}});
  s.groups[0].speed = {1.33f, 0.0f, 1.33f, 1.33f};
  s.sources.push_back(source("start", rect(0.7, 0.8, 1.3, 1.2), 1));
  s.duration_s = 60;
  return s;
}

/// A corridor 14 m long, turning left into a 14 m long leg (RiMEA tests 6 and 15 use corners).
inline bool insideLCorner(float x, float y, float width) {
  return (x >= 0 && x <= 14 && y >= 0 && y <= width) ||
         (x >= 14 - width && x <= 14 && y >= 0 && y <= 14);
}

}  // namespace citytwin::engine::crowd::test
