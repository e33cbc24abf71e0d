#include "citytwin/engine/traffic/network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace citytwin::engine::traffic {

std::optional<SignalState> signalStateFromChar(char c) {
  switch (c) {
    case 'r':
      return SignalState::kRed;
    case 'u':
      return SignalState::kRedYellow;
    case 'y':
    case 'Y':
      return SignalState::kYellow;
    case 'G':
      return SignalState::kGreenMajor;
    case 'g':
      return SignalState::kGreenMinor;
    case 'O':
      return SignalState::kOffMajor;
    case 'o':
      return SignalState::kOffMinor;
    case 's':
      return SignalState::kStop;
    default:
      return std::nullopt;
  }
}

float SignalProgram::cycle() const {
  float c = 0.0f;
  for (const auto& p : phases) c += p.duration;
  return c;
}

std::size_t SignalProgram::phaseAt(double t) const {
  const double c = cycle();
  if (phases.size() <= 1 || c <= 0.0) return 0;
  double in_cycle = std::fmod(t + offset, c);
  if (in_cycle < 0.0) in_cycle += c;
  for (std::size_t k = 0; k < phases.size(); ++k) {
    if (in_cycle < phases[k].duration) return k;
    in_cycle -= phases[k].duration;
  }
  return phases.size() - 1;
}

void Network::index() {
  edge_by_id_.clear();
  junction_by_id_.clear();
  for (std::uint32_t e = 0; e < edges.size(); ++e) edge_by_id_.emplace(edges[e].id, e);
  for (std::uint32_t j = 0; j < junctions.size(); ++j) junction_by_id_.emplace(junctions[j].id, j);
}

std::optional<std::uint32_t> Network::findEdge(std::string_view id) const {
  const auto it = edge_by_id_.find(std::string(id));
  if (it == edge_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> Network::findJunction(std::string_view id) const {
  const auto it = junction_by_id_.find(std::string(id));
  if (it == junction_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> Network::linkTo(std::uint32_t lane, std::uint32_t to_edge) const {
  const Lane& l = lanes[lane];
  for (std::uint32_t k = l.first_link; k < l.first_link + l.link_count; ++k)
    if (lanes[links[k].to_lane].edge == to_edge) return k;
  return std::nullopt;
}

bool Network::edgesConnected(std::uint32_t from_edge, std::uint32_t to_edge) const {
  const Edge& e = edges[from_edge];
  for (std::uint32_t l = e.first_lane; l < e.first_lane + e.lane_count; ++l)
    if (linkTo(l, to_edge)) return true;
  return false;
}

geodata::Vec2 Network::pointOnLane(std::uint32_t lane, float pos, double* heading) const {
  const Lane& l = lanes[lane];
  if (l.shape_end <= l.shape_begin) return {};
  if (l.shape_end - l.shape_begin == 1) return shape_points[l.shape_begin];
  // The shape's drawn length may differ from the lane's length: scale along it.
  double total = 0.0;
  for (std::uint32_t k = l.shape_begin + 1; k < l.shape_end; ++k)
    total += std::hypot(shape_points[k].x - shape_points[k - 1].x,
                        shape_points[k].y - shape_points[k - 1].y);
  double target =
      l.length > 0.0f ? std::clamp(static_cast<double>(pos) / l.length, 0.0, 1.0) * total : 0.0;
  for (std::uint32_t k = l.shape_begin + 1; k < l.shape_end; ++k) {
    const auto& a = shape_points[k - 1];
    const auto& b = shape_points[k];
    const double seg = std::hypot(b.x - a.x, b.y - a.y);
    if (target <= seg || k + 1 == l.shape_end) {
      const double f = seg > 0.0 ? std::min(1.0, target / seg) : 0.0;
      if (heading) *heading = std::atan2(b.y - a.y, b.x - a.x);
      return {a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f};
    }
    target -= seg;
  }
  return shape_points[l.shape_end - 1];
}

geodata::Box2 Network::bounds() const {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  geodata::Box2 b{kInf, kInf, -kInf, -kInf};
  for (const auto& p : shape_points) {
    b.min_x = std::min(b.min_x, p.x);
    b.min_y = std::min(b.min_y, p.y);
    b.max_x = std::max(b.max_x, p.x);
    b.max_y = std::max(b.max_y, p.y);
  }
  for (const auto& j : junctions) {
    b.min_x = std::min(b.min_x, j.position.x);
    b.min_y = std::min(b.min_y, j.position.y);
    b.max_x = std::max(b.max_x, j.position.x);
    b.max_y = std::max(b.max_y, j.position.y);
  }
  return b;
}

}  // namespace citytwin::engine::traffic
