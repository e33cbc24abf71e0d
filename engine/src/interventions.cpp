#include "citytwin/engine/interventions.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"

namespace citytwin::engine {

using geodata::InputError;
using namespace traffic;

namespace {

/// City-network edge ids are "WAY_FROM_TO": the OSM way comes first.
std::int64_t osmWayOf(const Edge& e) {
  std::int64_t way = 0;
  const auto end = e.id.find('_');
  std::from_chars(e.id.data(), e.id.data() + (end == std::string::npos ? e.id.size() : end), way);
  return way;
}

geodata::Vec2 middle(const Network& net, const Edge& e) {
  return net.pointOnLane(e.first_lane, 0.5f * net.lanes[e.first_lane].length);
}

/// The phases a plan's green times are for: those with a green light, and red for every
/// approach for longer than a clearance (the time the crossing road or pedestrians go) -- not
/// yellow or the short all-red after it.
std::vector<std::size_t> mainPhases(const SignalProgram& program) {
  constexpr float kClearance = 5.0f;  // s
  std::vector<std::size_t> out;
  for (std::size_t ph = 0; ph < program.phases.size(); ++ph) {
    const auto& st = program.phases[ph].states;
    const bool green = std::any_of(st.begin(), st.end(), [](SignalState x) {
      return x == SignalState::kGreenMajor || x == SignalState::kGreenMinor;
    });
    const bool yellow = std::any_of(st.begin(), st.end(), [](SignalState x) {
      return x == SignalState::kYellow || x == SignalState::kRedYellow;
    });
    if (green || (!yellow && program.phases[ph].duration > kClearance)) out.push_back(ph);
  }
  return out;
}

[[noreturn]] void failAt(const Intervention& i, const std::string& what, const std::string& hint) {
  throw InputError(i.file, "line " + std::to_string(i.line), what, hint);
}

}  // namespace

std::vector<std::uint32_t> selectEdges(const Network& net, const RoadSelection& roads) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t e = 0; e < net.edges.size(); ++e) {
    const Edge& edge = net.edges[e];
    if (!roads.name.empty() && edge.name != roads.name) continue;
    if (roads.osm_way != 0 && osmWayOf(edge) != roads.osm_way) continue;
    if (!roads.area.empty() && !geodata::contains(roads.area, middle(net, edge))) continue;
    out.push_back(e);
  }
  return out;
}

void applyToNetwork(Network& net, const std::vector<Intervention>& interventions, double begin_s,
                    double end_s) {
  for (const auto& i : interventions) {
    if (const auto* c = std::get_if<CloseRoad>(&i.what)) {
      const auto edges = selectEdges(net, c->roads);
      if (edges.empty())
        failAt(i, "no road of the traffic network matches '" + i.description + "'",
               "roads open to vehicles only; check the name, osm_way and area");
      if (c->from_s > begin_s || c->until_s < end_s) continue;  // the schedule does it
      for (auto e : edges)
        for (std::uint32_t l = 0; l < net.edges[e].lane_count; ++l)
          net.lanes[net.edges[e].first_lane + l].allow &= static_cast<ClassMask>(~c->classes);
    } else if (const auto* s = std::get_if<SpeedLimit>(&i.what)) {
      const auto edges = selectEdges(net, s->roads);
      if (edges.empty())
        failAt(i, "no road of the traffic network matches '" + i.description + "'",
               "check the name, osm_way and area");
      for (auto e : edges) {
        net.edges[e].speed = s->speed_mps;
        for (std::uint32_t l = 0; l < net.edges[e].lane_count; ++l)
          net.lanes[net.edges[e].first_lane + l].speed = s->speed_mps;
      }
      // Paths through junctions onto these roads keep their (turn) limits, capped by the new one.
      for (auto& k : net.links)
        if (std::find(edges.begin(), edges.end(), net.lanes[k.to_lane].edge) != edges.end())
          k.speed = std::min(k.speed, s->speed_mps);
    } else if (const auto* p = std::get_if<SignalPlan>(&i.what)) {
      // Every signal within the radius (a junction OSM maps as one node per stop line), or
      // without a radius the one nearest the point.
      std::vector<std::size_t> programs;
      double nearest = p->cluster ? p->radius_m : 50.0;
      for (const auto& j : net.junctions) {
        const double d = std::hypot(j.position.x - p->near.x, j.position.y - p->near.y);
        if (d > nearest) continue;
        for (auto k : j.links) {
          const int sig = net.links[k].signal;
          if (sig < 0) continue;
          if (!p->cluster) {
            programs = {static_cast<std::size_t>(sig)};
            nearest = d;
            break;
          }
          if (std::find(programs.begin(), programs.end(), static_cast<std::size_t>(sig)) ==
              programs.end())
            programs.push_back(static_cast<std::size_t>(sig));
        }
      }
      if (programs.empty())
        failAt(i,
               "no signalised junction within " + std::to_string(static_cast<int>(p->radius_m)) +
                   " m of the point given",
               "put 'near' on the junction, or widen 'radius'");
      for (const auto index : programs) {
        SignalProgram& program = net.signals[index];
        const auto greens = mainPhases(program);
        if (greens.size() != p->green_s.size())
          failAt(i,
                 "signal '" + program.id + "' has " + std::to_string(greens.size()) +
                     " phases, the plan gives " + std::to_string(p->green_s.size()),
                 "give one green time per phase (not counting yellow and clearance), in the "
                 "program's order");
        for (std::size_t g = 0; g < greens.size(); ++g)
          program.phases[greens[g]].duration = p->green_s[g];
        if (!std::isnan(p->offset_s)) program.offset = p->offset_s;
      }
    }
  }
}

ClosureSchedule::ClosureSchedule(const Network& net, const std::vector<Intervention>& interventions,
                                 double begin_s, double end_s) {
  for (const auto& i : interventions) {
    const auto* c = std::get_if<CloseRoad>(&i.what);
    if (!c || (c->from_s <= begin_s && c->until_s >= end_s)) continue;
    for (auto e : selectEdges(net, c->roads)) {
      events_.push_back({std::max(c->from_s, begin_s), true, e, c->classes});
      if (c->until_s < end_s) events_.push_back({c->until_s, false, e, c->classes});
    }
  }
  std::stable_sort(events_.begin(), events_.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
}

void ClosureSchedule::update(TrafficSimulation& sim) {
  while (next_ < events_.size() && events_[next_].at <= sim.time() + 1e-9) {
    const Event& e = events_[next_++];
    if (e.close)
      sim.closeEdge(e.edge, e.classes);
    else
      sim.reopenEdge(e.edge);
  }
}

}  // namespace citytwin::engine
