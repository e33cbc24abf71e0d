// Stranded vehicles: one standing at the end of a lane that does not lead on along its route
// waits for a lane change; where the lanes beside it are full it would wait for ever, and the
// queue behind it with it (the heads of Monaco's jams). After kStrandedAfter it takes a way
// on from the lane it is on and a new route from there to its destination, as a driver who
// missed the lane does (SUMO teleports such vehicles: "wrong lane").
#include <algorithm>

#include "traffic_state.hpp"

namespace citytwin::engine::traffic {

namespace {
constexpr float kStrandedAfter = 20.0f;  // s standing at the end of a lane that does not lead on
}  // namespace

void TrafficSimulation::Impl::rerouteStranded() {
  const float now = static_cast<float>(time());
  for (const std::uint32_t l : active_lanes.items()) {
    if (isInternal(l)) continue;
    const std::uint32_t v = occupants[l].front();
    if (next_link[v] != kNoLink || has_stops[v] || standing_since[v] < 0.0f ||
        now - standing_since[v] < kStrandedAfter || route_pos[v] + 1 >= routes[v].size())
      continue;
    const DriverParams& p = params(v);
    const auto g = static_cast<std::size_t>(
        std::find(graph_classes.begin(), graph_classes.end(), p.vclass) - graph_classes.begin());
    if (g >= graphs.size()) continue;
    if (!stranded_routers[g]) stranded_routers[g] = std::make_unique<Router>(*graphs[g]);
    const auto& route = routes[v];
    // The quickest way to the destination through one of the links of this lane.
    std::optional<std::vector<std::uint32_t>> best;
    float best_time = kFarAway;
    const Lane& here = net->lanes[l];
    for (std::uint32_t k = here.first_link; k < here.first_link + here.link_count; ++k) {
      const Lane& to = net->lanes[net->links[k].to_lane];
      if ((to.allow & p.vclass) == 0 || (closed[to.edge] & p.vclass) != 0) continue;
      auto leg = stranded_routers[g]->route(to.edge, route.back(), p.max_speed);
      if (!leg) continue;
      float t = 0.0f;
      for (const std::uint32_t e : *leg) t += graphs[g]->freeTime(e, p.max_speed);
      if (t < best_time) best_time = t, best = std::move(leg);
    }
    if (!best) continue;  // nowhere to go from here: it waits
    std::vector<std::uint32_t> path(route.begin(), route.begin() + route_pos[v] + 1);
    path.insert(path.end(), best->begin(), best->end());
    routes[v] = std::move(path);
    serve_rp[v] = kNoLink;
    next_link[v] = chooseLink(v, l);
    ++stranded_reroutes;
  }
}

}  // namespace citytwin::engine::traffic
