// Interventions that change a crowd scenario (and the demand of a traffic one).
#include <algorithm>
#include <cmath>

#include "citytwin/engine/interventions.hpp"
#include "citytwin/geodata/error.hpp"
#include "nearest_name.hpp"

namespace citytwin::engine {

using geodata::InputError;
using namespace crowd;

namespace {

template <typename Named>
std::size_t findNamed(const std::vector<Named>& items, const std::string& name,
                      const Intervention& i, const std::string& what, const std::string& where) {
  for (std::size_t k = 0; k < items.size(); ++k)
    if (items[k].name == name) return k;
  const std::string best =
      nearestName(name, items, [](const Named& x) { return std::string_view(x.name); });
  throw InputError(i.file, "line " + std::to_string(i.line),
                   "the scenario has no " + what + " named '" + name + "'",
                   best.empty() ? "define it under " + where : "did you mean '" + best + "'?");
}

/// Sources an intervention names (all when none are named).
std::vector<std::size_t> selectSources(const CrowdScenario& s,
                                       const std::vector<std::string>& names,
                                       const Intervention& i) {
  std::vector<std::size_t> out;
  if (names.empty()) {
    for (std::size_t k = 0; k < s.sources.size(); ++k) out.push_back(k);
    return out;
  }
  for (const auto& n : names) out.push_back(findNamed(s.sources, n, i, "source", "crowd.sources"));
  return out;
}

std::vector<geodata::Vec2> outline(const geodata::Ring2& ring) {
  std::vector<geodata::Vec2> line(ring.begin(), ring.end());
  if (!line.empty() && !(line.front() == line.back())) line.push_back(line.front());
  return line;
}

}  // namespace

void applyToCrowd(CrowdScenario& s, const std::vector<Intervention>& interventions) {
  for (const auto& i : interventions) {
    if (const auto* b = std::get_if<AddBarrier>(&i.what)) {
      for (const auto& line : b->lines) {
        s.barriers.push_back(line);
        s.barrier_names.push_back(b->name);
      }
    } else if (const auto* r = std::get_if<RemoveBarrier>(&i.what)) {
      bool found = false;
      for (std::size_t k = s.barriers.size(); k-- > 0;)
        if (k < s.barrier_names.size() && s.barrier_names[k] == r->name) {
          s.barriers.erase(s.barriers.begin() + static_cast<std::ptrdiff_t>(k));
          s.barrier_names.erase(s.barrier_names.begin() + static_cast<std::ptrdiff_t>(k));
          found = true;
        }
      if (!found) {
        const std::string best = nearestName(
            r->name, s.barrier_names, [](const std::string& x) { return std::string_view(x); });
        throw InputError(
            i.file, "line " + std::to_string(i.line),
            "the scenario has no barrier named '" + r->name + "'",
            best.empty() ? "name barriers under crowd.barriers" : "did you mean '" + best + "'?");
      }
    } else if (const auto* c = std::get_if<CloseArea>(&i.what)) {
      for (const auto& polygon : c->area)
        for (const auto& ring : polygon) {
          s.barriers.push_back(outline(ring));
          s.barrier_names.push_back("closed area");
        }
    } else if (const auto* g = std::get_if<GateChange>(&i.what)) {
      Stage& st = s.stages[findNamed(s.stages, g->stage, i, "stage", "crowd.stages")];
      if (st.kind != StageKind::kGate)
        throw InputError(i.file, "line " + std::to_string(i.line),
                         "stage '" + g->stage + "' is not a gate", "gate changes apply to gates");
      if (g->service_rate >= 0.0f) st.service_rate = g->service_rate;
      if (g->opens_at_s >= 0.0) st.opens_at_s = g->opens_at_s;
    } else if (const auto* e = std::get_if<AddEntrance>(&i.what)) {
      Stage& st = s.stages[findNamed(s.stages, e->stage, i, "stage", "crowd.stages")];
      st.area.insert(st.area.end(), e->area.begin(), e->area.end());
      if (st.kind == StageKind::kGate) st.service_rate += e->service_rate;
    } else if (const auto* d = std::get_if<ScaleDemand>(&i.what)) {
      for (auto k : selectSources(s, d->sources, i)) {
        Source& src = s.sources[k];
        src.agents = static_cast<std::uint32_t>(std::lround(src.agents * d->factor));
        for (auto& step : src.profile) step.rate_per_s *= d->factor;  // the same arrival window
      }
    } else if (const auto* v = std::get_if<RouteVia>(&i.what)) {
      Stage via;
      via.name = v->name;
      via.kind = StageKind::kWaypoint;
      via.area = v->area;
      const auto stage = static_cast<std::uint32_t>(s.stages.size());
      s.stages.push_back(via);
      // Each journey the sources take gets a copy that passes the waypoint first.
      std::vector<std::int64_t> copy_of(s.journeys.size(), -1);
      for (auto k : selectSources(s, v->sources, i)) {
        const std::uint32_t j = s.sources[k].journey;
        if (copy_of[j] < 0) {
          Journey routed = s.journeys[j];
          routed.name += " via " + v->name;
          routed.stages.insert(routed.stages.begin(), stage);
          copy_of[j] = static_cast<std::int64_t>(s.journeys.size());
          s.journeys.push_back(std::move(routed));
        }
        s.sources[k].journey = static_cast<std::uint32_t>(copy_of[j]);
      }
    } else if (const auto* a = std::get_if<ArrivalProfileChange>(&i.what)) {
      for (auto k : selectSources(s, a->sources, i)) {
        s.sources[k].profile.clear();
        for (const auto& [from, rate] : a->profile) s.sources[k].profile.push_back({from, rate});
      }
    }
  }
}

void applyToTrafficDemand(traffic::TrafficScenario& s,
                          const std::vector<Intervention>& interventions) {
  for (const auto& i : interventions)
    if (const auto* d = std::get_if<ScaleDemand>(&i.what))
      for (auto& e : s.od) e.trips *= d->factor;
}

}  // namespace citytwin::engine
