#pragma once
// Small networks for the traffic tests, built with NetworkBuilder.
#include <cmath>
#include <string>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network_builder.hpp"

namespace citytwin::test {

/// A bundled SUMO test file (tests/data/sumo/).
inline std::string sumoData(const std::string& name) {
  return std::string(CITYTWIN_SOURCE_DIR) + "/tests/data/sumo/" + name;
}

/// A fixed-time signal: red for `red_s`, then green for `green_s`, for `links` links.
inline engine::traffic::SignalProgram redThenGreen(std::string id, std::uint32_t links, float red_s,
                                                   float green_s) {
  using namespace engine::traffic;
  SignalProgram p;
  p.id = std::move(id);
  SignalPhase red, green;
  red.duration = red_s;
  green.duration = green_s;
  red.states.assign(links, SignalState::kRed);
  green.states.assign(links, SignalState::kGreenMajor);
  p.phases = {red, green};
  return p;
}

/// A straight road A -> B -> C: `approach` metres to B, then 300 m on.
inline engine::traffic::Network corridor(double approach, std::uint32_t lanes, float speed,
                                         bool signal_at_b = false) {
  using namespace engine::traffic;
  NetworkBuilder b;
  const auto a = b.addJunction("A", {0, 0});
  const auto m = b.addJunction("B", {approach, 0});
  const auto c = b.addJunction("C", {approach + 300.0, 0});
  b.addEdge("AB", a, m, lanes, speed);
  b.addEdge("BC", m, c, lanes, speed);
  b.connect(0, 1);
  // Red for the first two minutes, then green for ten.
  if (signal_at_b) b.setJunctionSignal(m, b.addSignal(redThenGreen("B", lanes, 120.0f, 600.0f)));
  return b.build();
}

/// From Z to C through A and B: a short way (A - M1 - B, 400 m) and a long one (A - M2 - B,
/// about 720 m), one lane at 50 km/h. Junctions Z, A, M1, M2, B, C are 0 - 5; edges in, s1,
/// s2, l1, l2, out are 0 - 5. The caller connects and builds.
inline void addFork(engine::traffic::NetworkBuilder& b) {
  const auto z = b.addJunction("Z", {-300, 0});
  const auto a = b.addJunction("A", {0, 0});
  const auto m1 = b.addJunction("M1", {200, 0});
  const auto m2 = b.addJunction("M2", {200, 300});
  const auto bb = b.addJunction("B", {400, 0});
  const auto c = b.addJunction("C", {700, 0});
  b.addEdge("in", z, a, 1, 13.89f);
  b.addEdge("s1", a, m1, 1, 13.89f);
  b.addEdge("s2", m1, bb, 1, 13.89f);
  b.addEdge("l1", a, m2, 1, 13.89f);
  b.addEdge("l2", m2, bb, 1, 13.89f);
  b.addEdge("out", bb, c, 1, 13.89f);
}

/// A one-lane ring of `junctions` edges round a circle of `circumference` metres,
/// counter-clockwise; every turn is gentle enough to count as straight on.
inline engine::traffic::Network ring(double circumference, int junctions, float speed) {
  using namespace engine::traffic;
  NetworkBuilder b;
  const double r = circumference / (2.0 * 3.141592653589793);
  for (int k = 0; k < junctions; ++k) {
    const double a = 2.0 * 3.141592653589793 * k / junctions;
    b.addJunction("J" + std::to_string(k), {r * std::cos(a), r * std::sin(a)});
  }
  for (int k = 0; k < junctions; ++k)
    b.addEdge("E" + std::to_string(k), static_cast<std::uint32_t>(k),
              static_cast<std::uint32_t>((k + 1) % junctions), 1, speed);
  for (int k = 0; k < junctions; ++k)
    b.connect(static_cast<std::uint32_t>(k), static_cast<std::uint32_t>((k + 1) % junctions));
  return b.build();
}

/// A car type with no spread of speed factors, so runs compare with formulas.
inline engine::traffic::VehicleType exactCar() {
  auto t = engine::traffic::defaultVehicleType(engine::traffic::kClassCar);
  t.speed_factor_dev = 0.0f;
  return t;
}

}  // namespace citytwin::test
