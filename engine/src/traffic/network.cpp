#include "citytwin/engine/traffic/network.hpp"

#include <algorithm>
#include <cmath>

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
  for (std::uint32_t e = 0; e < edges.size(); ++e) edge_by_id_.emplace(edges[e].id, e);
}

void Network::setConflicts(const std::vector<std::vector<std::uint32_t>>& link_foes,
                           const std::vector<std::vector<std::uint32_t>>& link_yields) {
  foes.clear();
  yields.clear();
  for (std::uint32_t k = 0; k < links.size(); ++k) {
    Link& l = links[k];
    l.foe_begin = static_cast<std::uint32_t>(foes.size());
    foes.insert(foes.end(), link_foes[k].begin(), link_foes[k].end());
    l.foe_end = static_cast<std::uint32_t>(foes.size());
    l.yield_begin = static_cast<std::uint32_t>(yields.size());
    yields.insert(yields.end(), link_yields[k].begin(), link_yields[k].end());
    l.yield_end = static_cast<std::uint32_t>(yields.size());
  }
}

std::optional<std::uint32_t> Network::findEdge(std::string_view id) const {
  const auto it = edge_by_id_.find(std::string(id));
  if (it == edge_by_id_.end()) return std::nullopt;
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
  // The shape's drawn length may differ from the lane's length: scale along it.
  const double fraction = l.length > 0.0f ? static_cast<double>(pos) / l.length : 0.0;
  return pointOnShape(l.shape_begin, l.shape_end, fraction, heading);
}

geodata::Vec2 Network::pointOnShape(std::uint32_t begin, std::uint32_t end, double fraction,
                                    double* heading) const {
  if (end <= begin) return {};
  if (end - begin == 1) return shape_points[begin];
  double total = 0.0;
  for (std::uint32_t k = begin + 1; k < end; ++k)
    total += std::hypot(shape_points[k].x - shape_points[k - 1].x,
                        shape_points[k].y - shape_points[k - 1].y);
  double target = std::clamp(fraction, 0.0, 1.0) * total;
  for (std::uint32_t k = begin + 1; k < end; ++k) {
    const auto& a = shape_points[k - 1];
    const auto& b = shape_points[k];
    const double seg = std::hypot(b.x - a.x, b.y - a.y);
    if (target <= seg || k + 1 == end) {
      const double f = seg > 0.0 ? std::min(1.0, target / seg) : 0.0;
      if (heading) *heading = std::atan2(b.y - a.y, b.x - a.x);
      return {a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f};
    }
    target -= seg;
  }
  return shape_points[end - 1];
}

}  // namespace citytwin::engine::traffic
