#include "citytwin/engine/traffic/network_builder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace citytwin::engine::traffic {

namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kShortEdge = 30.0;  // m: too short to change lanes on

double wrapAngle(double a) {
  while (a > kPi) a -= 2 * kPi;
  while (a <= -kPi) a += 2 * kPi;
  return a;
}

/// The polyline shifted `d` metres to the right of its direction of travel.
std::vector<geodata::Vec2> offsetRight(const std::vector<geodata::Vec2>& p, double d) {
  std::vector<geodata::Vec2> out(p.size());
  for (std::size_t k = 0; k < p.size(); ++k) {
    double nx = 0.0, ny = 0.0;
    for (const std::size_t s : {k == 0 ? k : k - 1, k + 1 < p.size() ? k : k - 1}) {
      const double dx = p[s + 1].x - p[s].x, dy = p[s + 1].y - p[s].y;
      const double len = std::max(std::hypot(dx, dy), 1e-9);
      nx += dy / len, ny += -dx / len;
    }
    const double n = std::max(std::hypot(nx, ny), 1e-9);
    out[k] = {p[k].x + d * nx / n, p[k].y + d * ny / n};
  }
  return out;
}

/// Cuts `from_start` metres off the start and `from_end` off the end.
std::vector<geodata::Vec2> trim(const std::vector<geodata::Vec2>& p, double from_start,
                                double from_end) {
  const double total = geodata::length(p);
  const double a = std::min(from_start, 0.45 * total),
               b = std::max(a, total - std::min(from_end, 0.45 * total));
  std::vector<geodata::Vec2> out;
  double run = 0.0;
  for (std::size_t k = 1; k < p.size(); ++k) {
    const double seg = std::hypot(p[k].x - p[k - 1].x, p[k].y - p[k - 1].y);
    auto at = [&](double s) {
      const double f = seg > 0 ? (s - run) / seg : 0.0;
      return geodata::Vec2{p[k - 1].x + (p[k].x - p[k - 1].x) * f,
                           p[k - 1].y + (p[k].y - p[k - 1].y) * f};
    };
    if (out.empty() && run + seg >= a) out.push_back(at(a));
    if (!out.empty() && run + seg < b) out.push_back(p[k]);
    if (run + seg >= b) {
      out.push_back(at(b));
      break;
    }
    run += seg;
  }
  if (out.size() < 2) out = {p.front(), p.back()};
  return out;
}

bool segmentsCross(geodata::Vec2 a, geodata::Vec2 b, geodata::Vec2 c, geodata::Vec2 d) {
  auto cross = [](geodata::Vec2 o, geodata::Vec2 p, geodata::Vec2 q) {
    return (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x);
  };
  const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  return ((d1 > 1e-9 && d2 < -1e-9) || (d1 < -1e-9 && d2 > 1e-9)) &&
         ((d3 > 1e-9 && d4 < -1e-9) || (d3 < -1e-9 && d4 > 1e-9));
}

int turnRank(char dir) {
  if (dir == 's' || dir == 'r' || dir == 'R') return 0;
  if (dir == 'l' || dir == 'L') return 1;
  return 2;  // turning back
}

}  // namespace

std::uint32_t NetworkBuilder::addJunction(std::string id, geodata::Vec2 position,
                                          JunctionKind kind) {
  Junction j;
  j.id = std::move(id);
  j.position = position;
  j.kind = kind;
  net_.junctions.push_back(std::move(j));
  return static_cast<std::uint32_t>(net_.junctions.size() - 1);
}

std::uint32_t NetworkBuilder::addEdge(std::string id, std::uint32_t from, std::uint32_t to,
                                      std::uint32_t lanes, float speed, int priority,
                                      ClassMask allow, std::vector<geodata::Vec2> axis,
                                      std::string name) {
  if (from >= net_.junctions.size() || to >= net_.junctions.size() || lanes == 0)
    throw std::invalid_argument("edge " + id + ": unknown junction or no lanes");
  if (axis.size() < 2) axis = {net_.junctions[from].position, net_.junctions[to].position};
  Edge e;
  e.id = std::move(id);
  e.name = std::move(name);
  e.from = from;
  e.to = to;
  e.lane_count = lanes;
  e.speed = speed;
  e.priority = priority;
  net_.edges.push_back(std::move(e));
  axes_.push_back(std::move(axis));
  for (std::uint32_t i = 0; i < lanes; ++i) {
    Lane l;
    l.edge = static_cast<std::uint32_t>(net_.edges.size() - 1);
    l.index = i;
    l.speed = speed;
    l.allow = allow;
    net_.lanes.push_back(l);
  }
  net_.edges.back().first_lane = static_cast<std::uint32_t>(net_.lanes.size() - lanes);
  return static_cast<std::uint32_t>(net_.edges.size() - 1);
}

void NetworkBuilder::addLink(std::uint32_t from_edge, std::uint32_t from_lane,
                             std::uint32_t to_edge, std::uint32_t to_lane) {
  if (from_lane >= net_.edges.at(from_edge).lane_count ||
      to_lane >= net_.edges.at(to_edge).lane_count)
    throw std::invalid_argument("link: lane index out of range");
  if (net_.edges[from_edge].to != net_.edges[to_edge].from)
    throw std::invalid_argument("link: edges " + net_.edges[from_edge].id + " and " +
                                net_.edges[to_edge].id + " do not meet");
  pending_.push_back({from_edge, from_lane, to_edge, to_lane});
}

double NetworkBuilder::heading(std::uint32_t edge, bool at_end) const {
  const auto& a = axes_[edge];
  const auto& p = at_end ? a[a.size() - 2] : a[0];
  const auto& q = at_end ? a[a.size() - 1] : a[1];
  return std::atan2(q.y - p.y, q.x - p.x);
}

void NetworkBuilder::connect(std::uint32_t from_edge, std::uint32_t to_edge) {
  const Edge& f = net_.edges.at(from_edge);
  const Edge& t = net_.edges.at(to_edge);
  const double turn = wrapAngle(heading(to_edge, false) - heading(from_edge, true));
  const std::uint32_t nf = f.lane_count, nt = t.lane_count;
  // Onto a road too short to change lanes on (OSM splits roads at every signal and crossing),
  // a vehicle must be able to reach every lane directly, or it could be caught on one that
  // does not go where it is heading.
  const bool short_target = geodata::length(axes_[to_edge]) < kShortEdge;
  auto link = [&](std::uint32_t from_lane, std::uint32_t to_lane) {
    if (!short_target) return addLink(from_edge, from_lane, to_edge, to_lane);
    for (std::uint32_t l = 0; l < nt; ++l) addLink(from_edge, from_lane, to_edge, l);
  };
  if (std::abs(turn) < kPi / 6) {
    for (std::uint32_t i = 0; i < nf; ++i) link(i, std::min(i, nt - 1));
  } else if (std::abs(turn) > 5 * kPi / 6) {
    link(nf - 1, nt - 1);
  } else if (turn < 0) {
    link(0, 0);
  } else {
    link(nf - 1, nt - 1);
  }
}

void NetworkBuilder::connectAll() {
  for (std::uint32_t a = 0; a < net_.edges.size(); ++a) {
    std::vector<std::uint32_t> onward, back;
    for (std::uint32_t b = 0; b < net_.edges.size(); ++b) {
      if (net_.edges[b].from != net_.edges[a].to) continue;
      (net_.edges[b].to == net_.edges[a].from ? back : onward).push_back(b);
    }
    for (std::uint32_t b : onward) connect(a, b);
    if (onward.empty())
      for (std::uint32_t b : back) connect(a, b);  // a dead end: turn round
    linkDeadLanes(a);
  }
}

void NetworkBuilder::linkDeadLanes(std::uint32_t edge) {
  // A lane with no way on (a two-lane road whose only way on is a turn) would hold its
  // vehicles for ever when the lane beside is full: it goes where its nearest neighbour with
  // a link goes, as drivers do (SUMO connects every lane where a road has one way on).
  const std::uint32_t n = net_.edges.at(edge).lane_count;
  std::vector<const PendingLink*> first(n, nullptr);
  for (const PendingLink& p : pending_)
    if (p.from_edge == edge && !first[p.from_lane]) first[p.from_lane] = &p;
  std::vector<PendingLink> added;
  for (std::uint32_t l = 0; l < n; ++l) {
    if (first[l]) continue;
    const PendingLink* nearest = nullptr;
    for (std::uint32_t d = 1; d < n && !nearest; ++d) {
      if (l >= d && first[l - d]) nearest = first[l - d];
      if (!nearest && l + d < n && first[l + d]) nearest = first[l + d];
    }
    if (nearest) added.push_back({edge, l, nearest->to_edge, nearest->to_lane});
  }
  for (const PendingLink& p : added) addLink(p.from_edge, p.from_lane, p.to_edge, p.to_lane);
}

void NetworkBuilder::removeLinks(std::uint32_t from_edge, std::uint32_t to_edge) {
  std::erase_if(pending_, [&](const PendingLink& p) {
    return p.from_edge == from_edge && p.to_edge == to_edge;
  });
}

void NetworkBuilder::keepOnlyLinks(std::uint32_t from_edge, std::uint32_t to_edge) {
  std::erase_if(pending_, [&](const PendingLink& p) {
    return p.from_edge == from_edge && p.to_edge != to_edge;
  });
}

std::uint32_t NetworkBuilder::addSignal(SignalProgram program) {
  net_.signals.push_back(std::move(program));
  return static_cast<std::uint32_t>(net_.signals.size() - 1);
}

void NetworkBuilder::setJunctionSignal(std::uint32_t junction, std::uint32_t program) {
  junction_signals_.emplace_back(junction, program);
}

void NetworkBuilder::addTwoPhaseSignal(std::uint32_t junction, float green_s, float offset_s) {
  net_.junctions.at(junction).kind = JunctionKind::kTrafficLight;
  two_phase_.push_back({junction, green_s, offset_s});
}

void NetworkBuilder::makeLanes() {
  // A junction joining more than one other edge gets room for its paths.
  std::vector<std::vector<std::uint32_t>> neighbours(net_.junctions.size());
  for (const Edge& e : net_.edges) {
    neighbours[e.from].push_back(e.to);
    neighbours[e.to].push_back(e.from);
  }
  for (auto& n : neighbours) {
    std::sort(n.begin(), n.end());
    n.erase(std::unique(n.begin(), n.end()), n.end());
  }
  net_.shape_points.clear();
  for (std::uint32_t e = 0; e < net_.edges.size(); ++e) {
    Edge& edge = net_.edges[e];
    const double cut_start = neighbours[edge.from].size() > 2 ? kJunctionRadius : 1.0;
    const double cut_end = neighbours[edge.to].size() > 2 ? kJunctionRadius : 1.0;
    for (std::uint32_t i = 0; i < edge.lane_count; ++i) {
      Lane& lane = net_.lanes[edge.first_lane + i];
      const double d = (static_cast<double>(edge.lane_count - 1 - i) + 0.5) * kLaneWidth;
      const auto shape = trim(offsetRight(axes_[e], d), cut_start, cut_end);
      lane.shape_begin = static_cast<std::uint32_t>(net_.shape_points.size());
      net_.shape_points.insert(net_.shape_points.end(), shape.begin(), shape.end());
      lane.shape_end = static_cast<std::uint32_t>(net_.shape_points.size());
      lane.length = static_cast<float>(std::max(0.1, geodata::length(shape)));
    }
    edge.length = net_.lanes[edge.first_lane].length;
  }
}

void NetworkBuilder::makeLinks() {
  std::stable_sort(pending_.begin(), pending_.end(),
                   [&](const PendingLink& a, const PendingLink& b) {
                     return net_.edges[a.from_edge].first_lane + a.from_lane <
                            net_.edges[b.from_edge].first_lane + b.from_lane;
                   });
  pending_.erase(std::unique(pending_.begin(), pending_.end(),
                             [](const PendingLink& a, const PendingLink& b) {
                               return a.from_edge == b.from_edge && a.from_lane == b.from_lane &&
                                      a.to_edge == b.to_edge && a.to_lane == b.to_lane;
                             }),
                 pending_.end());
  net_.links.clear();
  for (auto& l : net_.lanes) l.first_link = 0, l.link_count = 0;
  for (auto& j : net_.junctions) j.links.clear();
  for (const PendingLink& p : pending_) {
    Link link;
    link.from_lane = net_.edges[p.from_edge].first_lane + p.from_lane;
    link.to_lane = net_.edges[p.to_edge].first_lane + p.to_lane;
    link.junction = net_.edges[p.from_edge].to;
    const Lane& from = net_.lanes[link.from_lane];
    const Lane& to = net_.lanes[link.to_lane];
    const auto a = net_.shape_points[from.shape_end - 1];
    const auto b = net_.shape_points[to.shape_begin];
    link.length = static_cast<float>(std::max(1.0, std::hypot(b.x - a.x, b.y - a.y)));
    const double turn = wrapAngle(heading(p.to_edge, false) - heading(p.from_edge, true));
    if (std::abs(turn) < kPi / 6)
      link.direction = 's';
    else if (std::abs(turn) > 5 * kPi / 6)
      link.direction = 't';
    else
      link.direction = turn > 0 ? 'l' : 'r';
    // Turning speeds as SUMO derives them from the radius: about 6 m/s right, 8 m/s left.
    const float cap = link.direction == 's'   ? to.speed
                      : link.direction == 'r' ? 6.0f
                      : link.direction == 'l' ? 8.0f
                                              : 4.0f;
    link.speed = std::min(to.speed, cap);
    link.internal_begin = static_cast<std::uint32_t>(net_.shape_points.size());
    net_.shape_points.push_back(a);
    net_.shape_points.push_back(b);
    link.internal_end = static_cast<std::uint32_t>(net_.shape_points.size());
    const auto k = static_cast<std::uint32_t>(net_.links.size());
    Lane& fl = net_.lanes[link.from_lane];
    if (fl.link_count == 0) fl.first_link = k;
    ++fl.link_count;
    net_.junctions[link.junction].links.push_back(k);
    net_.links.push_back(link);
  }
}

void NetworkBuilder::computeRightOfWay() {
  std::vector<std::vector<std::uint32_t>> foes(net_.links.size()), yields(net_.links.size());
  for (const Junction& j : net_.junctions) {
    int top = INT32_MIN;
    for (std::uint32_t k : j.links)
      top = std::max(top, net_.edges[net_.lanes[net_.links[k].from_lane].edge].priority);
    auto major = [&](std::uint32_t k) {
      return net_.edges[net_.lanes[net_.links[k].from_lane].edge].priority == top;
    };
    auto inHeading = [&](std::uint32_t k) {
      return heading(net_.lanes[net_.links[k].from_lane].edge, true);
    };
    for (std::uint32_t k : j.links) {
      Link& lk = net_.links[k];
      if (j.kind == JunctionKind::kPriority) lk.major = major(k);
      for (std::uint32_t f : j.links) {
        const Link& lf = net_.links[f];
        if (f == k || lf.from_lane == lk.from_lane) continue;
        const auto& pts = net_.shape_points;
        const bool conflict = lf.to_lane == lk.to_lane ||
                              segmentsCross(pts[lk.internal_begin], pts[lk.internal_begin + 1],
                                            pts[lf.internal_begin], pts[lf.internal_begin + 1]);
        if (!conflict) continue;
        foes[k].push_back(f);
        // Does k give way to f?
        const double rel = wrapAngle(inHeading(f) - inHeading(k));
        const bool from_right = rel > kPi / 4 && rel < 3 * kPi / 4;
        const bool opposite = std::abs(rel) > 3 * kPi / 4;
        const int rk = turnRank(lk.direction), rf = turnRank(lf.direction);
        bool yield = false;
        switch (j.kind) {
          case JunctionKind::kUnregulated:
          case JunctionKind::kDeadEnd:
            break;
          case JunctionKind::kTrafficLight:
            yield = rk > rf;
            break;
          case JunctionKind::kPriority:
            if (major(k) != major(f))
              yield = !major(k);
            else if (rk != rf)
              yield = rk > rf;
            else
              yield = from_right;
            break;
          case JunctionKind::kRightBeforeLeft:
          case JunctionKind::kAllWayStop:
            yield = from_right || (opposite && rk > rf);
            break;
        }
        if (yield) yields[k].push_back(f);
      }
    }
  }
  net_.setConflicts(foes, yields);
  for (std::uint32_t k = 0; k < net_.links.size(); ++k) {
    Link& l = net_.links[k];
    if (net_.junctions[l.junction].kind != JunctionKind::kPriority) l.major = yields[k].empty();
  }
}

void NetworkBuilder::makeSignals() {
  for (const auto& tp : two_phase_) {
    const Junction& j = net_.junctions[tp.junction];
    if (j.links.empty()) continue;
    // Group approaches by axis: within 45 degrees of the first approach's line, or across it.
    const double ref = heading(net_.lanes[net_.links[j.links.front()].from_lane].edge, true);
    std::vector<int> group(j.links.size());
    for (std::size_t i = 0; i < j.links.size(); ++i) {
      const double h = heading(net_.lanes[net_.links[j.links[i]].from_lane].edge, true);
      const double d = std::abs(wrapAngle(h - ref));
      group[i] = (d < kPi / 4 || d > 3 * kPi / 4) ? 0 : 1;
    }
    SignalProgram prog;
    prog.id = j.id;
    prog.program_id = "0";
    prog.offset = tp.offset;
    for (int g = 0; g < 2; ++g) {
      SignalPhase green, yellow, red;
      green.duration = tp.green, yellow.duration = 3.0f, red.duration = 2.0f;
      for (std::size_t i = 0; i < j.links.size(); ++i) {
        const Link& l = net_.links[j.links[i]];
        const bool mine = group[i] == g;
        green.states.push_back(!mine                         ? SignalState::kRed
                               : l.yield_end > l.yield_begin ? SignalState::kGreenMinor
                                                             : SignalState::kGreenMajor);
        yellow.states.push_back(mine ? SignalState::kYellow : SignalState::kRed);
        red.states.push_back(SignalState::kRed);
      }
      prog.phases.push_back(green);
      prog.phases.push_back(yellow);
      prog.phases.push_back(red);
    }
    junction_signals_.emplace_back(tp.junction, addSignal(std::move(prog)));
  }
  for (const auto& [junction, program] : junction_signals_) {
    const Junction& j = net_.junctions[junction];
    for (const auto& ph : net_.signals.at(program).phases)
      if (ph.states.size() < j.links.size())
        throw std::invalid_argument("signal " + net_.signals[program].id + ": a phase has " +
                                    std::to_string(ph.states.size()) + " states for " +
                                    std::to_string(j.links.size()) + " links of junction " + j.id);
    for (std::uint32_t i = 0; i < j.links.size(); ++i) {
      Link& l = net_.links[j.links[i]];
      l.signal = static_cast<int>(program);
      l.signal_index = i;
    }
  }
}

Network NetworkBuilder::build() {
  makeLanes();
  makeLinks();
  computeRightOfWay();
  makeSignals();
  net_.index();
  return net_;
}

}  // namespace citytwin::engine::traffic
